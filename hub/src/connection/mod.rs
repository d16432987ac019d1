//! One WebSocket connection, from admission to close, generic over the transport: any
//! `Sink<Frame>` and `Stream<Item = Result<Frame, E>>` (axum's split socket in the server,
//! in-memory channels in tests).
//!
//! The steps, each in its own file: `open` (join the room, get the snapshot or replay, announce
//! the user), `run` (the `select!` over the room's queue, the client, the timer and shutdown),
//! `inbound` (client frames), `outbound` (ordering, batching, timed writes). `cursor`,
//! `batch` and `heartbeat` are the pure state those steps keep. Leaving the room and giving
//! the connection slot back happen in `Drop`, so they also happen if the server drops the
//! future.

mod batch;
mod cursor;
mod heartbeat;
mod inbound;
mod open;
mod outbound;
mod run;

use std::fmt::Display;
use std::sync::Arc;
use std::time::Duration;

use futures::{Sink, SinkExt, Stream};
use tokio::sync::watch;
use tokio::time::Instant;

use crate::backend::Backend;
use crate::frame::{CloseCode, Frame};
use crate::ids::{Principal, ReportId};
use crate::peer::{CloseRequest, Peer};
use crate::registry::Shared;
use crate::room::Room;
use crate::stats::Refused;
use batch::Batch;
use cursor::Cursor;
use heartbeat::Heartbeat;

/// How long the final close frame may take before the hub gives up on a polite close.
const CLOSE_WRITE_TIMEOUT: Duration = Duration::from_millis(250);

/// What the server knows about a socket before handing it to the hub.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Join {
    pub report: ReportId,
    pub principal: Principal,
    /// `?since=N`: resume after offset N (replay, then live).
    pub since: Option<u64>,
}

/// How a connection ended, for the server's log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Closed {
    /// The close code the hub sent (or echoed); `None` when the transport just ended.
    pub code: Option<CloseCode>,
    pub reason: &'static str,
}

/// Why the loop stopped.
#[derive(Debug)]
pub(crate) enum Stop {
    /// Close with `code`; with `flush`, what is already queued goes out first.
    Close {
        code: CloseCode,
        reason: &'static str,
        flush: bool,
    },
    /// The client sent a close frame: echo it.
    ClientClosed,
    /// The transport ended or failed; nothing more can be written.
    Gone(&'static str),
}

impl Stop {
    fn now(code: CloseCode, reason: &'static str) -> Self {
        Self::Close {
            code,
            reason,
            flush: false,
        }
    }
}

impl From<CloseRequest> for Stop {
    fn from(request: CloseRequest) -> Self {
        Self::now(request.code, request.reason)
    }
}

pub(crate) struct Connection<B: Backend, Si, St> {
    hub: Arc<Shared<B>>,
    peer: Arc<Peer>,
    room: Arc<Room>,
    sink: Si,
    stream: St,
    shutdown: watch::Receiver<bool>,
    cursor: Cursor,
    batch: Batch,
    heartbeat: Heartbeat,
    idle_deadline: Instant,
    /// The last drain stopped with messages still queued.
    more_queued: bool,
    /// Counted as a participant (announced on arrival, so announced on departure).
    active: bool,
    /// Flushing before a close: no more backend calls, no resyncs.
    closing: bool,
    /// The connection slot given back (see [`Connection::release_slot`]).
    slot_released: bool,
}

/// Serves one socket until it closes. See [`crate::Hub::serve`].
pub(crate) async fn serve<B, Si, St, E>(hub: Arc<Shared<B>>, join: Join, mut sink: Si, stream: St) -> Closed
where
    B: Backend,
    Si: Sink<Frame> + Unpin,
    Si::Error: Display,
    St: Stream<Item = Result<Frame, E>> + Unpin,
    E: Display,
{
    let (peer, shutdown) = match hub.admit(&join.principal) {
        Ok(admitted) => admitted,
        Err(why) => {
            hub.counters.refused(why);
            let (code, reason) = refusal(why);
            say_goodbye(&mut sink, code, reason).await;
            return Closed {
                code: Some(code),
                reason,
            };
        }
    };
    let (room, room_last) = hub.subscribe(&join.report, &peer);
    let now = Instant::now();
    let mut connection = Connection {
        heartbeat: Heartbeat::new(now, hub.config.ping_interval),
        idle_deadline: now + hub.config.idle_timeout,
        hub,
        peer,
        room,
        sink,
        stream,
        shutdown,
        cursor: Cursor::default(),
        batch: Batch::default(),
        more_queued: false,
        active: false,
        closing: false,
        slot_released: false,
    };
    let stop = match connection.open(join.since, room_last).await {
        Ok(()) => connection.run().await,
        Err(stop) => stop,
    };
    connection.finish(stop).await
}

/// The close code and reason for a refused connection.
pub(crate) fn refusal(why: Refused) -> (CloseCode, &'static str) {
    match why {
        Refused::ConnectionLimit => (CloseCode::TRY_AGAIN_LATER, "too many connections"),
        Refused::ParticipantLimit => (CloseCode::TRY_AGAIN_LATER, "session is full"),
        Refused::Forbidden => (CloseCode::POLICY, "not allowed"),
        Refused::NotFound => (CloseCode::POLICY, "no such report"),
        Refused::Unavailable => (CloseCode::INTERNAL, "report unavailable, try again"),
        Refused::ShuttingDown => (CloseCode::GOING_AWAY, "server shutting down"),
        Refused::ByServer => (CloseCode::POLICY, "not allowed"),
    }
}

/// Sends a close frame and closes the sink, giving up after [`CLOSE_WRITE_TIMEOUT`].
pub(crate) async fn say_goodbye<Si: Sink<Frame> + Unpin>(sink: &mut Si, code: CloseCode, reason: &'static str) {
    let goodbye = async {
        sink.send(Frame::close(code, reason)).await?;
        sink.close().await
    };
    let _ = tokio::time::timeout(CLOSE_WRITE_TIMEOUT, goodbye).await;
}

impl<B: Backend, Si, St> Connection<B, Si, St> {
    /// Gives the connection slot back, once. `finish` does it before the goodbye frame: a
    /// client that reads the close and connects again at once (another tab, after a
    /// refusal for the participant limit, which comes after the slot was taken) must find
    /// the slot free. The room is left, and the departure announced, when the connection
    /// is dropped, after the goodbye, as before.
    fn release_slot(&mut self) {
        if !std::mem::replace(&mut self.slot_released, true) {
            self.hub.release(self.peer.id);
        }
    }
}

impl<B: Backend, Si, St> Drop for Connection<B, Si, St> {
    fn drop(&mut self) {
        let left = self.hub.leave(&self.room, self.peer.id);
        if self.active && left.last_for_user {
            open::announce(&self.hub, &self.room, &self.peer, false);
        }
        self.release_slot();
    }
}
