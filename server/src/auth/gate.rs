//! The gate: a request without a principal reaches only the public paths. API calls and
//! state changes get a 401 JSON error; pages redirect to sign-in (and come back after).

use app::services::Principal;
use axum::extract::Request;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::Error;

/// Static files: the same for everyone, so nobody's session is looked up for them.
pub fn is_public_asset(path: &str) -> bool {
    matches!(path, "/favicon.svg" | "/robots.txt") || path.starts_with("/pkg/")
}

/// Paths anyone may fetch: probes, the sign-in page and its form target, static assets.
/// Paths reaching here are normalised (see `request_guard`), so a prefix means what it says.
fn is_public(path: &str) -> bool {
    matches!(path, "/livez" | "/readyz" | "/sign-in" | "/auth/sign-in") || is_public_asset(path)
}

pub async fn require_principal(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if req.extensions().get::<Principal>().is_some() || is_public(path) {
        return next.run(req).await;
    }
    if path.starts_with("/api/") || path == "/metrics" || req.method() != Method::GET {
        return Error::Unauthorized.into_response();
    }
    let back = req.uri().path_and_query().map_or("/", |pq| pq.as_str());
    let location = format!("/sign-in?next={}", app::url::escape(back));
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}
