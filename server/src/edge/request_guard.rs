//! What every request must satisfy before anything else looks at it:
//! - a **normalised path**: no `.` or `..` segments, no empty segments (`//`), no
//!   backslashes, control characters or percent-encoded `/`, `\` or `.` — so a check on the
//!   path (is it a public asset?) means what it says, and `/pkg/../x` never reaches a page;
//! - a **deadline**: a request (its body included) that takes longer than the configured
//!   time is answered 408 and its work is dropped, so a client that trickles a body cannot
//!   hold a task forever.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;

use app::error::ErrorBody;

/// Why a path is refused, or `None` when it is clean.
pub fn path_problem(path: &str) -> Option<&'static str> {
    if !path.starts_with('/') {
        return Some("must start with /");
    }
    let lower = path.to_ascii_lowercase();
    if ["%2f", "%5c", "%2e", "%00"].iter().any(|enc| lower.contains(enc)) {
        return Some("must not percent-encode '/', '\\\\', '.' or NUL");
    }
    if path.bytes().any(|b| b == b'\\' || b.is_ascii_control()) {
        return Some("must not contain backslashes or control characters");
    }
    // The root is one empty segment; elsewhere an empty segment is a `//`.
    let segments: Vec<&str> = path[1..].split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        if seg.is_empty() && i + 1 != segments.len() {
            return Some("must not contain empty segments");
        }
        if *seg == "." || *seg == ".." {
            return Some("must not contain . or .. segments");
        }
    }
    None
}

fn refusal(status: StatusCode, code: &str, message: String) -> Response {
    let body = ErrorBody {
        error: code.to_owned(),
        message,
        details: Vec::new(),
        retry_after_secs: None,
    };
    (status, Json(body)).into_response()
}

pub async fn clean_path(req: Request, next: Next) -> Response {
    match path_problem(req.uri().path()) {
        None => next.run(req).await,
        Some(rule) => refusal(StatusCode::BAD_REQUEST, "bad_path", format!("the request path {rule}")),
    }
}

pub async fn deadline(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(res) => res,
        Err(_) => refusal(
            StatusCode::REQUEST_TIMEOUT,
            "timeout",
            format!("the request took longer than {} s", limit.as_secs()),
        ),
    }
}

/// Unknown `/api/…` paths: a JSON 404 like every other API error, never an HTML page.
pub async fn api_not_found() -> Response {
    refusal(
        StatusCode::NOT_FOUND,
        "not_found",
        "not found: no such API route".into(),
    )
}

/// A known API route asked with a method it does not serve.
pub async fn method_not_allowed() -> Response {
    refusal(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this route does not accept that method".into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_could_escape_a_prefix_check() {
        for bad in [
            "/pkg/../reports/x",
            "/pkg/./x",
            "/pkg/%2e%2e/x",
            "/pkg/%2E%2e/x",
            "/pkg/..%2fx",
            "/pkg\\..\\x",
            "//evil",
            "/a//b",
            "/a/%00",
            "/a/..",
        ] {
            assert!(path_problem(bad).is_some(), "{bad}");
        }
        for good in [
            "/",
            "/pkg/pmr.css",
            "/reports/apollo-2026-10/sections/notes",
            "/a/b/",
            "/x?y=1",
        ] {
            assert_eq!(path_problem(good), None, "{good}");
        }
    }
}
