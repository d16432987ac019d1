//! Presence and cursors (SPEC §5): `presence` to the others when a user's first connection
//! joins and their last one leaves; cursors to everyone but the sender; neither is durable;
//! both cross instances through `Backend::relay` and `Hub::publish_ephemeral`.

use hub::protocol::{
    ClientFrame, ClientMessage, CursorAt, CursorMove, Ephemeral, MessageId, Participant, Presence, ServerMessage,
};
use hub::{Principal, ReportId, Role};

use crate::*;

fn presence(user: &str, online: bool) -> ServerMessage {
    ServerMessage::Presence(Presence {
        user: user.into(),
        online,
    })
}

fn cursor(section: &str, position: u64) -> ClientFrame {
    ClientFrame::new(ClientMessage::Cursor(CursorMove {
        section_id: section.into(),
        position,
    }))
}

#[tokio::test(start_paused = true)]
async fn others_hear_of_a_user_arriving_and_leaving_once_across_tabs() {
    let hub = hub();
    let mut ann = Client::join(&hub, editor("ann")).await;

    let mut bob = Client::connect(&hub, REPORT, editor("bob"), None, Reader::Fast);
    let ServerMessage::SessionState(state) = bob.message().await else {
        panic!("expected session_state")
    };
    let users: Vec<_> = state.participants.iter().map(|p| p.user.as_str()).collect();
    assert_eq!(users, vec!["ann", "bob"]);
    assert_eq!(ann.message().await, presence("bob", true));

    let bob_tab2 = Client::join(&hub, editor("bob")).await;
    bob.hang_up();
    bob.task.await.expect("task");
    ann.silent_for(QUIET).await;

    bob_tab2.hang_up();
    bob_tab2.task.await.expect("task");
    assert_eq!(ann.message().await, presence("bob", false));
    // bob never heard about himself: his first message after the state was nothing of his.
    let relayed = hub.backend().relayed();
    let bobs: Vec<_> = relayed
        .iter()
        .filter_map(|m| match m {
            Ephemeral::Presence(p) if p.user.as_str() == "bob" => Some(p.online),
            _ => None,
        })
        .collect();
    assert_eq!(
        bobs,
        vec![true, false],
        "one arrival, one departure, relayed to other instances"
    );
}

#[tokio::test(start_paused = true)]
async fn cursors_go_to_the_others_and_are_not_events() {
    let hub = hub();
    let mut ann = Client::join(&hub, editor("ann")).await;
    let mut bob = Client::join(&hub, editor("bob")).await;
    assert_eq!(ann.message().await, presence("bob", true));

    bob.send(cursor("notes", 42).with_id(MessageId::Number(1)));
    let ServerMessage::Ack(ack) = bob.message().await else {
        panic!("expected an ack")
    };
    assert_eq!(
        (ack.id, ack.offset),
        (Some(MessageId::Number(1)), None),
        "no offset: not durable"
    );
    let got = ann.message().await;
    assert_eq!(
        got,
        ServerMessage::Cursor(CursorAt {
            user: "bob".into(),
            section_id: "notes".into(),
            position: 42
        })
    );
    assert_eq!(got.offset(), None);
    bob.silent_for(QUIET).await;
    assert_eq!(hub.backend().offset(), 0, "nothing stored");
}

#[tokio::test(start_paused = true)]
async fn viewers_may_not_share_a_cursor() {
    let hub = hub();
    let mut ann = Client::join(&hub, editor("ann")).await;
    let mut vic = Client::join(&hub, Principal::new("vic", Role::Viewer)).await;
    assert_eq!(ann.message().await, presence("vic", true));
    vic.send(cursor("notes", 1));
    assert!(matches!(vic.message().await, ServerMessage::Error(e) if e.code == "forbidden"));
    ann.silent_for(QUIET).await;
}

#[tokio::test(start_paused = true)]
async fn presence_from_another_instance_reaches_everyone_here() {
    let hub = hub();
    let mut ann = Client::join(&hub, editor("ann")).await;
    let elsewhere = Ephemeral::Presence(Presence {
        user: "zoe".into(),
        online: true,
    });
    hub.publish_ephemeral(&ReportId::new(REPORT), &elsewhere);
    assert_eq!(ann.message().await, presence("zoe", true));
}

#[tokio::test(start_paused = true)]
async fn session_state_lists_participants_of_other_instances_too() {
    let hub = hub();
    let remote = |user: &str| Participant {
        user: user.into(),
        role: Role::Editor,
        since: 1,
        last_active: 2,
    };
    hub.backend().add_remote(remote("zoe"));
    // The same user also here: this instance's entry wins.
    hub.backend().add_remote(remote("ann"));
    let _ann = Client::join(&hub, editor("ann")).await;
    let mut bob = Client::connect(&hub, REPORT, editor("bob"), None, Reader::Fast);
    let ServerMessage::SessionState(state) = bob.message().await else {
        panic!("expected session_state")
    };
    let mut users: Vec<_> = state
        .participants
        .iter()
        .map(|p| (p.user.as_str(), p.since == 1))
        .collect();
    users.sort();
    assert_eq!(users, vec![("ann", false), ("bob", false), ("zoe", true)]);
}
