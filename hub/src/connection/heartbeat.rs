//! Heartbeat timing (SPEC §5): a ping every `ping_interval`; if nothing at all comes back
//! within `pong_timeout` of a ping the peer is gone and the connection closes (4002). Any
//! inbound frame proves the peer alive, not only a pong.

use std::time::Duration;

use tokio::time::Instant;

#[derive(Debug, PartialEq, Eq)]
pub(super) enum Beat {
    /// Nothing due yet.
    Quiet,
    Ping,
    TimedOut,
}

#[derive(Debug)]
pub(super) struct Heartbeat {
    next_ping: Instant,
    pong_due: Option<Instant>,
}

impl Heartbeat {
    pub fn new(now: Instant, interval: Duration) -> Self {
        Self {
            next_ping: now + interval,
            pong_due: None,
        }
    }

    pub fn deadline(&self) -> Instant {
        self.pong_due.map_or(self.next_ping, |due| due.min(self.next_ping))
    }

    /// What is due at `now`. A ping while one is unanswered keeps the first deadline.
    pub fn due(&mut self, now: Instant, interval: Duration, timeout: Duration) -> Beat {
        if self.pong_due.is_some_and(|due| due <= now) {
            return Beat::TimedOut;
        }
        if self.next_ping > now {
            return Beat::Quiet;
        }
        self.next_ping = now + interval;
        self.pong_due.get_or_insert(now + timeout);
        Beat::Ping
    }

    pub fn alive(&mut self) {
        self.pong_due = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PING: Duration = Duration::from_secs(25);
    const PONG: Duration = Duration::from_secs(10);

    #[test]
    fn pings_on_schedule_and_times_out_without_an_answer() {
        let t0 = Instant::now();
        let mut h = Heartbeat::new(t0, PING);
        assert_eq!(h.deadline(), t0 + PING);
        assert_eq!(h.due(t0 + Duration::from_secs(24), PING, PONG), Beat::Quiet);
        assert_eq!(h.due(t0 + PING, PING, PONG), Beat::Ping);
        assert_eq!(h.deadline(), t0 + PING + PONG);
        assert_eq!(h.due(t0 + PING + PONG, PING, PONG), Beat::TimedOut);
    }

    #[test]
    fn an_answer_clears_the_deadline() {
        let t0 = Instant::now();
        let mut h = Heartbeat::new(t0, PING);
        assert_eq!(h.due(t0 + PING, PING, PONG), Beat::Ping);
        h.alive();
        assert_eq!(h.deadline(), t0 + PING + PING);
        assert_eq!(h.due(t0 + PING + PONG, PING, PONG), Beat::Quiet);
    }
}
