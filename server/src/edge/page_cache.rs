//! Serves a report page a reader loaded within the last second from `cache::Pages` instead
//! of rendering it again (see that module for what keeps it correct). Sits inside the route,
//! after authentication: no principal (the gate's redirect) or any query string (a form's
//! error message) is rendered as usual, and only a `200` HTML answer without `Set-Cookie` is
//! kept. The guard is not asked again on a hit: the key holds the role it already allowed.

use axum::body::{to_bytes, Body};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use app::policy::Principal;
use app::CspNonce;

use crate::services::PmrServices;

/// The pages kept: the report page, the one readers reload.
const CACHED_ROUTE: &str = "/reports/{id}";
/// A rendered page larger than this is passed on and not kept.
const MAX_PAGE_BYTES: usize = 64 * 1024 * 1024;

pub async fn serve(State(services): State<PmrServices>, req: Request, next: Next) -> Response {
    let cacheable = req.method() == Method::GET
        && req.uri().query().is_none()
        && req
            .extensions()
            .get::<MatchedPath>()
            .is_some_and(|m| m.as_str() == CACHED_ROUTE);
    let (Some(principal), Some(nonce)) = (
        req.extensions().get::<Principal>().cloned(),
        req.extensions().get::<CspNonce>().map(|n| n.0.clone()),
    ) else {
        return next.run(req).await;
    };
    if !cacheable {
        return next.run(req).await;
    }
    let pages = services.pages();
    let key = format!(
        "{}\u{0}{}\u{0}{}\u{0}{}",
        req.uri().path(),
        principal.name,
        principal.role.as_str(),
        principal.signed_in
    );
    if let Some(page) = pages.get(&key).await {
        let mut res = Body::from(page.html_for(&nonce, pages.placeholder())).into_response();
        *res.headers_mut() = page.headers.clone();
        return res;
    }
    let epoch = pages.epoch();
    let res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if res.status() != StatusCode::OK || !html || res.headers().contains_key(header::SET_COOKIE) {
        return res;
    }
    let (parts, body) = res.into_parts();
    let bytes = match to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(b) => b,
        Err(e) => {
            tracing::warn!(error = %e, "report page body could not be read whole");
            return crate::error::Error::internal("report page body could not be read").into_response();
        }
    };
    if let Ok(text) = std::str::from_utf8(&bytes) {
        let mut headers = parts.headers.clone();
        headers.remove(header::CONTENT_LENGTH);
        pages.keep(key, epoch, headers, text, &nonce).await;
    }
    Response::from_parts(parts, Body::from(bytes))
}
