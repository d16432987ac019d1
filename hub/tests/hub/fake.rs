//! An in-memory [`Backend`]: one store of events and sections shared by every report, with
//! switches for the awkward cases (a gated replay, pruned history, a stale snapshot).

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::SystemTime;

use hub::protocol::{CommentAdded, CommentResolved, Conflict, Ephemeral, Event, Participant, SectionUpdated};
use hub::{Backend, Command, ErrorReply, HistoryError, Principal, Refusal, Reply, ReportId, Snapshot, StoredEvent};
use serde_json::json;
use tokio::sync::{watch, Notify};

#[derive(Default)]
struct Store {
    events: Vec<StoredEvent>,
    sections: BTreeMap<String, (u32, String)>,
    comments: Vec<serde_json::Value>,
    open_comments: HashSet<String>,
}

pub struct Fake {
    store: Mutex<Store>,
    /// Events at or below this offset are no longer kept (history pruned).
    pruned_through: AtomicU64,
    /// `join` reports an offset this much behind the store (a lagging replica).
    snapshot_lag: AtomicU64,
    /// While false, `events_since` waits (after signalling `replay_entered`).
    replay_open: watch::Sender<bool>,
    replay_entered: Notify,
    replays: AtomicUsize,
    handled: AtomicUsize,
    forbidden: Mutex<HashSet<String>>,
    relayed: Mutex<Vec<Ephemeral>>,
    /// Participants on "other instances", as shared presence would report them.
    remote: Mutex<Vec<Participant>>,
}

impl Default for Fake {
    fn default() -> Self {
        Self {
            store: Mutex::default(),
            pruned_through: AtomicU64::new(0),
            snapshot_lag: AtomicU64::new(0),
            replay_open: watch::Sender::new(true),
            replay_entered: Notify::new(),
            replays: AtomicUsize::new(0),
            handled: AtomicUsize::new(0),
            forbidden: Mutex::default(),
            relayed: Mutex::default(),
            remote: Mutex::default(),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().expect("fake lock")
}

impl Fake {
    /// Stores an edit by a route other than this socket (the JSON API, another instance) and
    /// returns its event, for the test to publish or not.
    pub fn store_edit(&self, section: &str, content: &str, user: &str) -> StoredEvent {
        self.store_edit_at(section, content, user, SystemTime::now())
    }

    pub fn store_edit_at(&self, section: &str, content: &str, user: &str, stored_at: SystemTime) -> StoredEvent {
        let mut s = lock(&self.store);
        let version = s.sections.get(section).map_or(1, |(v, _)| v + 1);
        s.sections.insert(section.into(), (version, content.into()));
        let event = Event::SectionUpdated(SectionUpdated {
            section_id: section.into(),
            version,
            content: content.into(),
            html: format!("<p>{content}</p>"),
            user: user.into(),
            offset: s.events.len() as u64 + 1,
        });
        let stored = StoredEvent::new(event, stored_at);
        s.events.push(stored.clone());
        stored
    }

    pub fn offset(&self) -> u64 {
        lock(&self.store).events.len() as u64
    }

    pub fn prune_through(&self, offset: u64) {
        self.pruned_through.store(offset, Ordering::SeqCst);
    }

    pub fn lag_snapshots_by(&self, events: u64) {
        self.snapshot_lag.store(events, Ordering::SeqCst);
    }

    pub fn add_remote(&self, participant: Participant) {
        lock(&self.remote).push(participant);
    }

    pub fn forbid(&self, user: &str) {
        lock(&self.forbidden).insert(user.into());
    }

    /// Holds every replay until [`Self::open_replays`].
    pub fn hold_replays(&self) {
        self.replay_open.send_replace(false);
    }

    pub fn open_replays(&self) {
        self.replay_open.send_replace(true);
    }

    /// Resolves once a replay has started waiting behind [`Self::hold_replays`].
    pub async fn replay_waiting(&self) {
        self.replay_entered.notified().await;
    }

    pub fn replays(&self) -> usize {
        self.replays.load(Ordering::SeqCst)
    }

    pub fn handled(&self) -> usize {
        self.handled.load(Ordering::SeqCst)
    }

    pub fn relayed(&self) -> Vec<Ephemeral> {
        lock(&self.relayed).clone()
    }

    fn append(&self, s: &mut Store, event: Event) -> StoredEvent {
        let stored = StoredEvent::new(event, SystemTime::now());
        s.events.push(stored.clone());
        stored
    }

    fn run(&self, who: &Principal, command: Command) -> Result<Reply, ErrorReply> {
        let mut s = lock(&self.store);
        let offset = s.events.len() as u64 + 1;
        match command {
            Command::SectionUpdate(u) => {
                let (current, content) = s.sections.get(&u.section_id).cloned().unwrap_or((1, String::new()));
                if u.base_version != current {
                    return Ok(Reply::Conflict(Conflict {
                        section_id: u.section_id,
                        current_version: current,
                        current_content: content,
                    }));
                }
                s.sections
                    .insert(u.section_id.clone(), (current + 1, u.content.clone()));
                let event = Event::SectionUpdated(SectionUpdated {
                    html: format!("<p>{}</p>", u.content),
                    section_id: u.section_id,
                    version: current + 1,
                    content: u.content,
                    user: who.user.clone(),
                    offset,
                });
                let event = self.append(&mut s, event);
                Ok(Reply::Accepted {
                    event,
                    version: Some(current + 1),
                })
            }
            Command::CommentAdd(c) => {
                let id = format!("c{offset}");
                let comment = json!({"id": id, "section_id": c.section_id, "content": c.content, "user": who.user});
                s.comments.push(comment.clone());
                s.open_comments.insert(id);
                let event = self.append(&mut s, Event::CommentAdded(CommentAdded { comment, offset }));
                Ok(Reply::Accepted { event, version: None })
            }
            Command::CommentResolve(r) => {
                if !s.open_comments.remove(&r.comment_id) {
                    return Err(
                        ErrorReply::new("not_found", "no open comment with that id").with_field("data.comment_id")
                    );
                }
                let event = Event::CommentResolved(CommentResolved {
                    comment_id: r.comment_id,
                    user: who.user.clone(),
                    offset,
                });
                let event = self.append(&mut s, event);
                Ok(Reply::Accepted { event, version: None })
            }
        }
    }
}

impl Backend for Fake {
    async fn join(&self, report: &ReportId, who: &Principal) -> Result<Snapshot, Refusal> {
        if report.as_str() == "missing" {
            return Err(Refusal::NotFound);
        }
        if lock(&self.forbidden).contains(who.user.as_str()) {
            return Err(Refusal::Forbidden("not a reader of this report".into()));
        }
        let s = lock(&self.store);
        let lag = self.snapshot_lag.load(Ordering::SeqCst);
        Ok(Snapshot {
            section_versions: s.sections.iter().map(|(k, (v, _))| (k.clone(), *v)).collect(),
            comments: s.comments.clone(),
            offset: (s.events.len() as u64).saturating_sub(lag),
            remote_participants: lock(&self.remote).clone(),
        })
    }

    async fn events_since(&self, _report: &ReportId, offset: u64) -> Result<Vec<StoredEvent>, HistoryError> {
        self.replays.fetch_add(1, Ordering::SeqCst);
        let mut open = self.replay_open.subscribe();
        if !*open.borrow() {
            self.replay_entered.notify_one();
            let _ = open.wait_for(|open| *open).await;
        }
        if offset < self.pruned_through.load(Ordering::SeqCst) {
            return Err(HistoryError::TooOld);
        }
        let s = lock(&self.store);
        Ok(s.events.iter().filter(|e| e.offset() > offset).cloned().collect())
    }

    async fn handle(&self, _report: &ReportId, who: &Principal, command: Command) -> Result<Reply, ErrorReply> {
        self.handled.fetch_add(1, Ordering::SeqCst);
        self.run(who, command)
    }

    fn relay(&self, _report: &ReportId, message: &Ephemeral) {
        lock(&self.relayed).push(message.clone());
    }
}
