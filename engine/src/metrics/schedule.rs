//! Earned schedule: the time at which planned value first reached today's earned value,
//! SPI(t), schedule variance in working days, and the finish it forecasts.

use chrono::NaiveDate;

use super::{ratio, EarnedSchedule};
use crate::calendar::working_days_between;
use crate::model::{Period, Project, Snapshot};

/// Earned schedule over the cumulative PV curve: (start, 0), each month end's PV, then the
/// baseline finish at BAC. ES is where that curve first reaches today's EV, interpolated
/// linearly inside the segment (i.e. within the month).
pub fn earned_schedule(project: &Project, period: Period, history: &[&Snapshot], ev: f64) -> EarnedSchedule {
    let start = project.start;
    let days = |d: NaiveDate| (d - start).num_days() as f64;
    let at_date = period.last_day();
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
    let es_date = es_days.map(|es| start + chrono::Duration::days(es.floor() as i64));
    let forecast_finish = spi_t
        .filter(|&s| s > 0.0)
        .and_then(|s| ratio(planned, s))
        .filter(|d| *d < 36_500.0)
        .map(|d| start + chrono::Duration::days(d.round() as i64));
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
