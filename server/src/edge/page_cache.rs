//! Serves what a reader asked for within the last second — a report page, or a lazy
//! section through its server function — from `cache::Pages` instead of rendering it again
//! (see that module for what keeps it correct). Sits inside the route, after
//! authentication: no principal (the gate's redirect), a page with a query string (a form's
//! error message) or a function call with a body over [`MAX_CALL_BYTES`] is served as
//! usual, and only a `200` HTML or JSON answer without `Set-Cookie` is kept. The guard is
//! not asked again on a hit: the key holds the role it already allowed.

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use app::policy::Principal;
use app::CspNonce;

use crate::services::PmrServices;

/// The report page, the one readers reload.
const CACHED_PAGE: &str = "/reports/{id}";
/// The lazy-section function every island calls; its answer depends only on its arguments
/// (report, section, version) and the reader.
const CACHED_CALL: &str = "/api/fn/report_section";
/// A function call's form body is three short fields; anything longer is not looked up.
const MAX_CALL_BYTES: usize = 1024;
/// A rendered answer larger than this is passed on and not kept.
const MAX_ANSWER_BYTES: usize = 64 * 1024 * 1024;

pub async fn serve(State(services): State<PmrServices>, req: Request, next: Next) -> Response {
    let page = req.method() == Method::GET
        && req.uri().query().is_none()
        && req
            .extensions()
            .get::<MatchedPath>()
            .is_some_and(|m| m.as_str() == CACHED_PAGE);
    let call = req.method() == Method::POST && req.uri().path() == CACHED_CALL;
    if !page && !call {
        return next.run(req).await;
    }
    let (Some(principal), Some(nonce)) = (
        req.extensions().get::<Principal>().cloned(),
        req.extensions().get::<CspNonce>().map(|n| n.0.clone()),
    ) else {
        return next.run(req).await;
    };
    let (parts, body) = req.into_parts();
    let (arguments, body) = if call {
        match to_bytes(body, MAX_CALL_BYTES).await {
            Ok(b) => (b.clone(), Body::from(b)),
            // Longer than any real call of this function (three short fields): 413.
            Err(_) => {
                return crate::error::Error::TooLarge {
                    limit_bytes: MAX_CALL_BYTES,
                }
                .into_response()
            }
        }
    } else {
        (Bytes::new(), body)
    };
    let key = format!(
        "{}\u{0}{}\u{0}{}\u{0}{}\u{0}{}",
        parts.uri.path(),
        String::from_utf8_lossy(&arguments),
        principal.name,
        principal.role.as_str(),
        principal.signed_in
    );
    let req = Request::from_parts(parts, body);
    let pages = services.pages();
    if let Some(page) = pages.get(&key).await {
        let mut res = Body::from(page.html_for(&nonce, pages.placeholder())).into_response();
        *res.headers_mut() = page.headers.clone();
        return res;
    }
    let epoch = pages.epoch();
    let res = next.run(req).await;
    let keepable = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html") || v.starts_with("application/json"));
    if res.status() != StatusCode::OK || !keepable || res.headers().contains_key(header::SET_COOKIE) {
        return res;
    }
    let (parts, body) = res.into_parts();
    let bytes = match to_bytes(body, MAX_ANSWER_BYTES).await {
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
