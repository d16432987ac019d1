//! Monte Carlo forecast of finish date and cost (SPEC §1.5).
//!
//! Remaining work only: completed work packages are fixed at actuals, in-progress ones keep
//! `1 − percent_complete` of their sampled duration and cost; open risks occur with their
//! probability and add sampled cost and delay to the work packages they affect; each
//! iteration runs a forward pass over the network and the finish is counted in working days
//! from the period's last day.
//!
//! Layout: `network` compiles the project once (topological order, flat predecessor
//! arrays, samplers), `sample` owns the fast three-point sampling, `run` the iteration
//! kernel and its chunking over threads, `stats` the percentiles, histograms and
//! correlations, `drivers` the tornado and the criticality index. This file checks the
//! inputs and assembles the [`Forecast`].
//!
//! Determinism: the same project, period and config give the same forecast (except
//! `elapsed_ms`), whatever the number of threads — see `run`.

mod drivers;
mod network;
mod run;
mod sample;
mod stats;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::{checked_add_working_days, working_days_between, LAST_DATE};
use crate::error::EngineError;
use crate::finite::ensure_finite;
use crate::model::{Distribution, Period, Project};

use network::Network;
pub use run::Execution;

pub const MIN_ITERATIONS: u64 = 1_000;
pub const MAX_ITERATIONS: u64 = 1_000_000;
pub const DEFAULT_ITERATIONS: u32 = 10_000;

/// Inputs of one simulation besides the project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimConfig {
    pub iterations: u32,
    pub seed: u64,
    /// Histogram bins for finish and cost.
    pub bins: usize,
    /// How many drivers the tornado keeps.
    pub tornado_size: usize,
}

impl SimConfig {
    /// Checks the iteration range (a clear refusal, never a clamp).
    pub fn new(iterations: u64, seed: u64) -> Result<Self, EngineError> {
        if !(MIN_ITERATIONS..=MAX_ITERATIONS).contains(&iterations) {
            return Err(EngineError::Iterations(iterations));
        }
        Ok(Self {
            iterations: iterations as u32,
            seed,
            bins: 30,
            tornado_size: 10,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Percentiles {
    pub p10: f64,
    pub p50: f64,
    pub p80: f64,
    pub p90: f64,
    pub p95: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DatePercentiles {
    pub p10: NaiveDate,
    pub p50: NaiveDate,
    pub p80: NaiveDate,
    pub p90: NaiveDate,
    pub p95: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bin {
    pub start: f64,
    pub end: f64,
    pub count: u32,
}

/// Histogram bins plus the cumulative curve (x, P(X ≤ x)) at each bin's end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    pub bins: Vec<Bin>,
    pub cumulative: Vec<(f64, f64)>,
}

/// One tornado bar: Spearman rank correlation of a work package's sampled duration with the
/// finish, and of its sampled cost with the total cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Driver {
    pub work_package_id: String,
    pub name: String,
    pub finish_correlation: f64,
    pub cost_correlation: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Criticality {
    pub work_package_id: String,
    pub name: String,
    /// Share of iterations in which the work package lay on the critical path.
    pub index: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    pub iterations: u32,
    pub seed: u64,
    pub distribution: Distribution,
    /// Finish is counted in working days from this date (the period's last day).
    pub as_of: NaiveDate,
    pub period: Period,
    pub baseline_finish: NaiveDate,
    /// Working days from `as_of` to the baseline finish (negative when already past).
    pub baseline_days: i64,
    pub bac: f64,
    pub finish_days: Percentiles,
    pub finish_dates: DatePercentiles,
    pub mean_finish_days: f64,
    pub cost: Percentiles,
    pub mean_cost: f64,
    pub p_finish_by_baseline: f64,
    pub p_cost_within_bac: f64,
    pub finish_histogram: Histogram,
    pub cost_histogram: Histogram,
    /// Sorted by |finish correlation|, strongest first.
    pub tornado: Vec<Driver>,
    /// Remaining work packages, most critical first.
    pub criticality: Vec<Criticality>,
    /// Standard error of the P80 finish in working days (order-statistic / density estimate).
    pub p80_standard_error_days: f64,
    /// Wall time of the simulation; the only field that is not reproducible.
    pub elapsed_ms: f64,
}

/// Runs the simulation. Deterministic for the same project, period and config.
///
/// Refuses an iteration count outside 1,000–1,000,000 (the fields of [`SimConfig`] are
/// public, so the range is checked here too), a period before the project start, a
/// project that breaks a rule of [`Project::validate`], a finish past
/// [`LAST_DATE`] ([`EngineError::OutOfRange`]) and any figure that is not finite
/// ([`EngineError::NonFinite`]). Runs on the calling thread up to 50,000
/// iterations and on rayon's pool above.
pub fn simulate(project: &Project, period: Period, config: &SimConfig) -> Result<Forecast, EngineError> {
    simulate_with(project, period, config, Execution::Auto)
}

/// [`simulate`] with an explicit choice of threads; the output is the same for each.
pub fn simulate_with(
    project: &Project,
    period: Period,
    config: &SimConfig,
    execution: Execution,
) -> Result<Forecast, EngineError> {
    let started = std::time::Instant::now();
    let iterations = u64::from(config.iterations);
    if !(MIN_ITERATIONS..=MAX_ITERATIONS).contains(&iterations) {
        return Err(EngineError::Iterations(iterations));
    }
    if period < project.start_period() {
        return Err(EngineError::PeriodBeforeStart {
            period: period.to_string(),
            start: project.start_period().to_string(),
        });
    }
    // The whole network must be sound, not only its remaining part: a cycle among finished
    // work is still data nobody should forecast from.
    project.validate()?;
    let net = Network::compile(project)?;
    let mut samples = run::run(&net, config.iterations as usize, config.seed, execution);
    let as_of = period.last_day();
    let baseline_days = working_days_between(as_of, project.baseline_finish);
    let bac = project.bac.get();
    let tornado = drivers::tornado(project, &net, &samples, config.seed, config.tornado_size);
    let criticality = drivers::criticality(project, &net, &samples.critical, config.iterations);
    let finish_histogram = stats::histogram(&samples.finish, config.bins);
    let cost_histogram = stats::histogram(&samples.cost, config.bins);
    let mean_finish_days = stats::mean(&samples.finish);
    let mean_cost = stats::mean(&samples.cost);
    // Integer baseline: a fractional finish f lands on or before the baseline date exactly
    // when f ≤ baseline_days (dates round fractions up).
    let p_finish_by_baseline = stats::share_at_most(&samples.finish, baseline_days as f64);
    let p_cost_within_bac = stats::share_at_most(&samples.cost, bac);
    // Selection reorders the samples, so it runs after everything that reads them in order.
    let (finish_days, p80_standard_error_days) = stats::percentiles(&mut samples.finish);
    let (cost, _) = stats::percentiles(&mut samples.cost);
    // Valid estimates can still chain past the calendar; that is a refusal, not a panic.
    let date = |d: f64| {
        checked_add_working_days(as_of, d).ok_or_else(|| EngineError::OutOfRange {
            field: "forecast".to_owned(),
            rule: format!("finish would fall after {LAST_DATE}; estimates are too large"),
        })
    };
    let forecast = Forecast {
        iterations: config.iterations,
        seed: config.seed,
        distribution: project.estimate,
        as_of,
        period,
        baseline_finish: project.baseline_finish,
        baseline_days,
        bac,
        finish_days,
        finish_dates: DatePercentiles {
            p10: date(finish_days.p10)?,
            p50: date(finish_days.p50)?,
            p80: date(finish_days.p80)?,
            p90: date(finish_days.p90)?,
            p95: date(finish_days.p95)?,
        },
        mean_finish_days,
        cost,
        mean_cost,
        p_finish_by_baseline,
        p_cost_within_bac,
        finish_histogram,
        cost_histogram,
        tornado,
        criticality,
        p80_standard_error_days,
        elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
    };
    ensure_finite(&forecast).map_err(|e| EngineError::NonFinite(e.within("forecast")))?;
    Ok(forecast)
}
