//! Browser hardening on every response: a Content-Security-Policy whose script source is a
//! per-request nonce plus `'wasm-unsafe-eval'` (so the islands' WASM runs without allowing
//! inline scripts), `nosniff`, a referrer policy, no framing, and HSTS behind TLS. Also
//! refuses oversized request headers (431).

use app::CspNonce;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;

use std::sync::Arc;

use crate::config::Config;

/// Total request header bytes accepted.
const MAX_HEADER_BYTES: usize = 16 * 1024;

pub async fn harden(State(config): State<Arc<Config>>, mut req: Request, next: Next) -> Response {
    let header_bytes: usize = req.headers().iter().map(|(k, v)| k.as_str().len() + v.len() + 4).sum();
    if header_bytes > MAX_HEADER_BYTES {
        let body = app::error::ErrorBody {
            error: "headers_too_large".into(),
            message: format!("request headers must total at most {MAX_HEADER_BYTES} bytes"),
            details: Vec::new(),
            retry_after_secs: None,
        };
        return (StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, Json(body)).into_response();
    }
    let public_asset = crate::auth::is_public_asset(req.uri().path());
    let nonce = crate::auth::tokens::random_hex()
        .map(|h| h[..32].to_owned())
        .unwrap_or_default();
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let csp = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    );
    set(h, header::CONTENT_SECURITY_POLICY, &csp);
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::REFERRER_POLICY, "strict-origin-when-cross-origin");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(h, HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    set(
        h,
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=()",
    );
    // Pages and API answers carry private data and secrets (tokens): never stored by a
    // browser or a shared cache. Static assets set their own caching.
    if !public_asset && !h.contains_key(header::CACHE_CONTROL) {
        set(h, header::CACHE_CONTROL, "no-store");
    }
    if config.auth.behind_tls {
        set(
            h,
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    res
}

fn set(h: &mut HeaderMap, name: HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        h.insert(name, v);
    }
}
