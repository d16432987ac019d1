//! Puts a room's durable events in offset order, once each, and notices gaps.
//!
//! Events reach a room by several routes (the local write path, Redis from other instances,
//! a gap fill), possibly twice and possibly crossed. The sequencer releases offset `last + 1`
//! and whatever contiguous run it held behind it; drops anything at or below `last`; and
//! holds anything further ahead, reporting that a fill from the backend is needed. Pure data:
//! the room calls it under its lock, the gap filler does the asking.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::publication::Publication;

/// Events held ahead of a gap before the room stops waiting and resynchronises everyone.
/// The store keeps 1,000 events; holding more could never be filled anyway.
const MAX_HELD: usize = 1_000;

#[derive(Debug)]
pub(crate) enum Offer {
    /// At or below the last released offset, or already held: a duplicate.
    Stale,
    /// Release these, in order.
    Ready(Vec<Arc<Publication>>),
    /// Held behind a gap; `fill` is true when no fill is under way yet.
    Held { fill: bool },
    /// Too much held behind the gap: give up on it.
    Overflow,
}

#[derive(Debug, Default)]
pub(crate) struct Sequencer {
    /// The last offset released; `None` until the first joiner's snapshot or event.
    last: Option<u64>,
    held: BTreeMap<u64, Arc<Publication>>,
    filling: bool,
}

impl Sequencer {
    pub fn last(&self) -> Option<u64> {
        self.last
    }

    /// Starts the sequence at a joiner's snapshot offset if nothing started it yet.
    pub fn seed(&mut self, offset: u64) {
        self.last.get_or_insert(offset);
    }

    /// `offset` is the publication's; publications without one are not sequenced.
    pub fn offer(&mut self, offset: u64, publication: Arc<Publication>) -> Offer {
        match self.last {
            Some(last) if offset <= last => Offer::Stale,
            Some(last) if offset > last + 1 => {
                if self.held.insert(offset, publication).is_some() {
                    return Offer::Stale;
                }
                if self.held.len() > MAX_HELD {
                    return Offer::Overflow;
                }
                Offer::Held {
                    fill: !std::mem::replace(&mut self.filling, true),
                }
            }
            _ => {
                self.last = Some(offset);
                let mut ready = vec![publication];
                self.release(&mut ready);
                Offer::Ready(ready)
            }
        }
    }

    /// The offset to replay from while a gap is open.
    pub fn missing_after(&self) -> Option<u64> {
        if self.held.is_empty() {
            None
        } else {
            self.last
        }
    }

    /// Abandons the gap: jumps to the first held offset and releases the run from there.
    pub fn skip_gap(&mut self) -> Vec<Arc<Publication>> {
        let mut ready = Vec::new();
        if let Some((&first, _)) = self.held.first_key_value() {
            self.last = Some(first - 1);
            self.release(&mut ready);
        }
        ready
    }

    /// Forgets where the stream is: the next event starts it again (after history was lost).
    pub fn forget(&mut self) {
        self.last = None;
        self.held.clear();
    }

    pub fn fill_finished(&mut self) {
        self.filling = false;
    }

    fn release(&mut self, ready: &mut Vec<Arc<Publication>>) {
        let Some(mut last) = self.last else { return };
        while let Some(entry) = self.held.first_entry() {
            if *entry.key() > last + 1 {
                break;
            }
            let (offset, publication) = entry.remove_entry();
            if offset == last + 1 {
                last = offset;
                ready.push(publication);
            }
        }
        self.last = Some(last);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn event(offset: u64) -> Arc<Publication> {
        Arc::new(Publication {
            text: Bytes::from(offset.to_string()),
            offset: Some(offset),
            stored_at: None,
            urgent: false,
        })
    }

    fn offsets(offer: Offer) -> Vec<u64> {
        match offer {
            Offer::Ready(ps) => ps.iter().filter_map(|p| p.offset).collect(),
            other => panic!("expected Ready, got {other:?}"),
        }
    }

    fn offer(s: &mut Sequencer, offset: u64) -> Offer {
        s.offer(offset, event(offset))
    }

    #[test]
    fn releases_in_order_and_drops_duplicates() {
        let mut s = Sequencer::default();
        s.seed(4);
        assert_eq!(offsets(offer(&mut s, 5)), vec![5]);
        assert!(matches!(offer(&mut s, 5), Offer::Stale));
        assert!(matches!(offer(&mut s, 3), Offer::Stale));
        assert_eq!(s.last(), Some(5));
    }

    #[test]
    fn holds_ahead_of_a_gap_and_releases_the_run_when_it_closes() {
        let mut s = Sequencer::default();
        s.seed(1);
        assert!(matches!(offer(&mut s, 3), Offer::Held { fill: true }));
        assert!(
            matches!(offer(&mut s, 4), Offer::Held { fill: false }),
            "one fill at a time"
        );
        assert!(matches!(offer(&mut s, 4), Offer::Stale));
        assert_eq!(s.missing_after(), Some(1));
        assert_eq!(offsets(offer(&mut s, 2)), vec![2, 3, 4]);
        assert_eq!(s.missing_after(), None);
    }

    #[test]
    fn skipping_a_gap_jumps_to_the_first_held_offset() {
        let mut s = Sequencer::default();
        s.seed(1);
        offer(&mut s, 5);
        offer(&mut s, 6);
        offer(&mut s, 9);
        let ready: Vec<_> = s.skip_gap().iter().filter_map(|p| p.offset).collect();
        assert_eq!(ready, vec![5, 6]);
        assert_eq!((s.last(), s.missing_after()), (Some(6), Some(6)));
    }

    #[test]
    fn unseeded_starts_at_the_first_event() {
        let mut s = Sequencer::default();
        assert_eq!(offsets(offer(&mut s, 7)), vec![7]);
        s.seed(2);
        assert_eq!(s.last(), Some(7), "a later seed does not move it back");
    }
}
