//! The performance API of SPEC §3 under `/api/reports/pmr/performance`: reading is for
//! viewers, changing (cache clear, monitor switch, data clear) for admins. Out-of-range or
//! non-numeric `limit`/`hours` is a 422 naming the parameter.

use std::collections::HashMap;
use std::sync::Arc;

use app::policy::Action;
use app::services::Services;
use axum::extract::{Path, Query, State};
use axum::http::Method;
use axum::routing::{delete, get, post};
use axum::Json;
use serde_json::{json, Value};

use super::reports::report_id;
use super::{route, ApiRoute, Caller};
use crate::collab::Collab;
use crate::config::Config;
use crate::edge::access::Access;
use crate::error::{ApiError, Error, Result};
use crate::services::{PmrServices, MAX_CLEAR_HOURS};

/// The performance API's routes, with their declared access.
pub fn routes() -> Vec<ApiRoute> {
    use Access::Needs;
    use Action::*;
    vec![
        route(
            Method::GET,
            "/api/reports/pmr/performance/stats",
            Needs(ReadPerformance),
            get(stats),
        ),
        route(
            Method::GET,
            "/api/reports/pmr/performance/metrics",
            Needs(ReadPerformance),
            get(metrics),
        ),
        route(
            Method::GET,
            "/api/reports/pmr/performance/alerts",
            Needs(ReadPerformance),
            get(alerts),
        ),
        route(
            Method::GET,
            "/api/reports/pmr/performance/recommendations",
            Needs(ReadPerformance),
            get(recommendations),
        ),
        route(
            Method::GET,
            "/api/reports/pmr/performance/cache/stats",
            Needs(ReadPerformance),
            get(cache_stats),
        ),
        route(
            Method::POST,
            "/api/reports/pmr/performance/cache/clear",
            Needs(ClearCache),
            post(cache_clear),
        ),
        route(
            Method::GET,
            "/api/reports/pmr/performance/websocket/stats",
            Needs(ReadPerformance),
            get(websocket_stats),
        ),
        route(
            Method::GET,
            "/api/reports/pmr/performance/websocket/sessions/{report_id}",
            Needs(ReadPerformance),
            get(websocket_session),
        ),
        route(
            Method::GET,
            "/api/reports/pmr/performance/health",
            Needs(ReadPerformance),
            get(health),
        ),
        route(
            Method::POST,
            "/api/reports/pmr/performance/monitor/enable",
            Needs(SwitchMonitor),
            post(enable),
        ),
        route(
            Method::POST,
            "/api/reports/pmr/performance/monitor/disable",
            Needs(SwitchMonitor),
            post(disable),
        ),
        route(
            Method::DELETE,
            "/api/reports/pmr/performance/monitor/data",
            Needs(ClearMonitorData),
            delete(clear_data),
        ),
    ]
}

/// An integer query parameter within `range`, or `default` when absent.
fn int_param(
    q: &HashMap<String, String>,
    name: &str,
    default: u32,
    range: std::ops::RangeInclusive<u32>,
) -> Result<u32> {
    match q.get(name) {
        None => Ok(default),
        Some(raw) => raw
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|v| range.contains(v))
            .ok_or_else(|| {
                Error::invalid(
                    name,
                    format!(
                        "must be a whole number from {} to {} (got {raw:?})",
                        range.start(),
                        range.end()
                    ),
                )
            }),
    }
}

async fn stats(State(s): State<PmrServices>) -> Result<Json<Value>> {
    Ok(Json(s.monitor_stats()?))
}

async fn metrics(State(s): State<PmrServices>, Query(q): Query<HashMap<String, String>>) -> Result<Json<Value>> {
    let limit = int_param(&q, "limit", 100, 1..=1000)?;
    Ok(Json(s.recent_metrics(limit as usize)))
}

async fn alerts(State(s): State<PmrServices>) -> Json<Value> {
    Json(s.alerts())
}

async fn recommendations(State(s): State<PmrServices>) -> Json<Value> {
    Json(s.recommendations())
}

async fn cache_stats(State(s): State<PmrServices>) -> Json<Value> {
    Json(json!(s.cache_stats().await))
}

async fn cache_clear(State(s): State<PmrServices>, Caller(by): Caller) -> Json<Value> {
    s.clear_cache(&by).await;
    Json(json!({ "cleared": true }))
}

/// Connections, sessions, messages, batches, refusals and closes of this instance, with
/// the batching and limits in force.
async fn websocket_stats(State(collab): State<Collab>, State(config): State<Arc<Config>>) -> Json<Value> {
    let ws = &config.ws;
    let mut v = json!(collab.stats());
    v["batching"] = json!({
        "enabled": ws.enable_batching,
        "max_size": ws.batch_max_size,
        "max_wait_ms": ws.batch_max_wait.as_millis() as u64,
    });
    v["limits"] = json!({
        "max_participants": ws.max_participants,
        "max_connections": ws.max_connections,
        "max_queue_bytes": ws.max_queue_bytes,
        "idle_timeout_minutes": ws.idle_timeout.as_secs() / 60,
    });
    Json(v)
}

/// One report's session on this instance: participants (user, role, since, last active),
/// local connections, offset, pending batch.
async fn websocket_session(
    State(s): State<PmrServices>,
    State(collab): State<Collab>,
    State(config): State<Arc<Config>>,
    Path(report): Path<String>,
) -> std::result::Result<Json<Value>, ApiError> {
    let outline = s.outline(&report_id(&report)?).await?;
    let session = collab.session(&hub::ReportId::new(outline.id.as_str()));
    Ok(Json(match session {
        Some(session) => json!(session),
        None => json!({
            "report_id": outline.id,
            "participants": [],
            "local_connections": 0,
            "offset": null,
            "batch_info": {
                "pending_messages": 0,
                "max_size": config.ws.batch_max_size,
                "max_wait_ms": config.ws.batch_max_wait.as_millis() as u64,
            },
        }),
    }))
}

async fn health(State(s): State<PmrServices>, State(collab): State<Collab>) -> Json<Value> {
    let mut v = s.health().await;
    let hub = collab.stats();
    v["websocket"] = json!({
        "status": if collab.is_shutting_down() { "shutting_down" } else { "ok" },
        "connections": hub.connections,
        "active_sessions": hub.active_sessions,
    });
    Json(v)
}

async fn enable(State(s): State<PmrServices>, Caller(by): Caller) -> Json<Value> {
    s.switch_monitoring(&by, true);
    Json(json!({ "enabled": true }))
}

async fn disable(State(s): State<PmrServices>, Caller(by): Caller) -> Json<Value> {
    s.switch_monitoring(&by, false);
    Json(json!({ "enabled": false }))
}

async fn clear_data(
    State(s): State<PmrServices>,
    Caller(by): Caller,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>> {
    let hours = int_param(&q, "hours", 24, 0..=MAX_CLEAR_HOURS)?;
    let removed = s.clear_monitoring(&by, hours)?;
    Ok(Json(json!({ "hours": hours, "removed": removed })))
}
