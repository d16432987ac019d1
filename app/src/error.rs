//! The one error type server functions return, and its HTTP status.
//!
//! It travels to the browser as JSON, so an island can show the message. On the server,
//! [`AppError::respond`] also sets the response status so a failing server function answers
//! 404/401/403/422 rather than a blanket 500.

use leptos::server_fn::{codec::JsonEncoding, error::FromServerFnError};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not found: {0}")]
    NotFound(String),
    #[error("sign-in required")]
    Unauthorized,
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("invalid {field}: {rule}")]
    Invalid { field: String, rule: String },
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("too many requests; try again in {0} s")]
    RateLimited(u64),
    #[error("{0}")]
    Unavailable(String),
    #[error("internal error")]
    Internal,
    #[error("request failed: {0}")]
    Transport(String),
}

impl AppError {
    pub fn invalid(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.into(),
            rule: rule.into(),
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            Self::NotFound(_) => 404,
            Self::Unauthorized => 401,
            Self::Forbidden(_) => 403,
            Self::Invalid { .. } => 422,
            Self::Conflict(_) => 409,
            Self::RateLimited(_) => 429,
            Self::Unavailable(_) => 503,
            Self::Internal | Self::Transport(_) => 500,
        }
    }

    /// Sets the HTTP status of the current server-function response and hands the error
    /// back, for `.map_err(AppError::respond)`.
    #[cfg(feature = "ssr")]
    pub fn respond(self) -> Self {
        if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            if let Ok(code) = http::StatusCode::from_u16(self.status()) {
                res.set_status(code);
            }
        }
        self
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        Self::Transport(value.to_string())
    }
}
