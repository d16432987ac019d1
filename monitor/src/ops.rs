//! Per-operation timing windows: each operation owns its own [`Ring`] of timings, its
//! `"{operation}_time"` metric series and its cached Prometheus histogram child.
//!
//! Statistics over the window are computed by `stats`; deciding when to record is `lib`'s.

use std::sync::Arc;

use prometheus::Histogram;

use crate::metrics::Series;
use crate::stats::OperationStats;
use crate::window::{Ring, Stamped};

/// One timing in an operation's window.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timing {
    pub(crate) ms: f64,
    pub(crate) at_ms: u64,
}

impl Stamped for Timing {
    fn at_ms(&self) -> u64 {
        self.at_ms
    }
}

/// Everything recorded for one operation name.
pub(crate) struct OpWindow {
    pub(crate) timings: Ring<Timing>,
    /// The `"{operation}_time"` series every timing is also sampled into.
    pub(crate) series: Arc<Series>,
    /// `None` only when Prometheus setup failed (see `prom`).
    pub(crate) histogram: Option<Histogram>,
}

impl OpWindow {
    pub(crate) fn new(capacity: usize, series: Arc<Series>, histogram: Option<Histogram>) -> Self {
        Self {
            timings: Ring::new(capacity),
            series,
            histogram,
        }
    }

    /// Stats over the current window; values are copied out so the lock is held only for
    /// the copy, not the sort.
    pub(crate) fn stats(&self) -> Option<OperationStats> {
        let values = self.timings.read(|items| items.iter().map(|t| t.ms).collect());
        OperationStats::from_values(values)
    }
}

/// The metric name a timing of `operation` is sampled (and threshold-checked) under.
pub(crate) fn metric_name(operation: &str) -> String {
    format!("{operation}_time")
}
