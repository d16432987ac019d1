//! The server's error type and its one mapping to HTTP: a status per variant and a JSON
//! body `{"error": code, "message": …, "details": [{"field", "rule"}]}`. Server faults get a
//! generic message (the cause is logged once, here); client faults say what to fix.

use app::error::{AppError, ErrorBody, FieldRule};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use engine::{EngineError, FieldError, ValidationErrors};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("not found: {0}")]
    NotFound(String),
    #[error("invalid input: {0}")]
    Invalid(ValidationErrors),
    #[error("sign-in required")]
    Unauthorized,
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("too many requests")]
    RateLimited { retry_after_secs: u64 },
    #[error("request body too large (limit {limit_bytes} bytes)")]
    TooLarge { limit_bytes: usize },
    /// Too much work in hand right now (admission control); try again later.
    #[error("{reason}")]
    Busy { reason: String, retry_after_secs: u64 },
    #[error("store: {0}")]
    Store(#[from] sqlx::Error),
    #[error("internal: {0}")]
    Internal(String),
}

impl Error {
    pub fn invalid(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Self::Invalid(ValidationErrors::single(field, rule))
    }

    pub fn status_code(&self) -> StatusCode {
        match self {
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Self::Store(_) | Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::NotFound(_) => "not_found",
            Self::Invalid(_) => "validation_failed",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::Conflict(_) => "conflict",
            Self::RateLimited { .. } => "rate_limited",
            Self::TooLarge { .. } => "too_large",
            Self::Busy { .. } => "unavailable",
            Self::Store(_) | Self::Internal(_) => "internal",
        }
    }
}

impl From<EngineError> for Error {
    fn from(e: EngineError) -> Self {
        Self::Invalid(ValidationErrors(e.fields()))
    }
}

impl From<ValidationErrors> for Error {
    fn from(e: ValidationErrors) -> Self {
        Self::Invalid(e)
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status_code();
        let (message, details) = match &self {
            Self::Store(_) | Self::Internal(_) => {
                tracing::error!(error = %self, "request failed");
                ("internal error".to_owned(), Vec::new())
            }
            Self::Invalid(v) => (v.to_string(), v.0.clone()),
            other => (other.to_string(), Vec::new()),
        };
        let retry_after = match &self {
            Self::RateLimited { retry_after_secs } | Self::Busy { retry_after_secs, .. } => Some(*retry_after_secs),
            _ => None,
        };
        let body = ErrorBody {
            error: self.code().to_owned(),
            message,
            details: details
                .into_iter()
                .map(|f| FieldRule {
                    field: f.field,
                    rule: f.rule,
                })
                .collect(),
            retry_after_secs: retry_after,
        };
        let mut res = (status, Json(body)).into_response();
        if let Some(secs) = retry_after {
            if let Ok(v) = secs.to_string().parse() {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        res
    }
}

/// What the UI sees of a server error.
impl From<Error> for AppError {
    fn from(e: Error) -> Self {
        match e {
            Error::NotFound(what) => AppError::NotFound(what),
            Error::Invalid(v) => {
                let first =
                    v.0.first()
                        .cloned()
                        .unwrap_or_else(|| FieldError::new("input", "is invalid"));
                let rule = if v.0.len() > 1 {
                    format!("{} (and {} more)", first.rule, v.0.len() - 1)
                } else {
                    first.rule
                };
                AppError::Invalid {
                    field: first.field,
                    rule,
                }
            }
            Error::Unauthorized => AppError::Unauthorized,
            Error::Forbidden(why) => AppError::Forbidden(why),
            Error::Conflict(why) => AppError::Conflict(why),
            Error::RateLimited { retry_after_secs } => AppError::RateLimited(retry_after_secs),
            Error::TooLarge { .. } => AppError::invalid("body", e.to_string()),
            Error::Busy { reason, .. } => AppError::Unavailable(reason),
            Error::Store(_) | Error::Internal(_) => {
                tracing::error!(error = %e, "request failed");
                AppError::Internal
            }
        }
    }
}

/// And back: an `AppError` raised by shared code, answered over the JSON API.
impl From<AppError> for Error {
    fn from(e: AppError) -> Self {
        match e {
            AppError::NotFound(w) => Error::NotFound(w),
            AppError::Unauthorized => Error::Unauthorized,
            AppError::Forbidden(w) => Error::Forbidden(w),
            AppError::Invalid { field, rule } => Error::invalid(field, rule),
            AppError::Conflict(w) => Error::Conflict(w),
            AppError::RateLimited(s) => Error::RateLimited { retry_after_secs: s },
            AppError::Unavailable(w) => Error::Busy {
                reason: w,
                retry_after_secs: 1,
            },
            AppError::Transport(w) => Error::Internal(w),
            AppError::Internal => Error::Internal("internal error".into()),
        }
    }
}
