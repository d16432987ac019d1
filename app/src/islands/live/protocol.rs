//! The browser's side of the SPEC §5 wire format: the server frames the live island reads
//! (single or in a `batch` envelope) and the client frames it sends. Only the fields the
//! island uses are read; the hub's `protocol` module is the full, strict definition (and its
//! tests check the client frames it accepts).

use serde::Serialize;

use crate::domain::SectionId;
use crate::dto::Comment;

/// Reads a text frame — one message or a `batch` — into its messages, in order; anything
/// unreadable is dropped (the server never sends it).
///
/// In the browser the JSON is parsed by the browser's own `JSON.parse` and read field by
/// field ([`Json`]): derived deserialisers for every message shape would cost the bundle
/// tens of kB. Natively (tests) the same reader runs over `serde_json::Value`.
pub struct Frame;

impl Frame {
    pub fn parse(text: &str) -> Vec<Incoming> {
        #[cfg(feature = "hydrate")]
        let frame = js_sys::JSON::parse(text).ok();
        #[cfg(not(feature = "hydrate"))]
        let frame = serde_json::from_str::<serde_json::Value>(text).ok();
        frame.map(|f| read(&f)).unwrap_or_default()
    }
}

/// What the reader needs of a parsed JSON value. Absent and `null` are both `None`.
pub trait Json: Sized {
    fn field(&self, key: &str) -> Option<Self>;
    fn text(&self) -> Option<String>;
    fn number(&self) -> Option<f64>;
    fn truth(&self) -> bool;
    fn items(&self) -> Vec<Self>;
    fn entries(&self) -> Vec<(String, Self)>;
}

fn text<J: Json>(j: &J, key: &str) -> Option<String> {
    j.field(key)?.text()
}

fn number<J: Json>(j: &J, key: &str) -> Option<u64> {
    j.field(key)?.number().filter(|n| *n >= 0.0).map(|n| n as u64)
}

fn read<J: Json>(frame: &J) -> Vec<Incoming> {
    if text(frame, "type").as_deref() == Some("batch") {
        let messages = frame.field("messages").map(|m| m.items()).unwrap_or_default();
        messages.iter().filter_map(message).collect()
    } else {
        message(frame).into_iter().collect()
    }
}

fn message<J: Json>(m: &J) -> Option<Incoming> {
    let kind = text(m, "type")?;
    let data = m.field("data");
    let d = || data.as_ref();
    Some(match kind.as_str() {
        "session_state" => {
            let d = d()?;
            let list = |key: &str| d.field(key).map(|l| l.items()).unwrap_or_default();
            Incoming::SessionState(SessionState {
                participants: list("participants").iter().filter_map(|p| text(p, "user")).collect(),
                section_versions: d
                    .field("section_versions")
                    .map(|v| v.entries())
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|(k, v)| Some((k, v.number()? as u32)))
                    .collect(),
                comments: list("comments").iter().filter_map(comment).collect(),
                offset: number(d, "offset")?,
            })
        }
        "presence" => Incoming::Presence(Presence {
            user: text(d()?, "user")?,
            online: d()?.field("online").is_some_and(|o| o.truth()),
        }),
        "section_updated" => {
            let d = d()?;
            Incoming::SectionUpdated(SectionUpdated {
                section_id: text(d, "section_id")?,
                version: number(d, "version")? as u32,
                content: text(d, "content")?,
                html: text(d, "html")?,
                offset: number(d, "offset")?,
            })
        }
        "conflict" => {
            let d = d()?;
            Incoming::Conflict(Conflict {
                section_id: text(d, "section_id")?,
                current_version: number(d, "current_version")? as u32,
                current_content: text(d, "current_content")?,
            })
        }
        "comment_added" => Incoming::CommentAdded(CommentAdded {
            comment: comment(&d()?.field("comment")?)?,
            offset: number(d()?, "offset")?,
        }),
        "comment_resolved" => {
            let d = d()?;
            Incoming::CommentResolved(CommentResolved {
                comment_id: text(d, "comment_id")?,
                user: text(d, "user")?,
                offset: number(d, "offset")?,
            })
        }
        "report_changed" => Incoming::ReportChanged(Offset {
            offset: number(d()?, "offset")?,
        }),
        "ack" => Incoming::Ack(Ack {
            id: d().and_then(|d| text(d, "id")),
            offset: d().and_then(|d| number(d, "offset")),
            version: d().and_then(|d| number(d, "version")).map(|v| v as u32),
        }),
        "error" => Incoming::Error(ErrorBody {
            id: d().and_then(|d| text(d, "id")),
            message: d().and_then(|d| text(d, "message")).unwrap_or_default(),
        }),
        "resync_required" => Incoming::ResyncRequired,
        // cursor, pong: nothing the page shows.
        _ => return None,
    })
}

/// A comment as the server stores it (`app::dto::Comment` serialised).
fn comment<J: Json>(c: &J) -> Option<Comment> {
    Some(Comment {
        id: c.field("id")?.number()? as i64,
        section_id: SectionId::parse(&text(c, "section_id")?).ok()?,
        parent_id: c.field("parent_id").and_then(|p| p.number()).map(|p| p as i64),
        author: text(c, "author")?,
        content: text(c, "content").unwrap_or_default(),
        html: text(c, "html")?,
        created_at: text(c, "created_at").unwrap_or_default(),
        resolved_by: text(c, "resolved_by"),
        resolved_at: text(c, "resolved_at"),
    })
}

#[cfg(feature = "hydrate")]
impl Json for wasm_bindgen::JsValue {
    fn field(&self, key: &str) -> Option<Self> {
        if !self.is_object() {
            return None;
        }
        js_sys::Reflect::get(self, &key.into())
            .ok()
            .filter(|v| !v.is_undefined() && !v.is_null())
    }
    fn text(&self) -> Option<String> {
        self.as_string()
    }
    fn number(&self) -> Option<f64> {
        self.as_f64()
    }
    fn truth(&self) -> bool {
        self.as_bool().unwrap_or(false)
    }
    fn items(&self) -> Vec<Self> {
        if js_sys::Array::is_array(self) {
            js_sys::Array::from(self).iter().collect()
        } else {
            Vec::new()
        }
    }
    fn entries(&self) -> Vec<(String, Self)> {
        use wasm_bindgen::JsCast;
        let Some(object) = self.dyn_ref::<js_sys::Object>() else {
            return Vec::new();
        };
        js_sys::Object::entries(object)
            .iter()
            .filter_map(|pair| {
                let pair = js_sys::Array::from(&pair);
                Some((pair.get(0).as_string()?, pair.get(1)))
            })
            .collect()
    }
}

#[cfg(not(feature = "hydrate"))]
impl Json for serde_json::Value {
    fn field(&self, key: &str) -> Option<Self> {
        self.get(key).filter(|v| !v.is_null()).cloned()
    }
    fn text(&self) -> Option<String> {
        self.as_str().map(str::to_owned)
    }
    fn number(&self) -> Option<f64> {
        self.as_f64()
    }
    fn truth(&self) -> bool {
        self.as_bool().unwrap_or(false)
    }
    fn items(&self) -> Vec<Self> {
        self.as_array().cloned().unwrap_or_default()
    }
    fn entries(&self) -> Vec<(String, Self)> {
        self.as_object()
            .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()
    }
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

#[derive(Debug)]
pub struct SessionState {
    /// The users in the room.
    pub participants: Vec<String>,
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
