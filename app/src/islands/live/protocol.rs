//! The browser's side of the SPEC §5 wire format: the server frames the live island reads
//! (single or in a `batch` envelope) and the client frames it sends. Only the fields the
//! island uses are read; the hub's `protocol` module is the full, strict definition.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::json;

use crate::dto::Comment;

/// One server frame, or a batch of them.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Frame {
    Batch { messages: Vec<Incoming> },
    One(Incoming),
}

impl Frame {
    /// The frame's messages in order.
    pub fn parse(text: &str) -> Vec<Incoming> {
        match serde_json::from_str(text) {
            Ok(Frame::Batch { messages }) => messages,
            Ok(Frame::One(m)) => vec![m],
            Err(_) => Vec::new(),
        }
    }
}

/// A server → client message.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
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
    Cursor(serde::de::IgnoredAny),
    Pong,
}

#[derive(Debug, Deserialize)]
pub struct Participant {
    pub user: String,
}

#[derive(Debug, Deserialize)]
pub struct SessionState {
    pub participants: Vec<Participant>,
    pub section_versions: HashMap<String, u32>,
    pub comments: Vec<Comment>,
    pub offset: u64,
}

#[derive(Debug, Deserialize)]
pub struct Presence {
    pub user: String,
    pub online: bool,
}

#[derive(Debug, Deserialize)]
pub struct SectionUpdated {
    pub section_id: String,
    pub version: u32,
    pub content: String,
    pub html: String,
    pub offset: u64,
}

#[derive(Debug, Deserialize)]
pub struct Conflict {
    pub section_id: String,
    pub current_version: u32,
    pub current_content: String,
}

#[derive(Debug, Deserialize)]
pub struct CommentAdded {
    pub comment: Comment,
    pub offset: u64,
}

#[derive(Debug, Deserialize)]
pub struct CommentResolved {
    pub comment_id: String,
    pub user: String,
    pub offset: u64,
}

/// Any durable event the island does not act on beyond its offset (`report_changed`).
#[derive(Debug, Deserialize)]
pub struct Offset {
    pub offset: u64,
}

#[derive(Debug, Deserialize)]
pub struct Ack {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub offset: Option<u64>,
    #[serde(default)]
    pub version: Option<u32>,
}

#[derive(Debug, Deserialize)]
pub struct ErrorBody {
    #[serde(default)]
    pub id: Option<String>,
    pub message: String,
}

/// `section_update`, answered by an `ack` carrying `id` or by a `conflict`.
pub fn section_update(id: &str, section_id: &str, base_version: u32, content: &str) -> String {
    json!({"type": "section_update", "id": id,
           "data": {"section_id": section_id, "base_version": base_version, "content": content}})
    .to_string()
}

/// `comment_add`, a reply when `parent_id` is given.
pub fn comment_add(id: &str, section_id: &str, content: &str, parent_id: Option<i64>) -> String {
    let mut data = json!({"section_id": section_id, "content": content});
    if let Some(p) = parent_id {
        data["parent_id"] = json!(p.to_string());
    }
    json!({"type": "comment_add", "id": id, "data": data}).to_string()
}

/// `comment_resolve`.
pub fn comment_resolve(id: &str, comment_id: i64) -> String {
    json!({"type": "comment_resolve", "id": id, "data": {"comment_id": comment_id.to_string()}}).to_string()
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
        let got = Frame::parse(batch);
        assert_eq!(got.len(), 3);
        assert!(matches!(&got[2], Incoming::Ack(a) if a.id.as_deref() == Some("e1") && a.version == Some(2)));
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
