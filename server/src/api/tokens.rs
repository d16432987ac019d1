//! Token management for admins: list, create (the secret is in this one response only),
//! revoke (effective at once, sessions included).

use app::dto::Role;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use super::{Caller, JsonBody};
use crate::auth::tokens;
use crate::error::{Error, Result};
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateBody {
    name: String,
    role: Role,
}

pub async fn list(State(state): State<AppState>, Caller(by): Caller) -> Result<impl IntoResponse> {
    by.require(Role::Admin)?;
    Ok(Json(state.services.store.list_tokens().await?))
}

pub async fn create(
    State(state): State<AppState>,
    Caller(by): Caller,
    JsonBody(body): JsonBody<CreateBody>,
) -> Result<impl IntoResponse> {
    by.require(Role::Admin)?;
    let (row, token) = tokens::create(&state.services.store, &body.name, body.role).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id": row.id, "name": row.name, "role": row.role, "token": token })),
    ))
}

pub async fn revoke(
    State(state): State<AppState>,
    Caller(by): Caller,
    Path(id): Path<String>,
) -> Result<impl IntoResponse> {
    by.require(Role::Admin)?;
    let id: i64 = id.parse().map_err(|_| Error::NotFound(format!("token {id:?}")))?;
    if state.services.store.revoke_token(id).await? {
        Ok(Json(json!({ "id": id, "revoked": true })))
    } else {
        Err(Error::NotFound(format!("token {id}")))
    }
}
