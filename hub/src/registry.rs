//! The [`Hub`]: the rooms of this instance, the connections, and the entry points the server
//! calls — serve a socket, publish an event, disconnect a user, read stats, shut down.
//!
//! State is a map of rooms and a map of connections, each behind a short `std` lock that is
//! never held across an `.await` (lock order: rooms, then a room, then a peer's queue). The
//! connection count and the shutdown flag are `watch` channels, so admission is one atomic
//! step and shutdown can wait for the last connection to finish.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use tokio::sync::watch;

use crate::backend::Backend;
use crate::config::HubConfig;
use crate::frame::CloseCode;
use crate::ids::{ConnectionId, Principal, ReportId, UserId};
use crate::peer::Peer;
use crate::publication::Publication;
use crate::room::{Fanned, Left, Room};
use crate::stats::{Batching, Counters, Observer, Refused};

/// The hub's state, shared by every connection task and every [`crate::Hub`] handle.
pub(crate) struct Shared<B> {
    pub config: HubConfig,
    pub backend: B,
    pub observer: Arc<dyn Observer>,
    pub counters: Counters,
    rooms: Mutex<HashMap<ReportId, Arc<Room>>>,
    peers: Mutex<HashMap<ConnectionId, Arc<Peer>>>,
    next_id: AtomicU64,
    connections: watch::Sender<usize>,
    shutdown: watch::Sender<bool>,
}

impl<B: Backend> Shared<B> {
    pub fn new(config: HubConfig, backend: B, observer: Arc<dyn Observer>) -> Self {
        Self {
            config,
            backend,
            observer,
            counters: Counters::default(),
            rooms: Mutex::default(),
            peers: Mutex::default(),
            next_id: AtomicU64::new(1),
            connections: watch::Sender::new(0),
            shutdown: watch::Sender::new(false),
        }
    }

    /// Takes a connection slot: refused while shutting down or at `max_connections`.
    pub fn admit(&self, principal: &Principal) -> Result<(Arc<Peer>, watch::Receiver<bool>), Refused> {
        let shutdown = self.shutdown.subscribe();
        if *shutdown.borrow() {
            return Err(Refused::ShuttingDown);
        }
        let max = self.config.max_connections;
        let took_slot = self.connections.send_if_modified(|n| {
            let free = *n < max;
            if free {
                *n += 1;
            }
            free
        });
        if !took_slot {
            return Err(Refused::ConnectionLimit);
        }
        let id = ConnectionId(self.next_id.fetch_add(1, Ordering::Relaxed));
        let peer = Arc::new(Peer::new(id, principal.clone(), unix_ms(), self.config.max_queue_bytes));
        lock(&self.peers).insert(id, Arc::clone(&peer));
        Ok((peer, shutdown))
    }

    /// Gives the slot back.
    pub fn release(&self, id: ConnectionId) {
        lock(&self.peers).remove(&id);
        self.connections.send_modify(|n| *n = n.saturating_sub(1));
    }

    /// Puts `peer` in its report's room (created on first use); returns the room and the last
    /// offset it had released.
    pub fn subscribe(&self, report: &ReportId, peer: &Arc<Peer>) -> (Arc<Room>, Option<u64>) {
        let mut rooms = lock(&self.rooms);
        let before = rooms.len();
        let room = Arc::clone(
            rooms
                .entry(report.clone())
                .or_insert_with(|| Arc::new(Room::new(report.clone()))),
        );
        let sessions = rooms.len();
        // Under the map lock a room in the map is never detached, so this cannot fail.
        let last = room.subscribe(Arc::clone(peer)).ok().flatten();
        drop(rooms);
        if sessions != before {
            self.observer.concurrent_sessions(sessions);
        }
        (room, last)
    }

    /// Takes `id` out of its room, and the room out of the map once empty.
    pub fn leave(&self, room: &Arc<Room>, id: ConnectionId) -> Left {
        let mut rooms = lock(&self.rooms);
        let left = room.leave(id);
        let mut sessions = None;
        if left.empty && rooms.get(&room.report).is_some_and(|r| Arc::ptr_eq(r, room)) {
            rooms.remove(&room.report);
            sessions = Some(rooms.len());
        }
        drop(rooms);
        if let Some(n) = sessions {
            self.observer.concurrent_sessions(n);
        }
        left
    }

    pub fn room(&self, report: &ReportId) -> Option<Arc<Room>> {
        lock(&self.rooms).get(report).cloned()
    }

    pub fn rooms(&self) -> Vec<Arc<Room>> {
        lock(&self.rooms).values().cloned().collect()
    }

    /// Offers a durable event to the report's room (if anyone here is in it) and starts a gap
    /// fill when the room needs one.
    pub fn publish(self: &Arc<Self>, report: &ReportId, publication: Arc<Publication>) {
        if let Some(room) = self.room(report) {
            if room.offer(publication) == Fanned::NeedsFill {
                crate::gap::spawn_fill(Arc::clone(self), room);
            }
        }
    }

    pub fn disconnect_user(&self, user: &UserId, code: CloseCode, reason: &'static str) -> usize {
        let peers = lock(&self.peers);
        let mut told = 0;
        for peer in peers.values().filter(|p| &p.principal.user == user) {
            peer.request_close(code, reason);
            told += 1;
        }
        told
    }

    /// Signals every connection to flush and close with 1001, then waits until all are gone.
    pub async fn shutdown(&self) {
        self.shutdown.send_replace(true);
        let mut connections = self.connections.subscribe();
        // The sender lives in `self`, so the channel cannot close while we wait.
        let _ = connections.wait_for(|n| *n == 0).await;
    }

    pub fn is_shutting_down(&self) -> bool {
        *self.shutdown.borrow()
    }

    pub fn connections(&self) -> usize {
        *self.connections.borrow()
    }

    pub fn batching(&self) -> Batching {
        Batching {
            enabled: self.config.enable_batching,
            max_size: self.config.batch_max_size,
            max_wait_ms: u64::try_from(self.config.batch_max_wait.as_millis()).unwrap_or(u64::MAX),
        }
    }
}

/// Wall-clock unix milliseconds (participants' `since` and `last_active`).
pub(crate) fn unix_ms() -> u64 {
    let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    u64::try_from(since_epoch.as_millis()).unwrap_or(u64::MAX)
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
