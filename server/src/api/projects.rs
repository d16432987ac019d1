//! `POST /api/v1/projects` (import, editor), `GET /api/v1/projects[/{id}]` (viewer).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;

use super::{Caller, RawBody};
use crate::error::Result;
use crate::state::AppState;

pub async fn import(
    State(state): State<AppState>,
    Caller(by): Caller,
    RawBody(body): RawBody,
) -> Result<impl IntoResponse> {
    let outcome = state.services.import(&by, &body).await?;
    let status = if outcome.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(outcome)))
}

pub async fn list(State(state): State<AppState>, Caller(_): Caller) -> Result<impl IntoResponse> {
    Ok(Json(state.services.portfolio_rows().await?))
}

pub async fn show(
    State(state): State<AppState>,
    Caller(_): Caller,
    Path(id): Path<String>,
) -> Result<impl IntoResponse> {
    Ok(Json(state.services.project_view(&id).await?))
}
