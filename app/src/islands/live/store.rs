//! The live state of one report page, shared by its islands: the connection's state, who
//! is here, the newest version of each section, the comments, and the answers to what this
//! page sent. Islands are separate roots, so this is one page-wide set of signals;
//! [`apply`] folds each server message into it (pure: no socket, unit-tested natively).
//!
//! The socket (`socket.rs`) owns the wire; the islands only read these signals and send.
//! Collections are small vectors (a report has a handful of sections, a room a few
//! readers): map types would cost the bundle more than any lookup here.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use leptos::prelude::*;

use super::protocol::Incoming;
use crate::dto::Comment;

/// What the live bar shows (`data-state`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conn {
    Connecting,
    Connected,
    Reconnecting,
    /// The browser is offline, or the server refused us for good.
    Offline,
    /// The tab is hidden: the socket is closed until it is shown again.
    Paused,
}

impl Conn {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Connecting => "connecting",
            Self::Connected => "connected",
            Self::Reconnecting => "reconnecting",
            Self::Offline => "offline",
            Self::Paused => "paused",
        }
    }
}

/// The newest version of a section this page has heard of. `html` is `None` when only the
/// version is known (our own save, a fresh state): the section fetches its HTML itself.
#[derive(Clone, Debug, PartialEq)]
pub struct SectionNow {
    pub version: u32,
    pub content: Option<String>,
    pub html: Option<String>,
}

/// The server's answer to a message this page sent, by the message's id.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    Accepted {
        version: Option<u32>,
    },
    Failed(String),
    /// An edit on a stale version: the section is at `version` with `content`.
    Stale {
        version: u32,
        content: String,
    },
}

/// `(key, value)` pairs, looked up by key.
pub type Keyed<T> = Vec<(String, T)>;

pub fn find<'a, T>(pairs: &'a Keyed<T>, key: &str) -> Option<&'a T> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn put<T>(pairs: &mut Keyed<T>, key: String, value: T) {
    pairs.retain(|(k, _)| *k != key);
    pairs.push((key, value));
}

#[derive(Clone)]
pub struct Live {
    pub conn: ArcRwSignal<Conn>,
    /// Everyone in the room, this reader included.
    pub people: ArcRwSignal<Vec<String>>,
    pub sections: ArcRwSignal<Keyed<SectionNow>>,
    /// All comments of the report once the socket has said so; until then the
    /// server-rendered ones stand.
    pub comments: ArcRwSignal<Option<Vec<Comment>>>,
    pub replies: ArcRwSignal<Keyed<Reply>>,
    /// The last event offset this page has applied (`None` before the first state).
    pub offset: Rc<Cell<Option<u64>>>,
    /// The id of the edit in flight per section: a `conflict` names only the section.
    edits: Rc<RefCell<Keyed<String>>>,
    next_id: Rc<Cell<u32>>,
}

impl Default for Live {
    fn default() -> Self {
        Self {
            conn: ArcRwSignal::new(Conn::Connecting),
            people: ArcRwSignal::new(Vec::new()),
            sections: ArcRwSignal::new(Vec::new()),
            comments: ArcRwSignal::new(None),
            replies: ArcRwSignal::new(Vec::new()),
            offset: Default::default(),
            edits: Default::default(),
            next_id: Default::default(),
        }
    }
}

thread_local! {
    static LIVE: Live = Live::default();
}

/// This page's live state.
pub fn live() -> Live {
    LIVE.with(Live::clone)
}

impl Live {
    /// A fresh message id (`prefix` says what it was for, which helps when reading logs).
    pub fn next_id(&self, prefix: &str) -> String {
        let n = self.next_id.get() + 1;
        self.next_id.set(n);
        format!("{prefix}{n}")
    }

    /// Remembers that edit `id` of `section` awaits its answer.
    pub fn editing(&self, section: &str, id: &str) {
        put(&mut self.edits.borrow_mut(), section.to_owned(), id.to_owned());
    }

    fn advance(&self, offset: u64) {
        self.offset
            .set(Some(self.offset.get().map_or(offset, |at| at.max(offset))));
    }

    fn reply(&self, id: String, reply: Reply) {
        self.replies.update(|r| put(r, id, reply));
    }

    /// A section version this page learned of; older news never overwrites newer.
    pub fn section_at(&self, id: &str, now: SectionNow) {
        self.sections.update(|s| {
            if find(s, id).is_none_or(|old| old.version < now.version) {
                put(s, id.to_owned(), now);
            }
        });
    }
}

/// Folds one server message into the page's state.
pub fn apply(live: &Live, message: Incoming) {
    match message {
        Incoming::SessionState(state) => {
            live.people.set(state.participants);
            for (id, version) in state.section_versions {
                live.section_at(
                    &id,
                    SectionNow {
                        version,
                        content: None,
                        html: None,
                    },
                );
            }
            live.comments.set(Some(state.comments));
            live.offset.set(Some(state.offset));
            live.conn.set(Conn::Connected);
        }
        Incoming::Presence(p) => live.people.update(|people| {
            people.retain(|u| *u != p.user);
            if p.online {
                people.push(p.user);
            }
        }),
        Incoming::SectionUpdated(u) => {
            live.section_at(
                &u.section_id,
                SectionNow {
                    version: u.version,
                    content: Some(u.content),
                    html: Some(u.html),
                },
            );
            live.advance(u.offset);
        }
        Incoming::Conflict(c) => {
            let id = find(&live.edits.borrow(), &c.section_id).cloned();
            if let Some(id) = id {
                live.reply(
                    id,
                    Reply::Stale {
                        version: c.current_version,
                        content: c.current_content,
                    },
                );
            }
        }
        Incoming::CommentAdded(added) => {
            live.comments.update(|all| {
                let all = all.get_or_insert_with(Vec::new);
                if !all.iter().any(|c| c.id == added.comment.id) {
                    all.push(added.comment);
                }
            });
            live.advance(added.offset);
        }
        Incoming::CommentResolved(r) => {
            let id = r.comment_id.parse::<i64>().ok();
            live.comments.update(|all| {
                for c in all.iter_mut().flatten().filter(|c| Some(c.id) == id) {
                    c.resolved_by = Some(r.user.clone());
                    c.resolved_at.get_or_insert_with(|| "just now".to_owned());
                }
            });
            live.advance(r.offset);
        }
        Incoming::ReportChanged(e) => live.advance(e.offset),
        Incoming::Ack(ack) => {
            if let Some(offset) = ack.offset {
                live.advance(offset);
            }
            if let Some(id) = ack.id {
                live.reply(id, Reply::Accepted { version: ack.version });
            }
        }
        Incoming::Error(e) => {
            if let Some(id) = e.id {
                live.reply(id, Reply::Failed(e.message));
            }
        }
        // A fresh `session_state` follows from the server; it replaces what we hold.
        Incoming::ResyncRequired => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::islands::live::protocol::Frame;

    fn feed(live: &Live, json: &str) {
        for m in Frame::parse(json) {
            apply(live, m);
        }
    }

    const STATE: &str = r#"{"type":"session_state","data":{"participants":[
        {"user":"ann","role":"editor","since":1,"last_active":1},{"user":"bob","role":"viewer","since":1,"last_active":1}],
        "section_versions":{"notes":2},"comments":[],"offset":5}}"#;

    #[test]
    fn state_then_events_track_people_sections_comments_and_offset() {
        let live = Live::default();
        feed(&live, STATE);
        assert_eq!(live.conn.get_untracked(), Conn::Connected);
        assert_eq!(live.people.get_untracked(), ["ann", "bob"]);
        assert_eq!(live.offset.get(), Some(5));
        feed(&live, r#"{"type":"presence","data":{"user":"bob","online":false}}"#);
        feed(
            &live,
            r#"{"type":"section_updated","data":{"section_id":"notes","version":3,
            "content":"hi","html":"<p>hi</p>","user":"ann","offset":6}}"#,
        );
        feed(
            &live,
            r#"{"type":"comment_added","data":{"offset":7,"comment":{"id":9,"section_id":"notes",
            "author":"ann","content":"c","html":"<p>c</p>","created_at":"now"}}}"#,
        );
        feed(
            &live,
            r#"{"type":"comment_resolved","data":{"comment_id":"9","user":"ann","offset":8}}"#,
        );
        assert_eq!(live.people.get_untracked(), ["ann"]);
        let sections = live.sections.get_untracked();
        assert_eq!(
            find(&sections, "notes").and_then(|s| s.html.as_deref()),
            Some("<p>hi</p>")
        );
        let comments = live.comments.get_untracked().unwrap_or_default();
        assert_eq!(comments[0].resolved_by.as_deref(), Some("ann"));
        assert_eq!(live.offset.get(), Some(8));
    }

    #[test]
    fn an_older_version_never_replaces_a_newer_one() {
        let live = Live::default();
        live.section_at(
            "notes",
            SectionNow {
                version: 4,
                content: Some("new".into()),
                html: None,
            },
        );
        feed(&live, STATE);
        assert_eq!(
            find(&live.sections.get_untracked(), "notes").map(|s| s.version),
            Some(4)
        );
    }

    #[test]
    fn acks_errors_and_conflicts_reach_the_sender() {
        let live = Live::default();
        live.editing("notes", "e2");
        feed(
            &live,
            r#"{"type":"batch","count":2,"messages":[
            {"type":"ack","data":{"id":"e1","offset":3,"version":2}},
            {"type":"error","data":{"id":"c2","code":"forbidden","message":"no"}}]}"#,
        );
        feed(
            &live,
            r#"{"type":"conflict","data":{"section_id":"notes","current_version":5,"current_content":"y"}}"#,
        );
        let replies = live.replies.get_untracked();
        assert_eq!(find(&replies, "e1"), Some(&Reply::Accepted { version: Some(2) }));
        assert_eq!(find(&replies, "c2"), Some(&Reply::Failed("no".into())));
        assert_eq!(
            find(&replies, "e2"),
            Some(&Reply::Stale {
                version: 5,
                content: "y".into()
            })
        );
        assert_eq!(live.offset.get(), Some(3));
    }
}
