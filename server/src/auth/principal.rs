//! Attaches the [`Principal`] of each request: from `Authorization: Bearer …`, else from
//! the session cookie, else — when configured — an anonymous viewer. A bearer token that
//! does not verify is refused at once (401), without saying why. Static files skip all of
//! it: they are the same for everyone.

use app::policy::Principal;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::session::SESSION_COOKIE;
use super::Auth;
use crate::error::{Error, Result};

pub async fn attach_principal(State(auth): State<Auth>, mut req: Request, next: Next) -> Response {
    if super::is_public_asset(req.uri().path()) {
        return next.run(req).await;
    }
    match resolve(&auth, req.headers()).await {
        Ok(Some(p)) => {
            req.extensions_mut().insert(p);
        }
        Ok(None) => {
            if let Some(p) = auth.anonymous() {
                req.extensions_mut().insert(p);
            }
        }
        Err(e) => return e.into_response(),
    }
    next.run(req).await
}

async fn resolve(auth: &Auth, headers: &HeaderMap) -> Result<Option<Principal>> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let value = value.to_str().map_err(|_| Error::Unauthorized)?;
        let presented = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .ok_or(Error::Unauthorized)?;
        return auth.bearer(presented).await.map(Some);
    }
    match cookie(headers, SESSION_COOKIE) {
        Some(id) => auth.session(id).await,
        None => Ok(None),
    }
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
