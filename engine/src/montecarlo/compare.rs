//! Two forecasts, one explanation (SPEC §1.5): when the earned-schedule finish and the
//! Monte Carlo P50 disagree by more than [`DISAGREEMENT_DAYS`] working days, the report
//! says which way and why, and shows a performance-adjusted Monte Carlo beside the
//! estimate-based one.
//!
//! - The two answer different questions: the Monte Carlo rests on the estimates of the
//!   remaining work (and the open risks); earned schedule extrapolates the performance to
//!   date (planned duration ÷ SPI(t), see `metrics::schedule`). The gap is counted in
//!   working days from the P50 date to the earned-schedule date.
//! - The adjusted run divides every remaining duration by SPI(t) and every remaining cost
//!   by CPI ([`Adjustment`]): the network, risks and seed are the same, so the two runs use
//!   the same random numbers and differ only by the adjustment. To stay cheap it runs at
//!   most [`ADJUSTED_ITERATIONS`] iterations and skips the tornado: about 40 % of a
//!   default run. Its P50 and P80 carry √2 times the sampling error of a default run (about
//!   half a working day on the 200-package synthetic project), whatever the estimate-based
//!   run had — ample for figures shown beside the estimates'. Factors are capped at
//!   [`MAX_FACTOR`]: an SPI(t) or CPI under 0.1 says the plan no longer describes the work,
//!   and scaling by it would only forecast decades.
//! - [`explain`] is pure (metrics, forecast, adjusted forecast → text); [`compare`] runs
//!   the adjusted simulation only when the two disagree, then explains.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{run_forecast, Drivers, Execution, Forecast, SimConfig};
use crate::calendar::working_days_between;
use crate::error::{EngineError, ValidationErrors};
use crate::format;
use crate::metrics::Metrics;
use crate::model::{Period, Project};

/// The forecasts disagree when they are more than this many working days apart.
pub const DISAGREEMENT_DAYS: i64 = 10;
/// Iterations of the adjusted run at most (the estimate-based run's count when lower).
pub const ADJUSTED_ITERATIONS: u32 = 5_000;
/// The largest factor an adjustment applies (SPI(t) or CPI of 0.1).
pub const MAX_FACTOR: f64 = 10.0;

/// Scales the remaining work of a simulation: durations × `duration_factor`, costs ×
/// `cost_factor`. Risks are events, not pace, and keep their impacts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Adjustment {
    pub duration_factor: f64,
    pub cost_factor: f64,
}

impl Adjustment {
    /// Performance to date: 1 / SPI(t) and 1 / CPI, each capped at [`MAX_FACTOR`]. `None`
    /// without an SPI(t); costs stay as estimated (factor 1) without a CPI.
    pub fn from_metrics(m: &Metrics) -> Option<Self> {
        let factor = |index: f64| (1.0 / index).min(MAX_FACTOR);
        let spi_t = m.schedule.spi_t.filter(|s| s.is_finite() && *s > 0.0)?;
        let cpi = m.evm.cpi.filter(|c| c.is_finite() && *c > 0.0);
        Some(Self {
            duration_factor: factor(spi_t),
            cost_factor: cpi.map_or(1.0, factor),
        })
    }

    /// Both factors finite and positive.
    pub(crate) fn check(self) -> Result<(), EngineError> {
        for (field, v) in [
            ("adjustment.duration_factor", self.duration_factor),
            ("adjustment.cost_factor", self.cost_factor),
        ] {
            if !(v.is_finite() && v > 0.0) {
                let rule = format!("must be a finite number above 0 (got {v})");
                return Err(EngineError::Invalid(ValidationErrors::single(field, rule)));
            }
        }
        Ok(())
    }
}

/// Which way earned schedule leans against the Monte Carlo P50.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Disagreement {
    EarnedScheduleLater,
    EarnedScheduleEarlier,
}

/// The performance-adjusted run, as the report shows it beside the estimate-based one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdjustedForecast {
    pub adjustment: Adjustment,
    pub iterations: u32,
    pub finish_p50: NaiveDate,
    pub finish_p80: NaiveDate,
    pub cost_p50: f64,
    pub cost_p80: f64,
    pub p_finish_by_baseline: f64,
    pub p_cost_within_bac: f64,
}

impl AdjustedForecast {
    /// The figures of an adjusted forecast; `None` for an estimate-based one.
    pub fn of(f: &Forecast) -> Option<Self> {
        Some(Self {
            adjustment: f.adjustment?,
            iterations: f.iterations,
            finish_p50: f.finish_dates.p50,
            finish_p80: f.finish_dates.p80,
            cost_p50: f.cost.p50,
            cost_p80: f.cost.p80,
            p_finish_by_baseline: f.p_finish_by_baseline,
            p_cost_within_bac: f.p_cost_within_bac,
        })
    }
}

/// Earned schedule against the Monte Carlo, when they disagree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForecastComparison {
    pub earned_schedule_finish: NaiveDate,
    pub spi_t: f64,
    pub cpi: Option<f64>,
    pub monte_carlo_p50: NaiveDate,
    /// Working days from the Monte Carlo P50 to the earned-schedule finish (+: earned
    /// schedule is later).
    pub gap_days: i64,
    pub disagreement: Disagreement,
    pub adjusted: Option<AdjustedForecast>,
    /// Which way, why, and the adjusted figures, in deterministic sentences.
    pub explanation: String,
}

/// Working days from the P50 to the earned-schedule finish, and SPI(t); `None` when
/// earned schedule forecasts no finish.
fn gap(metrics: &Metrics, forecast: &Forecast) -> Option<(NaiveDate, f64, i64)> {
    let es = metrics.schedule.forecast_finish?;
    let spi_t = metrics.schedule.spi_t?;
    Some((es, spi_t, working_days_between(forecast.finish_dates.p50, es)))
}

/// The comparison of `forecast` (estimate-based) with earned schedule, or `None` when
/// earned schedule has no finish or the two are within [`DISAGREEMENT_DAYS`]. `adjusted`
/// is the performance-adjusted run, if one was made (an estimate-based forecast passed
/// there is ignored).
pub fn explain(metrics: &Metrics, forecast: &Forecast, adjusted: Option<&Forecast>) -> Option<ForecastComparison> {
    let (es, spi_t, gap_days) = gap(metrics, forecast)?;
    if gap_days.abs() <= DISAGREEMENT_DAYS {
        return None;
    }
    let p50 = forecast.finish_dates.p50;
    let (disagreement, side, assumption) = if gap_days > 0 {
        (Disagreement::EarnedScheduleLater, "later", "a faster pace")
    } else {
        (Disagreement::EarnedScheduleEarlier, "earlier", "a slower pace")
    };
    let mut explanation = format!(
        "Earned schedule forecasts the finish on {es}, {} working days {side} than the Monte Carlo P50 of {p50}: the estimates of the remaining work assume {assumption} than the project has achieved so far. The Monte Carlo rests on those estimates; earned schedule extrapolates the performance to date (SPI(t) {}).",
        gap_days.abs(),
        format::ratio(Some(spi_t)),
    );
    let adjusted = adjusted.and_then(AdjustedForecast::of);
    if let Some(a) = &adjusted {
        explanation.push(' ');
        explanation.push_str(&adjusted_sentence(a, metrics));
    }
    Some(ForecastComparison {
        earned_schedule_finish: es,
        spi_t,
        cpi: metrics.evm.cpi,
        monte_carlo_p50: p50,
        gap_days,
        disagreement,
        adjusted,
        explanation,
    })
}

fn adjusted_sentence(a: &AdjustedForecast, m: &Metrics) -> String {
    let money = |v: f64| format::money(v, &m.currency);
    let capped = |f: f64| if f >= MAX_FACTOR { " (capped)" } else { "" };
    let costs = match m.evm.cpi {
        Some(cpi) => format!(
            "remaining costs ÷ CPI {}{}",
            format::ratio(Some(cpi)),
            capped(a.adjustment.cost_factor)
        ),
        None => "remaining costs as estimated, CPI not being available".to_owned(),
    };
    format!(
        "At the performance to date (remaining durations ÷ SPI(t) {}{}, {costs}), the Monte Carlo gives a P50 finish of {} and a P80 of {} ({} chance of meeting the baseline), and a P50 cost of {} and a P80 of {} ({} chance of staying within budget).",
        format::ratio(m.schedule.spi_t),
        capped(a.adjustment.duration_factor),
        a.finish_p50,
        a.finish_p80,
        format::chance(a.p_finish_by_baseline),
        money(a.cost_p50),
        money(a.cost_p80),
        format::chance(a.p_cost_within_bac),
    )
}

/// [`explain`], running the performance-adjusted simulation first when the forecasts
/// disagree (same seed, at most [`ADJUSTED_ITERATIONS`] iterations, no tornado).
/// `metrics` are those of `period`; `forecast` is the estimate-based run for it.
pub fn compare(
    project: &Project,
    period: Period,
    metrics: &Metrics,
    forecast: &Forecast,
    execution: Execution,
) -> Result<Option<ForecastComparison>, EngineError> {
    let disagree = gap(metrics, forecast).is_some_and(|(_, _, g)| g.abs() > DISAGREEMENT_DAYS);
    if !disagree {
        return Ok(None);
    }
    let adjusted = match Adjustment::from_metrics(metrics) {
        Some(adjustment) => {
            let iterations = forecast.iterations.min(ADJUSTED_ITERATIONS);
            let config = SimConfig::new(u64::from(iterations), forecast.seed)?;
            adjustment.check()?;
            let adjusted = run_forecast(
                project,
                period,
                &config,
                Some(adjustment),
                execution,
                Drivers::Skip,
                None,
            )?;
            Some(adjusted)
        }
        None => None,
    };
    Ok(explain(metrics, forecast, adjusted.as_ref()))
}
