//! The one error type server functions return, its HTTP status, and its wire form.
//!
//! On the wire an `AppError` is the same JSON body the JSON API answers with —
//! `{"error": code, "message": …, "details": [{"field", "rule"}]}` — so a client of either
//! sees one error shape. On the server, [`AppError::respond`] sets the response status;
//! errors raised before a server function's body runs (missing or malformed arguments)
//! are mapped to 422 here and given their status by the server's error-status layer.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AppError {
    #[error("not found: {0}")]
    NotFound(String),
    #[error("sign-in required")]
    Unauthorized,
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// Input that breaks rules, each named: `work_packages[3].duration.pessimistic: …`.
    #[error("{}", describe(.0))]
    Invalid(Vec<FieldRule>),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("too many requests; try again in {0} s")]
    RateLimited(u64),
    /// Too busy right now (admission control); worth retrying after a while.
    #[error("{reason}")]
    Unavailable { reason: String, retry_after_secs: u64 },
    #[error("internal error")]
    Internal,
    #[error("request failed: {0}")]
    Transport(String),
}

/// One broken rule, as the JSON API names it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldRule {
    /// Where, as a path into the input: `work_packages[3].duration.pessimistic`.
    pub field: String,
    /// The rule it breaks, in words.
    pub rule: String,
}

/// The JSON error body shared by the JSON API and server functions.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// A stable code: `not_found`, `validation_failed`, `conflict`, …
    pub error: String,
    /// What went wrong, for people; generic for server faults.
    pub message: String,
    /// Each broken rule of a `validation_failed` refusal, naming its field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<FieldRule>,
    /// For `rate_limited` and `unavailable`: seconds to wait (also sent as `Retry-After`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u64>,
}

/// `invalid period: must be a month (and 2 more)`.
fn describe(rules: &[FieldRule]) -> String {
    match rules {
        [] => "invalid input".to_owned(),
        [one] => format!("invalid {}: {}", one.field, one.rule),
        [first, rest @ ..] => format!("invalid {}: {} (and {} more)", first.field, first.rule, rest.len()),
    }
}

impl AppError {
    pub fn invalid(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldRule {
            field: field.into(),
            rule: rule.into(),
        }])
    }

    /// The first broken rule of an `Invalid`, for messages that name one field.
    pub fn first_rule(&self) -> Option<&FieldRule> {
        match self {
            Self::Invalid(rules) => rules.first(),
            _ => None,
        }
    }

    pub fn status(&self) -> u16 {
        status_of(self.code())
    }

    /// The stable code of the JSON body.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound(_) => "not_found",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::Invalid(_) => "validation_failed",
            Self::Conflict(_) => "conflict",
            Self::RateLimited(_) => "rate_limited",
            Self::Unavailable { .. } => "unavailable",
            Self::Internal => "internal",
            Self::Transport(_) => "transport",
        }
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: self.code().to_owned(),
            message: self.to_string(),
            details: match self {
                Self::Invalid(rules) => rules.clone(),
                _ => Vec::new(),
            },
            retry_after_secs: match self {
                Self::RateLimited(s)
                | Self::Unavailable {
                    retry_after_secs: s, ..
                } => Some(*s),
                _ => None,
            },
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

/// The HTTP status for an error code (unknown codes are server faults).
pub fn status_of(code: &str) -> u16 {
    match code {
        "bad_path" => 400,
        "not_found" => 404,
        "method_not_allowed" => 405,
        "timeout" => 408,
        "unauthorized" => 401,
        "forbidden" | "cross_site" => 403,
        "validation_failed" => 422,
        "conflict" => 409,
        "too_large" => 413,
        "rate_limited" => 429,
        "headers_too_large" => 431,
        "unavailable" => 503,
        _ => 500,
    }
}

/// The detail after the message prefix the `Display` impl adds, so a round trip through
/// [`ErrorBody`] gives back the same error.
fn strip<'a>(message: &'a str, prefix: &str) -> &'a str {
    message.strip_prefix(prefix).unwrap_or(message)
}

impl From<ErrorBody> for AppError {
    fn from(b: ErrorBody) -> Self {
        match b.error.as_str() {
            "not_found" => Self::NotFound(strip(&b.message, "not found: ").to_owned()),
            "unauthorized" => Self::Unauthorized,
            "forbidden" | "cross_site" => Self::Forbidden(strip(&b.message, "forbidden: ").to_owned()),
            "validation_failed" | "too_large" if !b.details.is_empty() => Self::Invalid(b.details),
            "validation_failed" | "too_large" => Self::invalid("input", b.message),
            "conflict" => Self::Conflict(strip(&b.message, "conflict: ").to_owned()),
            "rate_limited" => Self::RateLimited(b.retry_after_secs.unwrap_or(1)),
            "unavailable" => Self::Unavailable {
                reason: b.message,
                retry_after_secs: b.retry_after_secs.unwrap_or(1),
            },
            "transport" => Self::Transport(strip(&b.message, "request failed: ").to_owned()),
            _ => Self::Internal,
        }
    }
}

impl Serialize for AppError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.body().serialize(s)
    }
}

impl<'de> Deserialize<'de> for AppError {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        ErrorBody::deserialize(d).map(Self::from)
    }
}

/// The field a decoding error names, if it names one: serde writes ``missing field `x` ``
/// and ``unknown field `x` ``.
fn named_field(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    let name = &message[start..start + len];
    (!name.is_empty() && name.len() <= 64).then(|| name.to_owned())
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The request's arguments did not decode: the caller's mistake, never a 500.
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::Deserialization(m) if cfg!(feature = "ssr") => {
                Self::invalid(named_field(&m).unwrap_or_else(|| "arguments".into()), m)
            }
            ServerFnErrorErr::MissingArg(name) => Self::invalid(name, "is required"),
            ServerFnErrorErr::UnsupportedRequestMethod(m) => {
                Self::invalid("method", format!("{m} is not allowed here"))
            }
            other => Self::Transport(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_api_body() {
        for e in [
            AppError::NotFound("report \"x\"".into()),
            AppError::Unauthorized,
            AppError::Forbidden("needs the editor role".into()),
            AppError::invalid("period", "must be a month"),
            AppError::Conflict("stale".into()),
            AppError::RateLimited(7),
            AppError::Unavailable {
                reason: "busy".into(),
                retry_after_secs: 3,
            },
            AppError::Invalid(vec![
                FieldRule {
                    field: "a".into(),
                    rule: "x".into(),
                },
                FieldRule {
                    field: "b".into(),
                    rule: "y".into(),
                },
            ]),
            AppError::Internal,
        ] {
            let json = serde_json::to_string(&e).expect("serialises");
            assert!(json.starts_with("{\"error\":"), "{json}");
            let back: AppError = serde_json::from_str(&json).expect("parses");
            assert_eq!(back, e, "{json}");
        }
    }

    #[test]
    fn names_the_field_of_a_decoding_error() {
        assert_eq!(named_field("missing field `report_id`").as_deref(), Some("report_id"));
        assert_eq!(named_field("invalid digit"), None);
    }
}
