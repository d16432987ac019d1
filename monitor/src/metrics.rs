//! Metric samples: what one recorded value looks like, in the shared sample window and as
//! returned to callers, plus the per-name [`Series`]: facts resolved once (unit, threshold)
//! and the metric's own history for charts.
//!
//! Timings per operation are `ops`' business; this module is the all-metrics-together window.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::alert_log::FiringHint;
use crate::alerts;
use crate::config::{Threshold, Thresholds, Unit};
use crate::window::{Ring, Stamped};

/// One recorded value, as returned by [`crate::Monitor::recent_metrics`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricSample {
    pub name: String,
    pub value: f64,
    pub unit: Unit,
    /// For a rate, how many events it was computed over; absent for plain values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<u64>,
    /// When it was recorded, unix milliseconds.
    pub at_ms: u64,
}

/// Everything about a metric name that does not change per sample. Interned so the hot path
/// does one map lookup and no allocation, and the threshold is not looked up again.
#[derive(Debug)]
pub(crate) struct Series {
    pub(crate) name: String,
    pub(crate) unit: Unit,
    pub(crate) threshold: Option<Threshold>,
    /// Whether this metric may have a firing alert (see `alert_log`).
    pub(crate) firing: FiringHint,
    /// The last values recorded with `record_metric` / `record_rate`, for time series. Kept
    /// apart from the shared window, where per-request timing samples would push a value
    /// sampled every 10 s out within seconds. Timings are not copied here: their operation
    /// window already holds them.
    pub(crate) history: Ring<Point>,
}

/// One value in a metric's history.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Point {
    pub(crate) value: f64,
    pub(crate) at_ms: u64,
}

impl Stamped for Point {
    fn at_ms(&self) -> u64 {
        self.at_ms
    }
}

impl Series {
    /// `history` is how many values the metric's own history keeps.
    pub(crate) fn new(name: &str, thresholds: &Thresholds, history: usize) -> Self {
        let threshold = thresholds.get(name).copied();
        let unit = threshold.map_or_else(|| Unit::for_metric(name), |t| t.unit);
        Self {
            name: name.to_owned(),
            unit,
            threshold,
            firing: FiringHint::default(),
            history: Ring::new(history),
        }
    }
}

/// A sample as held in the window: the series is shared, not copied.
#[derive(Debug, Clone)]
pub(crate) struct Sample {
    pub(crate) series: Arc<Series>,
    pub(crate) value: f64,
    pub(crate) events: Option<u64>,
    pub(crate) at_ms: u64,
}

impl Stamped for Sample {
    fn at_ms(&self) -> u64 {
        self.at_ms
    }
}

impl Sample {
    /// Whether this sample counts as evidence against its threshold (see
    /// [`crate::alerts::judgeable`]); samples of unthresholded metrics always do.
    pub(crate) fn judgeable(&self) -> bool {
        self.series
            .threshold
            .as_ref()
            .is_none_or(|t| alerts::judgeable(t, self.events))
    }

    pub(crate) fn to_public(&self) -> MetricSample {
        MetricSample {
            name: self.series.name.clone(),
            value: self.value,
            unit: self.series.unit,
            events: self.events,
            at_ms: self.at_ms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_takes_unit_from_threshold_then_from_name() {
        let thresholds = Thresholds::default();
        let hit_rate = Series::new("cache_hit_rate", &thresholds, 10);
        assert_eq!(hit_rate.unit, Unit::Percent);
        assert!(hit_rate.threshold.is_some());
        let other = Series::new("export_time", &thresholds, 10);
        assert_eq!((other.unit, other.threshold), (Unit::Ms, None));
    }
}
