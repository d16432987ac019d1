//! Cost at completion starts from the snapshot's AC; the work packages' actuals are
//! reconciled against it, and a material difference is reported with its amount.

use engine::montecarlo::{simulate, CostSource, Forecast, SimConfig};
use engine::testkit::{period, progressed, project, snapshot, wp};
use engine::Project;

/// A (complete, 250 booked) → B (half done, 80 booked, 100 to go in total): the work
/// packages' actuals are 330 and the remaining cost is 50 in every iteration.
fn half_done() -> Project {
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
    project(vec![done, half])
}

fn run(p: &Project, at: &str) -> Forecast {
    simulate(p, period(at), &SimConfig::new(1_000, 4).expect("config")).expect("runs")
}

#[test]
fn the_cost_starts_from_the_snapshot_ac() {
    let mut p = half_done();
    p.snapshots = vec![
        snapshot("2025-01", 300.0, 280.0, 350.0),
        snapshot("2025-02", 400.0, 380.0, 400.0),
    ];
    let f = run(&p, "2025-02");
    // AC 400 + half of B's 100 to go (the old base, the actuals 330, gave 380).
    assert_eq!((f.cost.p10, f.cost.p95), (450.0, 450.0));
    let r = &f.reconciliation;
    assert_eq!(r.source, CostSource::SnapshotAc);
    assert_eq!(
        (r.cost_to_date, r.snapshot_ac, r.work_package_actuals),
        (400.0, Some(400.0), 330.0)
    );
    assert_eq!(r.snapshot_period, Some(period("2025-02")));
    assert_eq!(r.difference, Some(70.0));
    assert!(r.material);
    let note = r.note.as_deref().expect("a material difference is reported");
    assert_eq!(
        note,
        "The work packages' booked actuals (EUR 330) are EUR 70.00 (17.5% of AC) below the actual cost of 2025-02 (EUR 400); the forecast starts from the actual cost."
    );
}

#[test]
fn the_latest_snapshot_at_or_before_the_period_is_the_authority() {
    let mut p = half_done();
    p.snapshots = vec![
        snapshot("2025-01", 300.0, 280.0, 331.0),
        snapshot("2025-03", 500.0, 480.0, 900.0),
    ];
    let f = run(&p, "2025-02");
    let r = &f.reconciliation;
    assert_eq!(r.snapshot_period, Some(period("2025-01")));
    assert_eq!(f.cost.p50, 331.0 + 50.0);
    // 1 of 331 is 0.3 %: within the 0.5 % tolerance, so no note.
    assert_eq!(r.difference, Some(1.0));
    assert!(!r.material && r.note.is_none());
}

#[test]
fn without_a_snapshot_the_actuals_are_the_base_and_the_note_says_so() {
    let f = run(&half_done(), "2025-01");
    let r = &f.reconciliation;
    assert_eq!(r.source, CostSource::WorkPackageActuals);
    assert_eq!(f.cost.p50, 330.0 + 50.0);
    assert_eq!((r.snapshot_ac, r.difference, r.material), (None, None, false));
    assert!(r
        .note
        .as_deref()
        .is_some_and(|n| n.starts_with("No snapshot has been recorded up to 2025-01")));
}

#[test]
fn booked_actuals_against_a_zero_ac_are_material() {
    let mut p = half_done();
    p.snapshots = vec![snapshot("2025-01", 0.0, 0.0, 0.0)];
    let r = run(&p, "2025-01").reconciliation;
    assert_eq!((r.cost_to_date, r.difference, r.material), (0.0, Some(-330.0), true));
    assert!(r.note.is_some_and(|n| n.contains("above the actual cost")));
}
