//! Closing from the server's side (SPEC §5): `disconnect_user` (revoked token, sign-out)
//! closes every socket of that user with 1008 within a second, even one stuck in a write;
//! shutdown closes everyone with 1001 after flushing what was queued.

use std::time::Duration;

use hub::protocol::{Presence, ServerMessage};
use hub::{CloseCode, ReportId, UserId};
use tokio::time::Instant;

use crate::*;

#[tokio::test(start_paused = true)]
async fn disconnect_user_closes_every_socket_of_that_user_within_a_second() {
    let hub = hub();
    let mut bob = Client::join(&hub, editor("bob")).await;
    let mut ann = Client::join(&hub, editor("ann")).await;
    let ann_stuck = Client::connect(&hub, REPORT, editor("ann"), None, Reader::Stuck);
    settle().await;
    assert!(matches!(bob.message().await, ServerMessage::Presence(p) if p.online));
    // Put ann's stuck socket in the middle of a blocked write.
    hub.publish(&ReportId::new(REPORT), hub.backend().store_edit("notes", "x", "api"));
    tokio::time::sleep(Duration::from_millis(100)).await;

    let start = Instant::now();
    assert_eq!(hub.disconnect_user(&UserId::new("ann"), CloseCode::POLICY), 2);
    assert_eq!(ann.closed().await, CloseCode::POLICY);
    let stuck = ann_stuck.task.await.expect("task");
    assert_eq!(stuck.code, Some(CloseCode::POLICY), "the blocked write was cut short");
    assert!(since(start) < Duration::from_secs(1), "{:?}", since(start));

    let left = ServerMessage::Presence(Presence {
        user: "ann".into(),
        online: false,
    });
    loop {
        let m = bob.message().await;
        if m == left {
            break;
        }
        assert!(m.offset().is_some(), "unexpected {m:?}");
    }
    bob.assert_alive().await;
    assert_eq!(hub.stats().closes.policy, 2);
}

#[tokio::test(start_paused = true)]
async fn shutdown_flushes_what_is_queued_then_closes_everyone_with_1001() {
    let hub = hub();
    let mut ann = Client::join(&hub, editor("ann")).await;
    let mut bob = Client::join(&hub, editor("bob")).await;
    assert!(matches!(ann.message().await, ServerMessage::Presence(_)));
    // Held in both batches (the window has not passed) when the shutdown comes.
    hub.publish(
        &ReportId::new(REPORT),
        hub.backend().store_edit("notes", "last words", "api"),
    );
    settle().await;

    let start = Instant::now();
    hub.shutdown().await;
    assert!(
        since(start) < Duration::from_millis(50),
        "nobody waited for the batch window"
    );
    for client in [&mut ann, &mut bob] {
        assert_eq!(offsets(&client.text_frame().await), vec![1]);
        assert_eq!(client.closed().await, CloseCode::GOING_AWAY);
    }
    let stats = hub.stats();
    assert_eq!(
        (stats.connections, stats.active_sessions, stats.closes.shutdown),
        (0, 0, 2)
    );

    let mut late = Client::connect(&hub, REPORT, editor("cat"), None, Reader::Fast);
    assert_eq!(late.closed().await, CloseCode::GOING_AWAY);
    assert_eq!(hub.stats().refusals.shutting_down, 1);
}
