//! The event-source seam: what the hub asks of the server, which owns everything durable.
//!
//! The hub writes nothing durable. The server implements [`Backend`]: it admits a joiner and
//! returns the report's state ([`Backend::join`]), replays stored events after an offset
//! ([`Backend::events_since`]), and runs every edit or comment through its single write path
//! ([`Backend::handle`]), storing the change *with its event* before answering. The event it
//! returns is fanned out locally by the hub; the server also publishes it to the other
//! instances, and whatever reaches [`crate::Hub::publish`] twice is delivered once (offsets).

use std::collections::BTreeMap;
use std::future::Future;
use std::time::SystemTime;

use serde_json::Value;

use crate::ids::{Principal, ReportId};
use crate::protocol::{CommentAdd, CommentResolve, Conflict, Ephemeral, Event, Participant, SectionUpdate};

/// A durable event as stored, with when it was stored (for `websocket_message_latency`).
#[derive(Clone, Debug, PartialEq)]
pub struct StoredEvent {
    pub event: Event,
    pub stored_at: SystemTime,
}

impl StoredEvent {
    pub fn new(event: Event, stored_at: SystemTime) -> Self {
        Self { event, stored_at }
    }

    pub fn offset(&self) -> u64 {
        self.event.offset()
    }
}

/// The report as a joiner first sees it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snapshot {
    pub section_versions: BTreeMap<String, u32>,
    pub comments: Vec<Value>,
    /// The offset of the last event the snapshot includes.
    pub offset: u64,
    /// Participants connected to *other* instances (the server's shared presence); empty
    /// with one instance. The hub adds this instance's own, which win for the same user.
    pub remote_participants: Vec<Participant>,
}

/// Why the backend will not let a principal into a report's room.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// No such report: close 1008 (nothing to join; not worth retrying).
    #[error("no such report")]
    NotFound,
    /// The principal may not read this report: close 1008.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The store could not answer: close 1011 (the client may retry).
    #[error("unavailable: {0}")]
    Unavailable(String),
}

/// Why events after an offset cannot be replayed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HistoryError {
    /// The offset is older than what is kept (1,000 events or 24 h): `resync_required`.
    #[error("offset is older than the kept history")]
    TooOld,
    /// The store could not answer; the hub resynchronises the client rather than guess.
    #[error("history unavailable: {0}")]
    Unavailable(String),
}

/// The client messages that change something durable: the hub passes these to the backend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    SectionUpdate(SectionUpdate),
    CommentAdd(CommentAdd),
    CommentResolve(CommentResolve),
}

/// The backend's answer to a [`Command`].
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    /// Stored. The sender gets `ack {id, offset, version}` in the event's place in its
    /// stream; the others get the event (a `section_updated` is not sent to its sender).
    Accepted { event: StoredEvent, version: Option<u32> },
    /// The edit's `base_version` is stale; nothing was stored.
    Conflict(Conflict),
}

/// A command refused by the backend: becomes `error {id, code, message, field}`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ErrorReply {
    pub code: String,
    pub message: String,
    pub field: Option<String>,
}

impl ErrorReply {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            field: None,
        }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

/// What the server provides to the hub. Implement the methods as `async fn`; their futures
/// must be `Send` (connections run on the multi-threaded runtime).
pub trait Backend: Send + Sync + 'static {
    /// Admits `who` to `report`'s room and returns the state to start from.
    fn join(&self, report: &ReportId, who: &Principal) -> impl Future<Output = Result<Snapshot, Refusal>> + Send;

    /// Every stored event with an offset greater than `offset`, in order, up to the newest.
    fn events_since(
        &self,
        report: &ReportId,
        offset: u64,
    ) -> impl Future<Output = Result<Vec<StoredEvent>, HistoryError>> + Send;

    /// Runs a command through the single write path: store the change and its event in one
    /// transaction, then answer. Publishing to other instances is the server's business; the
    /// hub publishes the returned event on this one.
    fn handle(
        &self,
        report: &ReportId,
        who: &Principal,
        command: Command,
    ) -> impl Future<Output = Result<Reply, ErrorReply>> + Send;

    /// A presence change or cursor on this instance, for the server to relay to the other
    /// instances (which call [`crate::Hub::publish_ephemeral`]). Must not block. Default:
    /// nothing (one instance).
    fn relay(&self, report: &ReportId, message: &Ephemeral) {
        let _ = (report, message);
    }
}
