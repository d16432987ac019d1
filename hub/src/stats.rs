//! What the hub counts, what it reports (`/websocket/stats`, `/websocket/sessions/{id}`), and
//! the [`Observer`] hooks through which the server feeds its monitor.
//!
//! Counters are relaxed atomics bumped on the hot path; snapshots are assembled on demand.
//! The hub does not know the monitor: the server implements [`Observer`] and records
//! `websocket_message_latency` and `concurrent_sessions` there.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde::Serialize;

use crate::frame::CloseCode;
use crate::ids::ReportId;
use crate::protocol::Participant;

/// Hooks for the server's monitor. Called on connection tasks: keep them cheap, never block.
pub trait Observer: Send + Sync + 'static {
    /// An event was written to a socket this long after it was stored (once per recipient).
    fn message_latency(&self, latency: Duration) {
        let _ = latency;
    }

    /// The number of active sessions (rooms with members) changed.
    fn concurrent_sessions(&self, sessions: usize) {
        let _ = sessions;
    }
}

/// The observer that records nothing.
pub struct NoObserver;

impl Observer for NoObserver {}

/// Why a connection was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refused {
    ConnectionLimit,
    ParticipantLimit,
    Forbidden,
    NotFound,
    Unavailable,
    ShuttingDown,
    /// Refused by the server before the hub took the socket (credentials, origin).
    ByServer,
}

/// Closes the hub decided, by cause.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ClosedFor {
    SlowConsumer,
    Idle,
    Heartbeat,
    TooBig,
    Policy,
    Shutdown,
}

impl ClosedFor {
    pub fn of(code: CloseCode) -> Option<Self> {
        Some(match code {
            CloseCode::SLOW_CONSUMER => Self::SlowConsumer,
            CloseCode::IDLE => Self::Idle,
            CloseCode::HEARTBEAT_TIMEOUT => Self::Heartbeat,
            CloseCode::TOO_BIG => Self::TooBig,
            CloseCode::POLICY => Self::Policy,
            CloseCode::GOING_AWAY => Self::Shutdown,
            _ => return None,
        })
    }
}

#[derive(Default)]
pub(crate) struct Counters {
    pub messages_in: AtomicU64,
    pub messages_out: AtomicU64,
    pub batches: AtomicU64,
    pub batched_messages: AtomicU64,
    pub gap_fills: AtomicU64,
    pub resyncs: AtomicU64,
    refusals: [AtomicU64; 7],
    closes: [AtomicU64; 6],
}

impl Counters {
    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    pub fn refused(&self, why: Refused) {
        Self::add(&self.refusals[why as usize], 1);
    }

    pub fn closed(&self, code: CloseCode) {
        if let Some(why) = ClosedFor::of(code) {
            Self::add(&self.closes[why as usize], 1);
        }
    }

    pub fn snapshot(&self, connections: usize, active_sessions: usize, batching: Batching) -> HubStats {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let batches = get(&self.batches);
        let refusal = |why: Refused| get(&self.refusals[why as usize]);
        let close = |why: ClosedFor| get(&self.closes[why as usize]);
        HubStats {
            connections,
            active_sessions,
            messages_in: get(&self.messages_in),
            messages_out: get(&self.messages_out),
            batches_sent: batches,
            mean_batch_size: if batches == 0 {
                0.0
            } else {
                get(&self.batched_messages) as f64 / batches as f64
            },
            refusals: Refusals {
                connection_limit: refusal(Refused::ConnectionLimit),
                participant_limit: refusal(Refused::ParticipantLimit),
                forbidden: refusal(Refused::Forbidden),
                not_found: refusal(Refused::NotFound),
                unavailable: refusal(Refused::Unavailable),
                shutting_down: refusal(Refused::ShuttingDown),
                by_server: refusal(Refused::ByServer),
            },
            closes: Closes {
                slow_consumer: close(ClosedFor::SlowConsumer),
                idle: close(ClosedFor::Idle),
                heartbeat: close(ClosedFor::Heartbeat),
                too_big: close(ClosedFor::TooBig),
                policy: close(ClosedFor::Policy),
                shutdown: close(ClosedFor::Shutdown),
            },
            gap_fills: get(&self.gap_fills),
            resyncs: get(&self.resyncs),
            batching,
        }
    }
}

/// `/websocket/stats`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HubStats {
    pub connections: usize,
    /// Rooms with at least one member on this instance.
    pub active_sessions: usize,
    /// Client text and binary frames read.
    pub messages_in: u64,
    /// Messages written (a batch of n counts n).
    pub messages_out: u64,
    /// Flushes of the batching queue (a flush of one message is a batch of one).
    pub batches_sent: u64,
    pub mean_batch_size: f64,
    pub refusals: Refusals,
    pub closes: Closes,
    /// Gaps in live offsets the hub asked the backend to fill.
    pub gap_fills: u64,
    /// `resync_required` sent (resume too old, or a gap that could not be filled).
    pub resyncs: u64,
    pub batching: Batching,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Refusals {
    pub connection_limit: u64,
    pub participant_limit: u64,
    pub forbidden: u64,
    pub not_found: u64,
    pub unavailable: u64,
    pub shutting_down: u64,
    /// Sockets the server closed through [`crate::Hub::reject`] (no credentials, wrong origin).
    pub by_server: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Closes {
    pub slow_consumer: u64,
    pub idle: u64,
    pub heartbeat: u64,
    pub too_big: u64,
    pub policy: u64,
    pub shutdown: u64,
}

/// The batching settings in force.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Batching {
    pub enabled: bool,
    pub max_size: usize,
    pub max_wait_ms: u64,
}

/// `/websocket/sessions/{report_id}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SessionStats {
    pub report_id: ReportId,
    pub participants: Vec<Participant>,
    pub local_connections: usize,
    /// The last offset this instance delivered to the room.
    pub offset: Option<u64>,
    pub batch_info: BatchInfo,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct BatchInfo {
    pub pending_messages: usize,
    pub max_size: usize,
    pub max_wait_ms: u64,
}
