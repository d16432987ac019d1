//! Times every HTTP request into the monitor (`api_response` and the Prometheus request
//! histogram), labelled by route template — `/reports/:id`, never the raw path — so label
//! cardinality stays bounded whatever clients send.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

pub async fn record(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| fallback_route(req.uri().path()), |m| label(m.as_str()));
    let method = req.method().as_str().to_owned();
    let started = Instant::now();
    let res = next.run(req).await;
    state.monitor.record_http(
        &route,
        &method,
        res.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0,
    );
    res
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
    }
}
