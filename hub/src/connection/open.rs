//! Opening a session, and starting it over (resync).
//!
//! The connection is already subscribed to its room (events queue up from here on), so the
//! backend snapshot taken next cannot miss anything: events it already covers are skipped by
//! offset. Then the participant limit, the announcement, and the first frames: a fresh join
//! gets `session_state`; a resume (`since=N`) gets the current participants as `presence`
//! and every event after N exactly once, in order; a resume the store cannot serve gets
//! `resync_required` and a fresh `session_state`.

use std::fmt::Display;

use futures::{Sink, Stream};

use super::cursor::Admit;
use super::{Connection, Stop};
use crate::backend::{Backend, HistoryError, Refusal, Snapshot};
use crate::frame::Frame;
use crate::peer::Peer;
use crate::protocol::{Ephemeral, Presence, ServerMessage, SessionState};
use crate::publication::{encode, Publication};
use crate::registry::Shared;
use crate::room::Room;
use crate::stats::{Counters, Refused};

impl<B, Si, St, E> Connection<B, Si, St>
where
    B: Backend,
    Si: Sink<Frame> + Unpin,
    Si::Error: Display,
    St: Stream<Item = Result<Frame, E>> + Unpin,
    E: Display,
{
    /// `room_last`: the last offset the room had released when this connection subscribed.
    pub(super) async fn open(&mut self, since: Option<u64>, room_last: Option<u64>) -> Result<(), Stop> {
        let snapshot = self.snapshot().await?;
        self.room.seed(snapshot.offset);
        let Ok(activated) = self.room.activate(self.peer.id, self.hub.config.max_participants) else {
            return Err(self.refuse(Refused::ParticipantLimit));
        };
        self.active = true;
        if activated.first_for_user {
            announce(&self.hub, &self.room, &self.peer, true);
        }
        match since {
            None => self.send_state(snapshot).await?,
            Some(n) if n > snapshot.offset => {
                // The client claims events the store never had (store reset): start it over.
                self.send_resync_required().await?;
                self.send_state(snapshot).await?;
            }
            Some(n) => {
                self.cursor.reset(n);
                self.send_presence_list().await?;
                self.catch_up().await?;
            }
        }
        // Events released before we subscribed and after the snapshot: fetch them.
        if room_last.is_some_and(|last| last > self.cursor.at()) {
            self.catch_up().await?;
        }
        Ok(())
    }

    /// Replays every stored event after the cursor. A store that cannot (too old, a hole,
    /// unreachable) gets the client resynchronised instead.
    pub(super) async fn catch_up(&mut self) -> Result<(), Stop> {
        let report = self.room.report.clone();
        let history = Box::pin(self.hub.backend.events_since(&report, self.cursor.at())).await;
        let events = match history {
            Ok(events) => events,
            Err(HistoryError::TooOld) => return self.resync().await,
            Err(error) => {
                tracing::warn!(report.id = %report, %error, "replay failed; resynchronising the client");
                return self.resync().await;
            }
        };
        for event in &events {
            match self.cursor.admit(event.offset()) {
                Admit::Deliver => self.emit_event(Publication::event(event), event.offset()).await?,
                Admit::Skip => {}
                Admit::Gap => return self.resync().await,
            }
        }
        Ok(())
    }

    /// `resync_required`, then a fresh `session_state`; the stream restarts at its offset.
    pub(super) async fn resync(&mut self) -> Result<(), Stop> {
        if self.closing {
            return Ok(());
        }
        self.send_resync_required().await?;
        let snapshot = self.snapshot().await?;
        self.room.seed(snapshot.offset);
        self.send_state(snapshot).await
    }

    async fn send_resync_required(&mut self) -> Result<(), Stop> {
        Counters::add(&self.hub.counters.resyncs, 1);
        self.enqueue(Publication::message(&ServerMessage::ResyncRequired)).await
    }

    async fn send_state(&mut self, snapshot: Snapshot) -> Result<(), Stop> {
        // Acks still waiting belong before the new state: their events are in it.
        for own in self.cursor.reset(snapshot.offset) {
            self.enqueue(own.ack).await?;
        }
        let mut participants = self.room.participants();
        for remote in snapshot.remote_participants {
            if !participants.iter().any(|p| p.user == remote.user) {
                participants.push(remote);
            }
        }
        let state = SessionState {
            participants,
            section_versions: snapshot.section_versions,
            comments: snapshot.comments,
            offset: snapshot.offset,
        };
        self.enqueue(Publication::message(&ServerMessage::SessionState(state)))
            .await
    }

    async fn send_presence_list(&mut self) -> Result<(), Stop> {
        let me = &self.peer.principal.user;
        let others: Vec<_> = self.room.participants().into_iter().filter(|p| &p.user != me).collect();
        for participant in others {
            let presence = Presence {
                user: participant.user,
                online: true,
            };
            self.enqueue(Publication::message(&ServerMessage::Presence(presence)))
                .await?;
        }
        Ok(())
    }

    /// Asks the backend whether the principal may be here, and for the state to start from.
    async fn snapshot(&mut self) -> Result<Snapshot, Stop> {
        let report = self.room.report.clone();
        match Box::pin(self.hub.backend.join(&report, &self.peer.principal)).await {
            Ok(snapshot) => Ok(snapshot),
            Err(Refusal::NotFound) => Err(self.refuse(Refused::NotFound)),
            Err(Refusal::Forbidden(why)) => {
                tracing::debug!(report.id = %report, user = %self.peer.principal.user, why, "join refused");
                Err(self.refuse(Refused::Forbidden))
            }
            Err(Refusal::Unavailable(why)) => {
                tracing::warn!(report.id = %report, why, "join failed: backend unavailable");
                Err(self.refuse(Refused::Unavailable))
            }
        }
    }

    fn refuse(&self, why: Refused) -> Stop {
        self.hub.counters.refused(why);
        let (code, reason) = super::refusal(why);
        Stop::now(code, reason)
    }
}

/// Tells the room (and, through the backend, the other instances) that a user came or went.
pub(super) fn announce<B: Backend>(hub: &Shared<B>, room: &Room, peer: &Peer, online: bool) {
    let message = Ephemeral::Presence(Presence {
        user: peer.principal.user.clone(),
        online,
    });
    room.broadcast(&Publication::ephemeral(encode(&message), false), Some(peer.id));
    hub.backend.relay(&room.report, &message);
}
