//! The dashboard's view of the monitor and the cache, and the admin switches.

use app::dto::Role;
use app::services::{AlertRow, OperationRow, PerformanceView, Principal, RecommendationRow};
use serde::Serialize;

use super::PmrServices;
use crate::error::Result;

/// The oldest monitor data one can ask to keep: a year.
pub const MAX_CLEAR_HOURS: u32 = 8760;

/// How many recent response times the dashboard charts.
const LATENCY_POINTS: usize = 120;

fn text<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

impl PmrServices {
    pub async fn performance_view(&self) -> Result<PerformanceView> {
        let m = &self.monitor;
        let stats = m.stats();
        let cache = self.cache.stats().await;
        let store_ok = self.store.ping().await.is_ok();
        let mut latency: Vec<(u64, f64)> = m
            .recent_metrics(1000)
            .into_iter()
            .filter(|s| s.name == "api_response_time")
            .take(LATENCY_POINTS)
            .map(|s| (s.at_ms, s.value))
            .collect();
        latency.reverse();
        Ok(PerformanceView {
            enabled: stats.enabled,
            uptime_seconds: self.started.elapsed().as_secs(),
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
                })
                .collect(),
            latency,
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

    pub fn switch_monitoring(&self, by: &Principal, enabled: bool) -> Result<()> {
        by.require(Role::Admin)?;
        self.monitor.set_enabled(enabled);
        tracing::info!(by = %by.name, enabled, "monitoring switched");
        Ok(())
    }

    pub fn clear_monitoring(&self, by: &Principal, hours: u32) -> Result<usize> {
        by.require(Role::Admin)?;
        if hours > MAX_CLEAR_HOURS {
            return Err(crate::error::Error::invalid(
                "hours",
                format!("must be a whole number from 0 to {MAX_CLEAR_HOURS} (got {hours})"),
            ));
        }
        Ok(self.monitor.clear_older_than(hours))
    }
}
