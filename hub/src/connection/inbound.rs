//! What the client sends: size check (1009), liveness, parsing (a bad frame gets an `error`
//! and the connection stays up), and dispatch — `ping` and `cursor` are the hub's own; edits
//! and comments go to the backend's write path and come back as an ack and an event.

use std::fmt::Display;

use futures::{Sink, Stream};
use tokio::time::Instant;

use super::cursor::OwnAck;
use super::{Connection, Stop};
use crate::backend::{Backend, Command, ErrorReply, Reply};
use crate::error::ProtocolError;
use crate::frame::{CloseCode, Frame};
use crate::protocol::{Ack, ClientFrame, ClientMessage, CursorAt, Ephemeral, ErrorBody, MessageId, ServerMessage};
use crate::publication::{encode, Publication};
use crate::registry::unix_ms;
use crate::stats::Counters;

impl<B, Si, St, E> Connection<B, Si, St>
where
    B: Backend,
    Si: Sink<Frame> + Unpin,
    Si::Error: Display,
    St: Stream<Item = Result<Frame, E>> + Unpin,
    E: Display,
{
    pub(super) async fn on_frame(&mut self, frame: Option<Result<Frame, E>>) -> Result<(), Stop> {
        let frame = match frame {
            None => return Err(Stop::Gone("client went away")),
            Some(Err(error)) => {
                tracing::debug!(connection = %self.peer.id, %error, "read failed");
                return Err(Stop::Gone("read failed"));
            }
            Some(Ok(frame)) => frame,
        };
        // Any frame at all shows the peer is alive.
        self.heartbeat.alive();
        match frame {
            Frame::Text(data) | Frame::Binary(data) if data.len() > self.hub.config.max_frame_bytes => {
                Err(Stop::now(CloseCode::TOO_BIG, "frame too big"))
            }
            Frame::Text(text) => {
                self.client_spoke();
                match ClientFrame::parse(&text) {
                    Ok(frame) => self.dispatch(frame).await,
                    Err(rejected) => self.send_error(rejected.id, &rejected.error).await,
                }
            }
            Frame::Binary(_) => {
                self.client_spoke();
                self.send_error(None, &ProtocolError::Binary).await
            }
            Frame::Ping(payload) => self.write(Frame::Pong(payload)).await,
            Frame::Pong(_) => Ok(()),
            Frame::Close { .. } => Err(Stop::ClientClosed),
        }
    }

    /// A client message (not a heartbeat) arrived: not idle, and active for presence.
    fn client_spoke(&mut self) {
        Counters::add(&self.hub.counters.messages_in, 1);
        self.idle_deadline = Instant::now() + self.hub.config.idle_timeout;
        self.peer.touch(unix_ms());
    }

    async fn dispatch(&mut self, frame: ClientFrame) -> Result<(), Stop> {
        let ClientFrame { id, message } = frame;
        let command = match message {
            ClientMessage::Ping => return self.enqueue(Publication::message(&ServerMessage::Pong)).await,
            ClientMessage::Cursor(cursor) => {
                let Some(id) = self.may_edit(id).await? else {
                    return Ok(());
                };
                let message = Ephemeral::Cursor(CursorAt {
                    user: self.peer.principal.user.clone(),
                    section_id: cursor.section_id,
                    position: cursor.position,
                });
                let publication = Publication::ephemeral(encode(&message), false);
                self.room.broadcast(&publication, Some(self.peer.id));
                self.hub.backend.relay(&self.room.report, &message);
                return self.send_ack(id).await;
            }
            ClientMessage::SectionUpdate(update) => Command::SectionUpdate(update),
            ClientMessage::CommentAdd(comment) => Command::CommentAdd(comment),
            ClientMessage::CommentResolve(resolve) => Command::CommentResolve(resolve),
        };
        let Some(id) = self.may_edit(id).await? else {
            return Ok(());
        };
        self.run_command(id, command).await
    }

    /// Through the backend's write path. An accepted command's ack waits for its event's
    /// place in the stream; the event itself is published to the room here.
    async fn run_command(&mut self, id: Option<MessageId>, command: Command) -> Result<(), Stop> {
        let replaces_event = matches!(command, Command::SectionUpdate(_));
        let report = self.room.report.clone();
        let reply = Box::pin(self.hub.backend.handle(&report, &self.peer.principal, command)).await;
        match reply {
            Ok(Reply::Accepted { event, version }) => {
                let offset = event.offset();
                let ack = ServerMessage::Ack(Ack {
                    id,
                    offset: Some(offset),
                    version,
                });
                let own = OwnAck {
                    offset,
                    ack: Publication::message(&ack),
                    replaces_event,
                };
                if let Some(now) = self.cursor.hold(own) {
                    self.enqueue(now.ack).await?;
                }
                self.hub.publish(&report, Publication::event(&event));
                Ok(())
            }
            Ok(Reply::Conflict(conflict)) => {
                self.enqueue(Publication::message(&ServerMessage::Conflict(conflict)))
                    .await
            }
            Err(ErrorReply { code, message, field }) => {
                let body = ErrorBody {
                    id,
                    code,
                    message,
                    field,
                };
                self.enqueue(Publication::message(&ServerMessage::Error(body))).await
            }
        }
    }

    /// Viewers may only read: an edit, comment or cursor from one gets `forbidden`. Returns
    /// the message id back when the sender may go on.
    async fn may_edit(&mut self, id: Option<MessageId>) -> Result<Option<Option<MessageId>>, Stop> {
        if self.peer.principal.role.can_edit() {
            return Ok(Some(id));
        }
        let body = ErrorBody {
            id,
            code: "forbidden".into(),
            message: "viewers may not edit, comment or share a cursor".into(),
            field: Some("type".into()),
        };
        self.enqueue(Publication::message(&ServerMessage::Error(body))).await?;
        Ok(None)
    }

    async fn send_ack(&mut self, id: Option<MessageId>) -> Result<(), Stop> {
        if id.is_none() {
            return Ok(());
        }
        let ack = Ack { id, ..Ack::default() };
        self.enqueue(Publication::message(&ServerMessage::Ack(ack))).await
    }

    async fn send_error(&mut self, id: Option<MessageId>, error: &ProtocolError) -> Result<(), Stop> {
        let body = ErrorBody {
            id,
            code: error.code().into(),
            message: error.to_string(),
            field: error.field().map(str::to_owned),
        };
        self.enqueue(Publication::message(&ServerMessage::Error(body))).await
    }
}
