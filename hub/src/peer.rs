//! One connection as the rest of the hub sees it: who it is, and its outbound queue.
//!
//! Rooms push into the queue and never wait: a push takes a short lock, appends an `Arc`, and
//! wakes the connection task. A queue whose undelivered bytes pass the limit is emptied and
//! marked for closing with 4001 — that is how a slow reader is cut off without slowing the
//! room. The hub also asks a connection to close through here (`disconnect_user`).
//!
//! The queue is allocated lazily and shrunk when drained, so an idle connection costs little.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::Notify;

use crate::frame::CloseCode;
use crate::ids::{ConnectionId, Principal};
use crate::publication::Publication;

/// A queue that grew past this many slots is given back to the allocator once drained.
const KEEP_CAPACITY: usize = 16;

/// What a connection has to send next.
#[derive(Debug)]
pub(crate) enum Outgoing {
    Message(Arc<Publication>),
    /// The room lost events it could not recover: tell the client and start it over.
    Resync,
}

/// Asked of a connection from outside its task.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CloseRequest {
    pub code: CloseCode,
    pub reason: &'static str,
}

#[derive(Default)]
struct Queue {
    items: VecDeque<Outgoing>,
    bytes: usize,
    close: Option<CloseRequest>,
}

/// Shared between the connection's task, its room and the hub's registry.
pub(crate) struct Peer {
    pub id: ConnectionId,
    pub principal: Principal,
    /// Unix ms when the connection was admitted.
    pub since_ms: u64,
    last_active_ms: AtomicU64,
    /// Messages held in the connection's batch (for the session stats).
    batched: AtomicUsize,
    max_queue_bytes: usize,
    queue: Mutex<Queue>,
    wake: Notify,
}

impl Peer {
    pub fn new(id: ConnectionId, principal: Principal, now_ms: u64, max_queue_bytes: usize) -> Self {
        Self {
            id,
            principal,
            since_ms: now_ms,
            last_active_ms: AtomicU64::new(now_ms),
            batched: AtomicUsize::new(0),
            max_queue_bytes,
            queue: Mutex::new(Queue::default()),
            wake: Notify::new(),
        }
    }

    /// Queues a message. Never blocks; over the byte limit the queue is dropped and the
    /// connection told to close as a slow consumer. Returns false if it was not queued.
    pub fn push(&self, message: &Arc<Publication>) -> bool {
        let mut q = self.lock();
        if q.close.is_some() {
            return false;
        }
        if q.bytes + message.len() > self.max_queue_bytes {
            *q = Queue {
                close: Some(CloseRequest {
                    code: CloseCode::SLOW_CONSUMER,
                    reason: "outbound queue over its limit",
                }),
                ..Queue::default()
            };
            drop(q);
            self.wake.notify_one();
            return false;
        }
        q.bytes += message.len();
        q.items.push_back(Outgoing::Message(Arc::clone(message)));
        drop(q);
        self.wake.notify_one();
        true
    }

    pub fn push_resync(&self) {
        let mut q = self.lock();
        if q.close.is_none() {
            q.items.push_back(Outgoing::Resync);
            drop(q);
            self.wake.notify_one();
        }
    }

    pub fn pop(&self) -> Option<Outgoing> {
        let mut q = self.lock();
        let item = q.items.pop_front();
        if let Some(Outgoing::Message(p)) = &item {
            q.bytes -= p.len();
        }
        if q.items.is_empty() && q.items.capacity() > KEEP_CAPACITY {
            q.items = VecDeque::new();
        }
        item
    }

    /// Asks the connection to close (the first request wins); it stops within one write.
    pub fn request_close(&self, code: CloseCode, reason: &'static str) {
        let mut q = self.lock();
        if q.close.is_none() {
            q.close = Some(CloseRequest { code, reason });
            q.items.clear();
            q.bytes = 0;
        }
        drop(q);
        self.wake.notify_one();
    }

    pub fn close_request(&self) -> Option<CloseRequest> {
        self.lock().close
    }

    /// Resolves once something was queued or a close requested since the last wake.
    pub async fn notified(&self) {
        self.wake.notified().await;
    }

    /// Queued messages plus those held in the connection's batch.
    pub fn pending(&self) -> usize {
        self.lock().items.len() + self.batched.load(Ordering::Relaxed)
    }

    pub fn set_batched(&self, n: usize) {
        self.batched.store(n, Ordering::Relaxed);
    }

    pub fn touch(&self, now_ms: u64) {
        self.last_active_ms.fetch_max(now_ms, Ordering::Relaxed);
    }

    pub fn last_active_ms(&self) -> u64 {
        self.last_active_ms.load(Ordering::Relaxed)
    }

    fn lock(&self) -> MutexGuard<'_, Queue> {
        // The lock guards plain data and no code panics while holding it; recover regardless.
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::Role;
    use bytes::Bytes;

    fn peer(limit: usize) -> Peer {
        Peer::new(ConnectionId(1), Principal::new("ann", Role::Editor), 0, limit)
    }

    fn message(len: usize) -> Arc<Publication> {
        Publication::ephemeral(Bytes::from(vec![b'x'; len]), false)
    }

    #[test]
    fn over_the_byte_limit_the_queue_is_dropped_and_closed_as_slow() {
        let p = peer(100);
        assert!(p.push(&message(60)));
        assert!(p.push(&message(40)));
        assert!(!p.push(&message(1)));
        assert_eq!(p.close_request().map(|c| c.code), Some(CloseCode::SLOW_CONSUMER));
        assert!(p.pop().is_none(), "the backlog is freed at once");
        assert!(!p.push(&message(1)), "nothing is queued after the close");
    }

    #[test]
    fn draining_frees_bytes_and_large_buffers() {
        let p = peer(1000);
        for _ in 0..40 {
            assert!(p.push(&message(10)));
        }
        while p.pop().is_some() {}
        assert_eq!(p.lock().items.capacity(), 0, "a grown buffer is given back once empty");
        assert!(p.push(&message(1000)), "all 400 bytes were released");
    }
}
