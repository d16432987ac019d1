//! The tornado ranks risks and work packages together, separately for the finish and the
//! cost, and the ranking is stable across seeds for drivers that are clearly apart.

use engine::montecarlo::{simulate, simulate_with, DriverKind, Execution, Forecast, SimConfig};
use engine::testkit::{period, project, risk, synthetic_project, wp, SYNTHETIC_PERIOD};
use engine::Project;

fn run(p: &Project, iterations: u64, seed: u64) -> Forecast {
    simulate(p, period("2025-01"), &SimConfig::new(iterations, seed).expect("config")).expect("runs")
}

/// A chain BIG → SMALL → TINY with a likely, large risk on SMALL; costs ordered the other
/// way round, so the two lists rank differently.
fn separated() -> Project {
    let mut p = project(vec![
        wp("BIG", &[], (10.0, 20.0, 60.0), (100.0, 110.0, 120.0)),
        wp("SMALL", &["BIG"], (3.0, 5.0, 12.0), (1_000.0, 2_000.0, 6_000.0)),
        wp("TINY", &["SMALL"], (1.0, 1.2, 1.5), (10.0, 11.0, 12.0)),
    ]);
    p.risks.push(risk(
        "RISK",
        0.5,
        (0.0, 300.0, 900.0),
        (20.0, 30.0, 50.0),
        &["SMALL", "TINY"],
    ));
    p
}

fn ids(drivers: &[engine::montecarlo::Driver]) -> Vec<&str> {
    drivers.iter().map(|d| d.id.as_str()).collect()
}

#[test]
fn clearly_separated_drivers_keep_their_order_across_seeds() {
    let p = separated();
    for seed in [1, 2, 3, 42, 1_000_003] {
        let f = run(&p, 10_000, seed);
        let t = &f.tornado;
        assert_eq!(ids(&t.finish[..3]), ["RISK", "BIG", "SMALL"], "seed {seed}");
        assert_eq!(ids(&t.cost[..2]), ["SMALL", "RISK"], "seed {seed}");
        assert_eq!(t.finish[0].kind, DriverKind::Risk);
        // The order is no accident of the seed: each gap is many standard errors wide.
        let se = t.standard_error;
        for pair in t.finish[..3].windows(2) {
            let gap = pair[0].finish_correlation.abs() - pair[1].finish_correlation.abs();
            assert!(gap > 7.0 * se, "seed {seed}: gap {gap} vs se {se}");
        }
    }
}

#[test]
fn the_dominant_risk_that_used_to_be_left_out_now_leads() {
    // The project of `tornado_and_criticality_find_the_driver`, plus a supplier risk on the
    // last package whose delay outweighs BIG's spread.
    let mut p = project(vec![
        wp("A", &[], (1.0, 2.0, 3.0), (1.0, 1.0, 1.0)),
        wp("BIG", &["A"], (10.0, 20.0, 60.0), (1.0, 5.0, 9.0)),
        wp("C", &["A"], (2.0, 3.0, 4.0), (1.0, 1.0, 1.0)),
        wp("D", &["BIG", "C"], (1.0, 1.5, 2.0), (1.0, 1.0, 1.0)),
    ]);
    p.risks
        .push(risk("R-SUP", 0.6, (50.0, 80.0, 200.0), (40.0, 60.0, 120.0), &["D"]));
    let f = run(&p, 10_000, 8);
    let lead = &f.tornado.finish[0];
    assert_eq!(
        (lead.kind, lead.id.as_str(), lead.name.as_str()),
        (DriverKind::Risk, "R-SUP", "Risk R-SUP")
    );
    assert!(lead.finish_correlation > 0.7, "{}", lead.finish_correlation);
    assert_eq!(f.tornado.finish[1].id, "BIG");
    assert_eq!(f.tornado.cost[0].id, "R-SUP");
}

#[test]
fn correlations_use_every_iteration_up_to_the_cap_with_their_standard_error() {
    let p = separated();
    let f = run(&p, 20_000, 5);
    assert_eq!(f.tornado.iterations, 20_000);
    assert!((f.tornado.standard_error - 1.0 / 19_999f64.sqrt()).abs() < 1e-12);
    let big = run(&p, 150_000, 5);
    assert_eq!(big.tornado.iterations, 100_000);
}

#[test]
fn equal_correlations_list_by_id() {
    // Nothing varies: every correlation is 0, so the order is by id alone.
    let mut p = project(vec![
        wp("Z", &[], (3.0, 3.0, 3.0), (1.0, 1.0, 1.0)),
        wp("M", &[], (3.0, 3.0, 3.0), (1.0, 1.0, 1.0)),
    ]);
    p.risks
        .push(risk("A-RISK", 1.0, (5.0, 5.0, 5.0), (1.0, 1.0, 1.0), &["Z"]));
    let f = run(&p, 1_000, 1);
    assert_eq!(ids(&f.tornado.finish), ["A-RISK", "M", "Z"]);
    assert_eq!(ids(&f.tornado.cost), ["A-RISK", "M", "Z"]);
}

#[test]
fn risk_correlations_do_not_depend_on_threads() {
    let p = synthetic_project(40, 12, 3);
    let cfg = SimConfig::new(60_000, 17).expect("config");
    let at = period(SYNTHETIC_PERIOD);
    let seq = simulate_with(&p, at, &cfg, Execution::Sequential).expect("runs");
    let par = simulate_with(&p, at, &cfg, Execution::Parallel).expect("runs");
    assert_eq!(seq.tornado, par.tornado);
    assert!(seq.tornado.finish.iter().any(|d| d.kind == DriverKind::Risk));
}

#[test]
fn the_section_gets_the_most_critical_without_a_copy_of_all() {
    let p = synthetic_project(60, 5, 4);
    let f = simulate(&p, period(SYNTHETIC_PERIOD), &SimConfig::new(2_000, 3).expect("config")).expect("runs");
    let remaining = p.work_packages.iter().filter(|w| !w.is_complete()).count();
    assert_eq!(
        f.criticality.len(),
        remaining,
        "all remaining work packages, for the export"
    );
    let top = f.top_criticality(5);
    assert_eq!(top, &f.criticality[..5]);
    assert!(top.windows(2).all(|w| w[0].index >= w[1].index));
    assert_eq!(f.top_criticality(10_000).len(), remaining);
    assert!(f.top_criticality(0).is_empty());
}

#[test]
fn a_tornado_of_size_zero_is_skipped_and_changes_nothing_else() {
    let p = separated();
    let with = run(&p, 5_000, 9);
    let mut config = SimConfig::new(5_000, 9).expect("config");
    config.tornado_size = 0;
    let without = simulate(&p, period("2025-01"), &config).expect("runs");
    assert!(!with.tornado.finish.is_empty());
    assert!(without.tornado.finish.is_empty() && without.tornado.cost.is_empty());
    assert_eq!(without.tornado.iterations, 0);
    assert_eq!((without.finish_days, without.cost), (with.finish_days, with.cost));
    assert_eq!(without.criticality, with.criticality);
}
