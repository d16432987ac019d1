//! What a simulation returns: the [`Forecast`] and its parts, as the server caches them
//! and the UI shows them. Computation lives in the sibling modules; this file only holds
//! the shapes and the cheap accessors the readers need.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::compare::Adjustment;
use crate::model::{Distribution, Period};

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

/// What a tornado bar stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DriverKind {
    WorkPackage,
    Risk,
}

/// One tornado bar: a work package or a risk with the Spearman rank correlation of its
/// sampled input with the finish and with the total cost. A work package's inputs are its
/// sampled duration and cost; a risk's its sampled delay and cost impact, 0 in iterations
/// where it does not occur.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Driver {
    pub kind: DriverKind,
    /// The work package's or the risk's id.
    pub id: String,
    /// The work package's name or the risk's title.
    pub name: String,
    pub finish_correlation: f64,
    pub cost_correlation: f64,
}

/// The drivers of the finish and of the cost, risks and work packages together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tornado {
    /// Strongest |finish correlation| first; ties by id.
    pub finish: Vec<Driver>,
    /// Strongest |cost correlation| first; ties by id.
    pub cost: Vec<Driver>,
    /// Iterations the correlations were computed on: all of them, up to 100,000.
    pub iterations: u32,
    /// Standard error of one correlation, 1/√(iterations − 1). Drivers whose correlations
    /// differ by less than three of these are statistically indistinguishable.
    pub standard_error: f64,
}

impl Tornado {
    /// No drivers (a run that did not compute them).
    pub fn empty() -> Self {
        Self {
            finish: Vec::new(),
            cost: Vec::new(),
            iterations: 0,
            standard_error: 0.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Criticality {
    pub work_package_id: String,
    pub name: String,
    /// Share of iterations in which the work package lay on the critical path.
    pub index: f64,
}

/// Where the forecast's cost to date comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostSource {
    /// The AC of the latest snapshot at or before the report period (the authority).
    SnapshotAc,
    /// No snapshot yet: the work packages' booked actuals.
    WorkPackageActuals,
    /// Not recorded: a forecast stored before the cost base was part of it (reports
    /// approved then). The engine never produces this.
    Unrecorded,
}

/// The forecast's cost to date and how it reconciles with the work packages' actuals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reconciliation {
    pub source: CostSource,
    /// What every iteration's total cost starts from.
    pub cost_to_date: f64,
    /// The snapshot whose AC was used.
    pub snapshot_period: Option<Period>,
    pub snapshot_ac: Option<f64>,
    /// Σ over work packages: complete → `actual_cost`, else most-likely cost; in progress
    /// → `actual_cost`, else `percent_complete` × most-likely cost.
    pub work_package_actuals: f64,
    /// `snapshot_ac − work_package_actuals`; `None` without a snapshot.
    pub difference: Option<f64>,
    /// Whether the difference is worth a reader's attention: more than 0.5 % of AC (any
    /// difference when AC is 0).
    pub material: bool,
    /// The data-quality note the report shows: set when the difference is material or
    /// when there is no snapshot to start from.
    pub note: Option<String>,
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
    /// Set when this is a performance-adjusted run (remaining durations and costs scaled).
    pub adjustment: Option<Adjustment>,
    pub finish_days: Percentiles,
    pub finish_dates: DatePercentiles,
    pub mean_finish_days: f64,
    pub cost: Percentiles,
    pub mean_cost: f64,
    /// The cost to date the costs start from, and its reconciliation.
    pub reconciliation: Reconciliation,
    pub p_finish_by_baseline: f64,
    pub p_cost_within_bac: f64,
    pub finish_histogram: Histogram,
    pub cost_histogram: Histogram,
    pub tornado: Tornado,
    /// Every remaining work package, most critical first (ties in network order). The
    /// section shows [`Forecast::top_criticality`]; the export has them all.
    pub criticality: Vec<Criticality>,
    /// Standard error of the P80 finish in working days (order-statistic estimate).
    pub p80_standard_error_days: f64,
    /// Wall time of the simulation; the only field that is not reproducible.
    pub elapsed_ms: f64,
}

impl Forecast {
    /// The `n` most critical work packages (fewer when fewer remain), without copying.
    pub fn top_criticality(&self, n: usize) -> &[Criticality] {
        &self.criticality[..n.min(self.criticality.len())]
    }
}
