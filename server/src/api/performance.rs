//! The performance API of SPEC §3 under `/api/reports/pmr/performance`: reading is for
//! viewers, changing (cache clear, monitor switch, data clear) for admins. Out-of-range or
//! non-numeric `limit`/`hours` is a 422 naming the parameter.

use std::collections::HashMap;

use app::dto::Role;
use axum::extract::{Path, Query, State};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::Caller;
use crate::error::{Error, Result};
use crate::services::ids;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/stats", get(stats))
        .route("/metrics", get(metrics))
        .route("/alerts", get(alerts))
        .route("/recommendations", get(recommendations))
        .route("/cache/stats", get(cache_stats))
        .route("/cache/clear", post(cache_clear))
        .route("/websocket/stats", get(websocket_stats))
        .route("/websocket/sessions/{report_id}", get(websocket_session))
        .route("/health", get(health))
        .route("/monitor/enable", post(enable))
        .route("/monitor/disable", post(disable))
        .route("/monitor/data", delete(clear_data))
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

async fn stats(State(s): State<AppState>, Caller(by): Caller) -> Result<Json<Value>> {
    by.require(Role::Viewer)?;
    let mut v = serde_json::to_value(s.monitor.stats()).map_err(|e| Error::Internal(e.to_string()))?;
    v["uptime_seconds"] = json!(s.started.elapsed().as_secs());
    Ok(Json(v))
}

async fn metrics(
    State(s): State<AppState>,
    Caller(by): Caller,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>> {
    by.require(Role::Viewer)?;
    let limit = int_param(&q, "limit", 100, 1..=1000)?;
    Ok(Json(
        json!({ "limit": limit, "metrics": s.monitor.recent_metrics(limit as usize) }),
    ))
}

async fn alerts(State(s): State<AppState>, Caller(by): Caller) -> Result<Json<Value>> {
    by.require(Role::Viewer)?;
    let alerts = s.monitor.alerts();
    Ok(Json(json!({ "count": alerts.len(), "alerts": alerts })))
}

async fn recommendations(State(s): State<AppState>, Caller(by): Caller) -> Result<Json<Value>> {
    by.require(Role::Viewer)?;
    Ok(Json(json!({ "recommendations": s.monitor.recommendations() })))
}

async fn cache_stats(State(s): State<AppState>, Caller(by): Caller) -> Result<Json<Value>> {
    by.require(Role::Viewer)?;
    Ok(Json(json!(s.services.cache.stats().await)))
}

async fn cache_clear(State(s): State<AppState>, Caller(by): Caller) -> Result<Json<Value>> {
    by.require(Role::Admin)?;
    s.services.cache.clear_all().await;
    tracing::info!(by = %by.name, "cache cleared");
    Ok(Json(json!({ "cleared": true })))
}

/// Live collaboration (SPEC §5) is not served yet, so there are no sessions to report;
/// the figures are real zeros plus the configured batching and limits.
async fn websocket_stats(State(s): State<AppState>, Caller(by): Caller) -> Result<Json<Value>> {
    by.require(Role::Viewer)?;
    let ws = &s.config.ws;
    Ok(Json(json!({
        "active_sessions": 0,
        "connections": 0,
        "batching": {
            "enabled": ws.enable_batching,
            "max_size": ws.batch_max_size,
            "max_wait_ms": ws.batch_max_wait.as_millis() as u64,
        },
        "idle_timeout_minutes": ws.idle_timeout.as_secs() / 60,
    })))
}

async fn websocket_session(
    State(s): State<AppState>,
    Caller(by): Caller,
    Path(report_id): Path<String>,
) -> Result<Json<Value>> {
    by.require(Role::Viewer)?;
    let outline = s.services.outline(ids::report(&report_id)?).await?;
    Ok(Json(json!({ "report_id": outline.id, "participants": [], "count": 0 })))
}

async fn health(State(s): State<AppState>, Caller(by): Caller) -> Result<Json<Value>> {
    by.require(Role::Viewer)?;
    let monitor = s.monitor.health();
    let cache = s.services.cache.stats().await;
    let store_ok = s.services.store.ping().await.is_ok();
    let degraded =
        !store_ok || cache.status != "ok" || serde_json::to_value(monitor.status).ok() != Some(json!("healthy"));
    Ok(Json(json!({
        "status": if degraded { "degraded" } else { "healthy" },
        "monitor": monitor,
        "cache": { "status": cache.status, "backend": cache.backend },
        "websocket": { "status": "ok", "connections": 0 },
        "store": { "status": if store_ok { "ok" } else { "unreachable" } },
    })))
}

async fn enable(State(s): State<AppState>, Caller(by): Caller) -> Result<Json<Value>> {
    s.services.switch_monitoring(&by, true)?;
    Ok(Json(json!({ "enabled": true })))
}

async fn disable(State(s): State<AppState>, Caller(by): Caller) -> Result<Json<Value>> {
    s.services.switch_monitoring(&by, false)?;
    Ok(Json(json!({ "enabled": false })))
}

async fn clear_data(
    State(s): State<AppState>,
    Caller(by): Caller,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>> {
    by.require(Role::Admin)?;
    let hours = int_param(&q, "hours", 24, 0..=crate::services::MAX_CLEAR_HOURS)?;
    let removed = s.services.clear_monitoring(&by, hours)?;
    Ok(Json(json!({ "hours": hours, "removed": removed })))
}
