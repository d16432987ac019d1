//! Where one connection is in its report's event stream, and which events are its own.
//!
//! `at` is the last offset the client has been given (in its snapshot, its `since`, or an
//! event). An event at or below it is a duplicate — it came both by replay and live, or by
//! two routes — and is skipped; `at + 1` is delivered; anything beyond is a gap to fill from
//! the backend first. The sender's own accepted commands wait here as acks: when the stream
//! reaches their offset the ack goes out in the event's place (a `section_updated` is not
//! echoed to its sender) or right after it (a comment, whose stored form the sender needs).

use std::sync::Arc;

use crate::publication::Publication;

/// Own acks waiting for their event; a client with more in flight is far ahead of the room
/// and the oldest ack is sent as is rather than held.
const MAX_OWN: usize = 64;

/// The ack of an accepted command, to send when the stream reaches `offset`.
#[derive(Debug)]
pub(super) struct OwnAck {
    pub offset: u64,
    pub ack: Arc<Publication>,
    /// The ack stands for the event (the sender already has the content).
    pub replaces_event: bool,
}

#[derive(Debug, PartialEq, Eq)]
pub(super) enum Admit {
    Deliver,
    Skip,
    Gap,
}

#[derive(Debug, Default)]
pub(super) struct Cursor {
    at: u64,
    own: Vec<OwnAck>,
}

impl Cursor {
    pub fn at(&self) -> u64 {
        self.at
    }

    /// Starts over at a new snapshot; acks still waiting are returned to be sent now.
    pub fn reset(&mut self, at: u64) -> Vec<OwnAck> {
        self.at = at;
        std::mem::take(&mut self.own)
    }

    /// Decides about the event at `offset`, advancing past it when it is delivered or skipped.
    pub fn admit(&mut self, offset: u64) -> Admit {
        if offset <= self.at {
            Admit::Skip
        } else if offset == self.at + 1 {
            self.at = offset;
            Admit::Deliver
        } else {
            Admit::Gap
        }
    }

    /// Holds the ack of an accepted command until its event comes by. Returns what must be
    /// sent at once instead: the ack itself if the stream is already past it, or the oldest
    /// held ack if too many are waiting.
    pub fn hold(&mut self, own: OwnAck) -> Option<OwnAck> {
        if own.offset <= self.at {
            return Some(own);
        }
        self.own.push(own);
        (self.own.len() > MAX_OWN).then(|| self.own.remove(0))
    }

    /// The held ack for the event at `offset`, if it is the client's own.
    pub fn take_own(&mut self, offset: u64) -> Option<OwnAck> {
        let index = self.own.iter().position(|o| o.offset == offset)?;
        Some(self.own.swap_remove(index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn own(offset: u64) -> OwnAck {
        OwnAck {
            offset,
            ack: Publication::ephemeral(Bytes::from_static(b"{}"), false),
            replaces_event: true,
        }
    }

    #[test]
    fn delivers_the_next_offset_skips_old_ones_and_reports_gaps() {
        let mut c = Cursor::default();
        c.reset(3);
        assert_eq!(c.admit(3), Admit::Skip);
        assert_eq!(c.admit(5), Admit::Gap);
        assert_eq!(c.at(), 3, "a gap does not advance");
        assert_eq!(c.admit(4), Admit::Deliver);
        assert_eq!(c.admit(4), Admit::Skip, "twice is once");
        assert_eq!(c.admit(5), Admit::Deliver);
    }

    #[test]
    fn own_acks_wait_for_their_offset() {
        let mut c = Cursor::default();
        c.reset(10);
        assert!(c.hold(own(12)).is_none());
        assert!(c.take_own(11).is_none());
        assert_eq!(c.take_own(12).map(|o| o.offset), Some(12));
        assert_eq!(c.hold(own(9)).map(|o| o.offset), Some(9), "already passed: send now");
        assert!(c.hold(own(13)).is_none());
        assert_eq!(c.reset(20).len(), 1, "a reset hands back what was waiting");
    }

    #[test]
    fn too_many_waiting_acks_release_the_oldest() {
        let mut c = Cursor::default();
        for offset in 1..=MAX_OWN as u64 {
            assert!(c.hold(own(offset)).is_none());
        }
        assert_eq!(c.hold(own(100)).map(|o| o.offset), Some(1));
    }
}
