//! Token management for admins: list, create (the secret is in this one response only),
//! revoke (effective at once, sessions included).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;

use super::dto::{CreateTokenRequest, CreatedTokenDto, RevokedTokenDto, TokenDto};
use super::{Caller, JsonBody};
use crate::auth::Auth;
use crate::error::{Error, Result};

pub async fn list(State(auth): State<Auth>) -> Result<impl IntoResponse> {
    let tokens = auth.list_tokens().await?;
    Ok(Json(tokens.into_iter().map(TokenDto::from).collect::<Vec<_>>()))
}

pub async fn create(
    State(auth): State<Auth>,
    JsonBody(body): JsonBody<CreateTokenRequest>,
) -> Result<impl IntoResponse> {
    let (row, token) = auth.create_token(&body.name, body.role).await?;
    let created = CreatedTokenDto {
        id: row.id,
        name: row.name,
        role: row.role,
        token,
    };
    Ok((StatusCode::CREATED, Json(created)))
}

pub async fn revoke(State(auth): State<Auth>, Caller(by): Caller, Path(id): Path<String>) -> Result<impl IntoResponse> {
    let id: i64 = id.parse().map_err(|_| Error::NotFound(format!("token {id:?}")))?;
    auth.revoke_token(id, &by).await?;
    Ok(Json(RevokedTokenDto { id, revoked: true }))
}
