//! A report's durable events (SPEC §5) and the in-process bus that announces them.
//!
//! Every write of the one write path — a section edit, a status move, a regeneration, a
//! comment — stores its event in the same transaction as the change, with the report's
//! next offset; only then is it published here. The store is the source of truth (a
//! subscriber that missed something asks it for the range); the bus is the fast path to
//! the collaboration hub, and later to other instances through Redis.

use std::sync::Arc;

use app::domain::{ReportId, ReportStatus, SectionId};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

/// What happened to a report. Serialised as `{"type": …, "data": …}`, the shape of the
/// WebSocket frames that carry it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum ReportEvent {
    /// A custom section was saved: its new version, Markdown and rendered HTML.
    SectionUpdated {
        section_id: SectionId,
        version: u32,
        content: String,
        html: String,
        user: String,
    },
    /// The report's status moved, or its computed sections were regenerated (new project
    /// data, a new report).
    ReportChanged {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<ReportStatus>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sections: Option<Vec<SectionId>>,
    },
    CommentAdded {
        comment: serde_json::Value,
    },
    CommentResolved {
        comment_id: i64,
        user: String,
    },
}

impl ReportEvent {
    /// The `type` column of the store.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::SectionUpdated { .. } => "section_updated",
            Self::ReportChanged { .. } => "report_changed",
            Self::CommentAdded { .. } => "comment_added",
            Self::CommentResolved { .. } => "comment_resolved",
        }
    }
}

/// An event as stored: which report, its offset, when it was stored (unix ms; the
/// latency of delivery is measured from here), by whom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredEvent {
    pub report: ReportId,
    pub offset: u64,
    pub at_ms: u64,
    pub actor: String,
    pub event: ReportEvent,
}

/// Announces stored events to whoever listens in this process. Lagging listeners lose
/// messages (a bounded channel) and must notice the gap by offset and ask the store.
#[derive(Clone)]
pub struct EventBus {
    tx: broadcast::Sender<Arc<StoredEvent>>,
}

impl Default for EventBus {
    fn default() -> Self {
        Self::new(4096)
    }
}

impl EventBus {
    pub fn new(capacity: usize) -> Self {
        Self {
            tx: broadcast::channel(capacity).0,
        }
    }

    pub fn publish(&self, event: StoredEvent) {
        // No listener is fine: nobody is watching this report.
        let _ = self.tx.send(Arc::new(event));
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<StoredEvent>> {
        self.tx.subscribe()
    }
}

/// Unix time in ms, as events record it.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_tagged_like_frames() {
        let e = ReportEvent::ReportChanged {
            status: Some(ReportStatus::Review),
            sections: None,
        };
        assert_eq!(
            serde_json::to_string(&e).expect("json"),
            r#"{"type":"report_changed","data":{"status":"review"}}"#
        );
        assert_eq!(e.kind(), "report_changed");
    }

    #[tokio::test]
    async fn subscribers_receive_what_is_published_after_they_subscribe() {
        let bus = EventBus::default();
        let mut rx = bus.subscribe();
        bus.publish(StoredEvent {
            report: ReportId::parse("r").expect("id"),
            offset: 1,
            at_ms: 0,
            actor: "a".into(),
            event: ReportEvent::ReportChanged {
                status: None,
                sections: None,
            },
        });
        assert_eq!(rx.recv().await.expect("received").offset, 1);
    }
}
