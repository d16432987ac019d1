//! Heartbeat and idle close (SPEC §5): ping every 25 s, no answer in 10 s → closed (4002);
//! no client message for the idle timeout → 4000.

use std::time::Duration;

use bytes::Bytes;
use hub::protocol::{ClientFrame, ClientMessage, ServerMessage};
use hub::{CloseCode, Frame, HubConfig};
use tokio::time::Instant;

use crate::*;

const PING: Duration = Duration::from_secs(25);
const PONG: Duration = Duration::from_secs(10);

#[tokio::test(start_paused = true)]
async fn pings_every_interval() {
    let hub = hub();
    let start = Instant::now();
    let mut ann = Client::join(&hub, editor("ann")).await;
    assert!(matches!(ann.frame().await, Frame::Ping(_)));
    assert_eq!(since(start), PING);
    ann.send_raw(Frame::Pong(Bytes::new()));
    assert!(matches!(ann.frame().await, Frame::Ping(_)));
    assert_eq!(since(start), PING * 2);
}

#[tokio::test(start_paused = true)]
async fn no_pong_within_the_timeout_closes() {
    let hub = hub();
    let start = Instant::now();
    let mut ann = Client::join(&hub, editor("ann")).await;
    assert!(matches!(ann.frame().await, Frame::Ping(_)));
    assert_eq!(ann.closed().await, CloseCode::HEARTBEAT_TIMEOUT);
    assert_eq!(since(start), PING + PONG);
    assert_eq!(ann.task.await.expect("task").code, Some(CloseCode::HEARTBEAT_TIMEOUT));
    assert_eq!(hub.stats().closes.heartbeat, 1);
}

#[tokio::test(start_paused = true)]
async fn pongs_keep_it_alive() {
    let hub = hub();
    let mut ann = Client::join(&hub, editor("ann")).await;
    for _ in 0..4 {
        assert!(matches!(ann.frame().await, Frame::Ping(_)));
        tokio::time::sleep(PONG - Duration::from_secs(1)).await;
        ann.send_raw(Frame::Pong(Bytes::new()));
    }
    ann.assert_alive().await;
    assert_eq!(hub.stats().closes.heartbeat, 0);
}

#[tokio::test(start_paused = true)]
async fn a_client_ping_frame_is_answered_with_its_payload() {
    let hub = hub();
    let mut ann = Client::join(&hub, editor("ann")).await;
    ann.send_raw(Frame::Ping(Bytes::from_static(b"hi")));
    assert_eq!(ann.frame().await, Frame::Pong(Bytes::from_static(b"hi")));
}

/// A heartbeat far apart so only idleness matters.
fn idle_config(idle: Duration) -> HubConfig {
    HubConfig {
        idle_timeout: idle,
        ping_interval: Duration::from_secs(24 * 3600),
        ..HubConfig::default()
    }
}

#[tokio::test(start_paused = true)]
async fn idle_for_the_timeout_closes_4000() {
    let idle = Duration::from_secs(30 * 60);
    let hub = hub_with(idle_config(idle));
    let start = Instant::now();
    let mut ann = Client::join(&hub, editor("ann")).await;
    assert_eq!(ann.closed().await, CloseCode::IDLE);
    assert_eq!(since(start), idle);
    assert_eq!(hub.stats().closes.idle, 1);
}

#[tokio::test(start_paused = true)]
async fn a_client_message_restarts_the_idle_timer_and_a_pong_does_not() {
    let idle = Duration::from_secs(30 * 60);
    let hub = hub_with(idle_config(idle));
    let start = Instant::now();
    let mut ann = Client::join(&hub, editor("ann")).await;
    tokio::time::sleep(Duration::from_secs(20 * 60)).await;
    ann.send(ClientFrame::new(ClientMessage::Ping));
    assert_eq!(ann.message().await, ServerMessage::Pong);
    tokio::time::sleep(Duration::from_secs(15 * 60)).await;
    ann.send_raw(Frame::Pong(Bytes::new()));
    assert_eq!(ann.closed().await, CloseCode::IDLE);
    assert_eq!(
        since(start),
        Duration::from_secs(50 * 60),
        "idle counts from the last message"
    );
}
