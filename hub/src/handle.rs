//! [`Hub`], the handle the server keeps in its state: cheap to clone, one per process.

use std::fmt::Display;
use std::sync::Arc;

use futures::{Sink, Stream};

use crate::backend::{Backend, StoredEvent};
use crate::config::HubConfig;
use crate::connection::{self, Closed, Join};
use crate::error::ConfigError;
use crate::frame::{CloseCode, Frame};
use crate::ids::{ReportId, UserId};
use crate::protocol::Ephemeral;
use crate::publication::{encode, Publication};
use crate::registry::Shared;
use crate::stats::{BatchInfo, HubStats, NoObserver, Observer, Refused, SessionStats};

/// The collaboration hub of one server instance.
pub struct Hub<B> {
    shared: Arc<Shared<B>>,
}

impl<B> Clone for Hub<B> {
    fn clone(&self) -> Self {
        Self {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<B: Backend> Hub<B> {
    /// A hub over `backend`, with nothing observing it.
    pub fn new(config: HubConfig, backend: B) -> Result<Self, ConfigError> {
        Self::with_observer(config, backend, Arc::new(NoObserver))
    }

    /// A hub whose latency and session counts go to `observer` (the server's monitor).
    pub fn with_observer(config: HubConfig, backend: B, observer: Arc<dyn Observer>) -> Result<Self, ConfigError> {
        config.validate()?;
        Ok(Self {
            shared: Arc::new(Shared::new(config, backend, observer)),
        })
    }

    /// Serves one upgraded socket until it closes: admission (connection limit → 1013,
    /// shutting down → 1001), [`Backend::join`] (not allowed → 1008), the participant limit
    /// (→ 1013), then the session. Authentication and the `Origin` check come before this, in
    /// the server. The future is `Send` when the sink, stream and backend futures are.
    pub async fn serve<Si, St, E>(&self, join: Join, sink: Si, stream: St) -> Closed
    where
        Si: Sink<Frame> + Unpin,
        Si::Error: Display,
        St: Stream<Item = Result<Frame, E>> + Unpin,
        E: Display,
    {
        connection::serve(Arc::clone(&self.shared), join, sink, stream).await
    }

    /// Closes a socket the server will not hand to the hub — no valid credentials, or an
    /// `Origin` that is not the site's own — with `code` (1008), counted among the refusals.
    pub async fn reject<Si>(&self, mut sink: Si, code: CloseCode, reason: &'static str)
    where
        Si: Sink<Frame> + Unpin,
    {
        self.shared.counters.refused(Refused::ByServer);
        connection::say_goodbye(&mut sink, code, reason).await;
    }

    /// Delivers a stored event to the report's room on this instance, once and in offset
    /// order, whatever route it came by (this instance's write path, Redis, a replay). Encoded
    /// once for all members. A gap before it is filled from [`Backend::events_since`].
    pub fn publish(&self, report: &ReportId, event: StoredEvent) {
        self.shared.publish(report, Publication::event(&event));
    }

    /// After the server's subscription to the other instances was lost and re-established:
    /// every room here re-reads the events after its last offset from the backend (in the
    /// background), so whatever was published meanwhile is delivered, once and in order; a
    /// room whose history is gone resynchronises its members. Returns the number of rooms.
    pub fn catch_up_rooms(&self) -> usize {
        let rooms = self.shared.rooms();
        for room in &rooms {
            crate::gap::spawn_catch_up(Arc::clone(&self.shared), Arc::clone(room));
        }
        rooms.len()
    }

    /// Presence or a cursor from another instance, to this instance's members of the room.
    pub fn publish_ephemeral(&self, report: &ReportId, message: &Ephemeral) {
        if let Some(room) = self.shared.room(report) {
            room.broadcast(&Publication::ephemeral(encode(message), false), None);
        }
    }

    /// Closes every socket of `user` on this instance with `code` (1008 when a token is
    /// revoked or the user signs out). Each stops at its next step — at most one blocked write
    /// — without flushing. Returns how many sockets were told.
    pub fn disconnect_user(&self, user: &UserId, code: CloseCode) -> usize {
        let reason = if code == CloseCode::POLICY {
            "access revoked"
        } else {
            "disconnected by the server"
        };
        self.shared.disconnect_user(user, code, reason)
    }

    /// Closes every connection with 1001 after flushing what each had queued, refuses new
    /// ones, and returns once all are gone.
    pub async fn shutdown(&self) {
        self.shared.shutdown().await;
    }

    pub fn is_shutting_down(&self) -> bool {
        self.shared.is_shutting_down()
    }

    /// `/websocket/stats`.
    pub fn stats(&self) -> HubStats {
        let sessions = self.shared.rooms().len();
        self.shared
            .counters
            .snapshot(self.shared.connections(), sessions, self.shared.batching())
    }

    /// `/websocket/sessions/{report_id}`; `None` when nobody here is in that room.
    pub fn session(&self, report: &ReportId) -> Option<SessionStats> {
        let room = self.shared.room(report)?;
        let (local_connections, offset, pending_messages) = room.load();
        let batching = self.shared.batching();
        Some(SessionStats {
            report_id: report.clone(),
            participants: room.participants(),
            local_connections,
            offset,
            batch_info: BatchInfo {
                pending_messages,
                max_size: batching.max_size,
                max_wait_ms: batching.max_wait_ms,
            },
        })
    }

    pub fn config(&self) -> &HubConfig {
        &self.shared.config
    }

    pub fn backend(&self) -> &B {
        &self.shared.backend
    }
}
