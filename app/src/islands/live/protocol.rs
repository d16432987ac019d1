//! The browser's side of the SPEC §5 wire format: the server frames the live island reads
//! (single or in a `batch` envelope) and the client frames it sends. Only the fields the
//! island uses are read; the hub's `protocol` module is the full, strict definition (and its
//! tests check the client frames it accepts).

use serde::{Deserialize, Serialize};

use crate::dto::Comment;

/// Reads a text frame — one message or a `batch` — into its messages, in order; anything
/// unreadable is dropped (the server never sends it).
///
/// Frames are read through one plain struct with every field optional rather than serde's
/// tagged enums: those buffer each message generically, which costs the bundle tens of kB.
pub struct Frame;

impl Frame {
    pub fn parse(text: &str) -> Vec<Incoming> {
        match serde_json::from_str::<Wire>(text) {
            Ok(wire) if wire.kind == "batch" => wire.messages.into_iter().filter_map(Wire::message).collect(),
            Ok(wire) => wire.message().into_iter().collect(),
            Err(_) => Vec::new(),
        }
    }
}

#[derive(Deserialize)]
struct Wire {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    data: Data,
    #[serde(default)]
    messages: Vec<Wire>,
}

/// The union of every message's `data` fields the island reads.
#[derive(Default, Deserialize)]
#[serde(default)]
struct Data {
    participants: Vec<Participant>,
    #[serde(deserialize_with = "pairs")]
    section_versions: Vec<(String, u32)>,
    comments: Vec<Comment>,
    offset: Option<u64>,
    user: Option<String>,
    online: bool,
    section_id: Option<String>,
    version: Option<u32>,
    content: Option<String>,
    html: Option<String>,
    current_version: Option<u32>,
    current_content: Option<String>,
    comment: Option<Comment>,
    comment_id: Option<String>,
    id: Option<String>,
    message: Option<String>,
}

impl Wire {
    fn message(self) -> Option<Incoming> {
        let d = self.data;
        Some(match self.kind.as_str() {
            "session_state" => Incoming::SessionState(SessionState {
                participants: d.participants,
                section_versions: d.section_versions,
                comments: d.comments,
                offset: d.offset?,
            }),
            "presence" => Incoming::Presence(Presence {
                user: d.user?,
                online: d.online,
            }),
            "section_updated" => Incoming::SectionUpdated(SectionUpdated {
                section_id: d.section_id?,
                version: d.version?,
                content: d.content?,
                html: d.html?,
                offset: d.offset?,
            }),
            "conflict" => Incoming::Conflict(Conflict {
                section_id: d.section_id?,
                current_version: d.current_version?,
                current_content: d.current_content?,
            }),
            "comment_added" => Incoming::CommentAdded(CommentAdded {
                comment: d.comment?,
                offset: d.offset?,
            }),
            "comment_resolved" => Incoming::CommentResolved(CommentResolved {
                comment_id: d.comment_id?,
                user: d.user?,
                offset: d.offset?,
            }),
            "report_changed" => Incoming::ReportChanged(Offset { offset: d.offset? }),
            "ack" => Incoming::Ack(Ack {
                id: d.id,
                offset: d.offset,
                version: d.version,
            }),
            "error" => Incoming::Error(ErrorBody {
                id: d.id,
                message: d.message.unwrap_or_default(),
            }),
            "resync_required" => Incoming::ResyncRequired,
            // cursor, pong: nothing the page shows.
            _ => return None,
        })
    }
}

/// A JSON object as its (key, value) pairs, without a map type's code in the bundle.
fn pairs<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<(String, u32)>, D::Error> {
    struct Pairs;
    impl<'de> serde::de::Visitor<'de> for Pairs {
        type Value = Vec<(String, u32)>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object of section versions")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut pairs = Vec::new();
            while let Some(pair) = map.next_entry()? {
                pairs.push(pair);
            }
            Ok(pairs)
        }
    }
    d.deserialize_map(Pairs)
}

/// A server → client message the island acts on.
#[derive(Debug)]
pub enum Incoming {
    SessionState(SessionState),
    Presence(Presence),
    SectionUpdated(SectionUpdated),
    Conflict(Conflict),
    CommentAdded(CommentAdded),
    CommentResolved(CommentResolved),
    ReportChanged(Offset),
    Ack(Ack),
    Error(ErrorBody),
    ResyncRequired,
}

#[derive(Debug, Deserialize)]
pub struct Participant {
    pub user: String,
}

#[derive(Debug)]
pub struct SessionState {
    pub participants: Vec<Participant>,
    pub section_versions: Vec<(String, u32)>,
    pub comments: Vec<Comment>,
    pub offset: u64,
}

#[derive(Debug)]
pub struct Presence {
    pub user: String,
    pub online: bool,
}

#[derive(Debug)]
pub struct SectionUpdated {
    pub section_id: String,
    pub version: u32,
    pub content: String,
    pub html: String,
    pub offset: u64,
}

#[derive(Debug)]
pub struct Conflict {
    pub section_id: String,
    pub current_version: u32,
    pub current_content: String,
}

#[derive(Debug)]
pub struct CommentAdded {
    pub comment: Comment,
    pub offset: u64,
}

#[derive(Debug)]
pub struct CommentResolved {
    pub comment_id: String,
    pub user: String,
    pub offset: u64,
}

/// Any durable event the island does not act on beyond its offset (`report_changed`).
#[derive(Debug)]
pub struct Offset {
    pub offset: u64,
}

#[derive(Debug)]
pub struct Ack {
    pub id: Option<String>,
    pub offset: Option<u64>,
    pub version: Option<u32>,
}

#[derive(Debug)]
pub struct ErrorBody {
    pub id: Option<String>,
    pub message: String,
}

/// A client frame: `{"type", "id", "data"}`.
#[derive(Serialize)]
struct Out<'a, T> {
    #[serde(rename = "type")]
    kind: &'a str,
    id: &'a str,
    data: T,
}

fn out<T: Serialize>(kind: &str, id: &str, data: T) -> String {
    // Strings and integers only: serialising cannot fail.
    serde_json::to_string(&Out { kind, id, data }).unwrap_or_default()
}

#[derive(Serialize)]
struct Update<'a> {
    section_id: &'a str,
    base_version: u32,
    content: &'a str,
}

#[derive(Serialize)]
struct Add<'a> {
    section_id: &'a str,
    content: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_id: Option<String>,
}

#[derive(Serialize)]
struct Resolve {
    comment_id: String,
}

/// `section_update`, answered by an `ack` carrying `id` or by a `conflict`.
pub fn section_update(id: &str, section_id: &str, base_version: u32, content: &str) -> String {
    out(
        "section_update",
        id,
        Update {
            section_id,
            base_version,
            content,
        },
    )
}

/// `comment_add`, a reply when `parent_id` is given.
pub fn comment_add(id: &str, section_id: &str, content: &str, parent_id: Option<i64>) -> String {
    let parent_id = parent_id.map(|p| p.to_string());
    out(
        "comment_add",
        id,
        Add {
            section_id,
            content,
            parent_id,
        },
    )
}

/// `comment_resolve`.
pub fn comment_resolve(id: &str, comment_id: i64) -> String {
    out(
        "comment_resolve",
        id,
        Resolve {
            comment_id: comment_id.to_string(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_single_and_batched_frames() {
        let one = r#"{"type":"presence","data":{"user":"ann","online":true}}"#;
        assert!(matches!(&Frame::parse(one)[..], [Incoming::Presence(p)] if p.user == "ann" && p.online));
        let batch = r#"{"type":"batch","count":3,"messages":[
            {"type":"pong"},
            {"type":"cursor","data":{"user":"b","section_id":"s","position":3}},
            {"type":"ack","data":{"id":"e1","offset":7,"version":2}}]}"#;
        // Pongs and cursors show nothing on the page: only the ack is left.
        let got = Frame::parse(batch);
        assert!(matches!(&got[..], [Incoming::Ack(a)] if a.id.as_deref() == Some("e1") && a.version == Some(2)));
        assert!(Frame::parse("not json").is_empty());
    }

    #[test]
    fn writes_what_the_hub_reads() {
        let v: serde_json::Value =
            serde_json::from_str(&comment_add("c1", "notes", "hi", Some(4))).expect("a frame is JSON");
        assert_eq!(v["data"]["parent_id"], "4");
        let v: serde_json::Value =
            serde_json::from_str(&section_update("e1", "notes", 3, "x")).expect("a frame is JSON");
        assert_eq!(v["data"]["base_version"], 3);
    }
}
