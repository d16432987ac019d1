//! The performance API's other answers (SPEC §3): the cache's counters, the WebSocket
//! figures, the health of each part, and what the admin switches answer. The monitor's own
//! readings are in `monitor.rs`.

use serde::Serialize;
use utoipa::ToSchema;

use super::monitor::{HealthStatusDto, MonitorHealthDto};
use super::CacheBackendDto;
use crate::cache::CacheStats;
use crate::services::HealthReport;

/// The cache's counters since start.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = CacheStats)]
pub struct CacheStatsDto {
    pub backend: CacheBackendDto,
    /// `ok`, or `degraded` while the in-process fallback serves instead of a configured Redis.
    pub status: &'static str,
    pub hits: u64,
    pub misses: u64,
    /// Percent of reads that hit since start (0 when nothing was read).
    pub hit_rate: f64,
    /// Percent over the last minute; null when there were no reads.
    pub recent_hit_rate: Option<f64>,
    pub keys: u64,
    pub memory_bytes: u64,
    pub errors: u64,
}

impl From<CacheStats> for CacheStatsDto {
    fn from(c: CacheStats) -> Self {
        Self {
            backend: c.backend.into(),
            status: c.status,
            hits: c.hits,
            misses: c.misses,
            hit_rate: c.hit_rate,
            recent_hit_rate: c.recent_hit_rate,
            keys: c.keys,
            memory_bytes: c.memory_bytes,
            errors: c.errors,
        }
    }
}

/// `POST …/cache/clear`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = CacheCleared)]
pub struct CacheClearedDto {
    pub cleared: bool,
}

/// `GET …/websocket/stats`: live collaboration is not served yet, so the counts are zero;
/// the batching settings are the configured ones.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = WebSocketStats)]
pub struct WebSocketStatsDto {
    pub active_sessions: u64,
    pub connections: u64,
    pub batching: BatchingDto,
    pub idle_timeout_minutes: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Batching)]
pub struct BatchingDto {
    pub enabled: bool,
    pub max_size: usize,
    pub max_wait_ms: u64,
}

/// `GET …/websocket/sessions/{report_id}`: nobody is connected until live collaboration
/// is served, so the list is empty.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = WebSocketSession)]
pub struct WebSocketSessionDto {
    pub report_id: app::domain::ReportId,
    /// Always empty for now; once sessions are served, one object per participant (user,
    /// role, since, last active).
    pub participants: Vec<serde_json::Value>,
    pub count: usize,
}

/// `GET …/health`: each part's status; `degraded` when any part is not well.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = PerformanceHealth)]
pub struct PerformanceHealthDto {
    pub status: HealthStatusDto,
    pub monitor: MonitorHealthDto,
    pub cache: CacheHealthDto,
    pub websocket: WebSocketHealthDto,
    pub store: StoreHealthDto,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = CacheHealth)]
pub struct CacheHealthDto {
    /// `ok` or `degraded`.
    pub status: &'static str,
    pub backend: CacheBackendDto,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = WebSocketHealth)]
pub struct WebSocketHealthDto {
    /// Always `ok`.
    pub status: &'static str,
    pub connections: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = StoreHealth)]
pub struct StoreHealthDto {
    /// `ok` or `unreachable`.
    pub status: &'static str,
}

impl From<HealthReport> for PerformanceHealthDto {
    fn from(h: HealthReport) -> Self {
        let status = if h.degraded() {
            HealthStatusDto::Degraded
        } else {
            HealthStatusDto::Healthy
        };
        Self {
            status,
            monitor: h.monitor.into(),
            cache: CacheHealthDto {
                status: h.cache.status,
                backend: h.cache.backend.into(),
            },
            websocket: WebSocketHealthDto {
                status: "ok",
                connections: 0,
            },
            store: StoreHealthDto {
                status: if h.store_ok { "ok" } else { "unreachable" },
            },
        }
    }
}

/// `POST …/monitor/enable` and `…/disable`: the monitor's state now.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = MonitorSwitched)]
pub struct MonitorSwitchedDto {
    pub enabled: bool,
}

/// `DELETE …/monitor/data`: how old data had to be to go, and how many samples went.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = MonitorDataCleared)]
pub struct MonitorDataClearedDto {
    pub hours: u32,
    pub removed: usize,
}
