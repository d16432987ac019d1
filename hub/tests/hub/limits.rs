//! Admission (SPEC §5): participants per session and connections per instance → 1013; not
//! allowed → 1008. A refused socket is closed before any message and leaves no trace.

use futures::StreamExt;
use hub::protocol::Ephemeral;
use hub::{CloseCode, Frame, HubConfig, Principal, ReportId, Role};

use crate::*;

async fn refused(hub: &TestHub, report: &str, who: Principal) -> CloseCode {
    let mut client = Client::connect(hub, report, who, None, Reader::Fast);
    let code = client.closed().await;
    let closed = client.task.await.expect("task");
    assert_eq!(closed.code, Some(code));
    code
}

#[tokio::test(start_paused = true)]
async fn the_participant_limit_counts_users_and_refuses_with_1013() {
    let hub = hub_with(HubConfig {
        max_participants: 2,
        ..HubConfig::default()
    });
    let _ann = Client::join(&hub, editor("ann")).await;
    let _bob = Client::join(&hub, editor("bob")).await;
    assert_eq!(refused(&hub, REPORT, editor("cat")).await, CloseCode::TRY_AGAIN_LATER);
    // Another tab of someone already present is not another participant.
    let _ann_again = Client::join(&hub, editor("ann")).await;
    // Another report is another session.
    let _cat = Client::join_report(&hub, "r2", editor("cat")).await;

    let stats = hub.stats();
    assert_eq!(stats.refusals.participant_limit, 1);
    let session = hub.session(&ReportId::new(REPORT)).expect("session");
    assert_eq!(session.participants.len(), 2);
    assert_eq!(session.local_connections, 3, "the refused socket left the room");
}

#[tokio::test(start_paused = true)]
async fn the_connection_limit_refuses_with_1013_until_a_slot_frees() {
    let hub = hub_with(HubConfig {
        max_connections: 2,
        ..HubConfig::default()
    });
    let ann = Client::join(&hub, editor("ann")).await;
    let _bob = Client::join(&hub, editor("bob")).await;
    assert_eq!(refused(&hub, REPORT, editor("cat")).await, CloseCode::TRY_AGAIN_LATER);
    assert_eq!(hub.stats().refusals.connection_limit, 1);

    ann.hang_up();
    ann.task.await.expect("task");
    assert_eq!(hub.stats().connections, 1);
    let _cat = Client::join(&hub, editor("cat")).await;
}

#[tokio::test(start_paused = true)]
async fn not_allowed_and_unknown_reports_close_1008() {
    let hub = hub();
    hub.backend().forbid("mallory");
    assert_eq!(refused(&hub, REPORT, editor("mallory")).await, CloseCode::POLICY);
    assert_eq!(refused(&hub, "missing", editor("ann")).await, CloseCode::POLICY);
    let stats = hub.stats();
    assert_eq!((stats.refusals.forbidden, stats.refusals.not_found), (1, 1));
    assert_eq!(stats.connections, 0);
    assert_eq!(stats.active_sessions, 0, "rooms of refused joiners are gone");
    // Refused before being counted: nobody was told they came or went.
    let mut vic = Client::join(&hub, Principal::new("vic", Role::Viewer)).await;
    vic.assert_alive().await;
    let relayed = hub.backend().relayed();
    assert_eq!(relayed.len(), 1, "only vic's arrival: {relayed:?}");
    assert!(matches!(&relayed[0], Ephemeral::Presence(p) if p.user.as_str() == "vic" && p.online));
}

#[tokio::test(start_paused = true)]
async fn the_server_can_reject_a_socket_it_will_not_hand_over() {
    let hub = hub();
    let (sink, mut from_hub) = mpsc::unbounded();
    hub.reject(sink, CloseCode::POLICY, "wrong origin").await;
    assert_eq!(
        from_hub.next().await,
        Some(Frame::close(CloseCode::POLICY, "wrong origin"))
    );
    assert_eq!(from_hub.next().await, None, "and the socket is closed");
    assert_eq!(hub.stats().refusals.by_server, 1);
}
