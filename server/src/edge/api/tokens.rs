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
use crate::auth::Auth;
use crate::error::{Error, Result};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateBody {
    name: String,
    role: Role,
}

pub async fn list(State(auth): State<Auth>) -> Result<impl IntoResponse> {
    Ok(Json(auth.list_tokens().await?))
}

pub async fn create(State(auth): State<Auth>, JsonBody(body): JsonBody<CreateBody>) -> Result<impl IntoResponse> {
    let (row, token) = auth.create_token(&body.name, body.role).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id": row.id, "name": row.name, "role": row.role, "token": token })),
    ))
}

pub async fn revoke(State(auth): State<Auth>, Caller(by): Caller, Path(id): Path<String>) -> Result<impl IntoResponse> {
    let id: i64 = id.parse().map_err(|_| Error::NotFound(format!("token {id:?}")))?;
    auth.revoke_token(id, &by).await?;
    Ok(Json(json!({ "id": id, "revoked": true })))
}
