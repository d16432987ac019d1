//! The JSON API: `/api/v1` (projects, reports, sections, tokens), the performance API
//! under `/api/reports/pmr/performance`, health probes and `/metrics`. Handlers are thin:
//! extract, call the services, map the result.

mod extract;
mod health;
mod performance;
mod projects;
mod reports;
mod tokens;

use axum::routing::{delete, get, post};
use axum::Router;

pub use extract::{Caller, JsonBody, RawBody, BODY_LIMIT};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    let v1 = Router::new()
        .route("/projects", get(projects::list).post(projects::import))
        .route("/projects/{id}", get(projects::show))
        .route("/reports", post(reports::generate))
        .route("/reports/{id}", get(reports::show))
        .route("/reports/{id}/status", post(reports::set_status))
        .route("/reports/{id}/audit", get(reports::audit))
        .route(
            "/reports/{id}/sections/{section}",
            get(reports::section).put(reports::edit_section),
        )
        .route("/tokens", get(tokens::list).post(tokens::create))
        .route("/tokens/{id}", delete(tokens::revoke))
        .fallback(crate::request_guard::api_not_found)
        .method_not_allowed_fallback(crate::request_guard::method_not_allowed);
    let perf = performance::router()
        .fallback(crate::request_guard::api_not_found)
        .method_not_allowed_fallback(crate::request_guard::method_not_allowed);
    Router::new()
        .nest("/api/v1", v1)
        .nest("/api/reports/pmr/performance", perf)
        .route("/livez", get(health::livez))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::prometheus))
}
