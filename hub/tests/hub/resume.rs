//! Offsets (SPEC §5): resume with `since=N` gets every event after N exactly once, in order,
//! then the live ones; too old → `resync_required` and a fresh state; live offsets with a gap
//! are filled from the backend; duplicates from several routes are delivered once.

use std::time::Duration;

use hub::protocol::ServerMessage;
use hub::{HubConfig, ReportId};

use crate::*;

fn report() -> ReportId {
    ReportId::new(REPORT)
}

/// Reads messages until one carries `last`; returns the offsets seen on the way.
async fn offsets_through(client: &mut Client, last: u64) -> Vec<u64> {
    let mut seen = Vec::new();
    while seen.last() != Some(&last) {
        seen.extend(client.message().await.offset());
    }
    seen
}

fn store_edits(hub: &TestHub, n: usize) {
    for i in 0..n {
        hub.backend().store_edit("notes", &format!("v{i}"), "api");
    }
}

#[tokio::test(start_paused = true)]
async fn resume_replays_every_event_after_n_once_in_order_then_live_ones() {
    let hub = hub();
    let mut ann = Client::join(&hub, editor("ann")).await;
    for i in 0..5 {
        hub.publish(&report(), hub.backend().store_edit("notes", &format!("v{i}"), "api"));
    }
    assert_eq!(offsets_through(&mut ann, 5).await, vec![1, 2, 3, 4, 5]);
    let mut bob = Client::connect(&hub, REPORT, editor("bob"), Some(2), Reader::Fast);
    // Who is here comes as presence (no session_state on a resume).
    assert!(matches!(bob.message().await, ServerMessage::Presence(p) if p.user.as_str() == "ann" && p.online));
    assert_eq!(offsets_through(&mut bob, 5).await, vec![3, 4, 5]);
    hub.publish(&report(), hub.backend().store_edit("notes", "live", "api"));
    assert_eq!(offsets_through(&mut bob, 6).await, vec![6]);
}

#[tokio::test(start_paused = true)]
async fn an_event_arriving_by_replay_and_live_is_delivered_once() {
    let hub = hub();
    store_edits(&hub, 4);
    hub.backend().hold_replays();
    let mut bob = Client::connect(&hub, REPORT, editor("bob"), Some(2), Reader::Fast);
    hub.backend().replay_waiting().await;
    // Stored and published while bob's replay is in flight: it reaches him both ways.
    hub.publish(&report(), hub.backend().store_edit("notes", "during", "api"));
    hub.backend().open_replays();
    hub.publish(&report(), hub.backend().store_edit("notes", "after", "api"));
    assert_eq!(offsets_through(&mut bob, 6).await, vec![3, 4, 5, 6]);
    bob.silent_for(QUIET).await;
}

#[tokio::test(start_paused = true)]
async fn too_old_gets_resync_required_then_a_fresh_state() {
    let hub = hub();
    store_edits(&hub, 5);
    hub.backend().prune_through(3);
    let mut bob = Client::connect(&hub, REPORT, editor("bob"), Some(1), Reader::Fast);
    assert_eq!(bob.message().await, ServerMessage::ResyncRequired);
    let ServerMessage::SessionState(state) = bob.message().await else {
        panic!("expected session_state")
    };
    assert_eq!(state.offset, 5);
    assert_eq!(state.section_versions.get("notes"), Some(&5));
    hub.publish(&report(), hub.backend().store_edit("notes", "live", "api"));
    assert_eq!(offsets_through(&mut bob, 6).await, vec![6]);
    assert_eq!(hub.stats().resyncs, 1);
}

#[tokio::test(start_paused = true)]
async fn a_resume_point_the_store_never_reached_resyncs() {
    let hub = hub();
    store_edits(&hub, 2);
    let mut bob = Client::connect(&hub, REPORT, editor("bob"), Some(99), Reader::Fast);
    assert_eq!(bob.message().await, ServerMessage::ResyncRequired);
    assert!(matches!(bob.message().await, ServerMessage::SessionState(s) if s.offset == 2));
}

#[tokio::test(start_paused = true)]
async fn a_gap_in_live_offsets_is_filled_from_the_backend() {
    let hub = hub();
    let mut ann = Client::join(&hub, editor("ann")).await;
    let first = hub.backend().store_edit("notes", "lost on the way", "api");
    let second = hub.backend().store_edit("notes", "arrived", "api");
    hub.publish(&report(), second);
    assert_eq!(offsets_through(&mut ann, 2).await, vec![1, 2]);
    assert_eq!(hub.backend().replays(), 1, "one fill for the room");
    // The lost one turns up late after all: already delivered, so dropped.
    hub.publish(&report(), first);
    hub.publish(&report(), hub.backend().store_edit("notes", "next", "api"));
    assert_eq!(offsets_through(&mut ann, 3).await, vec![3]);
    assert_eq!(hub.stats().gap_fills, 1);
}

#[tokio::test(start_paused = true)]
async fn crossed_publications_are_reordered_without_asking_the_backend() {
    let hub = hub_with(HubConfig {
        gap_fill_delay: Duration::from_millis(100),
        ..HubConfig::default()
    });
    let mut ann = Client::join(&hub, editor("ann")).await;
    let first = hub.backend().store_edit("notes", "a", "api");
    let second = hub.backend().store_edit("notes", "b", "api");
    hub.publish(&report(), second);
    tokio::time::sleep(Duration::from_millis(20)).await;
    hub.publish(&report(), first);
    assert_eq!(offsets_through(&mut ann, 2).await, vec![1, 2]);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(hub.backend().replays(), 0);
    assert_eq!(hub.stats().gap_fills, 0);
}

#[tokio::test(start_paused = true)]
async fn a_gap_the_store_cannot_fill_resynchronises_the_room() {
    let hub = hub();
    let mut ann = Client::join(&hub, editor("ann")).await;
    hub.backend().store_edit("notes", "gone", "api");
    let two = hub.backend().store_edit("notes", "here", "api");
    hub.backend().prune_through(2);
    hub.publish(&report(), two);
    assert_eq!(ann.message().await, ServerMessage::ResyncRequired);
    assert!(matches!(ann.message().await, ServerMessage::SessionState(s) if s.offset == 2));
    hub.publish(&report(), hub.backend().store_edit("notes", "on", "api"));
    assert_eq!(offsets_through(&mut ann, 3).await, vec![3]);
}

#[tokio::test(start_paused = true)]
async fn a_joiner_whose_snapshot_lags_the_room_catches_up() {
    let hub = hub();
    let mut ann = Client::join(&hub, editor("ann")).await;
    for _ in 0..3 {
        hub.publish(&report(), hub.backend().store_edit("notes", "x", "api"));
    }
    assert_eq!(offsets_through(&mut ann, 3).await, vec![1, 2, 3]);
    // bob's snapshot comes from a replica two events behind the room.
    hub.backend().lag_snapshots_by(2);
    let mut bob = Client::connect(&hub, REPORT, editor("bob"), None, Reader::Fast);
    assert!(matches!(bob.message().await, ServerMessage::SessionState(s) if s.offset == 1));
    assert_eq!(offsets_through(&mut bob, 3).await, vec![2, 3]);
}

#[tokio::test(start_paused = true)]
async fn after_a_lost_subscription_rooms_catch_up_on_what_they_missed() {
    let hub = hub();
    let mut ann = Client::join(&hub, editor("ann")).await;
    hub.publish(&report(), hub.backend().store_edit("notes", "seen", "api"));
    assert_eq!(offsets_through(&mut ann, 1).await, vec![1]);
    // Published on other instances while this one was not listening.
    store_edits(&hub, 2);
    assert_eq!(hub.catch_up_rooms(), 1);
    assert_eq!(offsets_through(&mut ann, 3).await, vec![2, 3]);
    // Heard again once the subscription is back: duplicates, dropped.
    hub.publish(&report(), hub.backend().store_edit("notes", "new", "api"));
    assert_eq!(offsets_through(&mut ann, 4).await, vec![4]);
}

#[tokio::test(start_paused = true)]
async fn a_catch_up_past_the_kept_history_resynchronises_and_carries_on() {
    let hub = hub();
    let mut ann = Client::join(&hub, editor("ann")).await;
    store_edits(&hub, 5);
    hub.backend().prune_through(3);
    hub.catch_up_rooms();
    assert_eq!(ann.message().await, ServerMessage::ResyncRequired);
    assert!(matches!(ann.message().await, ServerMessage::SessionState(s) if s.offset == 5));
    hub.publish(&report(), hub.backend().store_edit("notes", "on", "api"));
    assert_eq!(offsets_through(&mut ann, 6).await, vec![6]);
    assert_eq!(hub.backend().replays(), 1, "no fill loop after the restart");
}
