//! Attaches the [`Principal`] of each request: from `Authorization: Bearer …`, else from
//! the session cookie, else — when configured — an anonymous viewer. A bearer token that
//! does not verify is refused at once (401), without saying why.

use app::dto::Role;
use app::services::Principal;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::session::SESSION_COOKIE;
use super::tokens;
use crate::error::{Error, Result};
use crate::state::AppState;

pub async fn attach_principal(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if super::is_public_asset(req.uri().path()) {
        return next.run(req).await;
    }
    match resolve(&state, req.headers()).await {
        Ok(Some(p)) => {
            req.extensions_mut().insert(p);
        }
        Ok(None) if state.config.auth.allow_anonymous => {
            req.extensions_mut().insert(Principal {
                name: "anonymous".into(),
                role: Role::Viewer,
                signed_in: false,
            });
        }
        Ok(None) => {}
        Err(e) => return e.into_response(),
    }
    next.run(req).await
}

async fn resolve(state: &AppState, headers: &HeaderMap) -> Result<Option<Principal>> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let value = value.to_str().map_err(|_| Error::Unauthorized)?;
        let presented = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .ok_or(Error::Unauthorized)?;
        let token = tokens::verify(&state.services.store, presented).await?;
        return Ok(Some(Principal {
            name: token.name,
            role: token.role,
            signed_in: true,
        }));
    }
    if let Some(id) = cookie(headers, SESSION_COOKIE) {
        if let Some(session) = state.services.store.session(&tokens::sha256_hex(id)).await? {
            return Ok(Some(Principal {
                name: session.token.name,
                role: session.token.role,
                signed_in: true,
            }));
        }
    }
    Ok(None)
}

/// A cookie's value from the request's `Cookie` headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}
