//! The read side of [`Monitor`]: stats, recent samples and alerts, recommendations, health,
//! the combined [`MonitorStats`] snapshot, and clearing old data.
//!
//! Every read copies what it needs out of a window and computes after releasing the lock, so
//! an admin request never stalls recording for longer than a copy.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::health::{self, Health};
use crate::recommendations::{self, Inputs, Recommendation};
use crate::stats::{self, OperationStats};
use crate::{Alert, MetricSample, Monitor};

/// How many alerts [`MonitorStats::recent_alerts`] carries.
pub const STATS_RECENT_ALERTS: usize = 10;

const MS_PER_HOUR: u64 = 3_600_000;

/// Everything at once, for the `/stats` endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonitorStats {
    pub uptime_seconds: u64,
    pub enabled: bool,
    /// Timings currently held, all operation windows together.
    pub total_timings: usize,
    /// Samples currently held in the metric window.
    pub total_metric_samples: usize,
    /// Every breach recorded since start, repeats included (SPEC §3); clearing old data does
    /// not lower it. Compare `alerts().len()`, the alerts (groups) held.
    pub total_alerts: u64,
    /// Alerts currently firing.
    pub firing_alerts: usize,
    pub operations: BTreeMap<String, OperationStats>,
    /// The first [`STATS_RECENT_ALERTS`] of [`Monitor::alerts`]: firing first, newest first.
    pub recent_alerts: Vec<Alert>,
    pub health: Health,
}

impl Monitor {
    /// Stats of `operation`'s window, or `None` if nothing is in it.
    pub fn operation_stats(&self, operation: &str) -> Option<OperationStats> {
        self.operations.get(operation)?.stats()
    }

    /// Stats of every operation with at least one timing in its window.
    pub fn all_operation_stats(&self) -> BTreeMap<String, OperationStats> {
        self.operations
            .snapshot()
            .into_iter()
            .filter_map(|(name, window)| Some((name, window.stats()?)))
            .collect()
    }

    /// Up to `limit` samples, newest first.
    pub fn recent_metrics(&self, limit: usize) -> Vec<MetricSample> {
        self.samples
            .read(|samples| samples.iter().rev().take(limit).map(|s| s.to_public()).collect())
    }

    /// Every alert held: firing ones first, then resolved ones, each part most recently
    /// breached first (by `last_seen_ms`). One alert stands for all the repeats of its metric
    /// and severity; see `alert_log` for the rules.
    pub fn alerts(&self) -> Vec<Alert> {
        self.alerts.listed(usize::MAX)
    }

    /// Advice from the rules in `recommendations`; empty when nothing is wrong.
    pub fn recommendations(&self) -> Vec<Recommendation> {
        let inputs = Inputs {
            report_generation: self.operation_stats("report_generation"),
            database_query: self.operation_stats("database_query"),
            websocket_latency_p95: stats::percentile(self.judged_values("websocket_message_latency"), 95),
            cache_hit_rate_mean: mean(&self.judged_values("cache_hit_rate")),
            // Alerts, not breaches: six repeats of one breach are one thing to review.
            alert_count: self.alerts.len(),
        };
        recommendations::recommend(&inputs, &self.config.thresholds)
    }

    /// Healthy, or degraded when too many of the recent alerts are firing criticals (see
    /// `health`).
    pub fn health(&self) -> Health {
        let recent = self.alerts.by_recency(health::HEALTH_RECENT_ALERTS);
        health::assess(recent.iter(), self.is_enabled())
    }

    /// One snapshot of everything, for the `/stats` endpoint.
    pub fn stats(&self) -> MonitorStats {
        let operations = self.all_operation_stats();
        MonitorStats {
            uptime_seconds: self.now_ms().saturating_sub(self.started_ms) / 1000,
            enabled: self.is_enabled(),
            total_timings: operations.values().map(|s| s.count).sum(),
            total_metric_samples: self.samples.len(),
            total_alerts: self.alerts.breaches(),
            firing_alerts: self.alerts.firing(),
            operations,
            recent_alerts: self.alerts.listed(STATS_RECENT_ALERTS),
            health: self.health(),
        }
    }

    /// Removes timings, samples and alerts recorded before now − `hours` (everything for
    /// `hours == 0`) and returns how many were removed; an alert goes when its last breach is
    /// that old. Prometheus series and `total_alerts` are cumulative by design and are not
    /// touched. Emptied operations stay known (with no stats): removing
    /// them could race a concurrent record and lose its timing.
    pub fn clear_older_than(&self, hours: u32) -> usize {
        let cutoff = match hours {
            0 => None,
            _ => Some(self.now_ms().saturating_sub(u64::from(hours) * MS_PER_HOUR)),
        };
        let timings: usize = self
            .operations
            .snapshot()
            .iter()
            .map(|(_, window)| window.timings.remove_older_than(cutoff))
            .sum();
        // Metric histories copy the samples, so they are cleared but not counted twice.
        for (_, series) in self.series.snapshot() {
            series.history.remove_older_than(cutoff);
        }
        timings + self.samples.remove_older_than(cutoff) + self.alerts.remove_older_than(cutoff)
    }

    /// The values of metric `name` currently in the sample window that its threshold may
    /// judge, oldest first: a rate over too few events is no more evidence for a
    /// recommendation than for an alert.
    fn judged_values(&self, name: &str) -> Vec<f64> {
        self.samples.read(|samples| {
            samples
                .iter()
                .filter(|s| s.series.name == name && s.judgeable())
                .map(|s| s.value)
                .collect()
        })
    }
}

fn mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    Some(values.iter().sum::<f64>() / values.len() as f64)
}
