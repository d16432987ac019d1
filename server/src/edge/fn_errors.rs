//! Gives server-function errors their HTTP status. `server_fn` answers every error with a
//! 500 unless the function body set a status itself — and a request whose arguments do not
//! decode never reaches the body. Its error body is our shared JSON error
//! ([`app::error::ErrorBody`]), whose code says which status it deserves: a client mistake
//! becomes the same 4xx the JSON API gives, and only real faults stay 500.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

/// Header `server_fn` puts on its error responses.
const SERVER_FN_ERROR_HEADER: &str = "serverfnerror";
/// Error bodies are a few hundred bytes; anything bigger is not ours to rewrite.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn status_from_body(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR || !res.headers().contains_key(SERVER_FN_ERROR_HEADER) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BODY).await else {
        parts.status = StatusCode::INTERNAL_SERVER_ERROR;
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(err) = serde_json::from_slice::<app::error::ErrorBody>(&bytes) {
        let status = app::error::status_of(&err.error);
        if let Ok(code) = StatusCode::from_u16(status) {
            parts.status = code;
        }
        if let Some(secs) = err.retry_after_secs {
            if let Ok(v) = secs.to_string().parse() {
                parts.headers.insert(header::RETRY_AFTER, v);
            }
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}
