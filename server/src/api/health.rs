//! `/livez` (the process answers), `/readyz` (the store answers; a degraded cache is still
//! ready) and `/metrics` (Prometheus text; needs a principal like the rest of the API).

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::Caller;
use crate::state::AppState;

pub async fn livez() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.services.store.ping().await {
        Ok(()) => Json(json!({
            "status": "ready",
            "cache": state.services.cache.backend(),
        }))
        .into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "not ready: store unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "unavailable", "store": "unreachable" })),
            )
                .into_response()
        }
    }
}

pub async fn prometheus(State(state): State<AppState>, _caller: Caller) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        state.monitor.prometheus_text(),
    )
        .into_response()
}
