//! `/livez` (the process answers), `/readyz` (the store answers; a degraded cache is still
//! ready) and `/metrics` (Prometheus text; a viewer's, like the rest of the API).

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::dto::{LiveDto, NotReadyDto, ReadyDto};
use crate::services::PmrServices;

pub async fn livez() -> Json<LiveDto> {
    Json(LiveDto { status: "ok" })
}

pub async fn readyz(State(services): State<PmrServices>) -> Response {
    match services.ready().await {
        Ok(cache) => Json(ReadyDto {
            status: "ready",
            cache: cache.into(),
        })
        .into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "not ready: store unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(NotReadyDto {
                    status: "unavailable",
                    store: "unreachable",
                }),
            )
                .into_response()
        }
    }
}

pub async fn prometheus(State(services): State<PmrServices>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        services.prometheus_text(),
    )
        .into_response()
}
