//! A message serialised once: the unit that queues and fans out.
//!
//! A room encodes an event or presence change to JSON one time and hands the same
//! `Arc<Publication>` to every member's queue; the connection writes the shared [`Bytes`]
//! (or splices them into a batch envelope) without re-serialising anything.

use std::sync::Arc;
use std::time::SystemTime;

use bytes::{BufMut, Bytes, BytesMut};
use serde::Serialize;

use crate::backend::StoredEvent;
use crate::protocol::ServerMessage;

/// Used only if encoding one of the hub's own types ever failed (it cannot with string keys).
const ENCODE_FAILED: &str = r#"{"type":"error","data":{"code":"internal","message":"message could not be encoded"}}"#;

/// One outbound message, already JSON.
#[derive(Debug)]
pub(crate) struct Publication {
    pub text: Bytes,
    /// Durable events only: their offset, for ordering and de-duplication.
    pub offset: Option<u64>,
    /// Durable events only: when the event was stored (latency is measured from here).
    pub stored_at: Option<SystemTime>,
    /// Goes out at once, never held in a batch (`session_state`, errors, conflicts, resync).
    pub urgent: bool,
}

impl Publication {
    pub fn event(stored: &StoredEvent) -> Arc<Self> {
        Arc::new(Self {
            text: encode(&stored.event),
            offset: Some(stored.offset()),
            stored_at: Some(stored.stored_at),
            urgent: false,
        })
    }

    /// A non-durable message; urgency follows from its type.
    pub fn message(message: &ServerMessage) -> Arc<Self> {
        Self::ephemeral(encode(message), is_urgent(message))
    }

    pub fn ephemeral(text: Bytes, urgent: bool) -> Arc<Self> {
        Arc::new(Self {
            text,
            offset: None,
            stored_at: None,
            urgent,
        })
    }

    pub fn len(&self) -> usize {
        self.text.len()
    }
}

/// Replies that change what the client must do next are never held back by batching.
fn is_urgent(message: &ServerMessage) -> bool {
    matches!(
        message,
        ServerMessage::SessionState(_)
            | ServerMessage::Error(_)
            | ServerMessage::Conflict(_)
            | ServerMessage::ResyncRequired
    )
}

pub(crate) fn encode(value: &impl Serialize) -> Bytes {
    match serde_json::to_vec(value) {
        Ok(json) => Bytes::from(json),
        Err(error) => {
            tracing::error!(%error, "hub message could not be encoded");
            Bytes::from_static(ENCODE_FAILED.as_bytes())
        }
    }
}

/// `{"type":"batch","messages":[…],"count":n}`, spliced from the already-encoded messages.
pub(crate) fn batch_envelope(items: &[Arc<Publication>]) -> Bytes {
    const HEAD: &[u8] = br#"{"type":"batch","messages":["#;
    let count = items.len().to_string();
    let body: usize = items.iter().map(|p| p.len() + 1).sum();
    let mut out = BytesMut::with_capacity(HEAD.len() + body + 12 + count.len());
    out.put_slice(HEAD);
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.put_u8(b',');
        }
        out.put_slice(&item.text);
    }
    out.put_slice(br#"],"count":"#);
    out.put_slice(count.as_bytes());
    out.put_u8(b'}');
    out.freeze()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{decode_server_frame, Presence};

    #[test]
    fn a_batch_envelope_decodes_to_its_messages_in_order() {
        let a = Publication::message(&ServerMessage::Pong);
        let b = Publication::message(&ServerMessage::Presence(Presence {
            user: "ann".into(),
            online: false,
        }));
        let text = batch_envelope(&[a, b]);
        let messages = decode_server_frame(&text).expect("valid envelope");
        assert_eq!(messages.len(), 2);
        assert_eq!(messages[0], ServerMessage::Pong);
        assert!(matches!(
            messages[1],
            ServerMessage::Presence(Presence { online: false, .. })
        ));
        assert!(text.ends_with(br#""count":2}"#));
    }

    #[test]
    fn urgency_follows_the_spec() {
        assert!(Publication::message(&ServerMessage::ResyncRequired).urgent);
        assert!(!Publication::message(&ServerMessage::Pong).urgent);
    }
}
