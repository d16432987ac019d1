//! Edits and comments through the backend's write path (SPEC §5): the sender gets `ack` and
//! not its own `section_updated`; the others get `section_updated`; a stale base version gets
//! `conflict`; comments reach everyone; refusals come back as `error` with id and field.

use hub::protocol::{ClientFrame, ClientMessage, CommentAdd, CommentResolve, MessageId, ServerMessage};
use hub::{Principal, Role};

use crate::*;

/// Two editors in the room, each past the other's arrival.
async fn ann_and_bob(hub: &TestHub) -> (Client, Client) {
    let mut ann = Client::join(hub, editor("ann")).await;
    let bob = Client::join(hub, editor("bob")).await;
    assert!(matches!(ann.message().await, ServerMessage::Presence(_)));
    (ann, bob)
}

fn id(text: &str) -> Option<MessageId> {
    Some(MessageId::Text(text.into()))
}

#[tokio::test(start_paused = true)]
async fn the_sender_gets_an_ack_and_the_others_the_update() {
    let hub = hub();
    let (mut ann, mut bob) = ann_and_bob(&hub).await;

    ann.edit("e1", "notes", 1, "first");
    let ServerMessage::Ack(ack) = ann.message().await else {
        panic!("expected an ack")
    };
    assert_eq!((ack.id, ack.offset, ack.version), (id("e1"), Some(1), Some(2)));
    let ServerMessage::SectionUpdated(update) = bob.message().await else {
        panic!("expected the update")
    };
    assert_eq!((update.offset, update.version, update.user.as_str()), (1, 2, "ann"));
    assert_eq!(
        (update.content.as_str(), update.html.as_str()),
        ("first", "<p>first</p>")
    );

    // The next thing ann hears is bob's edit: her own update never came back to her.
    bob.edit("e2", "notes", 2, "second");
    assert!(matches!(bob.message().await, ServerMessage::Ack(a) if a.offset == Some(2)));
    let ServerMessage::SectionUpdated(update) = ann.message().await else {
        panic!("expected bob's update")
    };
    assert_eq!((update.offset, update.user.as_str()), (2, "bob"));
}

#[tokio::test(start_paused = true)]
async fn a_stale_base_version_gets_a_conflict_and_nothing_is_broadcast() {
    let hub = hub();
    let (mut ann, mut bob) = ann_and_bob(&hub).await;
    ann.edit("e1", "notes", 1, "first");
    assert!(matches!(ann.message().await, ServerMessage::Ack(_)));
    assert!(matches!(bob.message().await, ServerMessage::SectionUpdated(_)));

    bob.edit("e2", "notes", 1, "from an old copy");
    let ServerMessage::Conflict(conflict) = bob.message().await else {
        panic!("expected a conflict")
    };
    assert_eq!(
        (conflict.current_version, conflict.current_content.as_str()),
        (2, "first")
    );
    ann.silent_for(QUIET).await;
    assert_eq!(hub.backend().offset(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_comment_reaches_everyone_and_its_sender_also_gets_the_ack() {
    let hub = hub();
    let (mut ann, mut bob) = ann_and_bob(&hub).await;
    let add = CommentAdd {
        section_id: "notes".into(),
        content: "Is this right?".into(),
        parent_id: None,
    };
    ann.send(ClientFrame::new(ClientMessage::CommentAdd(add)).with_id(MessageId::Text("c".into())));
    let ServerMessage::CommentAdded(added) = ann.message().await else {
        panic!("expected the comment")
    };
    assert_eq!(added.comment["content"], "Is this right?");
    assert!(matches!(ann.message().await, ServerMessage::Ack(a) if a.id == id("c") && a.offset == Some(1)));
    assert!(matches!(bob.message().await, ServerMessage::CommentAdded(c) if c.offset == 1));

    let resolve = CommentResolve {
        comment_id: "c1".into(),
    };
    bob.send(ClientFrame::new(ClientMessage::CommentResolve(resolve)));
    assert!(matches!(bob.message().await, ServerMessage::CommentResolved(r) if r.offset == 2));
    assert!(matches!(bob.message().await, ServerMessage::Ack(a) if a.id.is_none() && a.offset == Some(2)));
    assert!(matches!(ann.message().await, ServerMessage::CommentResolved(r) if r.user.as_str() == "bob"));
}

#[tokio::test(start_paused = true)]
async fn a_refused_command_comes_back_as_an_error_with_its_id_and_field() {
    let hub = hub();
    let (mut ann, mut bob) = ann_and_bob(&hub).await;
    let resolve = CommentResolve {
        comment_id: "nope".into(),
    };
    ann.send(ClientFrame::new(ClientMessage::CommentResolve(resolve)).with_id(MessageId::Number(9)));
    let ServerMessage::Error(e) = ann.message().await else {
        panic!("expected an error")
    };
    assert_eq!(e.id, Some(MessageId::Number(9)));
    assert_eq!(
        (e.code.as_str(), e.field.as_deref()),
        ("not_found", Some("data.comment_id"))
    );
    bob.silent_for(QUIET).await;
    ann.assert_alive().await;
}

#[tokio::test(start_paused = true)]
async fn viewers_receive_but_may_not_edit() {
    let hub = hub();
    let mut ann = Client::join(&hub, editor("ann")).await;
    let mut vic = Client::join(&hub, Principal::new("vic", Role::Viewer)).await;
    assert!(matches!(ann.message().await, ServerMessage::Presence(_)));

    vic.edit("v1", "notes", 1, "vandalism");
    let ServerMessage::Error(e) = vic.message().await else {
        panic!("expected an error")
    };
    assert_eq!((e.code.as_str(), e.id), ("forbidden", id("v1")));
    assert_eq!(hub.backend().handled(), 0, "never reached the write path");

    ann.edit("e1", "notes", 1, "fine");
    assert!(matches!(vic.message().await, ServerMessage::SectionUpdated(u) if u.offset == 1));
}
