//! Batching (SPEC §5): flushed at `batch_max_size` or `batch_max_wait` after the first held
//! message; off → one frame per message; `session_state` and errors never held.

use std::time::Duration;

use hub::protocol::ServerMessage;
use hub::{Frame, HubConfig, ReportId};
use tokio::time::Instant;

use crate::*;

const WAIT: Duration = Duration::from_millis(50);

/// Stores and publishes `n` edits made elsewhere (the JSON API).
fn publish_edits(hub: &TestHub, n: usize) {
    for i in 0..n {
        let event = hub.backend().store_edit("notes", &format!("v{i}"), "api");
        hub.publish(&ReportId::new(REPORT), event);
    }
}

#[tokio::test(start_paused = true)]
async fn ten_queued_messages_go_out_as_one_envelope_at_once() {
    let hub = hub();
    let mut ann = Client::join(&hub, editor("ann")).await;
    let start = Instant::now();
    publish_edits(&hub, 10);
    let messages = ann.text_frame().await;
    assert_eq!(
        since(start),
        Duration::ZERO,
        "a full batch does not wait for the window"
    );
    assert_eq!(offsets(&messages), (1..=10).collect::<Vec<_>>());
    ann.silent_for(WAIT * 4).await;
}

#[tokio::test(start_paused = true)]
async fn one_message_waits_for_the_window_and_not_longer() {
    let hub = hub();
    let mut ann = Client::join(&hub, editor("ann")).await;
    let start = Instant::now();
    publish_edits(&hub, 1);
    ann.silent_for(WAIT - Duration::from_millis(1)).await;
    let frame = ann.frame().await;
    assert_eq!(since(start), WAIT);
    let Frame::Text(text) = frame else {
        panic!("expected text, got {frame:?}")
    };
    assert!(
        text.starts_with(br#"{"type":"section_updated""#),
        "a lone message is sent as itself"
    );
}

#[tokio::test(start_paused = true)]
async fn more_than_a_batch_goes_out_as_full_batches_then_the_rest_in_the_window() {
    let hub = hub();
    let mut ann = Client::join(&hub, editor("ann")).await;
    let start = Instant::now();
    publish_edits(&hub, 13);
    assert_eq!(offsets(&ann.text_frame().await), (1..=10).collect::<Vec<_>>());
    assert_eq!(since(start), Duration::ZERO);
    let rest = ann.text_frame().await;
    assert_eq!(since(start), WAIT);
    assert_eq!(offsets(&rest), vec![11, 12, 13], "the remainder goes as one envelope");
}

#[tokio::test(start_paused = true)]
async fn with_batching_off_every_message_is_its_own_frame_at_once() {
    let hub = hub_with(HubConfig {
        enable_batching: false,
        ..HubConfig::default()
    });
    let mut ann = Client::join(&hub, editor("ann")).await;
    let start = Instant::now();
    publish_edits(&hub, 3);
    for offset in 1..=3 {
        let messages = ann.text_frame().await;
        assert_eq!(offsets(&messages), vec![offset]);
        assert_eq!(since(start), Duration::ZERO);
    }
    let stats = hub.stats();
    assert!(!stats.batching.enabled);
    assert_eq!(stats.batches_sent, 0);
}

#[tokio::test(start_paused = true)]
async fn session_state_and_errors_go_out_at_once_after_what_was_held() {
    let hub = hub();
    let start = Instant::now();
    let mut ann = Client::connect(&hub, REPORT, editor("ann"), None, Reader::Fast);
    assert!(matches!(ann.text_frame().await[..], [ServerMessage::SessionState(_)]));
    assert_eq!(since(start), Duration::ZERO, "session_state is not held");

    publish_edits(&hub, 1);
    settle().await;
    ann.send_raw(Frame::text("{not json"));
    // The held event is flushed first (order is kept), then the error, both without waiting.
    assert_eq!(offsets(&ann.text_frame().await), vec![1]);
    let error = ann.text_frame().await;
    assert!(matches!(&error[..], [ServerMessage::Error(e)] if e.code == "invalid_json"));
    assert_eq!(since(start), Duration::ZERO, "an error is not held");
}

fn flushing_when_idle() -> TestHub {
    hub_with(HubConfig {
        flush_when_idle: true,
        ..HubConfig::default()
    })
}

/// With `flush_when_idle`, a lone message goes out at once, as itself, and nothing follows.
#[tokio::test(start_paused = true)]
async fn flushing_when_idle_a_lone_message_does_not_wait_for_the_window() {
    let hub = flushing_when_idle();
    let mut ann = Client::join(&hub, editor("ann")).await;
    let start = Instant::now();
    publish_edits(&hub, 1);
    let messages = ann.text_frame().await;
    assert_eq!(since(start), Duration::ZERO);
    assert_eq!(offsets(&messages), vec![1]);
    ann.silent_for(WAIT * 4).await;
}

/// With `flush_when_idle`, a backlog still goes out batched — full batches of
/// `batch_max_size`, then the rest together — all at once, and counts as batches.
#[tokio::test(start_paused = true)]
async fn flushing_when_idle_a_backlog_still_goes_out_in_batches() {
    let hub = flushing_when_idle();
    let mut ann = Client::join(&hub, editor("ann")).await;
    let start = Instant::now();
    publish_edits(&hub, 13);
    assert_eq!(offsets(&ann.text_frame().await), (1..=10).collect::<Vec<_>>());
    let rest = ann.text_frame().await;
    assert_eq!(since(start), Duration::ZERO, "nobody waits for the window");
    assert_eq!(offsets(&rest), vec![11, 12, 13], "the remainder goes as one envelope");
    ann.silent_for(WAIT * 4).await;
    let stats = hub.stats();
    assert_eq!((stats.batches_sent, stats.messages_out - 1), (2, 13), "{stats:?}");
}
