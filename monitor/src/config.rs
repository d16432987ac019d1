//! Monitor configuration: window sizes and the thresholds alerts are checked against.
//!
//! This module only describes *what* to watch; reading environment variables is the server's
//! job (it parses them and calls [`Thresholds::set`]), and checking values is `alerts`'.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Everything the monitor needs to know at construction time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonitorConfig {
    /// Whether recording starts switched on (admins can flip it later).
    pub enabled: bool,
    /// How many metric samples are kept, all metric names together; also how many values
    /// each metric recorded with `record_metric` / `record_rate` keeps for its time series.
    pub max_metric_samples: usize,
    /// How many timings are kept per operation.
    pub max_timings_per_operation: usize,
    /// How many alerts are kept.
    pub max_alerts: usize,
    /// Threshold per metric name; metrics without one never alert.
    pub thresholds: Thresholds,
}

impl Default for MonitorConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            max_metric_samples: 1000,
            max_timings_per_operation: 1000,
            max_alerts: 100,
            thresholds: Thresholds::default(),
        }
    }
}

/// The unit a metric is measured in; used in alert messages and samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// Milliseconds.
    Ms,
    /// Percent (0–100).
    Percent,
    /// Megabytes.
    Mb,
    /// A plain count (sessions, items).
    Count,
}

impl Unit {
    /// The symbol printed after a value in alert messages.
    pub fn symbol(self) -> &'static str {
        match self {
            Unit::Ms => "ms",
            Unit::Percent => "%",
            Unit::Mb => "MB",
            Unit::Count => "count",
        }
    }

    /// Best guess from a metric's name, for metrics that have no configured threshold.
    /// Names follow the `_time` / `_latency` / `_rate` / `_mb` suffix convention.
    pub fn for_metric(name: &str) -> Unit {
        if name.ends_with("_time") || name.ends_with("_latency") {
            Unit::Ms
        } else if name.ends_with("_rate") {
            Unit::Percent
        } else if name.ends_with("_mb") {
            Unit::Mb
        } else {
            Unit::Count
        }
    }
}

/// Which side of the threshold is bad.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Alert when the value is above the threshold (durations, sizes, counts).
    Above,
    /// Alert when the value is below the threshold (rates such as a cache hit rate). Such a
    /// metric is judged only when recorded with its event count
    /// ([`crate::Monitor::record_rate`]) and that count reaches [`crate::MIN_RATE_EVENTS`].
    Below,
}

impl Direction {
    /// Rates go bad downwards; everything else upwards.
    pub fn for_metric(name: &str) -> Direction {
        if name.ends_with("_rate") {
            Direction::Below
        } else {
            Direction::Above
        }
    }
}

/// One limit: the value, its unit and which side of it triggers an alert.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Threshold {
    pub value: f64,
    pub unit: Unit,
    pub direction: Direction,
}

impl Threshold {
    /// A threshold alerting above `value`.
    pub fn above(value: f64, unit: Unit) -> Self {
        Self {
            value,
            unit,
            direction: Direction::Above,
        }
    }

    /// A threshold alerting below `value` (for rates).
    pub fn below(value: f64, unit: Unit) -> Self {
        Self {
            value,
            unit,
            direction: Direction::Below,
        }
    }
}

/// Thresholds by metric name. A `BTreeMap` so iteration (and JSON) is in a stable order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Thresholds(BTreeMap<String, Threshold>);

impl Default for Thresholds {
    /// The SPEC §3 defaults.
    fn default() -> Self {
        let entries = [
            ("report_generation_time", Threshold::above(30_000.0, Unit::Ms)),
            ("ai_insight_generation_time", Threshold::above(10_000.0, Unit::Ms)),
            ("monte_carlo_analysis_time", Threshold::above(15_000.0, Unit::Ms)),
            ("websocket_message_latency", Threshold::above(100.0, Unit::Ms)),
            ("cache_hit_rate", Threshold::below(70.0, Unit::Percent)),
            ("database_query_time", Threshold::above(1_000.0, Unit::Ms)),
            ("api_response_time", Threshold::above(2_000.0, Unit::Ms)),
            ("memory_usage_mb", Threshold::above(512.0, Unit::Mb)),
            ("concurrent_sessions", Threshold::above(50.0, Unit::Count)),
        ];
        Self(entries.into_iter().map(|(name, t)| (name.to_owned(), t)).collect())
    }
}

impl Thresholds {
    /// No thresholds at all: nothing ever alerts.
    pub fn empty() -> Self {
        Self(BTreeMap::new())
    }

    /// Sets the limit for `name`. An existing threshold keeps its unit and direction (so the
    /// server can override values from env vars without restating them); a new one gets them
    /// from the name's suffix (see [`Unit::for_metric`], [`Direction::for_metric`]); use
    /// [`Thresholds::insert`] where the suffix would guess wrong (an error rate is bad *above*).
    pub fn set(&mut self, name: &str, value: f64) {
        match self.0.get_mut(name) {
            Some(existing) => existing.value = value,
            None => {
                let threshold = Threshold {
                    value,
                    unit: Unit::for_metric(name),
                    direction: Direction::for_metric(name),
                };
                self.0.insert(name.to_owned(), threshold);
            }
        }
    }

    /// Sets the full threshold for `name`, unit and direction included.
    pub fn insert(&mut self, name: &str, threshold: Threshold) {
        self.0.insert(name.to_owned(), threshold);
    }

    /// Removes the threshold for `name`, so it no longer alerts.
    pub fn remove(&mut self, name: &str) -> Option<Threshold> {
        self.0.remove(name)
    }

    pub fn get(&self, name: &str) -> Option<&Threshold> {
        self.0.get(name)
    }

    /// All thresholds, by name in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Threshold)> {
        self.0.iter().map(|(name, t)| (name.as_str(), t))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_spec() {
        let t = Thresholds::default();
        assert_eq!(t.len(), 9);
        assert_eq!(
            t.get("report_generation_time"),
            Some(&Threshold::above(30_000.0, Unit::Ms))
        );
        assert_eq!(t.get("cache_hit_rate"), Some(&Threshold::below(70.0, Unit::Percent)));
        assert_eq!(t.get("memory_usage_mb"), Some(&Threshold::above(512.0, Unit::Mb)));
        assert_eq!(t.get("concurrent_sessions"), Some(&Threshold::above(50.0, Unit::Count)));
    }

    #[test]
    fn set_keeps_unit_and_direction_of_an_existing_threshold() {
        let mut t = Thresholds::default();
        t.set("cache_hit_rate", 80.0);
        assert_eq!(t.get("cache_hit_rate"), Some(&Threshold::below(80.0, Unit::Percent)));
    }

    #[test]
    fn set_infers_unit_and_direction_for_a_new_name() {
        let mut t = Thresholds::empty();
        t.set("render_time", 5.0);
        t.set("success_rate", 99.0);
        t.set("queue_depth", 7.0);
        assert_eq!(t.get("render_time"), Some(&Threshold::above(5.0, Unit::Ms)));
        assert_eq!(t.get("success_rate"), Some(&Threshold::below(99.0, Unit::Percent)));
        assert_eq!(t.get("queue_depth"), Some(&Threshold::above(7.0, Unit::Count)));
        let names: Vec<&str> = t.iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["queue_depth", "render_time", "success_rate"]);
    }
}
