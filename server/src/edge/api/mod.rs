//! The JSON API: `/api/v1` (projects, reports, sections, tokens, its OpenAPI document), the
//! performance API under `/api/reports/pmr/performance`, health probes and `/metrics`. Every
//! route is declared once in [`routes`] with the action it performs and its documentation;
//! the router, the guard's access table and the OpenAPI document are all built from that
//! table, so a route cannot exist without a rule or a description. Handlers are thin:
//! extract, call the services, map the result to the API's own types ([`dto`]).

pub mod dto;
mod extract;
mod health;
pub mod openapi;
mod performance;
mod projects;
mod reports;
mod tokens;

use app::domain::ReportId;
use app::services::GenerateRequest;
use axum::http::Method;
use axum::routing::{delete, get, post, put, MethodRouter};
use axum::Router;
use engine::{Project, ProjectId};
use utoipa::PartialSchema;

use app::policy::Action;

pub use extract::{Caller, JsonBody, RawBody, BODY_LIMIT};

use self::dto::*;
use self::openapi::{Doc, Failure, Payload};
use super::access::Access;
use crate::state::AppState;

/// One API route: method, path template (axum syntax, which is OpenAPI's too), what it
/// needs, its handler, and what the OpenAPI document says about it.
pub struct ApiRoute {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    pub handler: MethodRouter<AppState>,
    pub doc: Doc,
}

fn route(method: Method, path: &'static str, access: Access, handler: MethodRouter<AppState>, doc: Doc) -> ApiRoute {
    ApiRoute {
        method,
        path,
        access,
        handler,
        doc,
    }
}

/// Every API route with its declared access and documentation.
pub fn routes() -> Vec<ApiRoute> {
    let mut r = projects_routes();
    r.extend(reports_routes());
    r.extend(comments_routes());
    r.extend(tokens_routes());
    r.extend(operations_routes());
    r.extend(performance::routes());
    r
}

fn projects_routes() -> Vec<ApiRoute> {
    use Access::Needs;
    use Action::*;
    vec![
        route(
            Method::GET,
            "/api/v1/projects",
            Needs(ReadProjects),
            get(projects::list),
            Doc::new("The portfolio: every project and where it stands").answer(
                200,
                "The projects, by name",
                Payload::list::<PortfolioRowDto>(),
            ),
        ),
        route(
            Method::POST,
            "/api/v1/projects",
            Needs(ImportProject),
            post(projects::import),
            Doc::new("Import a project (the import format); replaces one with the same id")
                .describe(
                    "The document is refused whole when any rule breaks: a 422 lists every broken rule \
                     with its JSON path (`work_packages[3].duration.pessimistic`).",
                )
                .body::<Project>()
                .answer(201, "A new project was stored", Payload::json::<ImportedDto>())
                .answer(200, "An existing project was replaced", Payload::json::<ImportedDto>()),
        ),
        route(
            Method::GET,
            "/api/v1/projects/{id}",
            Needs(ReadProjects),
            get(projects::show),
            Doc::new("One project: its figures, snapshots and reports")
                .path::<ProjectId>("id", "The project's id.")
                .ok::<ProjectDto>("The project"),
        ),
        route(
            Method::GET,
            "/api/v1/projects/{id}/export",
            Needs(ExportProject),
            get(projects::export),
            Doc::new("A project's full input in the import format, as a download")
                .describe("Importing the export gives the same project back.")
                .path::<ProjectId>("id", "The project's id.")
                .ok::<Project>("The project document (`Content-Disposition: attachment`)"),
        ),
    ]
}

fn reports_routes() -> Vec<ApiRoute> {
    use Access::Needs;
    use Action::*;
    let report = |doc: Doc| doc.path::<ReportId>("id", "The report's id.");
    let section = |doc: Doc| report(doc).path::<app::domain::SectionId>("section", "The section's id.");
    vec![
        route(
            Method::POST,
            "/api/v1/reports",
            Needs(GenerateReport),
            post(reports::generate),
            Doc::new("Generate a report for a project's period")
                .describe(
                    "Runs the whole pipeline (metrics, Monte Carlo, insights, summary, charts). Rate \
                     limited per caller; identical requests at the same time share one run.",
                )
                .body::<GenerateRequest>()
                .answer(201, "The report was generated", Payload::json::<GeneratedDto>())
                .may(&[Failure::Conflict, Failure::RateLimited, Failure::Busy]),
        ),
        route(
            Method::GET,
            "/api/v1/reports/{id}",
            Needs(ReadReports),
            get(reports::show),
            report(Doc::new("A report's outline: status, versions, sections")).ok::<ReportDto>("The outline"),
        ),
        route(
            Method::POST,
            "/api/v1/reports/{id}/status",
            Needs(ChangeStatus),
            post(reports::set_status),
            report(Doc::new("Move a report along its workflow"))
                .describe(
                    "draft → review → approved → distributed; review → draft. Approving and \
                     distributing need an admin; approving freezes every section as it reads now.",
                )
                .body::<StatusChangeRequest>()
                .ok::<StatusChangedDto>("The report's new status")
                .may(&[Failure::Conflict, Failure::Busy]),
        ),
        route(
            Method::GET,
            "/api/v1/reports/{id}/audit",
            Needs(ReadReports),
            get(reports::audit),
            report(Doc::new("A report's audit log, oldest first")).answer(
                200,
                "The entries",
                Payload::list::<AuditEntryDto>(),
            ),
        ),
        route(
            Method::GET,
            "/api/v1/reports/{id}/sections/{section}",
            Needs(ReadReports),
            get(reports::section),
            section(Doc::new("One section with its content"))
                .describe("Computed now (through the cache), or as frozen when the report was approved.")
                .query(
                    "criticality",
                    "For a Monte Carlo section: `top` (default) keeps the most critical work \
                     packages, `all` lists every one.",
                    reports::criticality_schema(),
                )
                .ok::<SectionDocumentDto>("The section")
                .may(&[Failure::Busy]),
        ),
        route(
            Method::PUT,
            "/api/v1/reports/{id}/sections/{section}",
            Needs(EditSection),
            put(reports::edit_section),
            section(Doc::new("Write a custom section's Markdown"))
                .describe(
                    "Saved only if `base_version` is still the section's version (else 409: someone \
                     saved first). Only custom sections of reports that are not frozen are written.",
                )
                .body::<EditSectionRequest>()
                .ok::<SectionWrittenDto>("The section's new version")
                .may(&[Failure::Conflict]),
        ),
    ]
}

fn comments_routes() -> Vec<ApiRoute> {
    use Access::Needs;
    use Action::*;
    let report = |doc: Doc| doc.path::<ReportId>("id", "The report's id.");
    vec![
        route(
            Method::GET,
            "/api/v1/reports/{id}/comments",
            Needs(ReadReports),
            get(reports::comments),
            report(Doc::new("A report's comments, oldest first (threads by `parent_id`)")).answer(
                200,
                "The comments",
                Payload::list::<CommentDto>(),
            ),
        ),
        route(
            Method::POST,
            "/api/v1/reports/{id}/comments",
            Needs(Comment),
            post(reports::add_comment),
            report(Doc::new("Comment on a section, or reply to a comment"))
                .describe("Stored with its event before anyone hears of it; the report's room gets `comment_added`.")
                .body::<AddCommentRequest>()
                .answer(201, "The comment was stored", Payload::json::<CommentAddedDto>()),
        ),
        route(
            Method::POST,
            "/api/v1/reports/{id}/comments/{comment}/resolve",
            Needs(Comment),
            post(reports::resolve_comment),
            report(Doc::new("Resolve a comment's thread"))
                .path_with("comment", "The comment's id.", <i64 as PartialSchema>::schema())
                .ok::<CommentResolvedDto>("Resolved")
                .may(&[Failure::Conflict]),
        ),
    ]
}

fn tokens_routes() -> Vec<ApiRoute> {
    use Access::Needs;
    use Action::*;
    vec![
        route(
            Method::GET,
            "/api/v1/tokens",
            Needs(ManageTokens),
            get(tokens::list),
            Doc::new("Every API token, revoked ones included (never a secret)").answer(
                200,
                "The tokens",
                Payload::list::<TokenDto>(),
            ),
        ),
        route(
            Method::POST,
            "/api/v1/tokens",
            Needs(ManageTokens),
            post(tokens::create),
            Doc::new("Create an API token").body::<CreateTokenRequest>().answer(
                201,
                "The token, with its secret (shown this once)",
                Payload::json::<CreatedTokenDto>(),
            ),
        ),
        route(
            Method::DELETE,
            "/api/v1/tokens/{id}",
            Needs(ManageTokens),
            delete(tokens::revoke),
            Doc::new("Revoke a token: at once, its sessions too")
                .path_with("id", "The token's id.", <i64 as PartialSchema>::schema())
                .ok::<RevokedTokenDto>("The token is revoked"),
        ),
    ]
}

fn operations_routes() -> Vec<ApiRoute> {
    use Access::{Needs, Public};
    use Action::*;
    vec![
        route(
            Method::GET,
            "/livez",
            Public,
            get(health::livez),
            Doc::new("Liveness: the process answers (no dependency is checked)").ok::<LiveDto>("Alive"),
        ),
        route(
            Method::GET,
            "/readyz",
            Public,
            get(health::readyz),
            Doc::new("Readiness: the store answers (a degraded cache is still ready)")
                .ok::<ReadyDto>("Ready")
                .answer(503, "The store does not answer", Payload::json::<NotReadyDto>()),
        ),
        route(
            Method::GET,
            "/metrics",
            Needs(ReadPerformance),
            get(health::prometheus),
            Doc::new("The monitor's metrics in Prometheus' text format").answer(
                200,
                "Prometheus exposition format 0.0.4",
                Payload::text(
                    "text/plain",
                    "Prometheus text: histograms in seconds, counters, gauges.",
                ),
            ),
        ),
        route(
            Method::GET,
            "/ws/reports/{id}",
            Needs(ReadReports),
            get(crate::collab::upgrade),
            Doc::new("The report's live collaboration socket (WebSocket)")
                .describe(
                    "Upgrades to the WebSocket protocol of SPEC §5 (frames `{type, data, id?}`); \
                     `since` resumes after an event offset. The `Origin` must be this site's own.",
                )
                .path::<ReportId>("id", "The report's id.")
                .query(
                    "since",
                    "The last event offset the client saw: every later event is replayed once, in order.",
                    <u64 as PartialSchema>::schema(),
                )
                .answer(
                    101,
                    "Switching to the WebSocket protocol",
                    Payload::text("application/json", "WebSocket frames follow."),
                ),
        ),
        // Public: it describes shapes, holds no data, and clients and code generators need it
        // before they have a token. Nothing in it is more than the README and SPEC say.
        route(
            Method::GET,
            "/api/v1/openapi.json",
            Public,
            get(openapi::serve),
            Doc::new("This document: the API in OpenAPI 3.1").answer(
                200,
                "The document",
                Payload::object("An OpenAPI 3.1 document."),
            ),
        ),
    ]
}

/// The API's router, built from [`routes`]; several methods on one path merge.
pub fn router() -> Router<AppState> {
    routes()
        .into_iter()
        .fold(Router::new(), |router, r| router.route(r.path, r.handler))
        .method_not_allowed_fallback(super::request_guard::method_not_allowed)
}
