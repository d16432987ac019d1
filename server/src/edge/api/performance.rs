//! The performance API of SPEC §3 under `/api/reports/pmr/performance`: reading is for
//! viewers, changing (cache clear, monitor switch, data clear) for admins. Out-of-range or
//! non-numeric `limit`/`hours` is a 422 naming the parameter.

use std::collections::HashMap;
use std::sync::Arc;

use app::domain::ReportId;
use app::policy::Action;
use app::services::Services;
use axum::extract::{Path, Query, State};
use axum::http::Method;
use axum::routing::{delete, get, post};
use axum::Json;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;

use super::dto::{
    AlertsDto, CacheClearedDto, CacheStatsDto, MetricSampleDto, MetricsDto, MonitorDataClearedDto, MonitorStatsDto,
    MonitorSwitchedDto, PerformanceHealthDto, RecommendationDto, RecommendationsDto, WebSocketSessionDto,
    WebSocketStatsDto,
};
use super::openapi::Doc;
use super::reports::report_id;
use super::{route, ApiRoute, Caller};
use crate::collab::Collab;
use crate::config::Config;
use crate::edge::access::Access;
use crate::error::{ApiError, Error, Result};
use crate::services::{PmrServices, MAX_CLEAR_HOURS};

/// An integer query parameter: its name, default and bounds, read by the handler and
/// described by the OpenAPI document from this one definition.
struct IntParam {
    name: &'static str,
    default: u32,
    min: u32,
    max: u32,
    what: &'static str,
}

/// `GET …/metrics?limit=`.
const LIMIT: IntParam = IntParam {
    name: "limit",
    default: 100,
    min: 1,
    max: 1000,
    what: "How many samples, newest first.",
};

/// `DELETE …/monitor/data?hours=`.
const HOURS: IntParam = IntParam {
    name: "hours",
    default: 24,
    min: 0,
    max: MAX_CLEAR_HOURS,
    what: "Drop data older than this many hours (0: all of it).",
};

impl IntParam {
    /// The value in `q`, or the default when absent.
    fn read(&self, q: &HashMap<String, String>) -> Result<u32> {
        let Some(raw) = q.get(self.name) else {
            return Ok(self.default);
        };
        raw.trim()
            .parse::<u32>()
            .ok()
            .filter(|v| (self.min..=self.max).contains(v))
            .ok_or_else(|| {
                Error::invalid(
                    self.name,
                    format!("must be a whole number from {} to {} (got {raw:?})", self.min, self.max),
                )
            })
    }

    fn schema(&self) -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(self.min))
            .maximum(Some(self.max))
            .default(Some(self.default.into()))
            .into()
    }

    /// Documents this parameter on `doc`.
    fn on(&self, doc: Doc) -> Doc {
        doc.query(self.name, self.what, self.schema())
    }
}

/// The performance API's routes, with their declared access and documentation.
pub fn routes() -> Vec<ApiRoute> {
    use Access::Needs;
    use Action::*;
    vec![
        route(
            Method::GET,
            "/api/reports/pmr/performance/stats",
            Needs(ReadPerformance),
            get(stats),
            Doc::new("Everything at once: uptime, totals, per-operation stats, recent alerts, health")
                .ok::<MonitorStatsDto>("The monitor's stats"),
        ),
        route(
            Method::GET,
            "/api/reports/pmr/performance/metrics",
            Needs(ReadPerformance),
            get(metrics),
            LIMIT
                .on(Doc::new("Recent metric samples, newest first"))
                .ok::<MetricsDto>("The samples"),
        ),
        route(
            Method::GET,
            "/api/reports/pmr/performance/alerts",
            Needs(ReadPerformance),
            get(alerts),
            Doc::new("Every alert held, firing first").ok::<AlertsDto>("The alerts"),
        ),
        route(
            Method::GET,
            "/api/reports/pmr/performance/recommendations",
            Needs(ReadPerformance),
            get(recommendations),
            Doc::new("Recommendations drawn from the stats").ok::<RecommendationsDto>("The recommendations"),
        ),
        route(
            Method::GET,
            "/api/reports/pmr/performance/cache/stats",
            Needs(ReadPerformance),
            get(cache_stats),
            Doc::new("The cache's counters: hits, misses, hit rate, keys, memory, errors, backend")
                .ok::<CacheStatsDto>("The counters"),
        ),
        route(
            Method::POST,
            "/api/reports/pmr/performance/cache/clear",
            Needs(ClearCache),
            post(cache_clear),
            Doc::new("Empty the cache").ok::<CacheClearedDto>("The cache is empty"),
        ),
        route(
            Method::GET,
            "/api/reports/pmr/performance/websocket/stats",
            Needs(ReadPerformance),
            get(websocket_stats),
            Doc::new("Live collaboration figures and batching settings").ok::<WebSocketStatsDto>("The figures"),
        ),
        route(
            Method::GET,
            "/api/reports/pmr/performance/websocket/sessions/{report_id}",
            Needs(ReadPerformance),
            get(websocket_session),
            Doc::new("One report's live session")
                .path::<ReportId>("report_id", "The report's id.")
                .ok::<WebSocketSessionDto>("The session"),
        ),
        route(
            Method::GET,
            "/api/reports/pmr/performance/health",
            Needs(ReadPerformance),
            get(health),
            Doc::new("The health of each part: monitor, cache, WebSocket, store")
                .ok::<PerformanceHealthDto>("Each part's health"),
        ),
        route(
            Method::POST,
            "/api/reports/pmr/performance/monitor/enable",
            Needs(SwitchMonitor),
            post(enable),
            Doc::new("Switch the monitor's recording on").ok::<MonitorSwitchedDto>("Recording"),
        ),
        route(
            Method::POST,
            "/api/reports/pmr/performance/monitor/disable",
            Needs(SwitchMonitor),
            post(disable),
            Doc::new("Switch the monitor's recording off").ok::<MonitorSwitchedDto>("Not recording"),
        ),
        route(
            Method::DELETE,
            "/api/reports/pmr/performance/monitor/data",
            Needs(ClearMonitorData),
            delete(clear_data),
            HOURS
                .on(Doc::new("Drop old monitor data"))
                .ok::<MonitorDataClearedDto>("What was dropped"),
        ),
    ]
}

async fn stats(State(s): State<PmrServices>) -> Json<MonitorStatsDto> {
    Json(MonitorStatsDto::new(s.monitor_stats(), s.uptime_seconds()))
}

async fn metrics(State(s): State<PmrServices>, Query(q): Query<HashMap<String, String>>) -> Result<Json<MetricsDto>> {
    let limit = LIMIT.read(&q)?;
    let metrics = s.recent_metrics(limit as usize);
    Ok(Json(MetricsDto {
        limit,
        metrics: metrics.into_iter().map(MetricSampleDto::from).collect(),
    }))
}

async fn alerts(State(s): State<PmrServices>) -> Json<AlertsDto> {
    Json(s.alerts().into())
}

async fn recommendations(State(s): State<PmrServices>) -> Json<RecommendationsDto> {
    let recommendations = s.recommendations().into_iter().map(RecommendationDto::from).collect();
    Json(RecommendationsDto { recommendations })
}

async fn cache_stats(State(s): State<PmrServices>) -> Json<CacheStatsDto> {
    Json(s.cache_stats().await.into())
}

async fn cache_clear(State(s): State<PmrServices>, Caller(by): Caller) -> Json<CacheClearedDto> {
    s.clear_cache(&by).await;
    Json(CacheClearedDto { cleared: true })
}

/// Live collaboration (SPEC §5) is not served yet, so there are no sessions to report;
/// the figures are real zeros plus the configured batching and limits.
/// Connections, sessions, messages, batches, refusals and closes of this instance, with
/// the batching and limits in force.
async fn websocket_stats(State(collab): State<Collab>, State(config): State<Arc<Config>>) -> Json<WebSocketStatsDto> {
    Json(WebSocketStatsDto::new(collab.stats(), &config.ws))
}

/// One report's session on this instance: participants (user, role, since, last active),
/// local connections, offset, pending batch.
async fn websocket_session(
    State(s): State<PmrServices>,
    State(collab): State<Collab>,
    State(config): State<Arc<Config>>,
    Path(report): Path<String>,
) -> std::result::Result<Json<WebSocketSessionDto>, ApiError> {
    let outline = s.outline(&report_id(&report)?).await?;
    let session = collab.session(&hub::ReportId::new(outline.id.as_str()));
    Ok(Json(WebSocketSessionDto::new(outline.id, session, &config.ws)))
}

async fn health(State(s): State<PmrServices>, State(collab): State<Collab>) -> Json<PerformanceHealthDto> {
    let mut dto: PerformanceHealthDto = s.health().await.into();
    let hub = collab.stats();
    dto.websocket.status = if collab.is_shutting_down() {
        "shutting_down"
    } else {
        "ok"
    };
    dto.websocket.connections = hub.connections as u64;
    dto.websocket.active_sessions = hub.active_sessions as u64;
    Json(dto)
}

async fn enable(State(s): State<PmrServices>, Caller(by): Caller) -> Json<MonitorSwitchedDto> {
    s.switch_monitoring(&by, true);
    Json(MonitorSwitchedDto { enabled: true })
}

async fn disable(State(s): State<PmrServices>, Caller(by): Caller) -> Json<MonitorSwitchedDto> {
    s.switch_monitoring(&by, false);
    Json(MonitorSwitchedDto { enabled: false })
}

async fn clear_data(
    State(s): State<PmrServices>,
    Caller(by): Caller,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<MonitorDataClearedDto>> {
    let hours = HOURS.read(&q)?;
    let removed = s.clear_monitoring(&by, hours)?;
    Ok(Json(MonitorDataClearedDto { hours, removed }))
}
