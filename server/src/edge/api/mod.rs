//! The JSON API: `/api/v1` (projects, reports, sections, tokens), the performance API
//! under `/api/reports/pmr/performance`, health probes and `/metrics`. Every route is
//! declared once in [`routes`] with the action it performs; the router is built from that
//! table and the guard checks the action, so a route cannot exist without a rule. Handlers
//! are thin: extract, call the services, map the result.

pub mod dto;
mod extract;
mod health;
mod performance;
mod projects;
mod reports;
mod tokens;

use axum::http::Method;
use axum::routing::{delete, get, post, put, MethodRouter};
use axum::Router;

use app::policy::Action;

pub use extract::{Caller, JsonBody, RawBody, BODY_LIMIT};

use super::access::Access;
use crate::state::AppState;

/// One API route: method, path template (axum syntax), what it does, its handler.
pub struct ApiRoute {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    pub handler: MethodRouter<AppState>,
}

fn route(method: Method, path: &'static str, access: Access, handler: MethodRouter<AppState>) -> ApiRoute {
    ApiRoute {
        method,
        path,
        access,
        handler,
    }
}

/// Every API route with its declared access.
pub fn routes() -> Vec<ApiRoute> {
    use Access::{Needs, Public};
    use Action::*;
    let mut r = vec![
        route(
            Method::GET,
            "/api/v1/projects",
            Needs(ReadProjects),
            get(projects::list),
        ),
        route(
            Method::POST,
            "/api/v1/projects",
            Needs(ImportProject),
            post(projects::import),
        ),
        route(
            Method::GET,
            "/api/v1/projects/{id}",
            Needs(ReadProjects),
            get(projects::show),
        ),
        route(
            Method::GET,
            "/api/v1/projects/{id}/export",
            Needs(ExportProject),
            get(projects::export),
        ),
        route(
            Method::POST,
            "/api/v1/reports",
            Needs(GenerateReport),
            post(reports::generate),
        ),
        route(
            Method::GET,
            "/api/v1/reports/{id}",
            Needs(ReadReports),
            get(reports::show),
        ),
        route(
            Method::POST,
            "/api/v1/reports/{id}/status",
            Needs(ChangeStatus),
            post(reports::set_status),
        ),
        route(
            Method::GET,
            "/api/v1/reports/{id}/audit",
            Needs(ReadReports),
            get(reports::audit),
        ),
        route(
            Method::GET,
            "/api/v1/reports/{id}/sections/{section}",
            Needs(ReadReports),
            get(reports::section),
        ),
        route(
            Method::PUT,
            "/api/v1/reports/{id}/sections/{section}",
            Needs(EditSection),
            put(reports::edit_section),
        ),
        route(
            Method::GET,
            "/api/v1/reports/{id}/comments",
            Needs(ReadReports),
            get(reports::comments),
        ),
        route(
            Method::POST,
            "/api/v1/reports/{id}/comments",
            Needs(Comment),
            post(reports::add_comment),
        ),
        route(
            Method::POST,
            "/api/v1/reports/{id}/comments/{comment}/resolve",
            Needs(Comment),
            post(reports::resolve_comment),
        ),
        route(Method::GET, "/api/v1/tokens", Needs(ManageTokens), get(tokens::list)),
        route(
            Method::POST,
            "/api/v1/tokens",
            Needs(ManageTokens),
            post(tokens::create),
        ),
        route(
            Method::DELETE,
            "/api/v1/tokens/{id}",
            Needs(ManageTokens),
            delete(tokens::revoke),
        ),
        route(
            Method::GET,
            "/ws/reports/{id}",
            Needs(ReadReports),
            get(crate::collab::upgrade),
        ),
        route(Method::GET, "/livez", Public, get(health::livez)),
        route(Method::GET, "/readyz", Public, get(health::readyz)),
        route(Method::GET, "/metrics", Needs(ReadPerformance), get(health::prometheus)),
    ];
    r.extend(performance::routes());
    r
}

/// The API's router, built from [`routes`]; several methods on one path merge.
pub fn router() -> Router<AppState> {
    routes()
        .into_iter()
        .fold(Router::new(), |router, r| router.route(r.path, r.handler))
        .method_not_allowed_fallback(super::request_guard::method_not_allowed)
}
