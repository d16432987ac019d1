//! Reports over JSON: generate (editor), read the outline and sections (viewer), edit a
//! custom section (editor), change status (editor; approval by admin), audit log.

use app::dto::Role;
use app::services::GenerateRequest;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use super::{Caller, JsonBody};
use crate::error::Result;
use crate::services::ids;
use crate::state::AppState;

pub async fn generate(
    State(state): State<AppState>,
    Caller(by): Caller,
    JsonBody(req): JsonBody<GenerateRequest>,
) -> Result<impl IntoResponse> {
    let id = state.services.generate(&by, req).await?;
    let url = format!("/reports/{id}");
    Ok((StatusCode::CREATED, Json(json!({ "id": id, "url": url }))))
}

pub async fn show(
    State(state): State<AppState>,
    Caller(_): Caller,
    Path(id): Path<String>,
) -> Result<impl IntoResponse> {
    Ok(Json(state.services.outline(&id).await?))
}

pub async fn section(
    State(state): State<AppState>,
    Caller(_): Caller,
    Path((id, section)): Path<(String, String)>,
) -> Result<impl IntoResponse> {
    let (section, content) = state.services.section_content(&id, &section).await?;
    Ok(Json(json!({ "section": section, "content": content })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditBody {
    base_version: u32,
    content: String,
}

pub async fn edit_section(
    State(state): State<AppState>,
    Caller(by): Caller,
    Path((id, section)): Path<(String, String)>,
    JsonBody(body): JsonBody<EditBody>,
) -> Result<impl IntoResponse> {
    by.require(Role::Editor)?;
    let version = state
        .services
        .save_markdown(&by, &id, &section, body.base_version, body.content)
        .await?;
    Ok(Json(json!({ "section_id": section, "version": version })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusBody {
    status: String,
}

pub async fn set_status(
    State(state): State<AppState>,
    Caller(by): Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<StatusBody>,
) -> Result<impl IntoResponse> {
    by.require(Role::Editor)?;
    state.services.set_status(&by, &id, &body.status).await?;
    Ok(Json(json!({ "id": id, "status": body.status })))
}

pub async fn audit(
    State(state): State<AppState>,
    Caller(_): Caller,
    Path(id): Path<String>,
) -> Result<impl IntoResponse> {
    let id = ids::report(&id)?;
    state.services.outline(id).await?;
    let entries: Vec<_> = state
        .services
        .store
        .audit_log(id)
        .await?
        .into_iter()
        .map(|(action, actor, at, detail)| json!({ "action": action, "actor": actor, "at": at, "detail": detail }))
        .collect();
    Ok(Json(entries))
}
