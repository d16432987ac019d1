//! What every connection task shares: the servers, rooms, tokens, the run's signals (start
//! publishing, storm, stop), the tally, and the connect-with-backoff loop they all use.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::{watch, Semaphore};

use crate::conn::{self, Backoff, Failure, Server, Socket};
use crate::tally::Tally;

/// The run's shared state, behind one `Arc`.
pub struct Ctx {
    pub servers: Vec<Server>,
    pub reports: Vec<String>,
    pub editor_token: String,
    pub viewer_token: String,
    /// The custom section the publishers edit.
    pub section: String,
    /// Extra bytes of Markdown per edit (realistic sizes); the stalled rooms use `stall_payload`.
    pub payload: usize,
    pub stall_payload: usize,
    /// Edits per room per second.
    pub rate: f64,
    /// The highest offset known per room (acks and deliveries): the end of the stream.
    pub room_last: Vec<AtomicU64>,
    /// Which server each room's publisher is on now (for same/cross-instance latency).
    pub room_publisher_server: Vec<AtomicUsize>,
    /// Rooms that hold a stalled reader (they get `stall_payload`).
    pub stalled_rooms: Vec<bool>,
    /// Handshakes in flight at once.
    pub handshakes: Semaphore,
    pub backoff_base: Duration,
    pub backoff_cap: Duration,
    /// Publishers send while this is true; latencies are recorded while it is true.
    pub publishing: AtomicBool,
    pub signals: Signals,
    pub tally: Tally,
}

/// The run's broadcast signals, as watch channels (a value change wakes every task).
pub struct Signals {
    /// Bumped to make every connection drop its socket at once and reconnect (a storm).
    pub storm: watch::Sender<u64>,
    /// Set when the run is over.
    pub stop: watch::Sender<bool>,
}

/// How a socket's life ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    Stop,
    Storm,
    /// The server closed with this code.
    Closed(u16),
    /// The connection broke without a close frame.
    Broken,
}

impl Ctx {
    pub fn stopping(&self) -> bool {
        *self.signals.stop.borrow()
    }

    pub fn publishing(&self) -> bool {
        self.publishing.load(Ordering::Relaxed)
    }

    /// Connects to `report`, trying the servers in turn from `home`, waiting out the backoff
    /// between attempts; `None` once the run stops. Returns the socket and the server index.
    pub async fn connect(
        &self,
        home: usize,
        report: &str,
        token: &str,
        since: Option<u64>,
        recv_buffer: Option<u32>,
        backoff: &mut Backoff,
    ) -> Option<(Socket, usize)> {
        let mut shift = 0;
        loop {
            if self.stopping() {
                return None;
            }
            let index = (home + shift) % self.servers.len();
            let attempt = {
                let _permit = self.handshakes.acquire().await.ok()?;
                conn::open(&self.servers[index], report, token, since, recv_buffer).await
            };
            match attempt {
                Ok(socket) => {
                    backoff.reset();
                    Tally::add(&self.tally.handshakes, 1);
                    return Some((socket, index));
                }
                Err(Failure::Refused(_)) => Tally::add(&self.tally.refused, 1),
                Err(Failure::Broken(_)) => Tally::add(&self.tally.connect_errors, 1),
            }
            shift += 1;
            self.pause(backoff.next_delay()).await;
        }
    }

    /// Sleeps, or returns early when the run stops.
    pub async fn pause(&self, d: Duration) {
        let mut stop = self.signals.stop.subscribe();
        tokio::select! {
            () = tokio::time::sleep(d) => {}
            () = stopped(&mut stop) => {}
        }
    }

    /// Counts how a socket ended (slow-consumer closes apart).
    pub fn count_end(&self, ended: Ended) {
        match ended {
            Ended::Closed(4001) => Tally::add(&self.tally.closed_slow, 1),
            Ended::Closed(1013) => Tally::add(&self.tally.refused, 1),
            Ended::Closed(_) | Ended::Broken => Tally::add(&self.tally.closed_other, 1),
            Ended::Stop | Ended::Storm => {}
        }
    }
}

/// Resolves once the run stops (the watch guard is not kept: it is not `Send`).
pub async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

/// Wall-clock microseconds: publishers stamp edits with it, subscribers subtract it (same
/// machine, same clock).
pub fn now_micros() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX))
}
