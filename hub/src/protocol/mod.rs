//! The wire protocol of SPEC §5, and nothing else: what a frame's JSON looks like in each
//! direction. No I/O, no rooms — the connection loop decides what to send when.
//!
//! `client` parses (strictly, with field-naming errors, via `fields`); `server` defines what
//! the hub and the server's backend send, including the durable [`Event`]s and the
//! [`Ephemeral`] messages that fan out through rooms.

mod client;
mod fields;
mod server;
#[cfg(test)]
mod tests;

pub use client::{
    ClientFrame, ClientMessage, CommentAdd, CommentResolve, CursorMove, MessageId, Rejected, SectionUpdate,
};
pub use server::{
    decode_server_frame, Ack, CommentAdded, CommentResolved, Conflict, CursorAt, Ephemeral, ErrorBody, Event,
    Participant, Presence, ReportChanged, SectionUpdated, ServerMessage, SessionState,
};
