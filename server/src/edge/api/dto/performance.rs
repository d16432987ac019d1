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

/// `GET …/websocket/stats`: this instance's live collaboration figures and settings.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = WebSocketStats)]
pub struct WebSocketStatsDto {
    pub connections: u64,
    /// Reports with at least one member connected here.
    pub active_sessions: u64,
    /// Client text and binary frames read.
    pub messages_in: u64,
    /// Messages written (a batch of n counts n).
    pub messages_out: u64,
    pub batches_sent: u64,
    pub mean_batch_size: f64,
    pub refusals: RefusalsDto,
    pub closes: ClosesDto,
    /// Gaps in live offsets filled from the store.
    pub gap_fills: u64,
    pub batching: BatchingDto,
    pub limits: WebSocketLimitsDto,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = WebSocketRefusals)]
pub struct RefusalsDto {
    pub connection_limit: u64,
    pub participant_limit: u64,
    pub forbidden: u64,
    pub not_found: u64,
    pub unavailable: u64,
    pub shutting_down: u64,
    /// Refused by the server before the hub (wrong origin).
    pub by_server: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = WebSocketCloses)]
pub struct ClosesDto {
    /// 4001: a reader that fell behind.
    pub slow_consumer: u64,
    /// 4000: idle too long.
    pub idle: u64,
    /// No pong after a ping.
    pub heartbeat: u64,
    /// 1009: a frame over 64 KiB.
    pub too_big: u64,
    /// 1008: revoked, signed out, not allowed.
    pub policy: u64,
    /// 1001: shutdown.
    pub shutdown: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = WebSocketLimits)]
pub struct WebSocketLimitsDto {
    pub max_participants: usize,
    pub max_connections: usize,
    pub max_queue_bytes: usize,
    pub idle_timeout_minutes: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Batching)]
pub struct BatchingDto {
    pub enabled: bool,
    pub max_size: usize,
    pub max_wait_ms: u64,
}

/// `GET …/websocket/sessions/{report_id}`: one report's session on this instance.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = WebSocketSession)]
pub struct WebSocketSessionDto {
    pub report_id: app::domain::ReportId,
    pub participants: Vec<ParticipantDto>,
    /// Sockets open on this instance for the report.
    pub local_connections: usize,
    /// The last event offset delivered to the room here (null before any).
    pub offset: Option<u64>,
    pub batch_info: BatchInfoDto,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Participant)]
pub struct ParticipantDto {
    pub user: String,
    /// `viewer`, `editor` or `admin`.
    pub role: String,
    /// Unix ms of the user's earliest open connection.
    pub since: u64,
    /// Unix ms of the user's latest message.
    pub last_active: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = BatchInfo)]
pub struct BatchInfoDto {
    pub pending_messages: usize,
    pub max_size: usize,
    pub max_wait_ms: u64,
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
    /// `ok`, or `shutting_down`.
    pub status: &'static str,
    pub connections: u64,
    pub active_sessions: u64,
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
            // The hub's figures are filled in by the handler, which has the hub.
            websocket: WebSocketHealthDto {
                status: "ok",
                connections: 0,
                active_sessions: 0,
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

impl WebSocketStatsDto {
    pub fn new(s: hub::HubStats, ws: &crate::config::WsConfig) -> Self {
        Self {
            connections: s.connections as u64,
            active_sessions: s.active_sessions as u64,
            messages_in: s.messages_in,
            messages_out: s.messages_out,
            batches_sent: s.batches_sent,
            mean_batch_size: s.mean_batch_size,
            refusals: RefusalsDto {
                connection_limit: s.refusals.connection_limit,
                participant_limit: s.refusals.participant_limit,
                forbidden: s.refusals.forbidden,
                not_found: s.refusals.not_found,
                unavailable: s.refusals.unavailable,
                shutting_down: s.refusals.shutting_down,
                by_server: s.refusals.by_server,
            },
            closes: ClosesDto {
                slow_consumer: s.closes.slow_consumer,
                idle: s.closes.idle,
                heartbeat: s.closes.heartbeat,
                too_big: s.closes.too_big,
                policy: s.closes.policy,
                shutdown: s.closes.shutdown,
            },
            gap_fills: s.gap_fills,
            batching: BatchingDto {
                enabled: ws.enable_batching,
                max_size: ws.batch_max_size,
                max_wait_ms: ws.batch_max_wait.as_millis() as u64,
            },
            limits: WebSocketLimitsDto {
                max_participants: ws.max_participants,
                max_connections: ws.max_connections,
                max_queue_bytes: ws.max_queue_bytes,
                idle_timeout_minutes: ws.idle_timeout.as_secs() / 60,
            },
        }
    }
}

impl WebSocketSessionDto {
    /// A session as the hub reports it, or an empty one when nobody is connected here.
    pub fn new(report: app::domain::ReportId, s: Option<hub::SessionStats>, ws: &crate::config::WsConfig) -> Self {
        let batch_info = |pending: usize| BatchInfoDto {
            pending_messages: pending,
            max_size: ws.batch_max_size,
            max_wait_ms: ws.batch_max_wait.as_millis() as u64,
        };
        match s {
            None => Self {
                report_id: report,
                participants: Vec::new(),
                local_connections: 0,
                offset: None,
                batch_info: batch_info(0),
            },
            Some(s) => Self {
                report_id: report,
                participants: s
                    .participants
                    .into_iter()
                    .map(|p| ParticipantDto {
                        user: p.user.to_string(),
                        role: serde_json::to_value(p.role)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_owned))
                            .unwrap_or_default(),
                        since: p.since,
                        last_active: p.last_active,
                    })
                    .collect(),
                local_connections: s.local_connections,
                offset: s.offset,
                batch_info: batch_info(s.batch_info.pending_messages),
            },
        }
    }
}
