//! The HTTP edge: everything between a socket and the services. The router is built here
//! from the declared routes (the JSON API's table, the Leptos pages, the server functions);
//! the layers around it, outermost first: tracing, compression (of pages and API answers;
//! assets come compressed), browser hardening (`security`), request timing with closed-set
//! labels (`http_metrics`), static assets from memory (`assets`), normalised paths and the
//! request deadline (`request_guard`), the body limit, the principal
//! (`auth::attach_principal`), the cross-site check, and — after routing — the page cache
//! of report pages read again within a second (`page_cache`) and the guard that asks the
//! policy for the route's declared action (`guard`). `serve` runs it on a socket
//! with connection limits.

pub mod access;
pub mod api;
mod assets;
mod fn_errors;
mod guard;
mod http_metrics;
mod page_cache;
mod request_guard;
mod security;
pub mod serve;

use std::sync::Arc;

use app::services::SharedServices;
use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{any, post};
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use self::access::AccessTable;
use crate::auth;
use crate::state::AppState;

/// Every declared route: the API table's, the pages', the server functions', sign-in's.
pub fn access_table() -> AccessTable {
    AccessTable::build(api::routes().into_iter().map(|r| (r.method, r.path, r.access)))
}

/// Every route the router serves, as (method, path template): the API table's, the Leptos
/// pages', the server-function registry's, and sign-in's — the same sources the router is
/// built from, for the test that every one of them has a declared access.
pub fn served_routes() -> Vec<(Method, String)> {
    let mut out: Vec<(Method, String)> = api::routes()
        .into_iter()
        .map(|r| (r.method, r.path.to_owned()))
        .collect();
    for listing in generate_route_list(app::App) {
        out.push((Method::GET, listing.path().to_owned()));
    }
    for (path, method) in leptos::server_fn::axum::server_fn_paths() {
        out.push((method, path.to_owned()));
    }
    for (method, path, _) in access::AUTH {
        out.push((method.clone(), (*path).to_owned()));
    }
    out
}

pub fn router(state: AppState) -> Router {
    let services: SharedServices = Arc::new(state.services.clone());
    let leptos = state.leptos.clone();
    let assets = assets::Assets::load(&state.config.site_root);
    let names = assets.names().clone();
    let routes = generate_route_list(app::App);
    let request_timeout = state.config.http.request_timeout;
    Router::new()
        .route("/auth/sign-in", post(auth::sign_in))
        .route("/auth/sign-out", post(auth::sign_out))
        .merge(api::router())
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(services.clone());
                provide_context(names.clone());
            },
            move || app::shell(leptos.clone()),
        )
        .route_layer(from_fn_with_state(Arc::new(access_table()), guard::guard))
        // Unknown API paths: a JSON 404, after the guard (there is nothing to guard).
        .route("/api/{*rest}", any(request_guard::api_not_found))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(app::shell))
        .layer(from_fn_with_state(state.services.clone(), page_cache::serve))
        .layer(from_fn(fn_errors::status_from_body))
        .layer(from_fn(auth::refuse_cross_site))
        .layer(from_fn_with_state(state.auth.clone(), auth::attach_principal))
        .layer(DefaultBodyLimit::max(api::BODY_LIMIT))
        .layer(from_fn_with_state(request_timeout, request_guard::deadline))
        .layer(from_fn(request_guard::clean_path))
        .layer(from_fn_with_state(assets, assets::serve))
        .layer(from_fn_with_state(
            state.services.monitor().clone(),
            http_metrics::record,
        ))
        .layer(from_fn_with_state(state.config.clone(), security::harden))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
