//! The performance side of the services: the dashboard's view of the monitor and the
//! cache, the performance API's readings, health, the admin switches, and the samplers
//! that feed the monitor.

use app::policy::Principal;
use std::time::Duration;

use app::components::chart::{Line, TimeSeries};
use app::services::{AlertRow, OperationRow, PerformanceView, RecommendationRow};
use monitor::{Alert, Health, HealthStatus, MetricSample, Monitor, MonitorStats, Recommendation};
use serde::Serialize;

use super::PmrServices;
use crate::cache::CacheStats;
use crate::error::{Error, Result};

/// Each part's health at one moment.
#[derive(Debug, Clone)]
pub struct HealthReport {
    pub monitor: Health,
    pub cache: CacheStats,
    pub store_ok: bool,
}

impl HealthReport {
    /// Degraded when the store is unreachable, the cache is degraded or the monitor is.
    pub fn degraded(&self) -> bool {
        !self.store_ok || self.cache.status != "ok" || self.monitor.status != HealthStatus::Healthy
    }
}

/// The oldest monitor data one can ask to keep: a year.
pub const MAX_CLEAR_HOURS: u32 = 8760;

/// What the dashboard's charts cover, and their bucket widths: fine for the response time,
/// a minute for the per-operation sparklines and the slower metrics.
const WINDOW: Duration = Duration::from_secs(15 * 60);
const FINE_BUCKET: Duration = Duration::from_secs(30);
const MINUTE: Duration = Duration::from_secs(60);

fn text<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

impl PmrServices {
    pub(super) async fn performance_view(&self) -> Result<PerformanceView> {
        let m = self.monitor();
        let stats = m.stats();
        let cache = self.cache().stats().await;
        let store_ok = self.store().ping().await.is_ok();
        Ok(PerformanceView {
            enabled: stats.enabled,
            uptime_seconds: self.started().elapsed().as_secs(),
            operations: stats
                .operations
                .iter()
                .map(|(op, s)| OperationRow {
                    operation: op.clone(),
                    count: s.count,
                    p50: s.median,
                    p95: s.p95,
                    p99: s.p99,
                    mean: s.mean,
                    max: s.max,
                    trend: operation_trend(m, op),
                })
                .collect(),
            response: response_series(m),
            cache_rate: metric_series(m, "cache_hit_rate", "hit rate", MINUTE),
            sessions: metric_series(m, "concurrent_sessions", "sessions", FINE_BUCKET),
            alerts: m
                .alerts()
                .into_iter()
                .take(20)
                .map(|a| AlertRow {
                    severity: text(&a.severity),
                    count: a.count,
                    firing: a.is_firing(),
                    first_seen_ms: a.first_seen_ms,
                    last_seen_ms: a.last_seen_ms,
                    message: a.message,
                })
                .collect(),
            recommendations: m
                .recommendations()
                .into_iter()
                .map(|r| RecommendationRow {
                    category: r.category,
                    priority: text(&r.priority),
                    issue: r.issue,
                    recommendation: r.recommendation,
                    expected_improvement: r.expected_improvement,
                })
                .collect(),
            cache_backend: text(&cache.backend),
            cache_hit_rate: cache.hit_rate,
            cache_hits: cache.hits,
            cache_misses: cache.misses,
            health: vec![
                ("monitor".into(), text(&stats.health.status)),
                ("cache".into(), cache.status.into()),
                ("websocket".into(), "ok".into()),
                ("store".into(), if store_ok { "ok" } else { "unreachable" }.into()),
            ],
        })
    }

    pub fn switch_monitoring(&self, by: &Principal, enabled: bool) {
        self.monitor().set_enabled(enabled);
        tracing::info!(by = %by.name, enabled, "monitoring switched");
    }

    pub fn clear_monitoring(&self, by: &Principal, hours: u32) -> Result<usize> {
        if hours > MAX_CLEAR_HOURS {
            return Err(Error::invalid(
                "hours",
                format!("must be a whole number from 0 to {MAX_CLEAR_HOURS} (got {hours})"),
            ));
        }
        let removed = self.monitor().clear_older_than(hours);
        tracing::info!(by = %by.name, hours, removed, "monitor data cleared");
        Ok(removed)
    }

    /// Everything the monitor knows (its uptime is the server's, see [`Self::uptime_seconds`]).
    pub fn monitor_stats(&self) -> MonitorStats {
        self.monitor().stats()
    }

    /// Seconds since the server started.
    pub fn uptime_seconds(&self) -> u64 {
        self.started().elapsed().as_secs()
    }

    /// Up to `limit` samples, newest first.
    pub fn recent_metrics(&self, limit: usize) -> Vec<MetricSample> {
        self.monitor().recent_metrics(limit)
    }

    /// Every alert held, firing first.
    pub fn alerts(&self) -> Vec<Alert> {
        self.monitor().alerts()
    }

    pub fn recommendations(&self) -> Vec<Recommendation> {
        self.monitor().recommendations()
    }

    pub async fn cache_stats(&self) -> CacheStats {
        self.cache().stats().await
    }

    pub async fn clear_cache(&self, by: &Principal) {
        self.cache().clear_all().await;
        tracing::info!(by = %by.name, "cache cleared");
    }

    /// Health of each part: monitor, cache, store.
    pub async fn health(&self) -> HealthReport {
        HealthReport {
            monitor: self.monitor().health(),
            cache: self.cache().stats().await,
            store_ok: self.store().ping().await.is_ok(),
        }
    }

    /// Readiness: the store answers (a degraded cache is still ready).
    pub async fn ready(&self) -> Result<crate::cache::Backend> {
        self.store().ping().await?;
        Ok(self.cache().backend())
    }

    /// Prometheus text of the monitor's registry.
    pub fn prometheus_text(&self) -> String {
        self.monitor().prometheus_text()
    }

    /// One round of samples for the monitor: the cache hit rate over the last minute (with
    /// the number of reads it rests on) and the process's resident memory.
    pub fn sample(&self) {
        if let Some((rate, reads)) = self.cache().recent_reads() {
            self.monitor().record_rate("cache_hit_rate", rate, reads);
        }
        if let Some(mb) = resident_mb() {
            self.monitor().record_metric("memory_usage_mb", mb);
        }
    }

    /// Background work that lives as long as the server: retrying a down Redis.
    pub fn spawn_background(&self, stop: tokio::sync::watch::Receiver<bool>) {
        self.cache().spawn_reconnect_loop(stop);
    }
}

/// p50 and p95 of every HTTP response over the window, with `api_response_time`'s threshold.
fn response_series(m: &Monitor) -> TimeSeries {
    let points = m
        .timing_series(monitor::API_RESPONSE_OPERATION, WINDOW, FINE_BUCKET)
        .unwrap_or_default();
    let threshold = m.config().thresholds.get("api_response_time");
    TimeSeries {
        start_ms: points.first().map_or(0, |p| p.at_ms),
        bucket_ms: FINE_BUCKET.as_millis() as u64,
        lines: vec![
            Line {
                label: "p50".into(),
                points: points.iter().map(|p| p.p50).collect(),
            },
            Line {
                label: "p95".into(),
                points: points.iter().map(|p| p.p95).collect(),
            },
        ],
        threshold: threshold.map(|t| t.value),
        unit: "ms".into(),
    }
}

/// An operation's p95 per minute over the window.
fn operation_trend(m: &Monitor, operation: &str) -> Vec<Option<f64>> {
    m.timing_series(operation, WINDOW, MINUTE)
        .map(|points| points.into_iter().map(|p| p.p95).collect())
        .unwrap_or_default()
}

/// The mean of a recorded metric per bucket over the window, with its threshold and unit.
fn metric_series(m: &Monitor, name: &str, label: &str, bucket: Duration) -> TimeSeries {
    let points = m.metric_series(name, WINDOW, bucket).unwrap_or_default();
    let threshold = m.config().thresholds.get(name);
    TimeSeries {
        start_ms: points.first().map_or(0, |p| p.at_ms),
        bucket_ms: bucket.as_millis() as u64,
        lines: vec![Line {
            label: label.into(),
            points: points.iter().map(|p| p.mean).collect(),
        }],
        threshold: threshold.map(|t| t.value),
        unit: match threshold.map(|t| t.unit) {
            None | Some(monitor::Unit::Count) => String::new(),
            Some(unit) => unit.symbol().to_owned(),
        },
    }
}

/// Resident set size in MB, from `/proc/self/statm` (Linux; `None` elsewhere).
fn resident_mb() -> Option<f64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: f64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096.0 / (1024.0 * 1024.0))
}
