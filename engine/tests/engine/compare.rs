//! Two forecasts, one explanation: earned schedule against the Monte Carlo P50, and the
//! performance-adjusted run beside the estimate-based one. Hand-worked on one fixed
//! 20-day work package reported at the end of January 2025 (a Friday), so the Monte Carlo
//! P50 is 20 working days later, 2025-02-28.

use engine::metrics::{compute, Metrics, RagThresholds};
use engine::montecarlo::{
    compare, explain, simulate, simulate_adjusted, Adjustment, Disagreement, Execution, Forecast, SimConfig,
};
use engine::testkit::{date, period, project, snapshot, wp};
use engine::Project;

fn fixed_project() -> Project {
    let mut p = project(vec![wp("A", &[], (20.0, 20.0, 20.0), (100.0, 100.0, 100.0))]);
    // CPI 400 / 500 = 0.80.
    p.snapshots = vec![snapshot("2025-01", 500.0, 400.0, 500.0)];
    p
}

fn forecast(p: &Project) -> Forecast {
    simulate(p, period("2025-01"), &SimConfig::new(1_000, 11).expect("config")).expect("runs")
}

/// The metrics with a hand-set earned-schedule finish and SPI(t) of 0.80.
fn metrics(p: &Project, es_finish: chrono::NaiveDate) -> Metrics {
    let mut m = compute(p, period("2025-01"), &RagThresholds::default()).expect("metrics");
    m.schedule.spi_t = Some(0.8);
    m.schedule.forecast_finish = Some(es_finish);
    m
}

#[test]
fn earned_schedule_later_is_explained_with_the_adjusted_run() {
    let p = fixed_project();
    let f = forecast(&p);
    assert_eq!(f.finish_dates.p50, date(2025, 2, 28));
    let m = metrics(&p, date(2025, 3, 31));
    let c = compare(&p, period("2025-01"), &m, &f, Execution::Sequential)
        .expect("runs")
        .expect("21 working days apart");
    assert_eq!((c.gap_days, c.disagreement), (21, Disagreement::EarnedScheduleLater));
    let a = c.adjusted.as_ref().expect("adjusted run");
    // 20 days ÷ 0.80 = 25 working days after 2025-01-31; cost AC 500 + 100 ÷ 0.80.
    assert_eq!((a.finish_p50, a.finish_p80), (date(2025, 3, 7), date(2025, 3, 7)));
    assert_eq!((a.cost_p50, a.cost_p80), (625.0, 625.0));
    assert_eq!((a.adjustment.duration_factor, a.adjustment.cost_factor), (1.25, 1.25));
    assert_eq!(a.iterations, 1_000);
    assert_eq!(
        c.explanation,
        "Earned schedule forecasts the finish on 2025-03-31, 21 working days later than the Monte Carlo P50 of 2025-02-28: \
         the estimates of the remaining work assume a faster pace than the project has achieved so far. \
         The Monte Carlo rests on those estimates; earned schedule extrapolates the performance to date (SPI(t) 0.80). \
         At the performance to date (remaining durations ÷ SPI(t) 0.80, remaining costs ÷ CPI 0.80), the Monte Carlo gives \
         a P50 finish of 2025-03-07 and a P80 of 2025-03-07 (100% chance of meeting the baseline), and a P50 cost of \
         EUR 625 and a P80 of EUR 625 (100% chance of staying within budget)."
    );
}

#[test]
fn earned_schedule_earlier_is_explained_the_other_way() {
    let p = fixed_project();
    let f = forecast(&p);
    let c = explain(&metrics(&p, date(2025, 2, 7)), &f, None).expect("15 working days apart");
    assert_eq!((c.gap_days, c.disagreement), (-15, Disagreement::EarnedScheduleEarlier));
    assert!(c.adjusted.is_none());
    assert_eq!(
        c.explanation,
        "Earned schedule forecasts the finish on 2025-02-07, 15 working days earlier than the Monte Carlo P50 of 2025-02-28: \
         the estimates of the remaining work assume a slower pace than the project has achieved so far. \
         The Monte Carlo rests on those estimates; earned schedule extrapolates the performance to date (SPI(t) 0.80)."
    );
    // An estimate-based forecast passed as the adjusted one is no adjusted run.
    let again = explain(&metrics(&p, date(2025, 2, 7)), &f, Some(&f)).expect("explained");
    assert!(again.adjusted.is_none());
}

#[test]
fn within_ten_working_days_there_is_nothing_to_explain() {
    let p = fixed_project();
    let f = forecast(&p);
    // 2025-03-14 is exactly 10 working days after the P50; 2025-02-14 10 before.
    for es in [date(2025, 3, 14), date(2025, 2, 14), date(2025, 2, 28)] {
        assert!(explain(&metrics(&p, es), &f, None).is_none(), "{es}");
        let c = compare(&p, period("2025-01"), &metrics(&p, es), &f, Execution::Sequential).expect("runs");
        assert!(c.is_none(), "{es}");
    }
    assert!(explain(&metrics(&p, date(2025, 3, 17)), &f, None).is_some_and(|c| c.gap_days == 11));
    // No earned-schedule finish (no snapshot yet): nothing to compare.
    let mut none = metrics(&p, date(2025, 6, 2));
    none.schedule.forecast_finish = None;
    assert!(explain(&none, &f, None).is_none());
}

#[test]
fn adjustments_come_from_performance_and_refuse_nonsense() {
    let p = fixed_project();
    let mut m = metrics(&p, date(2025, 3, 31));
    m.schedule.spi_t = Some(0.05);
    m.evm.cpi = None;
    let a = Adjustment::from_metrics(&m).expect("an SPI(t)");
    assert_eq!(
        (a.duration_factor, a.cost_factor),
        (10.0, 1.0),
        "capped; costs as estimated"
    );
    m.schedule.spi_t = None;
    assert!(Adjustment::from_metrics(&m).is_none());
    let cfg = SimConfig::new(1_000, 1).expect("config");
    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let adj = Adjustment {
            duration_factor: bad,
            cost_factor: 1.0,
        };
        let err = simulate_adjusted(&p, period("2025-01"), &cfg, adj, Execution::Sequential).expect_err("refused");
        assert_eq!(err.fields()[0].field, "adjustment.duration_factor");
    }
    let adj = Adjustment {
        duration_factor: 2.0,
        cost_factor: 3.0,
    };
    let f = simulate_adjusted(&p, period("2025-01"), &cfg, adj, Execution::Sequential).expect("runs");
    assert_eq!(
        (f.finish_days.p50, f.cost.p50, f.adjustment),
        (40.0, 500.0 + 300.0, Some(adj))
    );
}
