//! Counting one connection's events by offset (SPEC §5: offsets rise by one, no gaps, each
//! delivered once): a gap is a loss until the missing offset turns up late (then it was out
//! of order), an offset seen twice is a duplicate. Knows nothing of sockets.

use std::collections::BTreeSet;

/// What one connection has received so far.
#[derive(Debug, Default, Clone)]
pub struct OffsetTrack {
    last: Option<u64>,
    /// Offsets skipped over and not (yet) received.
    missing: BTreeSet<u64>,
    pub delivered: u64,
    pub duplicated: u64,
    pub out_of_order: u64,
}

/// How one event counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// New (in order, or filling a gap late).
    New,
    Duplicate,
}

impl OffsetTrack {
    /// The stream (re)starts at `offset` (a `session_state`): later events follow it.
    /// Gaps before it are covered by the state, so they are forgotten.
    pub fn start_at(&mut self, offset: u64) {
        self.missing.retain(|&m| m > offset);
        self.last = Some(self.last.map_or(offset, |l| l.max(offset)));
    }

    /// The offset to resume from (`?since=`), once the stream has started.
    pub fn last(&self) -> Option<u64> {
        self.last
    }

    pub fn event(&mut self, offset: u64) -> Seen {
        let Some(last) = self.last else {
            self.last = Some(offset);
            self.delivered += 1;
            return Seen::New;
        };
        if offset > last {
            self.missing.extend(last + 1..offset);
            self.last = Some(offset);
            self.delivered += 1;
            Seen::New
        } else if self.missing.remove(&offset) {
            self.out_of_order += 1;
            self.delivered += 1;
            Seen::New
        } else {
            self.duplicated += 1;
            Seen::Duplicate
        }
    }

    /// Events lost: the gaps never filled, plus those after the last one received up to
    /// `room_last` (the room's final offset).
    pub fn lost(&self, room_last: u64) -> u64 {
        let tail = self.last.map_or(0, |l| room_last.saturating_sub(l));
        self.missing.len() as u64 + tail
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_order_is_clean() {
        let mut t = OffsetTrack::default();
        t.start_at(4);
        for o in 5..=9 {
            assert_eq!(t.event(o), Seen::New);
        }
        assert_eq!((t.delivered, t.duplicated, t.out_of_order, t.lost(9)), (5, 0, 0, 0));
    }

    #[test]
    fn gaps_duplicates_and_late_arrivals() {
        let mut t = OffsetTrack::default();
        t.start_at(0);
        t.event(1);
        t.event(4); // 2 and 3 missing
        assert_eq!(t.event(1), Seen::Duplicate);
        assert_eq!(t.event(3), Seen::New); // late
        assert_eq!(t.lost(6), 1 + 2, "2 never came; 5 and 6 are the tail");
        assert_eq!((t.duplicated, t.out_of_order), (1, 1));
    }

    #[test]
    fn a_fresh_state_covers_earlier_gaps() {
        let mut t = OffsetTrack::default();
        t.start_at(0);
        t.event(3);
        t.start_at(10);
        assert_eq!(t.lost(10), 0);
        assert_eq!(t.last(), Some(10));
    }
}
