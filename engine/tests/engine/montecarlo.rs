//! Monte Carlo: analytic cases, risks, remaining work, determinism, degenerate inputs.

use engine::montecarlo::{simulate, simulate_with, Execution, Forecast, SimConfig};
use engine::testkit::{period, progressed, project, risk, synthetic_project, wp, SYNTHETIC_PERIOD};
use engine::{Distribution, Project};

const PERIOD: &str = "2025-01";

fn run(p: &Project, iterations: u64, seed: u64) -> Forecast {
    let cfg = SimConfig::new(iterations, seed).expect("valid config");
    simulate(p, period(PERIOD), &cfg).expect("simulation runs")
}

/// The forecast with the one irreproducible field cleared.
fn comparable(mut f: Forecast) -> Forecast {
    f.elapsed_ms = 0.0;
    f
}

fn close(actual: f64, expected: f64, rel: f64) -> bool {
    (actual - expected).abs() <= rel * expected.abs()
}

#[test]
fn single_triangular_task_p50_matches_the_analytic_median() {
    let mut p = project(vec![wp("A", &[], (10.0, 20.0, 40.0), (100.0, 200.0, 400.0))]);
    p.estimate = Distribution::Triangular;
    let f = run(&p, 200_000, 7);
    // Tri(10, 20, 40): mode at c = 1/3 < 1/2, so the median is b − √((b−a)(b−m)/2).
    let median = 40.0 - (30.0f64 * 20.0 / 2.0).sqrt();
    assert!(
        close(f.finish_days.p50, median, 0.01),
        "P50 {} vs {median}",
        f.finish_days.p50
    );
    assert!(close(f.cost.p50, median * 10.0, 0.01), "cost P50 {}", f.cost.p50);
}

#[test]
fn serial_chain_mean_is_the_sum_of_means() {
    let p = project(vec![
        wp("A", &[], (5.0, 10.0, 20.0), (1.0, 2.0, 3.0)),
        wp("B", &["A"], (2.0, 3.0, 10.0), (1.0, 2.0, 3.0)),
        wp("C", &["B"], (8.0, 8.0, 8.0), (1.0, 2.0, 3.0)),
    ]);
    let f = run(&p, 100_000, 11);
    let pert = |a: f64, m: f64, b: f64| (a + 4.0 * m + b) / 6.0;
    let expected = pert(5.0, 10.0, 20.0) + pert(2.0, 3.0, 10.0) + 8.0;
    assert!(
        close(f.mean_finish_days, expected, 0.01),
        "{} vs {expected}",
        f.mean_finish_days
    );
    assert!(close(f.mean_cost, 6.0, 0.01), "{}", f.mean_cost);
    for c in &f.criticality {
        assert_eq!(c.index, 1.0, "{} is always critical in a chain", c.work_package_id);
    }
}

#[test]
fn two_parallel_tasks_finish_later_than_either_alone() {
    let one = project(vec![wp("A", &[], (5.0, 10.0, 20.0), (1.0, 1.0, 1.0))]);
    let two = project(vec![
        wp("A", &[], (5.0, 10.0, 20.0), (1.0, 1.0, 1.0)),
        wp("B", &[], (5.0, 10.0, 20.0), (1.0, 1.0, 1.0)),
    ]);
    let (f1, f2) = (run(&one, 50_000, 3), run(&two, 50_000, 3));
    assert!(
        f2.finish_days.p50 > f1.finish_days.p50 * 1.03,
        "{} vs {}",
        f2.finish_days.p50,
        f1.finish_days.p50
    );
    let total: f64 = f2.criticality.iter().map(|c| c.index).sum();
    assert!(
        (total - 1.0).abs() < 1e-12,
        "exactly one of two parallel tasks is critical"
    );
}

#[test]
fn pert_mean_is_the_pert_formula() {
    for (a, m, b) in [(2.0, 3.0, 10.0), (4.0, 4.0, 9.0), (1.0, 6.0, 6.0), (10.0, 12.5, 15.0)] {
        let p = project(vec![wp("A", &[], (a, m, b), (a, m, b))]);
        let f = run(&p, 100_000, 5);
        let expected = (a + 4.0 * m + b) / 6.0;
        assert!(
            close(f.mean_finish_days, expected, 0.005),
            "({a},{m},{b}): {}",
            f.mean_finish_days
        );
        assert!(close(f.mean_cost, expected, 0.005));
    }
}

#[test]
fn a_certain_risk_adds_its_impact() {
    let base = project(vec![wp("A", &[], (10.0, 10.0, 10.0), (100.0, 100.0, 100.0))]);
    let mut with = base.clone();
    with.risks
        .push(risk("R1", 1.0, (50.0, 50.0, 50.0), (4.0, 4.0, 4.0), &["A"]));
    with.risks.push(risk("R2", 1.0, (7.0, 7.0, 7.0), (3.0, 3.0, 3.0), &[]));
    let f = run(&with, 1_000, 1);
    assert_eq!(f.finish_days.p50, 17.0);
    assert_eq!(f.cost.p10, 157.0);
    assert_eq!(f.cost.p95, 157.0);
}

#[test]
fn an_impossible_or_closed_risk_changes_nothing() {
    let base = synthetic_project(40, 0, 9);
    let mut with = base.clone();
    with.risks
        .push(risk("R0", 0.0, (1e6, 1e6, 2e6), (50.0, 60.0, 90.0), &["WP-030"]));
    let mut closed = risk("R1", 0.9, (1e6, 1e6, 2e6), (50.0, 60.0, 90.0), &["WP-031"]);
    closed.status = engine::RiskStatus::Closed;
    with.risks.push(closed);
    let p = period(SYNTHETIC_PERIOD);
    let cfg = SimConfig::new(5_000, 42).expect("config");
    let a = comparable(simulate(&base, p, &cfg).expect("runs"));
    let b = comparable(simulate(&with, p, &cfg).expect("runs"));
    assert_eq!(a, b);
}

#[test]
fn same_seed_same_output_different_seed_different_output() {
    let p = synthetic_project(60, 10, 1);
    let cfg = SimConfig::new(5_000, 99).expect("config");
    let at = period(SYNTHETIC_PERIOD);
    let a = comparable(simulate(&p, at, &cfg).expect("runs"));
    let b = comparable(simulate(&p, at, &cfg).expect("runs"));
    assert_eq!(a, b);
    let other = SimConfig::new(5_000, 100).expect("config");
    let c = comparable(simulate(&p, at, &other).expect("runs"));
    assert_ne!(a.finish_days, c.finish_days);
    assert_ne!(a.cost, c.cost);
}

#[test]
fn thread_count_does_not_change_the_result() {
    let p = synthetic_project(30, 5, 2);
    let cfg = SimConfig::new(30_000, 5).expect("config");
    let at = period(SYNTHETIC_PERIOD);
    let seq = comparable(simulate_with(&p, at, &cfg, Execution::Sequential).expect("runs"));
    let par = comparable(simulate_with(&p, at, &cfg, Execution::Parallel).expect("runs"));
    assert_eq!(seq, par);
}

#[test]
fn completed_work_is_fixed_at_actuals() {
    let done = progressed(
        wp("A", &[], (10.0, 20.0, 30.0), (100.0, 200.0, 300.0)),
        100.0,
        Some(250.0),
    );
    let half = progressed(
        wp("B", &["A"], (10.0, 10.0, 10.0), (100.0, 100.0, 100.0)),
        50.0,
        Some(80.0),
    );
    let p = project(vec![done, half]);
    let f = run(&p, 1_000, 4);
    // A is over: 0 days, 250 spent. B: half of 10 days left, 80 booked + half of 100 to go.
    assert_eq!(f.finish_days.p50, 5.0);
    assert_eq!(f.cost.p50, 250.0 + 80.0 + 50.0);
    assert_eq!(f.criticality.len(), 1);
    assert_eq!(f.criticality[0].work_package_id, "B");
}

#[test]
fn iterations_outside_the_range_are_refused() {
    for n in [0, 999, 1_000_001, u64::MAX] {
        assert!(matches!(SimConfig::new(n, 1), Err(engine::EngineError::Iterations(m)) if m == n));
    }
    assert!(SimConfig::new(1_000, 1).is_ok());
    assert!(SimConfig::new(1_000_000, 1).is_ok());
    let mut cfg = SimConfig::new(1_000, 1).expect("config");
    cfg.iterations = 10;
    let p = project(vec![wp("A", &[], (1.0, 2.0, 3.0), (1.0, 2.0, 3.0))]);
    assert!(simulate(&p, period(PERIOD), &cfg).is_err());
}

/// Every null in `v` sits under one of the fields that are optional by design (a number
/// that is not finite also serialises as null, so any other null is a bug).
fn nulls_only_where_optional(v: &serde_json::Value, key: &str) -> bool {
    const OPTIONAL: [&str; 5] = ["adjustment", "snapshot_period", "snapshot_ac", "difference", "note"];
    match v {
        serde_json::Value::Null => OPTIONAL.contains(&key),
        serde_json::Value::Array(items) => items.iter().all(|i| nulls_only_where_optional(i, key)),
        serde_json::Value::Object(map) => map.iter().all(|(k, i)| nulls_only_where_optional(i, k)),
        _ => true,
    }
}

fn assert_all_finite(f: &Forecast) {
    let json = serde_json::to_string(f).expect("serialises");
    assert!(!json.contains("NaN") && !json.contains("inf"), "{json}");
    let value = serde_json::to_value(f).expect("serialises");
    assert!(nulls_only_where_optional(&value, ""), "{json}");
    let p = [f.finish_days, f.cost];
    for x in p.iter().flat_map(|p| [p.p10, p.p50, p.p80, p.p90, p.p95]) {
        assert!(x.is_finite());
    }
    for v in [
        f.mean_cost,
        f.mean_finish_days,
        f.p_cost_within_bac,
        f.p_finish_by_baseline,
        f.p80_standard_error_days,
    ] {
        assert!(v.is_finite());
    }
    for d in f.tornado.finish.iter().chain(&f.tornado.cost) {
        assert!(d.finish_correlation.is_finite() && d.cost_correlation.is_finite());
    }
    for b in f.finish_histogram.bins.iter().chain(&f.cost_histogram.bins) {
        assert!(b.start.is_finite() && b.end.is_finite() && b.start < b.end);
    }
}

#[test]
fn degenerate_inputs_give_finite_output() {
    let all_done = project(vec![
        progressed(wp("A", &[], (1.0, 2.0, 3.0), (1.0, 2.0, 3.0)), 100.0, None),
        progressed(wp("B", &["A"], (1.0, 2.0, 3.0), (1.0, 2.0, 3.0)), 100.0, Some(5.0)),
    ]);
    let f = run(&all_done, 1_000, 1);
    assert_all_finite(&f);
    assert_eq!(f.finish_days.p95, 0.0);
    assert_eq!(f.cost.p50, 7.0);
    assert!(f.criticality.is_empty() && f.tornado.finish.is_empty() && f.tornado.cost.is_empty());
    assert_eq!(f.finish_dates.p50, period(PERIOD).last_day());

    let exact = project(vec![
        wp("A", &[], (3.0, 3.0, 3.0), (0.0, 0.0, 0.0)),
        wp("B", &["A"], (2.0, 2.0, 2.0), (5.0, 5.0, 5.0)),
    ]);
    let f = run(&exact, 1_000, 1);
    assert_all_finite(&f);
    assert_eq!(f.finish_days.p10, 5.0);
    assert!(f.tornado.finish.iter().all(|d| d.finish_correlation == 0.0));
}

#[test]
fn tornado_and_criticality_find_the_driver() {
    let p = project(vec![
        wp("A", &[], (1.0, 2.0, 3.0), (1.0, 1.0, 1.0)),
        wp("BIG", &["A"], (10.0, 20.0, 60.0), (1.0, 5.0, 9.0)),
        wp("C", &["A"], (2.0, 3.0, 4.0), (1.0, 1.0, 1.0)),
        wp("D", &["BIG", "C"], (1.0, 1.5, 2.0), (1.0, 1.0, 1.0)),
    ]);
    let f = run(&p, 10_000, 8);
    assert_eq!(f.tornado.finish[0].id, "BIG");
    assert!(
        f.tornado.finish[0].finish_correlation > 0.9,
        "{}",
        f.tornado.finish[0].finish_correlation
    );
    assert_eq!(f.tornado.cost[0].id, "BIG");
    assert!(f.tornado.cost[0].cost_correlation > 0.9);
    let crit = |id: &str| f.criticality.iter().find(|c| c.work_package_id == id).map(|c| c.index);
    assert_eq!(crit("BIG"), Some(1.0));
    assert_eq!(crit("C"), Some(0.0));
    assert_eq!(crit("A"), Some(1.0));
}

#[test]
fn synthetic_project_is_valid_and_forecasts_sensibly() {
    let p = synthetic_project(200, 30, 1);
    p.validate().expect("synthetic project is valid");
    let f = comparable(
        simulate(
            &p,
            period(SYNTHETIC_PERIOD),
            &SimConfig::new(10_000, 1).expect("config"),
        )
        .expect("runs"),
    );
    assert_all_finite(&f);
    assert_eq!((f.tornado.finish.len(), f.tornado.cost.len()), (10, 10));
    assert_eq!(f.finish_histogram.bins.len(), 30);
    assert_eq!(f.finish_histogram.bins.iter().map(|b| b.count).sum::<u32>(), 10_000);
    assert!(f.p80_standard_error_days > 0.0 && f.p80_standard_error_days < f.finish_days.p80 * 0.05);
    assert!(f.finish_dates.p10 <= f.finish_dates.p95);
}

/// A run whose requester went away stops with `Cancelled`: at once when the flag is already
/// set, and part-way through a long run when it is set from another thread; an unset flag
/// changes nothing about the result.
#[test]
fn a_cancelled_run_stops_and_an_uncancelled_one_is_unchanged() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    use engine::montecarlo::simulate_cancellable;
    use engine::EngineError;

    let p = synthetic_project(200, 30, 7);
    let at = period(SYNTHETIC_PERIOD);
    let small = SimConfig::new(10_000, 3).expect("config");
    let never = AtomicBool::new(false);
    let kept = simulate_cancellable(&p, at, &small, Execution::Sequential, &never).expect("runs");
    let plain = simulate_with(&p, at, &small, Execution::Sequential).expect("runs");
    assert_eq!(comparable(kept), comparable(plain));

    let already = AtomicBool::new(true);
    assert_eq!(
        simulate_cancellable(&p, at, &small, Execution::Sequential, &already).err(),
        Some(EngineError::Cancelled)
    );

    // A million iterations take far longer than the moment before the flag is set.
    let flag = Arc::new(AtomicBool::new(false));
    let setter = {
        let flag = Arc::clone(&flag);
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(20));
            flag.store(true, Ordering::Relaxed);
        })
    };
    let big = SimConfig::new(1_000_000, 3).expect("config");
    let outcome = simulate_cancellable(&p, at, &big, Execution::Parallel, &flag);
    setter.join().expect("setter");
    assert_eq!(outcome.err(), Some(EngineError::Cancelled));
}
