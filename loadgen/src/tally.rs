//! The run's shared counters and latency histograms, written by every connection task and
//! read once by the report. Atomics for counts; the histograms sit behind a few mutexes
//! (a record is a few nanoseconds, thousands a second — no contention worth sharding more).

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Mutex;

use hdrhistogram::Histogram;

/// Latencies are recorded in microseconds, up to a minute, to 3 significant figures.
const MAX_MICROS: u64 = 60_000_000;

fn histogram() -> Histogram<u64> {
    // Bounds are constants that satisfy the crate's rules, so this cannot fail.
    Histogram::new_with_bounds(1, MAX_MICROS, 3).unwrap_or_else(|_| unreachable!("valid histogram bounds"))
}

/// A latency histogram shared by many tasks.
pub struct Latency(Mutex<Histogram<u64>>);

impl Default for Latency {
    fn default() -> Self {
        Self(Mutex::new(histogram()))
    }
}

impl Latency {
    pub fn record(&self, micros: u64) {
        if let Ok(mut h) = self.0.lock() {
            h.saturating_record(micros.clamp(1, MAX_MICROS));
        }
    }

    /// A copy to read from.
    pub fn snapshot(&self) -> Histogram<u64> {
        self.0.lock().map_or_else(|_| histogram(), |h| h.clone())
    }
}

/// Every count the report shows.
#[derive(Default)]
pub struct Tally {
    /// Connections open right now (handshake done, not yet closed).
    pub connected: AtomicI64,
    /// Connection tasks that gave up for good (a stalled reader closed, or out of attempts).
    pub gave_up: AtomicU64,
    pub handshakes: AtomicU64,
    pub reconnects: AtomicU64,
    /// Handshakes refused (an HTTP error status, or closed 1013 at once).
    pub refused: AtomicU64,
    /// Connections that could not be made (TCP or WebSocket errors).
    pub connect_errors: AtomicU64,
    pub closed_slow: AtomicU64,
    pub closed_other: AtomicU64,
    pub resyncs: AtomicU64,
    pub edits_sent: AtomicU64,
    /// Ticks at which the publisher still waited for its previous ack.
    pub edits_skipped: AtomicU64,
    pub acks: AtomicU64,
    pub conflicts: AtomicU64,
    pub errors: AtomicU64,
    /// Events delivered to subscribers during the measured window.
    pub delivered: AtomicU64,
    pub duplicated: AtomicU64,
    pub out_of_order: AtomicU64,
    pub lost: AtomicU64,
    /// Delivery latency, edit sent → event received, by whether the receiver's server is the
    /// publisher's (`same`) or another one (`cross`; only with several `--url`s).
    pub latency_same: Latency,
    pub latency_cross: Latency,
    /// Edit sent → its ack received, at the publisher.
    pub ack_latency: Latency,
}

impl Tally {
    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }

    pub fn connected(&self) -> i64 {
        self.connected.load(Ordering::Relaxed)
    }
}
