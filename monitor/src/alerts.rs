//! Threshold checks: turning one value into an [`Alert`] (or not), severities, messages.
//!
//! Pure functions only. Keeping the alert log, counting alerts for Prometheus and judging
//! health from the log belong to `lib`, `prom` and `health`.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::config::{Direction, Threshold, Unit};
use crate::window::Stamped;

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

/// A value that crossed its threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub metric: String,
    pub value: f64,
    pub threshold: f64,
    pub unit: Unit,
    pub comparison: Comparison,
    pub severity: Severity,
    /// E.g. `"report_generation_time 45000.0 ms > threshold 30000.0 ms"`.
    pub message: String,
    /// When it was raised, unix milliseconds.
    pub at_ms: u64,
}

impl Stamped for Alert {
    fn at_ms(&self) -> u64 {
        self.at_ms
    }
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

/// Checks `value` against `threshold`, returning the alert to raise if it is breached.
pub fn check(metric: &str, value: f64, threshold: &Threshold, at_ms: u64) -> Option<Alert> {
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
    Some(Alert {
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
    fn comparison_serialises_as_its_symbol() -> Result<(), serde_json::Error> {
        assert_eq!(serde_json::to_string(&Comparison::Below)?, r#""<""#);
        assert_eq!(serde_json::to_string(&Severity::Critical)?, r#""critical""#);
        Ok(())
    }
}
