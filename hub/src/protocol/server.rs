//! Server → client frames (SPEC §5), serde-tagged as `{"type": …, "data": …}`, plus the batch
//! envelope `{"type":"batch","messages":[…],"count":n}`.
//!
//! Durable events ([`Event`]: they carry an offset) and ephemeral messages ([`Ephemeral`]:
//! presence and cursors, never stored) have enums of their own, serialised exactly like the
//! matching [`ServerMessage`] variant, so the server hands the hub an `Event` and the hub
//! encodes it once. Payloads the server owns (comments) are `serde_json::Value`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::client::MessageId;
use crate::ids::{Role, UserId};

/// Someone in the room, for `session_state` and the session stats. Times are unix ms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub user: UserId,
    pub role: Role,
    /// When the user's earliest open connection joined.
    pub since: u64,
    /// The user's latest client message on any of their connections (joining counts).
    pub last_active: u64,
}

/// `session_state`, to the joiner.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionState {
    pub participants: Vec<Participant>,
    pub section_versions: BTreeMap<String, u32>,
    pub comments: Vec<Value>,
    /// The offset the state is at: later events follow.
    pub offset: u64,
}

/// `presence`: a user came (their first connection) or went (their last).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Presence {
    pub user: UserId,
    pub online: bool,
}

/// `cursor` as relayed to the others.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CursorAt {
    pub user: UserId,
    pub section_id: String,
    pub position: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionUpdated {
    pub section_id: String,
    pub version: u32,
    pub content: String,
    pub html: String,
    pub user: UserId,
    pub offset: u64,
}

/// `conflict`, to a sender whose `base_version` is stale.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub section_id: String,
    pub current_version: u32,
    pub current_content: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommentAdded {
    pub comment: Value,
    pub offset: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentResolved {
    pub comment_id: String,
    pub user: UserId,
    pub offset: u64,
}

/// `report_changed`: status or computed sections changed, by any route.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportChanged {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Ids of the sections whose content changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sections: Option<Vec<String>>,
    pub offset: u64,
}

/// `ack`: the answer to an accepted client message.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Ack {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<MessageId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
}

/// `error`: the code, a message saying the rule, and the field when there is one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<MessageId>,
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// Every single (non-batch) server frame.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum ServerMessage {
    SessionState(SessionState),
    Presence(Presence),
    SectionUpdated(SectionUpdated),
    Conflict(Conflict),
    Cursor(CursorAt),
    CommentAdded(CommentAdded),
    CommentResolved(CommentResolved),
    ReportChanged(ReportChanged),
    Ack(Ack),
    Error(ErrorBody),
    Pong,
    ResyncRequired,
}

impl ServerMessage {
    /// The offset of a durable event; `None` for everything else.
    pub fn offset(&self) -> Option<u64> {
        match self {
            Self::SectionUpdated(m) => Some(m.offset),
            Self::CommentAdded(m) => Some(m.offset),
            Self::CommentResolved(m) => Some(m.offset),
            Self::ReportChanged(m) => Some(m.offset),
            _ => None,
        }
    }
}

/// A durable event of a report: stored with its offset before anyone hears of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum Event {
    SectionUpdated(SectionUpdated),
    CommentAdded(CommentAdded),
    CommentResolved(CommentResolved),
    ReportChanged(ReportChanged),
}

impl Event {
    pub fn offset(&self) -> u64 {
        match self {
            Self::SectionUpdated(m) => m.offset,
            Self::CommentAdded(m) => m.offset,
            Self::CommentResolved(m) => m.offset,
            Self::ReportChanged(m) => m.offset,
        }
    }
}

impl From<Event> for ServerMessage {
    fn from(event: Event) -> Self {
        match event {
            Event::SectionUpdated(m) => Self::SectionUpdated(m),
            Event::CommentAdded(m) => Self::CommentAdded(m),
            Event::CommentResolved(m) => Self::CommentResolved(m),
            Event::ReportChanged(m) => Self::ReportChanged(m),
        }
    }
}

/// What is broadcast but never stored: presence and cursors (no offset, no replay).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum Ephemeral {
    Presence(Presence),
    Cursor(CursorAt),
}

/// Reads one server frame into its messages: a batch envelope gives its `messages` in order,
/// any other frame gives itself. For Rust clients and tests.
pub fn decode_server_frame(json: &[u8]) -> Result<Vec<ServerMessage>, serde_json::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Wire {
        Batch {
            #[serde(rename = "type")]
            _kind: BatchTag,
            messages: Vec<ServerMessage>,
            count: usize,
        },
        Single(ServerMessage),
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum BatchTag {
        Batch,
    }
    match serde_json::from_slice(json)? {
        Wire::Batch { messages, count, .. } if messages.len() == count => Ok(messages),
        Wire::Batch { .. } => Err(serde::de::Error::custom("batch count does not match its messages")),
        Wire::Single(message) => Ok(vec![message]),
    }
}
