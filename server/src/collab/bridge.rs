//! Every stored event reaches the hub: the services publish each one on the event bus
//! after its transaction commits, whichever route wrote it (WebSocket, JSON API, form,
//! generation, import); this task hands them to [`Hub::publish`](hub::Hub::publish). When the
//! bus overflows (a burst larger than its buffer), the rooms catch up from the store by
//! offset — the store is the source of truth, the bus only the fast path.

use std::time::UNIX_EPOCH;

use tokio::sync::broadcast::error::RecvError;
use tokio::sync::watch;

use super::Collab;
use crate::events::{EventBus, ReportEvent, StoredEvent};

/// The hub's form of a stored event.
pub fn to_hub(e: &StoredEvent) -> hub::StoredEvent {
    use hub::protocol::{CommentAdded, CommentResolved, Event, ReportChanged, SectionUpdated};
    let offset = e.offset;
    let event = match &e.event {
        ReportEvent::SectionUpdated {
            section_id,
            version,
            content,
            html,
            user,
        } => Event::SectionUpdated(SectionUpdated {
            section_id: section_id.to_string(),
            version: *version,
            content: content.clone(),
            html: html.clone(),
            user: hub::UserId::new(user.as_str()),
            offset,
        }),
        ReportEvent::ReportChanged { status, sections } => Event::ReportChanged(ReportChanged {
            status: status.map(|s| s.as_str().to_owned()),
            sections: sections
                .as_ref()
                .map(|list| list.iter().map(ToString::to_string).collect()),
            offset,
        }),
        ReportEvent::CommentAdded { comment } => Event::CommentAdded(CommentAdded {
            comment: comment.clone(),
            offset,
        }),
        ReportEvent::CommentResolved { comment_id, user } => Event::CommentResolved(CommentResolved {
            comment_id: comment_id.to_string(),
            user: hub::UserId::new(user.as_str()),
            offset,
        }),
    };
    hub::StoredEvent::new(event, UNIX_EPOCH + std::time::Duration::from_millis(e.at_ms))
}

/// Forwards the bus to the hub until shutdown.
pub fn spawn_bridge(bus: &EventBus, hub: Collab, mut stop: watch::Receiver<bool>) {
    let mut rx = bus.subscribe();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                got = rx.recv() => match got {
                    Ok(e) => hub.publish(&hub::ReportId::new(e.report.as_str()), to_hub(&e)),
                    Err(RecvError::Lagged(missed)) => {
                        tracing::warn!(missed, "event bus overflowed; rooms catch up from the store");
                        hub.catch_up_rooms();
                    }
                    Err(RecvError::Closed) => return,
                },
                _ = stop.changed() => return,
            }
        }
    });
}
