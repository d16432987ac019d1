//! Slow consumers (SPEC §5): an outbound queue over `max_queue_bytes`, or a write blocked over
//! a second, closes that connection with 4001 — and nobody else in the room slows down.

use std::time::Duration;

use hub::protocol::ServerMessage;
use hub::{CloseCode, HubConfig, ReportId};
use tokio::time::Instant;

use crate::*;

fn report() -> ReportId {
    ReportId::new(REPORT)
}

/// A reader that took its `session_state` into its one slot and then stopped reading.
async fn stuck_reader(hub: &TestHub, user: &str) -> Client {
    let stuck = Client::connect(hub, REPORT, editor(user), None, Reader::Stuck);
    settle().await;
    stuck
}

#[tokio::test(start_paused = true)]
async fn a_queue_over_the_byte_limit_closes_4001_at_once() {
    let hub = hub_with(HubConfig {
        max_queue_bytes: 64 * 1024,
        ..HubConfig::default()
    });
    let mut fast = Client::join(&hub, editor("fast")).await;
    let slow = stuck_reader(&hub, "slow").await;
    assert!(matches!(fast.message().await, ServerMessage::Presence(_)));
    let start = Instant::now();
    // 30 events of 8 KiB, one at a time: the fast reader takes each as it comes; the stuck
    // one has ten in a blocked write and the rest pile up in its queue until the limit.
    let content = "x".repeat(8 * 1024);
    let mut got = Vec::new();
    for _ in 0..30 {
        let event = hub.backend().store_edit("notes", &content, "api");
        hub.publish(&report(), event);
        settle().await;
    }
    while got.len() < 30 {
        got.extend(offsets(&[fast.message().await]));
    }
    assert_eq!(got, (1..=30).collect::<Vec<_>>());
    assert_eq!(since(start), Duration::ZERO, "the fast reader was never held up");
    let closed = slow.task.await.expect("task");
    assert_eq!(closed.code, Some(CloseCode::SLOW_CONSUMER));
    assert!(
        since(start) < Duration::from_secs(1),
        "closed by the byte limit, not the write timeout ({:?})",
        since(start)
    );
    assert_eq!(hub.stats().closes.slow_consumer, 1);
}

#[tokio::test(start_paused = true)]
async fn a_write_blocked_over_a_second_closes_4001_while_the_others_keep_up() {
    let hub = hub();
    let mut fast = Client::join(&hub, editor("fast")).await;
    let slow = stuck_reader(&hub, "slow").await;
    assert!(matches!(fast.message().await, ServerMessage::Presence(_)));
    let start = Instant::now();

    hub.publish(&report(), hub.backend().store_edit("notes", "one", "api"));
    assert_eq!(offsets(&fast.text_frame().await), vec![1]);
    assert_eq!(
        since(start),
        Duration::from_millis(50),
        "the fast reader gets it in the batch window"
    );

    // Half a second into the slow reader's blocked write, the fast one is not held up.
    tokio::time::sleep(Duration::from_millis(450)).await;
    let second = Instant::now();
    hub.publish(&report(), hub.backend().store_edit("notes", "two", "api"));
    assert_eq!(offsets(&fast.text_frame().await), vec![2]);
    assert_eq!(since(second), Duration::from_millis(50));

    let closed = slow.task.await.expect("task");
    assert_eq!(closed.code, Some(CloseCode::SLOW_CONSUMER));
    // Flushed at 50 ms, blocked for the 1 s write timeout, then a bounded attempt at a close
    // frame (which cannot get through either).
    let took = since(start);
    assert!(
        took >= Duration::from_millis(1050) && took < Duration::from_millis(1400),
        "{took:?}"
    );
    // The slow reader's departure is announced to the fast one.
    assert!(matches!(fast.message().await, ServerMessage::Presence(p) if !p.online));
}
