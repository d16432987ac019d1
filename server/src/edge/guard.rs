//! The authorization guard: runs after routing (a `route_layer`), finds the matched route's
//! declared [`Access`], and asks the policy. Nobody → 401 for the API, server functions and
//! state changes, a redirect to sign-in for pages; a role too low → 403; a route with no
//! declaration → refused (a server bug, logged). Handlers, server functions and pages never
//! compare roles themselves.

use std::sync::Arc;

use app::policy::{authorize, Principal};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::access::{Access, AccessTable};
use crate::error::{ApiError, Error};

pub async fn guard(State(table): State<Arc<AccessTable>>, req: Request, next: Next) -> Response {
    let Some(template) = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_owned()) else {
        return next.run(req).await;
    };
    let access = match table.get(req.method(), &template) {
        Some(a) => a,
        // Another method of a declared route: the router answers 405.
        None if table.declares_path(&template) => return next.run(req).await,
        None => {
            tracing::error!(route = %template, method = %req.method(), "route has no declared access; refused");
            return Error::Forbidden("this route has no access rule".into()).into_response();
        }
    };
    let Access::Needs(action) = access else {
        return next.run(req).await;
    };
    match authorize(req.extensions().get::<Principal>(), action) {
        Ok(()) => next.run(req).await,
        Err(app::error::AppError::Unauthorized) if is_page(&req) => to_sign_in(&req),
        Err(e) => ApiError(e).into_response(),
    }
}

/// A page a browser navigates to (rather than the API, a server function or a form post).
fn is_page(req: &Request) -> bool {
    let path = req.uri().path();
    req.method() == Method::GET && !path.starts_with("/api/") && !path.starts_with("/ws/") && path != "/metrics"
}

/// Sign in first, then come back here.
fn to_sign_in(req: &Request) -> Response {
    let back = req.uri().path_and_query().map_or("/", |pq| pq.as_str());
    let location = format!("/sign-in?next={}", app::url::escape(back));
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}
