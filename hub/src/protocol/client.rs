//! Client → server frames (SPEC §5): `{"type": …, "data": …, "id"?: …}` with `section_update`,
//! `cursor`, `comment_add`, `comment_resolve` and `ping`.
//!
//! [`ClientFrame::parse`] never panics: anything else becomes a [`Rejected`] naming the field
//! and rule, which the connection answers with an `error` frame (carrying the `id` when the
//! frame had a readable one) and stays up. Serialising is here too, for Rust clients and tests.

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

use super::fields::{check_id, Fields};
use crate::error::ProtocolError;

/// The `id` a client may put on a message so it can match the `ack` or `error`: a string or a
/// non-negative integer, echoed back as given.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MessageId {
    Number(u64),
    Text(String),
}

/// `section_update`: save a custom section's Markdown if `base_version` is still current.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionUpdate {
    pub section_id: String,
    pub base_version: u32,
    pub content: String,
}

/// `cursor`: where the sender's caret is in a section (a character offset). Not durable.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CursorMove {
    pub section_id: String,
    pub position: u64,
}

/// `comment_add`: a comment on a section, optionally a reply to `parent_id`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentAdd {
    pub section_id: String,
    pub content: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
}

/// `comment_resolve`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentResolve {
    pub comment_id: String,
}

/// A client message, by its `type`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientMessage {
    SectionUpdate(SectionUpdate),
    Cursor(CursorMove),
    CommentAdd(CommentAdd),
    CommentResolve(CommentResolve),
    Ping,
}

impl ClientMessage {
    /// The wire `type`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::SectionUpdate(_) => "section_update",
            Self::Cursor(_) => "cursor",
            Self::CommentAdd(_) => "comment_add",
            Self::CommentResolve(_) => "comment_resolve",
            Self::Ping => "ping",
        }
    }
}

/// One parsed client frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientFrame {
    pub id: Option<MessageId>,
    pub message: ClientMessage,
}

/// A frame that could not be read: the error, and the frame's `id` if that much was readable.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{error}")]
pub struct Rejected {
    pub id: Option<MessageId>,
    pub error: ProtocolError,
}

impl ClientFrame {
    pub fn new(message: ClientMessage) -> Self {
        Self { id: None, message }
    }

    pub fn with_id(mut self, id: MessageId) -> Self {
        self.id = Some(id);
        self
    }

    /// Reads one text frame strictly: an object with `type`, `data` (absent only for `ping`)
    /// and an optional `id`, and no other keys at either level.
    pub fn parse(json: &[u8]) -> Result<Self, Rejected> {
        let anonymous = |error| Rejected { id: None, error };
        let value: Value = serde_json::from_slice(json)
            .map_err(|e| anonymous(ProtocolError::InvalidJson { detail: e.to_string() }))?;
        let Value::Object(frame) = value else {
            return Err(anonymous(ProtocolError::NotAnObject));
        };
        let id = message_id(frame.get("id")).map_err(anonymous)?;
        let reject = |error| Rejected { id: id.clone(), error };
        if let Some(key) = frame.keys().find(|k| !matches!(k.as_str(), "type" | "data" | "id")) {
            return Err(reject(ProtocolError::UnknownField { field: key.clone() }));
        }
        let kind = match frame.get("type") {
            Some(Value::String(kind)) => kind.as_str(),
            None | Some(Value::Null) => return Err(reject(ProtocolError::MissingField { field: "type".into() })),
            Some(_) => {
                return Err(reject(ProtocolError::WrongType {
                    field: "type".into(),
                    expected: "a string",
                }))
            }
        };
        let message = message(kind, frame.get("data")).map_err(reject)?;
        Ok(Self { id, message })
    }

    /// The frame as JSON text (what a client sends).
    pub fn to_json(&self) -> String {
        // Serialising plain strings and integers into a String cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

fn message(kind: &str, data: Option<&Value>) -> Result<ClientMessage, ProtocolError> {
    let fields = || Fields::object("data", data);
    Ok(match kind {
        "section_update" => {
            let d = fields()?.only(&["section_id", "base_version", "content"])?;
            ClientMessage::SectionUpdate(SectionUpdate {
                section_id: d.id("section_id")?,
                base_version: d.u32("base_version")?,
                content: d.string("content")?,
            })
        }
        "cursor" => {
            let d = fields()?.only(&["section_id", "position"])?;
            ClientMessage::Cursor(CursorMove {
                section_id: d.id("section_id")?,
                position: d.u64("position")?,
            })
        }
        "comment_add" => {
            let d = fields()?.only(&["section_id", "content", "parent_id"])?;
            ClientMessage::CommentAdd(CommentAdd {
                section_id: d.id("section_id")?,
                content: d.string("content")?,
                parent_id: d.optional_id("parent_id")?,
            })
        }
        "comment_resolve" => {
            let d = fields()?.only(&["comment_id"])?;
            ClientMessage::CommentResolve(CommentResolve {
                comment_id: d.id("comment_id")?,
            })
        }
        "ping" => match data {
            None | Some(Value::Null) => ClientMessage::Ping,
            Some(Value::Object(m)) if m.is_empty() => ClientMessage::Ping,
            Some(_) => {
                return Err(ProtocolError::InvalidValue {
                    field: "data".into(),
                    rule: "must be absent, null or {} for ping",
                })
            }
        },
        other => {
            return Err(ProtocolError::UnknownType {
                found: other.to_owned(),
            })
        }
    })
}

fn message_id(id: Option<&Value>) -> Result<Option<MessageId>, ProtocolError> {
    match id {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_u64()
            .map(|n| Some(MessageId::Number(n)))
            .ok_or(ProtocolError::WrongType {
                field: "id".into(),
                expected: "a string or a non-negative integer",
            }),
        Some(Value::String(s)) => {
            check_id(s).map_err(|rule| ProtocolError::InvalidValue {
                field: "id".into(),
                rule,
            })?;
            Ok(Some(MessageId::Text(s.clone())))
        }
        Some(_) => Err(ProtocolError::WrongType {
            field: "id".into(),
            expected: "a string or a non-negative integer",
        }),
    }
}

impl Serialize for ClientFrame {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("type", self.message.kind())?;
        match &self.message {
            ClientMessage::SectionUpdate(d) => map.serialize_entry("data", d)?,
            ClientMessage::Cursor(d) => map.serialize_entry("data", d)?,
            ClientMessage::CommentAdd(d) => map.serialize_entry("data", d)?,
            ClientMessage::CommentResolve(d) => map.serialize_entry("data", d)?,
            ClientMessage::Ping => {}
        }
        if let Some(id) = &self.id {
            map.serialize_entry("id", id)?;
        }
        map.end()
    }
}
