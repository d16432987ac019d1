//! The server's error type and its one mapping to HTTP: a status per variant and the
//! shared JSON body `{"error": code, "message": …, "details": [{"field", "rule"}]}`. Server
//! faults get a generic message and are logged once, here, with their cause chain; client
//! faults say what to fix.

use std::fmt;

use app::error::{AppError, ErrorBody, FieldRule};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use engine::{EngineError, FieldError, ValidationErrors};

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The cause of a server fault, kept for the log.
pub type Cause = Box<dyn std::error::Error + Send + Sync>;

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
    Store(sqlx::Error),
    /// A server fault: what was being done, and why it failed.
    #[error("{context}{}", Suffix(.cause))]
    Internal {
        context: String,
        #[source]
        cause: Option<Cause>,
    },
}

/// `: cause` after an internal error's context, when it has a cause.
struct Suffix<'a>(&'a Option<Cause>);

impl fmt::Display for Suffix<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(c) => write!(f, ": {c}"),
            None => Ok(()),
        }
    }
}

impl Error {
    pub fn invalid(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Self::Invalid(ValidationErrors::single(field, rule))
    }

    /// A server fault with no underlying error (a broken invariant).
    pub fn internal(context: impl Into<String>) -> Self {
        Self::Internal {
            context: context.into(),
            cause: None,
        }
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
            Self::Store(_) | Self::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
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
            Self::Store(_) | Self::Internal { .. } => "internal",
        }
    }

    /// Whether this is the server's fault (logged once, answered generically).
    pub fn is_fault(&self) -> bool {
        matches!(self, Self::Store(_) | Self::Internal { .. })
    }
}

/// `.context("loading project")` on any fallible result: the failure becomes an internal
/// error that keeps its cause.
pub trait Context<T> {
    fn context(self, context: impl Into<String>) -> Result<T>;
}

impl<T, E: std::error::Error + Send + Sync + 'static> Context<T> for std::result::Result<T, E> {
    fn context(self, context: impl Into<String>) -> Result<T> {
        self.map_err(|e| {
            let context = context.into();
            match (&e as &dyn std::any::Any).downcast_ref::<sqlx::Error>() {
                Some(db) if is_unreachable(db) => unreachable_store(&context, db),
                _ => Error::Internal {
                    context,
                    cause: Some(Box::new(e)),
                },
            }
        })
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        if is_unreachable(&e) {
            unreachable_store("store", &e)
        } else {
            Self::Store(e)
        }
    }
}

/// The database cannot be reached (down, restarting, every connection busy): not a fault
/// of the request, and likely to pass — a 503 with `Retry-After`, as the balancer expects
/// from an instance whose `/readyz` is failing too.
fn is_unreachable(e: &sqlx::Error) -> bool {
    matches!(
        e,
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_)
    )
}

fn unreachable_store(context: &str, e: &sqlx::Error) -> Error {
    tracing::warn!(%context, error = %e, "database unreachable");
    Error::Busy {
        reason: "the database cannot be reached right now; try again shortly".into(),
        retry_after_secs: 5,
    }
}

impl From<EngineError> for Error {
    fn from(e: EngineError) -> Self {
        match e {
            // Only ever seen by a requester who is gone; logged, never a client's mistake.
            EngineError::Cancelled => Self::internal(e.to_string()),
            e => Self::Invalid(ValidationErrors(e.fields())),
        }
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
            e if e.is_fault() => {
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
            details: details.into_iter().map(rule).collect(),
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

fn rule(f: FieldError) -> FieldRule {
    FieldRule {
        field: f.field,
        rule: f.rule,
    }
}

/// What the UI and the other service callers see of a server error. Faults are logged
/// here, once, with their cause.
impl From<Error> for AppError {
    fn from(e: Error) -> Self {
        match e {
            Error::NotFound(what) => AppError::NotFound(what),
            Error::Invalid(v) => AppError::Invalid(v.0.into_iter().map(rule).collect()),
            Error::Unauthorized => AppError::Unauthorized,
            Error::Forbidden(why) => AppError::Forbidden(why),
            Error::Conflict(why) => AppError::Conflict(why),
            Error::RateLimited { retry_after_secs } => AppError::RateLimited(retry_after_secs),
            Error::TooLarge { .. } => AppError::invalid("body", e.to_string()),
            Error::Busy {
                reason,
                retry_after_secs,
            } => AppError::Unavailable {
                reason,
                retry_after_secs,
            },
            Error::Store(_) | Error::Internal { .. } => {
                tracing::error!(error = %e, "request failed");
                AppError::Internal
            }
        }
    }
}

/// And back, for edges that answer an `AppError` over HTTP. An `AppError::Internal` was
/// already logged where it arose, so it is not logged again.
impl From<AppError> for Error {
    fn from(e: AppError) -> Self {
        match e {
            AppError::NotFound(w) => Error::NotFound(w),
            AppError::Unauthorized => Error::Unauthorized,
            AppError::Forbidden(w) => Error::Forbidden(w),
            AppError::Invalid(rules) => Error::Invalid(ValidationErrors(
                rules.into_iter().map(|r| FieldError::new(r.field, r.rule)).collect(),
            )),
            AppError::Conflict(w) => Error::Conflict(w),
            AppError::RateLimited(s) => Error::RateLimited { retry_after_secs: s },
            AppError::Unavailable {
                reason,
                retry_after_secs,
            } => Error::Busy {
                reason,
                retry_after_secs,
            },
            AppError::Transport(w) => Error::internal(w),
            AppError::Internal => Error::internal("internal error"),
        }
    }
}

/// An `AppError` answered over HTTP with the shared body (faults were logged already).
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        Self(e)
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        Self(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = self.0.body();
        let retry = body.retry_after_secs;
        let mut res = (status, Json(body)).into_response();
        if let Some(secs) = retry {
            if let Ok(v) = secs.to_string().parse() {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        res
    }
}
