//! Threshold checks: turning one value into a breach (or not), severities, messages, and the
//! [`Alert`] a run of breaches is grouped into.
//!
//! Pure functions and types only. Grouping breaches and keeping the alerts is `alert_log`'s
//! job; counting them for Prometheus and judging health belong to `prom` and `health`.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::config::{Direction, Threshold, Unit};

/// A rate is judged only when it rests on at least this many events (SPEC §3): a hit rate of
/// 0 % over the three reads after a cache clear says nothing about the cache.
pub const MIN_RATE_EVENTS: u64 = 20;

/// How far off a value is. Ordered: `Low < Medium < High < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// Every severity, lowest first (used to pre-create the Prometheus counters).
    pub const ALL: [Severity; 4] = [Severity::Low, Severity::Medium, Severity::High, Severity::Critical];

    /// SPEC §3: r ≥ 2 critical, ≥ 1.5 high, ≥ 1.2 medium, else low. `r` is how many times
    /// worse than the threshold the value is (so always > 1 for a breach); infinity is critical.
    pub fn from_ratio(r: f64) -> Severity {
        if r >= 2.0 {
            Severity::Critical
        } else if r >= 1.5 {
            Severity::High
        } else if r >= 1.2 {
            Severity::Medium
        } else {
            Severity::Low
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The comparison that failed, serialised as the symbol itself (`">"` / `"<"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Comparison {
    #[serde(rename = ">")]
    Above,
    #[serde(rename = "<")]
    Below,
}

impl Comparison {
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::Above => ">",
            Comparison::Below => "<",
        }
    }
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

/// Whether an alert is still going on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum AlertState {
    /// The metric has not come back inside its threshold since the alert was raised.
    Firing,
    /// A judged value of the metric came back inside the threshold at `resolved_at_ms`.
    Resolved { resolved_at_ms: u64 },
}

/// One alert: every breach of `metric` at `severity` while the metric stays in breach
/// (SPEC §3), so six identical breaches in a row are one alert with `count` 6. Serialised
/// flat: `"state": "firing"`, or `"state": "resolved"` with `"resolved_at_ms"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// Unique within a monitor, increasing: a stable key for lists and dashboards.
    pub id: u64,
    pub metric: String,
    pub severity: Severity,
    #[serde(flatten)]
    pub state: AlertState,
    /// How many breaches this alert stands for (≥ 1).
    pub count: u64,
    /// The first and the latest breach, unix milliseconds.
    pub first_seen_ms: u64,
    pub last_seen_ms: u64,
    /// The latest value in breach.
    pub value: f64,
    pub threshold: f64,
    pub unit: Unit,
    pub comparison: Comparison,
    /// Of the latest breach, e.g. `"report_generation_time 45000.0 ms > threshold 30000.0 ms"`.
    pub message: String,
}

impl Alert {
    /// A new firing alert for its first breach.
    pub(crate) fn open(id: u64, breach: Breach) -> Self {
        Self {
            id,
            metric: breach.metric,
            severity: breach.severity,
            state: AlertState::Firing,
            count: 1,
            first_seen_ms: breach.at_ms,
            last_seen_ms: breach.at_ms,
            value: breach.value,
            threshold: breach.threshold,
            unit: breach.unit,
            comparison: breach.comparison,
            message: breach.message,
        }
    }

    /// Folds a further breach of the same metric and severity into this alert.
    pub(crate) fn repeat(&mut self, breach: Breach) {
        self.count += 1;
        self.last_seen_ms = breach.at_ms;
        self.value = breach.value;
        self.threshold = breach.threshold;
        self.message = breach.message;
    }

    pub fn is_firing(&self) -> bool {
        self.state == AlertState::Firing
    }

    /// When the metric came back inside its threshold, if it has.
    pub fn resolved_at_ms(&self) -> Option<u64> {
        match self.state {
            AlertState::Firing => None,
            AlertState::Resolved { resolved_at_ms } => Some(resolved_at_ms),
        }
    }

    /// Whether `breach` belongs to this alert rather than starting a new one.
    pub(crate) fn groups(&self, breach: &Breach) -> bool {
        self.is_firing() && self.severity == breach.severity && self.metric == breach.metric
    }
}

/// One value over (or under) its threshold, before it is grouped into an [`Alert`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Breach {
    pub(crate) metric: String,
    pub(crate) value: f64,
    pub(crate) threshold: f64,
    pub(crate) unit: Unit,
    pub(crate) comparison: Comparison,
    pub(crate) severity: Severity,
    pub(crate) message: String,
    pub(crate) at_ms: u64,
}

/// How many times worse than `threshold` the value is, or `None` when it is not a breach.
/// Equal to the threshold is not a breach.
pub fn breach_ratio(value: f64, threshold: &Threshold) -> Option<f64> {
    let limit = threshold.value;
    match threshold.direction {
        Direction::Above if value > limit => Some(value / limit),
        // A rate of zero (or less) is as bad as it gets; dividing would give inf or a negative.
        Direction::Below if value < limit && value <= 0.0 => Some(f64::INFINITY),
        Direction::Below if value < limit => Some(limit / value),
        _ => None,
    }
}

/// Whether a value may be checked against `threshold` at all. `events` is how many events a
/// rate was computed over (`None` for a plain value). A below-threshold metric is a rate, so a
/// value without a count is never judged: the monitor cannot tell a real drop from three
/// unlucky reads. A rate recorded against an above-threshold (an error rate) needs the same
/// minimum sample.
pub fn judgeable(threshold: &Threshold, events: Option<u64>) -> bool {
    match threshold.direction {
        Direction::Above => events.is_none_or(|n| n >= MIN_RATE_EVENTS),
        Direction::Below => events.is_some_and(|n| n >= MIN_RATE_EVENTS),
    }
}

/// Checks `value` against `threshold`, returning the breach if it is one.
pub(crate) fn check(metric: &str, value: f64, threshold: &Threshold, at_ms: u64) -> Option<Breach> {
    let ratio = breach_ratio(value, threshold)?;
    let comparison = match threshold.direction {
        Direction::Above => Comparison::Above,
        Direction::Below => Comparison::Below,
    };
    let unit = threshold.unit.symbol();
    let message = format!(
        "{metric} {} {unit} {comparison} threshold {} {unit}",
        format_value(value),
        format_value(threshold.value),
    );
    Some(Breach {
        metric: metric.to_owned(),
        value,
        threshold: threshold.value,
        unit: threshold.unit,
        comparison,
        severity: Severity::from_ratio(ratio),
        message,
        at_ms,
    })
}

/// Two decimals, trailing zeros trimmed but at least one kept: `45000.0`, `69.95`, `0.25`.
/// A fixed `{:.1}` would print 69.95 % as "70.0 % < threshold 70.0 %", which reads as a bug.
pub fn format_value(value: f64) -> String {
    let mut s = format!("{value:.2}");
    if s.contains('.') {
        while s.ends_with('0') && !s.ends_with(".0") {
            s.pop();
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_boundaries_are_inclusive() {
        assert_eq!(Severity::from_ratio(1.000_001), Severity::Low);
        assert_eq!(Severity::from_ratio(1.199_999), Severity::Low);
        assert_eq!(Severity::from_ratio(1.2), Severity::Medium);
        assert_eq!(Severity::from_ratio(1.499_999), Severity::Medium);
        assert_eq!(Severity::from_ratio(1.5), Severity::High);
        assert_eq!(Severity::from_ratio(1.999_999), Severity::High);
        assert_eq!(Severity::from_ratio(2.0), Severity::Critical);
        assert_eq!(Severity::from_ratio(f64::INFINITY), Severity::Critical);
    }

    #[test]
    fn equal_is_not_a_breach_in_either_direction() {
        assert_eq!(breach_ratio(100.0, &Threshold::above(100.0, Unit::Ms)), None);
        assert_eq!(breach_ratio(70.0, &Threshold::below(70.0, Unit::Percent)), None);
        assert_eq!(breach_ratio(99.0, &Threshold::above(100.0, Unit::Ms)), None);
        assert_eq!(breach_ratio(71.0, &Threshold::below(70.0, Unit::Percent)), None);
    }

    #[test]
    fn rates_need_a_minimum_sample_plain_values_do_not() {
        let rate = Threshold::below(70.0, Unit::Percent);
        assert!(!judgeable(&rate, None), "a rate without a count is never judged");
        assert!(!judgeable(&rate, Some(MIN_RATE_EVENTS - 1)));
        assert!(judgeable(&rate, Some(MIN_RATE_EVENTS)));
        let time = Threshold::above(100.0, Unit::Ms);
        assert!(judgeable(&time, None));
        assert!(
            !judgeable(&time, Some(3)),
            "an error rate over 3 requests is not judged either"
        );
        assert!(judgeable(&time, Some(MIN_RATE_EVENTS)));
    }

    #[test]
    fn zero_rate_is_critical() {
        let alert = check("cache_hit_rate", 0.0, &Threshold::below(70.0, Unit::Percent), 1);
        assert_eq!(alert.map(|a| a.severity), Some(Severity::Critical));
    }

    #[test]
    fn formats_values_readably() {
        assert_eq!(format_value(45_000.0), "45000.0");
        assert_eq!(format_value(69.95), "69.95");
        assert_eq!(format_value(0.25), "0.25");
        assert_eq!(format_value(12.5), "12.5");
        assert_eq!(format_value(f64::INFINITY), "inf");
    }

    #[test]
    fn repeats_update_count_last_seen_and_latest_value() {
        let threshold = Threshold::above(100.0, Unit::Ms);
        let first = check("x_time", 130.0, &threshold, 10);
        let again = check("x_time", 140.0, &threshold, 20);
        let (Some(first), Some(again)) = (first, again) else {
            panic!("both are breaches");
        };
        let mut alert = Alert::open(1, first);
        assert!(alert.groups(&again));
        alert.repeat(again);
        assert_eq!((alert.count, alert.first_seen_ms, alert.last_seen_ms), (2, 10, 20));
        assert_eq!(alert.message, "x_time 140.0 ms > threshold 100.0 ms");
        let worse = check("x_time", 250.0, &threshold, 30);
        assert!(
            worse.is_some_and(|b| !alert.groups(&b)),
            "another severity, another alert"
        );
    }

    #[test]
    fn state_is_flattened_into_the_alert() -> Result<(), serde_json::Error> {
        let breach = check("x_time", 130.0, &Threshold::above(100.0, Unit::Ms), 10);
        let Some(mut alert) = breach.map(|b| Alert::open(7, b)) else {
            panic!("a breach");
        };
        let json = serde_json::to_value(&alert)?;
        assert_eq!(json["state"], "firing");
        assert!(json.get("resolved_at_ms").is_none());
        alert.state = AlertState::Resolved { resolved_at_ms: 99 };
        let json = serde_json::to_value(&alert)?;
        assert_eq!(
            (&json["state"], &json["resolved_at_ms"]),
            (&"resolved".into(), &99.into())
        );
        assert_eq!(serde_json::from_value::<Alert>(json)?, alert);
        Ok(())
    }

    #[test]
    fn comparison_serialises_as_its_symbol() -> Result<(), serde_json::Error> {
        assert_eq!(serde_json::to_string(&Comparison::Below)?, r#""<""#);
        assert_eq!(serde_json::to_string(&Severity::Critical)?, r#""critical""#);
        Ok(())
    }
}
