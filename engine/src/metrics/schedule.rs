//! Earned schedule: the time at which planned value first reached today's earned value,
//! SPI(t), schedule variance in working days, and the finish it forecasts.

use chrono::NaiveDate;

use super::{ratio, EarnedSchedule};
use crate::calendar::{working_days_between, LAST_DATE};
use crate::model::{Period, Project, Snapshot};

/// Earned schedule over the cumulative PV curve: (start, 0), each month end's PV, then the
/// baseline finish at BAC. ES is where that curve first reaches today's EV, interpolated
/// linearly inside the segment (i.e. within the month). Actual time runs to the end of the
/// period — or, once EV has reached BAC, stops at the month it did: a finished project does
/// not fall further behind while it waits for its next report.
pub fn earned_schedule(project: &Project, period: Period, history: &[&Snapshot], ev: f64) -> EarnedSchedule {
    let start = project.start;
    let days = |d: NaiveDate| (d - start).num_days() as f64;
    let bac = project.bac.get();
    let completed = history
        .iter()
        .find(|s| bac > 0.0 && s.ev.get() >= bac)
        .map(|s| s.period.last_day());
    let at_date = completed.unwrap_or(period.last_day()).min(period.last_day());
    let at_days = days(at_date).max(0.0);
    let mut curve: Vec<(f64, f64)> = vec![(0.0, 0.0)];
    curve.extend(history.iter().map(|s| (days(s.period.last_day()), s.pv.get())));
    let planned = days(project.baseline_finish);
    if curve.last().is_some_and(|&(t, _)| t < planned) {
        curve.push((planned, project.bac.get()));
    }
    let es_days = if history.is_empty() {
        None
    } else {
        Some(reach_time(&curve, ev))
    };
    let spi_t = es_days.and_then(|es| ratio(es, at_days));
    let es_date = es_days.and_then(|es| days_after(start, es.floor()));
    let forecast_finish = spi_t
        .filter(|&s| s > 0.0)
        .and_then(|s| ratio(planned, s))
        .filter(|d| *d < 36_500.0)
        .and_then(|d| days_after(start, d.round()));
    EarnedSchedule {
        es_days,
        at_days,
        spi_t,
        es_date,
        sv_days: es_date.map(|d| working_days_between(at_date, d)),
        forecast_finish,
        baseline_finish: project.baseline_finish,
        slip_days: forecast_finish.map(|f| working_days_between(project.baseline_finish, f)),
    }
}

/// `start` + `days` calendar days, `None` past the calendar: a project that skipped
/// validation may start anywhere, and "not available" beats a panic.
fn days_after(start: NaiveDate, days: f64) -> Option<NaiveDate> {
    let d = chrono::Duration::try_days(days as i64)?;
    start.checked_add_signed(d).filter(|&date| date <= LAST_DATE)
}

/// The first time at which a piecewise-linear, cumulative curve reaches `value`; the last
/// point's time when it never does.
fn reach_time(curve: &[(f64, f64)], value: f64) -> f64 {
    if value <= 0.0 {
        return 0.0;
    }
    for pair in curve.windows(2) {
        let ((t0, v0), (t1, v1)) = (pair[0], pair[1]);
        if v1 >= value && v0 < value {
            let frac = ratio(value - v0, v1 - v0).unwrap_or(1.0);
            return t0 + frac * (t1 - t0);
        }
    }
    curve.last().map_or(0.0, |&(t, _)| t)
}

#[cfg(test)]
mod tests {
    use crate::metrics;
    use crate::testkit::{date, period, project, snapshot, wp};

    /// PV runs 100/300/600/1000 over four months from 2025-01-01 (BAC 1000, baseline
    /// finish 2025-04-30). EV reaches BAC at the end of March, a month early.
    fn finished_early() -> crate::Project {
        let mut p = project(vec![wp("a", &[], (5.0, 5.0, 5.0), (1.0, 1.0, 1.0))]);
        p.start = date(2025, 1, 1);
        p.baseline_finish = date(2025, 4, 30);
        p.bac = crate::Amount::new(1000.0).expect("amount");
        p.snapshots = vec![
            snapshot("2025-01", 100.0, 150.0, 150.0),
            snapshot("2025-02", 300.0, 500.0, 500.0),
            snapshot("2025-03", 600.0, 1000.0, 1000.0),
            snapshot("2025-04", 1000.0, 1000.0, 1000.0),
            snapshot("2025-05", 1000.0, 1000.0, 1000.0),
        ];
        p
    }

    #[test]
    fn a_finished_project_stops_its_clock() {
        let p = finished_early();
        let m = metrics::compute(&p, period("2025-05"), &Default::default()).expect("metrics");
        let s = m.schedule;
        // ES = the baseline (119 days: PV reaches BAC on 2025-04-30); AT stops at 2025-03-31
        // (89 days), where EV reached BAC — not the May report's 150 days.
        assert_eq!(s.es_days, Some(119.0));
        assert_eq!(s.at_days, 89.0);
        let spi_t = s.spi_t.expect("spi(t)");
        assert!((spi_t - 119.0 / 89.0).abs() < 1e-9, "{spi_t}");
        assert!(s.slip_days.is_some_and(|d| d < 0), "finished early, not late");
    }
}
