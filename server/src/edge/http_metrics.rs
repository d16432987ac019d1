//! Times every HTTP request into the monitor (`api_response` and the Prometheus request
//! histogram). Every label comes from a closed set, whatever clients send: the route is its
//! template (`/reports/:id`, never the raw path) or `unmatched`, the method one of the
//! standard ones or `other`.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;

use std::sync::Arc;

use monitor::Monitor;

pub async fn record(State(monitor): State<Arc<Monitor>>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| fallback_route(req.uri().path()), |m| label(m.as_str()));
    let method = method_label(req.method());
    let started = Instant::now();
    let res = next.run(req).await;
    monitor.record_http(
        &route,
        method,
        res.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0,
    );
    res
}

/// The method as a label: a client can invent any method, so only the standard ones are
/// named and the rest are `other`.
fn method_label(m: &Method) -> &'static str {
    match *m {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// `/reports/{id}` → `/reports/:id` (braces trip up some Prometheus parsers).
fn label(template: &str) -> String {
    template.replace('{', ":").replace('}', "")
}

/// Unmatched paths: static assets under one label, everything else as "unmatched".
fn fallback_route(path: &str) -> String {
    if path.starts_with("/pkg/") {
        "/pkg/*".into()
    } else {
        "unmatched".into()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn labels_templates_not_paths() {
        assert_eq!(
            super::label("/reports/{id}/sections/{section}"),
            "/reports/:id/sections/:section"
        );
        assert_eq!(super::fallback_route("/pkg/pmr.wasm"), "/pkg/*");
        assert_eq!(super::fallback_route("/random/abc"), "unmatched");
        let odd = super::Method::from_bytes(b"BREW").expect("a token");
        assert_eq!(super::method_label(&odd), "other");
        assert_eq!(super::method_label(&super::Method::PUT), "PUT");
    }
}
