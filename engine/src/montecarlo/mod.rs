//! Monte Carlo forecast of finish date and cost (SPEC §1.5).
//!
//! **Model.** Remaining work only: completed work packages leave the network, in-progress
//! ones keep `1 − percent_complete` of their sampled duration and cost. Each iteration
//! samples every remaining duration and cost (triangular or PERT), draws which open risks
//! occur and their impacts, runs a forward pass over the network (a node starts when its
//! last predecessor finishes) and counts the finish in working days from the period's
//! last day. An occurring risk is one event: its delay counts at most once along any path
//! (`paths` has the rule and how exact it is), a risk without targets delays the finish
//! itself, and its cost is added once. The total cost is the cost to date — the AC of the
//! latest snapshot at or before the period, reconciled against the work packages'
//! actuals (`cost_base`) — plus the remaining work's sampled cost plus occurring risks'
//! costs.
//!
//! Layout: `network` compiles the project once (topological order, flat predecessor
//! arrays, samplers), `sample` owns the fast three-point sampling, `run` the iteration
//! kernel and its chunking over threads, `lanes` the random streams, `block` the same
//! kernel over 16 iterations at a time (its path sets in `path_set`), `paths` the risk sets of the forward pass,
//! `stats` the percentiles, histograms and correlations, `drivers` the tornado and the
//! criticality index, `cost_base` the cost to date, `compare` the performance-adjusted
//! run and its comparison with earned schedule, `output` the returned shapes. This file
//! checks the inputs and assembles the [`Forecast`].
//!
//! Determinism: the same project, period, config and adjustment give the same forecast
//! (except `elapsed_ms`), whatever the number of threads — see `run`.

mod block;
mod compare;
mod cost_base;
mod drivers;
mod lanes;
mod network;
mod output;
mod path_set;
mod paths;
mod run;
mod sample;
mod stats;

use serde::{Deserialize, Serialize};
use std::sync::atomic::AtomicBool;

use crate::calendar::{checked_add_working_days, working_days_between, LAST_DATE};
use crate::error::EngineError;
use crate::finite::ensure_finite;
use crate::model::{Period, Project};

pub use compare::{
    compare, explain, AdjustedForecast, Adjustment, Disagreement, ForecastComparison, ADJUSTED_ITERATIONS,
    DISAGREEMENT_DAYS, MAX_FACTOR,
};
pub use cost_base::MATERIAL_SHARE;
use network::Network;
pub use output::{
    Bin, CostSource, Criticality, DatePercentiles, Driver, DriverKind, Forecast, Histogram, Percentiles,
    Reconciliation, Tornado,
};
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
    /// How many drivers each tornado list keeps; 0 skips the tornado (a sixth of a run).
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
    run_forecast(project, period, config, None, execution, Drivers::Compute, None)
}

/// [`simulate_with`] that stops early, with [`EngineError::Cancelled`], once `cancel` is set
/// (checked before every chunk of 4,096 iterations): for the server, whose requester may
/// hang up in the middle of a million-iteration run.
pub fn simulate_cancellable(
    project: &Project,
    period: Period,
    config: &SimConfig,
    execution: Execution,
    cancel: &AtomicBool,
) -> Result<Forecast, EngineError> {
    run_forecast(project, period, config, None, execution, Drivers::Compute, Some(cancel))
}

/// The performance-adjusted forecast: [`simulate_with`] with every remaining duration
/// multiplied by `adjustment.duration_factor` and every remaining cost by
/// `adjustment.cost_factor` (risks unchanged). Refuses factors that are not finite and
/// positive.
pub fn simulate_adjusted(
    project: &Project,
    period: Period,
    config: &SimConfig,
    adjustment: Adjustment,
    execution: Execution,
) -> Result<Forecast, EngineError> {
    adjustment.check()?;
    run_forecast(
        project,
        period,
        config,
        Some(adjustment),
        execution,
        Drivers::Compute,
        None,
    )
}

/// Whether a run computes its tornado: the adjusted run of [`compare`] is read for its
/// percentiles only, and the tornado is a sixth of a run's time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Drivers {
    Compute,
    Skip,
}

fn run_forecast(
    project: &Project,
    period: Period,
    config: &SimConfig,
    adjustment: Option<Adjustment>,
    execution: Execution,
    drivers: Drivers,
    cancel: Option<&AtomicBool>,
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
    let net = Network::compile(project, adjustment)?;
    let reconciliation = cost_base::reconcile(project, period, net.work_package_actuals);
    let mut samples = run::run(
        &net,
        config.iterations as usize,
        config.seed,
        reconciliation.cost_to_date,
        execution,
        run::Kernel::for_network(&net),
        cancel,
    )
    .ok_or(EngineError::Cancelled)?;
    let as_of = period.last_day();
    let baseline_days = working_days_between(as_of, project.baseline_finish);
    let bac = project.bac.get();
    let tornado = match drivers {
        Drivers::Compute if config.tornado_size > 0 => {
            drivers::tornado(project, &net, &samples, config.seed, config.tornado_size)
        }
        Drivers::Compute | Drivers::Skip => Tornado::empty(),
    };
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
        adjustment,
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
        reconciliation,
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
