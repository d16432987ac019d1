//! A room: the members of one report's session on this instance, and its one broadcast.
//!
//! Durable events pass the [`Sequencer`] and go, in offset order and once, to every member —
//! including members still joining, whose connection drops what its snapshot already covers.
//! Presence and cursors go straight to the active members. A fan-out pushes one shared
//! `Arc<Publication>` into each member's queue and never waits on any of them.
//!
//! Members join in two steps: `subscribe` (start receiving, before the backend snapshot is
//! taken, so no event can fall between the snapshot and the subscription) and `activate`
//! (admitted: counted as a participant, announced). What fills gaps is in `gap`.

mod sequencer;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::ids::{ConnectionId, ReportId, UserId};
use crate::peer::Peer;
use crate::protocol::Participant;
use crate::publication::Publication;
use sequencer::{Offer, Sequencer};

struct Member {
    peer: Arc<Peer>,
    active: bool,
}

#[derive(Default)]
struct State {
    members: Vec<Member>,
    seq: Sequencer,
    /// Removed from the hub's map (last member left); a late joiner must take a new room.
    detached: bool,
}

/// What activating a member found.
pub(crate) struct Activated {
    /// The user had no other active connection here: announce them.
    pub first_for_user: bool,
}

/// What a leaving member left behind.
pub(crate) struct Left {
    /// The user has no other active connection here: announce they went.
    pub last_for_user: bool,
    pub empty: bool,
}

/// What became of an offered event.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Fanned {
    Delivered,
    Stale,
    /// Held behind a gap, and nobody is filling it yet: start a fill.
    NeedsFill,
}

pub(crate) struct Room {
    pub report: ReportId,
    state: Mutex<State>,
}

impl Room {
    pub fn new(report: ReportId) -> Self {
        Self {
            report,
            state: Mutex::default(),
        }
    }

    /// Starts delivering events to `peer`. Returns the last offset released so far, or `Err`
    /// if this room was already detached.
    pub fn subscribe(&self, peer: Arc<Peer>) -> Result<Option<u64>, Detached> {
        let mut s = self.lock();
        if s.detached {
            return Err(Detached);
        }
        s.members.push(Member { peer, active: false });
        Ok(s.seq.last())
    }

    /// Counts the member as a participant unless that would pass `max_participants`
    /// distinct users (another tab of a present user always fits).
    pub fn activate(&self, id: ConnectionId, max_participants: usize) -> Result<Activated, Full> {
        let mut s = self.lock();
        let Some(index) = s.members.iter().position(|m| m.peer.id == id) else {
            return Err(Full);
        };
        let user = s.members[index].peer.principal.user.clone();
        let present = active_users(&s.members);
        let first_for_user = !present.contains(&user);
        if first_for_user && present.len() >= max_participants {
            return Err(Full);
        }
        s.members[index].active = true;
        Ok(Activated { first_for_user })
    }

    pub fn leave(&self, id: ConnectionId) -> Left {
        let mut s = self.lock();
        let mut was_active = None;
        s.members.retain(|m| {
            let keep = m.peer.id != id;
            if !keep {
                was_active = Some((m.active, m.peer.principal.user.clone()));
            }
            keep
        });
        let last_for_user = match was_active {
            Some((true, user)) => !active_users(&s.members).contains(&user),
            _ => false,
        };
        let empty = s.members.is_empty();
        s.detached |= empty;
        Left { last_for_user, empty }
    }

    pub fn seed(&self, offset: u64) {
        self.lock().seq.seed(offset);
    }

    /// Sequences a durable event and fans out whatever it releases.
    pub fn offer(&self, publication: Arc<Publication>) -> Fanned {
        let Some(offset) = publication.offset else {
            self.broadcast(&publication, None);
            return Fanned::Delivered;
        };
        let mut s = self.lock();
        match s.seq.offer(offset, publication) {
            Offer::Stale => Fanned::Stale,
            Offer::Ready(ready) => {
                fan_out(&s.members, &ready);
                Fanned::Delivered
            }
            Offer::Held { fill: true } => Fanned::NeedsFill,
            Offer::Held { fill: false } => Fanned::Delivered,
            Offer::Overflow => {
                resync_all(&mut s);
                Fanned::Delivered
            }
        }
    }

    /// An ephemeral message to the active members, except its sender.
    pub fn broadcast(&self, publication: &Arc<Publication>, except: Option<ConnectionId>) {
        let s = self.lock();
        for m in s.members.iter().filter(|m| m.active && Some(m.peer.id) != except) {
            m.peer.push(publication);
        }
    }

    pub fn missing_after(&self) -> Option<u64> {
        self.lock().seq.missing_after()
    }

    pub fn last(&self) -> Option<u64> {
        self.lock().seq.last()
    }

    /// The room's history cannot be recovered: release what is held, resynchronise every
    /// member, and let the next event (or joiner) start the sequence again.
    pub fn restart(&self) {
        let mut s = self.lock();
        resync_all(&mut s);
        s.seq.forget();
    }

    /// Ends a fill. If a gap is still open the events are gone: every member is told to
    /// resynchronise and the room moves on from what it holds.
    pub fn finish_fill(&self) -> bool {
        let mut s = self.lock();
        s.seq.fill_finished();
        let gave_up = s.seq.missing_after().is_some();
        if gave_up {
            resync_all(&mut s);
        }
        gave_up
    }

    /// Participants: active members grouped by user, earliest first.
    pub fn participants(&self) -> Vec<Participant> {
        let s = self.lock();
        let mut by_user: HashMap<&UserId, Participant> = HashMap::new();
        for peer in s.members.iter().filter(|m| m.active).map(|m| &m.peer) {
            let (since, last_active) = (peer.since_ms, peer.last_active_ms());
            by_user
                .entry(&peer.principal.user)
                .and_modify(|p| {
                    p.since = p.since.min(since);
                    p.last_active = p.last_active.max(last_active);
                })
                .or_insert_with(|| Participant {
                    user: peer.principal.user.clone(),
                    role: peer.principal.role,
                    since,
                    last_active,
                });
        }
        let mut participants: Vec<Participant> = by_user.into_values().collect();
        participants.sort_by(|a, b| (a.since, &a.user).cmp(&(b.since, &b.user)));
        participants
    }

    /// (connections, last offset, messages waiting to be written).
    pub fn load(&self) -> (usize, Option<u64>, usize) {
        let s = self.lock();
        let pending = s.members.iter().map(|m| m.peer.pending()).sum();
        (s.members.len(), s.seq.last(), pending)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The room was detached before the subscriber got to it.
#[derive(Debug)]
pub(crate) struct Detached;

/// The room has `max_participants` distinct users already.
#[derive(Debug)]
pub(crate) struct Full;

fn fan_out(members: &[Member], ready: &[Arc<Publication>]) {
    for publication in ready {
        for m in members {
            m.peer.push(publication);
        }
    }
}

fn resync_all(s: &mut State) {
    let ready = s.seq.skip_gap();
    for m in &s.members {
        m.peer.push_resync();
    }
    fan_out(&s.members, &ready);
}

fn active_users(members: &[Member]) -> HashSet<&UserId> {
    members
        .iter()
        .filter(|m| m.active)
        .map(|m| &m.peer.principal.user)
        .collect()
}
