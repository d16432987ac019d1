//! A sliding-window rate limit per key (client address, principal name): at most `limit`
//! events in any minute. Refusals say when to retry.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

const WINDOW: Duration = Duration::from_secs(60);

pub struct RateLimiter {
    limit: usize,
    events: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl RateLimiter {
    pub fn per_minute(limit: u32) -> Self {
        Self {
            limit: limit as usize,
            events: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one event for `key`, or refuses it with `RateLimited`.
    pub fn check(&self, key: &str) -> Result<()> {
        self.check_at(key, Instant::now())
    }

    fn check_at(&self, key: &str, now: Instant) -> Result<()> {
        let mut events = self.events.lock().unwrap_or_else(|e| e.into_inner());
        if events.len() > 10_000 {
            // Bound memory under a flood of distinct keys: drop keys with no recent events.
            events.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < WINDOW));
        }
        let q = events.entry(key.to_owned()).or_default();
        while q.front().is_some_and(|t| now.duration_since(*t) >= WINDOW) {
            q.pop_front();
        }
        if q.len() >= self.limit {
            let oldest = q.front().copied().unwrap_or(now);
            let wait = WINDOW.saturating_sub(now.duration_since(oldest));
            return Err(Error::RateLimited {
                retry_after_secs: wait.as_secs().max(1),
            });
        }
        q.push_back(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_past_the_limit_and_recovers() {
        let rl = RateLimiter::per_minute(3);
        let t0 = Instant::now();
        for _ in 0..3 {
            rl.check_at("a", t0).expect("within limit");
        }
        assert!(matches!(rl.check_at("a", t0), Err(Error::RateLimited { .. })));
        rl.check_at("b", t0).expect("other keys unaffected");
        rl.check_at("a", t0 + Duration::from_secs(61)).expect("window moved on");
    }
}
