//! Filling a gap in a room's live offsets from the backend (SPEC §5, several instances).
//!
//! When an event arrives ahead of the next expected offset the room holds it and one fill
//! task starts per gap: it waits `gap_fill_delay` (the missing event is usually just behind,
//! crossing from another instance), asks the backend for everything after the last offset
//! released, and offers what comes back through the same sequencer — duplicates fall away.
//! If the gap is still open afterwards the events are gone: every member is resynchronised.
//!
//! A catch-up is the same without a known gap: after the server's subscription to the other
//! instances was lost and re-established, each room re-reads what came after its last offset.

use std::sync::Arc;

use crate::backend::{Backend, HistoryError};
use crate::publication::Publication;
use crate::registry::Shared;
use crate::room::Room;
use crate::stats::Counters;

pub(crate) fn spawn_fill<B: Backend>(shared: Arc<Shared<B>>, room: Arc<Room>) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        // Published from outside any runtime: no task can wait, so give up on the gap now.
        tracing::warn!(report.id = %room.report, "gap in live offsets outside a runtime; resynchronising");
        finish(&room);
        return;
    };
    runtime.spawn(async move {
        tokio::time::sleep(shared.config.gap_fill_delay).await;
        if let Some(after) = room.missing_after() {
            Counters::add(&shared.counters.gap_fills, 1);
            match shared.backend.events_since(&room.report, after).await {
                Ok(events) => {
                    for event in &events {
                        room.offer(Publication::event(event));
                    }
                }
                Err(error) => tracing::warn!(report.id = %room.report, offset = after, %error, "gap fill failed"),
            }
        }
        finish(&room);
    });
}

fn finish(room: &Room) {
    if room.finish_fill() {
        tracing::warn!(report.id = %room.report, "events missing from the store; room resynchronised");
    }
}

/// Re-reads `room`'s events after its last offset; history too old restarts the room.
pub(crate) fn spawn_catch_up<B: Backend>(shared: Arc<Shared<B>>, room: Arc<Room>) {
    let Some(after) = room.last() else { return };
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        tracing::warn!(report.id = %room.report, "catch-up requested outside a runtime; skipped");
        return;
    };
    runtime.spawn(async move {
        match shared.backend.events_since(&room.report, after).await {
            Ok(events) => {
                for event in &events {
                    room.offer(Publication::event(event));
                }
            }
            Err(HistoryError::TooOld) => room.restart(),
            Err(error) => {
                tracing::warn!(report.id = %room.report, offset = after, %error, "catch-up failed; resynchronising");
                room.restart();
            }
        }
    });
}
