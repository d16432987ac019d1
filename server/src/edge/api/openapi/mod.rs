//! The OpenAPI 3.1 document of the JSON API, served at `GET /api/v1/openapi.json`.
//!
//! It is built from the route table ([`super::routes`]) — the same table the router and the
//! guard are built from — so a served route cannot be missing from it. Each route carries
//! its [`Doc`]; the schemas come from the API's own types (`ToSchema` on the DTOs, the
//! engine's import model and the shared domain types). What follows from the route itself
//! is added here: its tag and operation id, its path parameters, its security (public or
//! bearer/session) and the refusals every route of its kind can answer, each with the one
//! error body ([`ErrorBody`]).

mod doc;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use app::dto::Role;
use app::error::ErrorBody;
use axum::http::Method;
use axum::Json;
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{HttpMethod, Operation, OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{ComponentsBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::tag::TagBuilder;
use utoipa::openapi::{InfoBuilder, OpenApi, OpenApiBuilder, Paths, Ref, RefOr, Required};

pub use doc::{Doc, Failure, Payload};

use super::ApiRoute;
use crate::edge::access::Access;

/// Built once: it depends on nothing but the code.
static DOCUMENT: LazyLock<OpenApi> = LazyLock::new(document);

/// `GET /api/v1/openapi.json`.
pub async fn serve() -> Json<&'static OpenApi> {
    Json(&DOCUMENT)
}

const DESCRIPTION: &str = "The JSON API of PMR (Project Monthly Reports): projects (import, export), \
reports (generate, read, edit, move along the workflow), API tokens, and the performance monitor. \
\n\nAuthentication: an API token as `Authorization: Bearer pmr_…` (admins create tokens), or the \
browser's session cookie `pmr_session` (set by signing in). Roles are viewer < editor < admin; each \
operation says the least role it needs. `/livez`, `/readyz` and this document are public. \
\n\nEvery refusal and fault answers the same JSON body, `ErrorBody`: a stable `error` code, a \
`message`, and for validation failures `details` naming each broken rule by field.";

/// The whole document.
pub fn document() -> OpenApi {
    let (error_body, mut schemas) = named_schemas::<ErrorBody>();
    let mut paths = Paths::new();
    for route in super::routes() {
        let Some(method) = http_method(&route.method) else {
            tracing::error!(route = route.path, method = %route.method, "no OpenAPI name for the method");
            continue;
        };
        paths.add_path_operation(route.path, vec![method], operation(&route, &mut schemas));
    }
    let components = ComponentsBuilder::new()
        .schemas_from_iter(schemas)
        .responses_from_iter(Failure::ALL.map(|f| (f.name(), failure_response(f, &error_body))))
        .security_scheme("bearer", bearer())
        .security_scheme("session", session())
        .build();
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("PMR JSON API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(DESCRIPTION))
                .build(),
        )
        .paths(paths)
        .components(Some(components))
        .security(Some([
            SecurityRequirement::new("bearer", Vec::<String>::new()),
            SecurityRequirement::new("session", Vec::<String>::new()),
        ]))
        .tags(Some(TAGS.map(|(name, what)| {
            TagBuilder::new().name(name).description(Some(what)).build()
        })))
        .build()
}

fn named_schemas<T: utoipa::ToSchema>() -> (RefOr<Schema>, BTreeMap<String, RefOr<Schema>>) {
    let (schema, components) = doc::named::<T>();
    (schema, components.into_iter().collect())
}

fn http_method(m: &Method) -> Option<HttpMethod> {
    Some(match *m {
        Method::GET => HttpMethod::Get,
        Method::POST => HttpMethod::Post,
        Method::PUT => HttpMethod::Put,
        Method::DELETE => HttpMethod::Delete,
        Method::PATCH => HttpMethod::Patch,
        _ => return None,
    })
}

/// One route's operation; the schemas it names are added to `schemas`.
fn operation(route: &ApiRoute, schemas: &mut BTreeMap<String, RefOr<Schema>>) -> Operation {
    let doc = &route.doc;
    let mut op = OperationBuilder::new()
        .tag(tag(route.path))
        .operation_id(Some(operation_id(route)))
        .summary(Some(doc.summary))
        .description(Some(description(route)));
    for name in path_params(route.path) {
        let given = doc
            .params
            .iter()
            .find(|(p, _)| p.parameter_in == ParameterIn::Path && p.name == name);
        op = op.parameter(match given {
            Some((p, components)) => {
                schemas.extend(components.iter().cloned());
                p.clone()
            }
            None => ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                .build(),
        });
    }
    for (p, _) in doc.params.iter().filter(|(p, _)| p.parameter_in == ParameterIn::Query) {
        op = op.parameter(p.clone());
    }
    if let Some(body) = &doc.request {
        schemas.extend(body.components.iter().cloned());
        op = op.request_body(Some(
            RequestBodyBuilder::new()
                .required(Some(Required::True))
                .content(
                    body.media_type,
                    ContentBuilder::new().schema(Some(body.schema.clone())).build(),
                )
                .build(),
        ));
    }
    for answer in &doc.answers {
        schemas.extend(answer.payload.components.iter().cloned());
        let response = ResponseBuilder::new().description(answer.description).content(
            answer.payload.media_type,
            ContentBuilder::new()
                .schema(Some(answer.payload.schema.clone()))
                .build(),
        );
        op = op.response(answer.status.to_string(), response.build());
    }
    for f in failures(route) {
        op = op.response(f.status().to_string(), Ref::from_response_name(f.name()));
    }
    if route.access == Access::Public {
        // An empty requirement: no credentials needed.
        op = op.securities(Some([SecurityRequirement::default()]));
    }
    op.build()
}

/// The refusals a route can answer: its own, and those that follow from what it is.
fn failures(route: &ApiRoute) -> BTreeSet<Failure> {
    let mut out: BTreeSet<Failure> = route.doc.failures.iter().copied().collect();
    // The request deadline applies to every request.
    out.insert(Failure::Timeout);
    if let Access::Needs(action) = route.access {
        out.extend([Failure::Unauthorized, Failure::Internal]);
        // Everybody signed in is at least a viewer, and may read.
        if action.needs() > Role::Viewer || action.writes() {
            out.insert(Failure::Forbidden);
        }
    }
    if route.path.contains('{') {
        out.insert(Failure::NotFound);
    }
    if route.doc.request.is_some() {
        out.extend([Failure::TooLarge, Failure::Invalid]);
    }
    out
}

/// The `{name}`s of a path template, in order.
pub fn path_params(path: &str) -> impl Iterator<Item = &str> {
    path.split('/')
        .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
}

/// The route's description, ending with who may call it.
fn description(route: &ApiRoute) -> String {
    let who = match route.access {
        Access::Public => "Public: no credentials needed.".to_owned(),
        Access::Needs(action) => format!("Needs the `{}` role or above.", action.needs().as_str()),
    };
    match route.doc.description {
        Some(d) => format!("{d}\n\n{who}"),
        None => who,
    }
}

/// `get_reports_id_sections_section`: the method and the path's words.
fn operation_id(route: &ApiRoute) -> String {
    let words: Vec<&str> = route
        .path
        .trim_start_matches("/api/v1")
        .trim_start_matches("/api/reports/pmr")
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    format!("{}_{}", route.method.as_str().to_ascii_lowercase(), words.join("_"))
}

/// Tags, in the order a reader meets them.
const TAGS: [(&str, &str); 5] = [
    (
        "projects",
        "The portfolio, one project, import and export of the project format.",
    ),
    (
        "reports",
        "Generate reports, read their outline and sections, edit, move, audit.",
    ),
    ("tokens", "API tokens (admins)."),
    (
        "performance",
        "The performance monitor (SPEC §3): readings for viewers, switches for admins.",
    ),
    ("operations", "Probes, Prometheus metrics and this document."),
];

fn tag(path: &str) -> &'static str {
    let under = |prefix: &str| path.starts_with(prefix);
    if under("/api/v1/projects") {
        "projects"
    } else if under("/api/v1/reports") {
        "reports"
    } else if under("/api/v1/tokens") {
        "tokens"
    } else if under("/api/reports/pmr/performance") {
        "performance"
    } else {
        "operations"
    }
}

/// A refusal's reusable response: the error body, and `Retry-After` where it applies.
fn failure_response(f: Failure, error_body: &RefOr<Schema>) -> Response {
    let mut r = ResponseBuilder::new().description(f.description()).content(
        "application/json",
        ContentBuilder::new().schema(Some(error_body.clone())).build(),
    );
    if f.retries() {
        let seconds = ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(0));
        r = r.header(
            "Retry-After",
            HeaderBuilder::new()
                .schema(Some(seconds))
                .description(Some("Seconds to wait before retrying."))
                .build(),
        );
    }
    r.build()
}

fn bearer() -> SecurityScheme {
    SecurityScheme::Http(
        HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .bearer_format("pmr_…")
            .description(Some("An API token, `Authorization: Bearer pmr_…`."))
            .build(),
    )
}

fn session() -> SecurityScheme {
    SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
        "pmr_session",
        "The browser's session cookie, set by signing in at `/auth/sign-in`.",
    )))
}
