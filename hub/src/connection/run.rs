//! The connection loop: drain the room's queue, then `select!` over shutdown, the queue, the
//! client and one timer (the earliest of batch flush, heartbeat and idle deadlines); and the
//! close at the end, flushing first when the cause allows it.

use std::fmt::Display;

use futures::{Sink, Stream, StreamExt};
use tokio::time::Instant;

use super::heartbeat::Beat;
use super::{Closed, Connection, Stop};
use crate::backend::Backend;
use crate::frame::{CloseCode, Frame};
use crate::peer::Outgoing;

/// Queued messages handled per turn of the loop, so a busy room cannot starve the client's
/// frames or the timers.
const DRAIN_PER_TURN: usize = 64;

enum Wake<F> {
    Shutdown,
    Queue,
    Client(Option<F>),
    Timer,
}

impl<B, Si, St, E> Connection<B, Si, St>
where
    B: Backend,
    Si: Sink<Frame> + Unpin,
    Si::Error: Display,
    St: Stream<Item = Result<Frame, E>> + Unpin,
    E: Display,
{
    pub(super) async fn run(&mut self) -> Stop {
        let timer = tokio::time::sleep_until(self.next_deadline());
        tokio::pin!(timer);
        loop {
            if let Err(stop) = self.drain().await {
                return stop;
            }
            let deadline = self.next_deadline();
            if timer.deadline() != deadline {
                timer.as_mut().reset(deadline);
            }
            let wake = tokio::select! {
                // An error means the hub itself is gone: as good as a shutdown.
                _ = self.shutdown.changed() => Wake::Shutdown,
                () = self.peer.notified() => Wake::Queue,
                () = std::future::ready(()), if self.more_queued => Wake::Queue,
                frame = self.stream.next() => Wake::Client(frame),
                () = &mut timer => Wake::Timer,
            };
            let step = match wake {
                Wake::Shutdown => Err(Stop::Close {
                    code: CloseCode::GOING_AWAY,
                    reason: "server shutting down",
                    flush: true,
                }),
                Wake::Queue => Ok(()),
                // Boxed: handling a client message (parse, backend call, reply) is the
                // deepest path, and an idle connection should not carry its state.
                Wake::Client(frame) => Box::pin(self.on_frame(frame)).await,
                Wake::Timer => self.on_timer().await,
            };
            if let Err(stop) = step {
                return stop;
            }
        }
    }

    /// Moves up to [`DRAIN_PER_TURN`] queued messages on; a requested close wins.
    async fn drain(&mut self) -> Result<(), Stop> {
        self.more_queued = false;
        for _ in 0..DRAIN_PER_TURN {
            if let Some(request) = self.peer.close_request() {
                return Err(request.into());
            }
            match self.peer.pop() {
                // Nothing more is coming just now: with `flush_when_idle`, what the batch
                // holds goes now rather than at the end of its window.
                None if self.hub.config.flush_when_idle => return self.flush().await,
                None => return Ok(()),
                Some(Outgoing::Message(m)) => match m.offset {
                    Some(offset) => self.on_event(m, offset).await?,
                    None => self.enqueue(m).await?,
                },
                Some(Outgoing::Resync) => Box::pin(self.resync()).await?,
            }
        }
        self.more_queued = true;
        Ok(())
    }

    fn next_deadline(&self) -> Instant {
        let mut deadline = self.heartbeat.deadline().min(self.idle_deadline);
        if let Some(flush_at) = self.batch.deadline() {
            deadline = deadline.min(flush_at);
        }
        deadline
    }

    async fn on_timer(&mut self) -> Result<(), Stop> {
        let now = Instant::now();
        if self.batch.deadline().is_some_and(|at| at <= now) {
            self.flush().await?;
        }
        let config = &self.hub.config;
        match self.heartbeat.due(now, config.ping_interval, config.pong_timeout) {
            Beat::TimedOut => return Err(Stop::now(CloseCode::HEARTBEAT_TIMEOUT, "no pong")),
            Beat::Ping => self.write(Frame::Ping(bytes::Bytes::new())).await?,
            Beat::Quiet => {}
        }
        if self.idle_deadline <= now {
            return Err(Stop::Close {
                code: CloseCode::IDLE,
                reason: "idle",
                flush: true,
            });
        }
        Ok(())
    }

    /// Ends the connection as `stop` says and reports how.
    pub(super) async fn finish(&mut self, stop: Stop) -> Closed {
        let (code, reason) = match stop {
            Stop::Gone(reason) => return Closed { code: None, reason },
            Stop::ClientClosed => (CloseCode::NORMAL, "client closed"),
            Stop::Close { code, reason, flush } => {
                if flush {
                    self.flush_queued().await;
                }
                (code, reason)
            }
        };
        self.hub.counters.closed(code);
        tracing::debug!(
            report.id = %self.room.report,
            user = %self.peer.principal.user,
            connection = %self.peer.id,
            code = code.0,
            reason,
            "websocket closed"
        );
        self.release_slot();
        super::say_goodbye(&mut self.sink, code, reason).await;
        Closed {
            code: Some(code),
            reason,
        }
    }

    /// Writes what was queued when the close began (no new backend calls); errors just end it.
    async fn flush_queued(&mut self) {
        self.closing = true;
        let queued = self.peer.pending();
        for _ in 0..queued {
            let m = match self.peer.pop() {
                None => break,
                Some(Outgoing::Resync) => continue,
                Some(Outgoing::Message(m)) => m,
            };
            let sent = match m.offset {
                Some(offset) => self.on_event(m, offset).await,
                None => self.enqueue(m).await,
            };
            if sent.is_err() {
                return;
            }
        }
        let _ = self.flush().await;
    }
}
