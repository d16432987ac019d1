//! Recommendation rules over the current statistics (SPEC §3). Each rule looks at one figure,
//! compares it to the matching threshold and either says nothing or returns advice.
//!
//! Gathering the figures from the windows is `query`'s job; this module is pure.

use serde::{Deserialize, Serialize};

use crate::alerts::{breach_ratio, format_value, Severity};
use crate::config::Thresholds;
use crate::stats::OperationStats;

/// Alerts held above which the alerts themselves are probably noise. Alerts, not breaches:
/// one metric stuck in breach is one alert however often it is sampled (SPEC §3).
pub const NOISY_ALERT_COUNT: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    Low,
    Medium,
    High,
    Critical,
}

impl From<Severity> for Priority {
    /// A figure as far off as a critical alert deserves critical priority.
    fn from(severity: Severity) -> Self {
        match severity {
            Severity::Low => Priority::Low,
            Severity::Medium => Priority::Medium,
            Severity::High => Priority::High,
            Severity::Critical => Priority::Critical,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recommendation {
    pub category: String,
    pub priority: Priority,
    /// What is wrong, with the figures.
    pub issue: String,
    pub recommendation: String,
    pub expected_improvement: String,
}

/// The figures the rules look at; `None` where nothing has been recorded.
#[derive(Debug, Default)]
pub(crate) struct Inputs {
    pub(crate) report_generation: Option<OperationStats>,
    pub(crate) database_query: Option<OperationStats>,
    /// p95 of the recent `websocket_message_latency` samples.
    pub(crate) websocket_latency_p95: Option<f64>,
    /// Mean of the recent `cache_hit_rate` samples.
    pub(crate) cache_hit_rate_mean: Option<f64>,
    /// Alerts held (each standing for all its repeats).
    pub(crate) alert_count: usize,
}

/// Every rule that fires, in a fixed order.
pub(crate) fn recommend(inputs: &Inputs, thresholds: &Thresholds) -> Vec<Recommendation> {
    let p95 = |stats: Option<OperationStats>| stats.map(|s| s.p95);
    [
        slow_report_generation(p95(inputs.report_generation), thresholds),
        slow_websocket(inputs.websocket_latency_p95, thresholds),
        slow_database(p95(inputs.database_query), thresholds),
        low_cache_hit_rate(inputs.cache_hit_rate_mean, thresholds),
        noisy_alerts(inputs.alert_count),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The figure's threshold breach, if any: (priority, "figure unit", "threshold unit").
fn breach(figure: Option<f64>, thresholds: &Thresholds, name: &str) -> Option<(Priority, String, String)> {
    let figure = figure?;
    let threshold = thresholds.get(name)?;
    let ratio = breach_ratio(figure, threshold)?;
    let unit = threshold.unit.symbol();
    Some((
        Severity::from_ratio(ratio).into(),
        format!("{} {unit}", format_value(figure)),
        format!("{} {unit}", format_value(threshold.value)),
    ))
}

fn slow_report_generation(p95: Option<f64>, thresholds: &Thresholds) -> Option<Recommendation> {
    let (priority, figure, limit) = breach(p95, thresholds, "report_generation_time")?;
    Some(Recommendation {
        category: "caching".into(),
        priority,
        issue: format!("report generation p95 is {figure}, over the {limit} threshold"),
        recommendation: "Cache AI insights and Monte Carlo results per report and period, \
                         and reuse them until the report's inputs change."
            .into(),
        expected_improvement: "Repeat generations skip the two slowest steps: \
                               typically 50-80% faster."
            .into(),
    })
}

fn slow_websocket(p95: Option<f64>, thresholds: &Thresholds) -> Option<Recommendation> {
    let (priority, figure, limit) = breach(p95, thresholds, "websocket_message_latency")?;
    Some(Recommendation {
        category: "websocket".into(),
        priority,
        issue: format!("WebSocket message latency p95 is {figure}, over the {limit} threshold"),
        recommendation: "Batch outgoing WebSocket messages (coalesce updates over a few ms) \
                         and send one frame per batch."
            .into(),
        expected_improvement: "Fewer frames and wake-ups: p95 latency back under the threshold.".into(),
    })
}

fn slow_database(p95: Option<f64>, thresholds: &Thresholds) -> Option<Recommendation> {
    let (priority, figure, limit) = breach(p95, thresholds, "database_query_time")?;
    Some(Recommendation {
        category: "database".into(),
        priority,
        issue: format!("database query p95 is {figure}, over the {limit} threshold"),
        recommendation: "Add indexes for the slow queries' filters and joins, \
                         and cache the results of frequent read-only queries."
            .into(),
        expected_improvement: "Indexed lookups instead of scans: often 10x faster queries.".into(),
    })
}

fn low_cache_hit_rate(mean: Option<f64>, thresholds: &Thresholds) -> Option<Recommendation> {
    let (priority, figure, limit) = breach(mean, thresholds, "cache_hit_rate")?;
    Some(Recommendation {
        category: "cache".into(),
        priority,
        issue: format!("cache hit rate averages {figure}, under the {limit} threshold"),
        recommendation: "Lengthen cache TTLs for data that changes rarely, \
                         and warm the cache for active reports at start-up."
            .into(),
        expected_improvement: "More requests served from cache: hit rate above the threshold \
                               and lower response times."
            .into(),
    })
}

fn noisy_alerts(alert_count: usize) -> Option<Recommendation> {
    if alert_count <= NOISY_ALERT_COUNT {
        return None;
    }
    // Many alerts is a smell of badly set thresholds rather than an outage in itself.
    let priority = if alert_count > 5 * NOISY_ALERT_COUNT {
        Priority::Medium
    } else {
        Priority::Low
    };
    Some(Recommendation {
        category: "monitoring".into(),
        priority,
        issue: format!("{alert_count} alerts in the window (more than {NOISY_ALERT_COUNT})"),
        recommendation: "Review alert thresholds: raise those that fire on normal load, \
                         and fix the causes of the ones that are real."
            .into(),
        expected_improvement: "Fewer, actionable alerts, so real problems are not missed.".into(),
    })
}
