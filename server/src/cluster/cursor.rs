//! Where an instance stands in the cluster log, gaps included.
//!
//! `seq` comes from a PostgreSQL sequence, taken when a row is inserted, not when its
//! transaction commits: two writers can take 41 and 42 and commit 42 first. A reader that
//! only asked for "after the highest seen" would then pass 41 for good — an eviction never
//! applied here, a revoked credential whose sockets stay open. So a number skipped over is
//! remembered as a gap and asked for again on every read until it shows up or is
//! [`GAP_WAIT`] old (a rolled-back writer burns its number, which never shows). Entries are
//! idempotent (an eviction, a credential that ended), but each is still applied once.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// How long a skipped number is looked for: far longer than a write transaction that adds
/// a log row lasts.
pub const GAP_WAIT: Duration = Duration::from_secs(10);
/// Gaps remembered at most; past that the oldest are given up (a flood of rolled-back
/// writes must not grow the query without bound).
const MAX_GAPS: usize = 1_000;

/// The highest number applied and the numbers below it not yet seen.
#[derive(Debug, Default)]
pub struct LogCursor {
    seen: i64,
    gaps: BTreeMap<i64, Instant>,
}

impl LogCursor {
    /// Starts after `head` (entries up to it are the past).
    pub fn new(head: i64) -> Self {
        Self {
            seen: head,
            gaps: BTreeMap::new(),
        }
    }

    /// The highest number applied.
    pub fn seen(&self) -> i64 {
        self.seen
    }

    /// The gaps still looked for, in order.
    pub fn gaps(&self) -> Vec<i64> {
        self.gaps.keys().copied().collect()
    }

    /// Whether entry `seq`, just read, is new here: above every number seen (the numbers
    /// it skips become gaps) or a gap that has now shown up. Call in ascending order.
    pub fn take(&mut self, seq: i64, now: Instant) -> bool {
        if seq > self.seen {
            for missing in (self.seen + 1)..seq {
                self.gaps.insert(missing, now);
            }
            self.seen = seq;
            while self.gaps.len() > MAX_GAPS {
                self.gaps.pop_first();
            }
            return true;
        }
        self.gaps.remove(&seq).is_some()
    }

    /// Gives up the gaps older than [`GAP_WAIT`].
    pub fn expire(&mut self, now: Instant) {
        self.gaps.retain(|_, since| now.duration_since(*since) < GAP_WAIT);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_committed_late_is_applied_once_when_it_shows_up() {
        let t0 = Instant::now();
        let mut c = LogCursor::new(40);
        // 42 commits before 41.
        assert!(c.take(42, t0));
        assert_eq!((c.seen(), c.gaps()), (42, vec![41]));
        // Read again: 42 is not new, 41 is.
        assert!(!c.take(42, t0));
        assert!(c.take(41, t0));
        assert!(c.gaps().is_empty());
        assert!(!c.take(41, t0), "applied once");
    }

    #[test]
    fn a_number_that_never_shows_is_given_up_after_the_wait() {
        let t0 = Instant::now();
        let mut c = LogCursor::new(0);
        assert!(c.take(3, t0));
        assert_eq!(c.gaps(), vec![1, 2]);
        c.expire(t0 + GAP_WAIT / 2);
        assert_eq!(c.gaps(), vec![1, 2]);
        c.expire(t0 + GAP_WAIT);
        assert!(c.gaps().is_empty());
    }

    #[test]
    fn gaps_are_bounded() {
        let mut c = LogCursor::new(0);
        assert!(c.take(5_000, Instant::now()));
        let gaps = c.gaps();
        assert_eq!(gaps.len(), MAX_GAPS);
        assert_eq!(gaps.first(), Some(&(5_000 - MAX_GAPS as i64)), "the newest kept");
    }
}
