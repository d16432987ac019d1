//! A risk is one event: its delay counts at most once along any path of the network and its
//! cost once per occurrence. Hand-worked chains, forks, branches and project-level risks,
//! with fixed durations so every finish is exact.

use engine::montecarlo::{simulate, Forecast, SimConfig};
use engine::testkit::{period, project, risk, wp};
use engine::{Project, Risk};

const FIXED_COST: (f64, f64, f64) = (10.0, 10.0, 10.0);

fn fixed(id: &str, preds: &[&str], days: f64) -> engine::WorkPackage {
    wp(id, preds, (days, days, days), FIXED_COST)
}

/// A risk that always occurs with a fixed delay and cost.
fn certain(id: &str, delay: f64, cost: f64, affects: &[&str]) -> Risk {
    risk(id, 1.0, (cost, cost, cost), (delay, delay, delay), affects)
}

fn run(p: &Project) -> Forecast {
    simulate(p, period("2025-01"), &SimConfig::new(1_000, 3).expect("config")).expect("runs")
}

/// Every iteration gives the same finish and cost: check P10 and P95 both.
fn assert_exact(f: &Forecast, finish: f64, cost: f64) {
    assert_eq!((f.finish_days.p10, f.finish_days.p95), (finish, finish), "finish");
    assert_eq!((f.cost.p10, f.cost.p95), (cost, cost), "cost");
}

fn crit(f: &Forecast, id: &str) -> f64 {
    f.criticality
        .iter()
        .find(|c| c.work_package_id == id)
        .map_or(-1.0, |c| c.index)
}

/// A → B → C, 5 + 3 + 2 days.
fn chain() -> Project {
    project(vec![
        fixed("A", &[], 5.0),
        fixed("B", &["A"], 3.0),
        fixed("C", &["B"], 2.0),
    ])
}

/// A → {B, C} → D, with B and C of the given lengths.
fn fork(b: f64, c: f64) -> Project {
    project(vec![
        fixed("A", &[], 2.0),
        fixed("B", &["A"], b),
        fixed("C", &["A"], c),
        fixed("D", &["B", "C"], 1.0),
    ])
}

#[test]
fn a_risk_on_every_package_of_a_chain_delays_it_once() {
    let mut p = chain();
    p.risks.push(certain("R", 4.0, 50.0, &["A", "B", "C"]));
    // 5 + 3 + 2 + 4 once (the old model added 4 at each package: 22); cost 3 × 10 + 50 once.
    assert_exact(&run(&p), 14.0, 80.0);
}

#[test]
fn a_risk_on_both_branches_of_a_fork_delays_each_branch_once() {
    let mut p = fork(3.0, 5.0);
    p.risks.push(certain("R", 4.0, 50.0, &["B", "C"]));
    // A + max(B, C) + delay + D = 2 + 5 + 4 + 1: the longer branch C is delayed too, not
    // only the first package the risk names.
    let f = run(&p);
    assert_exact(&f, 12.0, 90.0);
    assert_eq!((crit(&f, "C"), crit(&f, "B")), (1.0, 0.0));

    let mut everywhere = fork(3.0, 5.0);
    everywhere.risks.push(certain("R", 4.0, 50.0, &["A", "B", "C", "D"]));
    // Still once on every path: 2 + 5 + 1 + 4 (the old model: 2 + 4 + 5 + 4 + 1 + 4 = 20).
    assert_exact(&run(&everywhere), 12.0, 90.0);
}

#[test]
fn a_risk_on_a_branch_with_float_moves_the_finish_only_past_the_float() {
    // B is 10 days, C 3: C has 7 days of float.
    let mut small = fork(10.0, 3.0);
    small.risks.push(certain("R", 4.0, 0.0, &["C"]));
    let f = run(&small);
    assert_exact(&f, 13.0, 40.0);
    assert_eq!((crit(&f, "B"), crit(&f, "C")), (1.0, 0.0));

    let mut large = fork(10.0, 3.0);
    large.risks.push(certain("R", 9.0, 0.0, &["C"]));
    // C + 9 = 12 > 10: C becomes critical and the finish is 2 + 12 + 1.
    let f = run(&large);
    assert_exact(&f, 15.0, 40.0);
    assert_eq!((crit(&f, "B"), crit(&f, "C")), (0.0, 1.0));
}

#[test]
fn a_project_level_risk_delays_the_finish_once_and_costs_once() {
    let mut p = chain();
    p.risks.push(certain("P", 6.0, 70.0, &[]));
    p.risks.push(certain("R", 4.0, 50.0, &["B", "C"]));
    assert_exact(&run(&p), 10.0 + 4.0 + 6.0, 30.0 + 50.0 + 70.0);
}

#[test]
fn overlapping_risks_each_count_once_on_the_path() {
    let mut p = chain();
    p.risks.push(certain("R1", 4.0, 1.0, &["A", "B"]));
    p.risks.push(certain("R2", 3.0, 2.0, &["B", "C"]));
    assert_exact(&run(&p), 10.0 + 4.0 + 3.0, 30.0 + 3.0);
}

#[test]
fn a_likely_risk_on_a_chain_adds_its_probability_times_its_delay_on_average() {
    let mut p = chain();
    p.risks
        .push(risk("R", 0.5, (0.0, 0.0, 0.0), (8.0, 8.0, 8.0), &["A", "B", "C"]));
    let f = simulate(&p, period("2025-01"), &SimConfig::new(100_000, 9).expect("config")).expect("runs");
    // 10 + 0.5 × 8 = 14 (the old model: 10 + 0.5 × 24 = 22).
    assert!((f.mean_finish_days - 14.0).abs() < 0.05, "{}", f.mean_finish_days);
}

#[test]
fn a_thousand_occurring_risks_still_count_once_each() {
    // More occurring risks than one 64-bit word holds: the sets take 16 words.
    let mut p = fork(3.0, 5.0);
    for i in 0..1_000 {
        let affects: &[&str] = match i % 3 {
            0 => &["A", "B", "C", "D"],
            1 => &["B", "C"],
            _ => &["C", "D"],
        };
        p.risks.push(certain(&format!("R{i}"), 1.0, 1.0, affects));
    }
    // Every risk lies on the path A → C → D: 2 + 5 + 1 + 1,000.
    let f = run(&p);
    assert_exact(&f, 1_008.0, 40.0 + 1_000.0);
    assert_eq!(crit(&f, "C"), 1.0);
}

#[test]
fn sixty_five_risks_on_alternating_branches_stay_apart() {
    // Slot 64 lands in the second word of the sets; B and C each collect their own risks.
    let mut p = fork(3.0, 3.0);
    for i in 0..65 {
        let branch = if i % 2 == 0 { "B" } else { "C" };
        p.risks.push(certain(&format!("R{i}"), 1.0, 0.0, &[branch]));
    }
    // B gets 33 risks, C 32: the finish is 2 + 3 + 33 + 1.
    let f = run(&p);
    assert_exact(&f, 39.0, 40.0);
    assert_eq!(crit(&f, "B"), 1.0);
}
