//! The crate's error types. A bad client frame is a [`ProtocolError`] that names the field
//! and the rule — it becomes an `error` frame and the connection stays up — never a panic.
//! A bad setting is a [`ConfigError`] naming the [`crate::HubConfig`] field.
//!
//! What the backend may answer (refusals, history gaps, rejected commands) lives with the
//! [`crate::Backend`] seam, because the server produces those.

/// Why a client frame was rejected. Each variant maps to one `error` code ([`Self::code`]) and
/// names the offending field as a dotted path (`data.section_id`) where there is one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProtocolError {
    /// Not JSON at all (or not UTF-8).
    #[error("frame is not valid JSON: {detail}")]
    InvalidJson { detail: String },
    /// JSON, but not an object `{"type": …, "data": …, "id"?: …}`.
    #[error("frame must be a JSON object with \"type\", \"data\" and an optional \"id\"")]
    NotAnObject,
    /// `type` names no client message.
    #[error("type: unknown message type {found:?}; expected one of section_update, cursor, comment_add, comment_resolve, ping")]
    UnknownType { found: String },
    #[error("{field}: is required")]
    MissingField { field: String },
    #[error("{field}: must be {expected}")]
    WrongType { field: String, expected: &'static str },
    #[error("{field}: is not a known field")]
    UnknownField { field: String },
    /// Right type, unacceptable value (empty id, id too long).
    #[error("{field}: {rule}")]
    InvalidValue { field: String, rule: &'static str },
    /// A binary frame: the protocol is JSON text only.
    #[error("binary frames are not accepted; send JSON text frames")]
    Binary,
}

impl ProtocolError {
    /// The `code` of the `error` frame.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidJson { .. } => "invalid_json",
            Self::NotAnObject => "invalid_frame",
            Self::UnknownType { .. } => "unknown_type",
            Self::MissingField { .. } => "missing_field",
            Self::WrongType { .. } => "wrong_type",
            Self::UnknownField { .. } => "unknown_field",
            Self::InvalidValue { .. } => "invalid_value",
            Self::Binary => "unsupported_frame",
        }
    }

    /// The field the error is about, if it is about one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::UnknownType { .. } => Some("type"),
            Self::MissingField { field }
            | Self::WrongType { field, .. }
            | Self::UnknownField { field }
            | Self::InvalidValue { field, .. } => Some(field),
            Self::InvalidJson { .. } | Self::NotAnObject | Self::Binary => None,
        }
    }
}

/// A [`crate::HubConfig`] value that cannot work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("hub config {field}: {rule}")]
pub struct ConfigError {
    pub field: &'static str,
    pub rule: &'static str,
}

impl ConfigError {
    pub(crate) fn new(field: &'static str, rule: &'static str) -> Self {
        Self { field, rule }
    }
}
