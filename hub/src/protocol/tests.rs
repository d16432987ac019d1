//! The protocol's wire shapes and every way a client frame can be wrong.

use serde_json::json;

use super::*;
use crate::error::ProtocolError;
use crate::ids::UserId;

fn parse(v: serde_json::Value) -> Result<ClientFrame, Rejected> {
    ClientFrame::parse(v.to_string().as_bytes())
}

fn error_of(v: serde_json::Value) -> (Option<MessageId>, ProtocolError) {
    let r = parse(v).expect_err("frame should be rejected");
    (r.id, r.error)
}

#[test]
fn parses_every_client_message() {
    let f = parse(json!({"type": "section_update", "id": "m1",
        "data": {"section_id": "risks", "base_version": 3, "content": "# x"}}))
    .expect("should be valid");
    assert_eq!(f.id, Some(MessageId::Text("m1".into())));
    assert_eq!(
        f.message,
        ClientMessage::SectionUpdate(SectionUpdate {
            section_id: "risks".into(),
            base_version: 3,
            content: "# x".into()
        })
    );
    let f = parse(json!({"type": "cursor", "id": 7, "data": {"section_id": "s", "position": 12}}))
        .expect("should be valid");
    assert_eq!(f.id, Some(MessageId::Number(7)));
    assert!(matches!(
        f.message,
        ClientMessage::Cursor(CursorMove { position: 12, .. })
    ));
    let f = parse(json!({"type": "comment_add", "data": {"section_id": "s", "content": "hm", "parent_id": "c1"}}))
        .expect("should be valid");
    assert!(matches!(f.message, ClientMessage::CommentAdd(CommentAdd { parent_id: Some(ref p), .. }) if p == "c1"));
    let f = parse(json!({"type": "comment_resolve", "data": {"comment_id": "c1"}})).expect("should be valid");
    assert!(matches!(f.message, ClientMessage::CommentResolve(_)));
    assert_eq!(
        parse(json!({"type": "ping"})).expect("should be valid").message,
        ClientMessage::Ping
    );
    assert_eq!(
        parse(json!({"type": "ping", "data": {}}))
            .expect("should be valid")
            .message,
        ClientMessage::Ping
    );
}

#[test]
fn client_frames_round_trip() {
    let frame = ClientFrame::new(ClientMessage::CommentAdd(CommentAdd {
        section_id: "s".into(),
        content: "c".into(),
        parent_id: None,
    }))
    .with_id(MessageId::Number(4));
    assert_eq!(ClientFrame::parse(frame.to_json().as_bytes()), Ok(frame));
    let ping = ClientFrame::new(ClientMessage::Ping);
    assert_eq!(ping.to_json(), r#"{"type":"ping"}"#);
}

#[test]
fn malformed_json_is_an_error_without_a_field() {
    let r = ClientFrame::parse(b"{\"type\": ").expect_err("should be rejected");
    assert_eq!(r.error.code(), "invalid_json");
    assert_eq!(r.error.field(), None);
    assert_eq!(
        ClientFrame::parse(b"[1,2]").expect_err("should be rejected").error,
        ProtocolError::NotAnObject
    );
    assert_eq!(
        ClientFrame::parse(&[0xff, 0xfe])
            .expect_err("should be rejected")
            .error
            .code(),
        "invalid_json"
    );
}

#[test]
fn unknown_type_names_the_type_field_and_keeps_the_id() {
    let (id, e) = error_of(json!({"type": "delete_everything", "id": "x", "data": {}}));
    assert_eq!(id, Some(MessageId::Text("x".into())));
    assert_eq!((e.code(), e.field()), ("unknown_type", Some("type")));
    assert!(e.to_string().contains("delete_everything"));
}

#[test]
fn missing_fields_are_named_with_their_path() {
    let (_, e) = error_of(json!({"type": "section_update", "data": {"base_version": 1, "content": ""}}));
    assert_eq!((e.code(), e.field()), ("missing_field", Some("data.section_id")));
    let (_, e) = error_of(json!({"type": "comment_add"}));
    assert_eq!((e.code(), e.field()), ("missing_field", Some("data")));
    let (_, e) = error_of(json!({"data": {}}));
    assert_eq!((e.code(), e.field()), ("missing_field", Some("type")));
    let (_, e) = error_of(json!({"type": "cursor", "data": {"section_id": "s", "position": null}}));
    assert_eq!((e.code(), e.field()), ("missing_field", Some("data.position")));
}

#[test]
fn wrong_types_say_what_was_expected() {
    let (_, e) = error_of(json!({"type": "section_update",
        "data": {"section_id": "s", "base_version": "3", "content": ""}}));
    assert_eq!((e.code(), e.field()), ("wrong_type", Some("data.base_version")));
    assert!(e.to_string().contains("integer"), "{e}");
    let (_, e) = error_of(json!({"type": "section_update",
        "data": {"section_id": "s", "base_version": -1, "content": ""}}));
    assert_eq!(e.field(), Some("data.base_version"));
    let (_, e) = error_of(json!({"type": "section_update",
        "data": {"section_id": "s", "base_version": 4_294_967_296_u64, "content": ""}}));
    assert_eq!(e.field(), Some("data.base_version"));
    let (_, e) = error_of(json!({"type": 5}));
    assert_eq!((e.code(), e.field()), ("wrong_type", Some("type")));
    let (_, e) = error_of(json!({"type": "cursor", "data": []}));
    assert_eq!((e.code(), e.field()), ("wrong_type", Some("data")));
    let (id, e) = error_of(json!({"type": "ping", "id": {"a": 1}}));
    assert_eq!((id, e.field()), (None, Some("id")));
}

#[test]
fn unknown_and_invalid_fields_are_refused() {
    let (_, e) = error_of(json!({"type": "comment_resolve", "data": {"comment_id": "c", "force": true}}));
    assert_eq!((e.code(), e.field()), ("unknown_field", Some("data.force")));
    let (_, e) = error_of(json!({"type": "ping", "extra": 1}));
    assert_eq!((e.code(), e.field()), ("unknown_field", Some("extra")));
    let (_, e) = error_of(json!({"type": "comment_resolve", "data": {"comment_id": "  "}}));
    assert_eq!((e.code(), e.field()), ("invalid_value", Some("data.comment_id")));
    let (_, e) = error_of(json!({"type": "ping", "data": [1]}));
    assert_eq!((e.code(), e.field()), ("invalid_value", Some("data")));
}

#[test]
fn server_messages_have_the_spec_shape() {
    let ack = ServerMessage::Ack(Ack {
        id: Some(MessageId::Text("m1".into())),
        offset: Some(9),
        version: Some(4),
    });
    assert_eq!(
        serde_json::to_value(&ack).expect("should be valid"),
        json!({"type": "ack", "data": {"id": "m1", "offset": 9, "version": 4}})
    );
    assert_eq!(
        serde_json::to_value(ServerMessage::Pong).expect("should be valid"),
        json!({"type": "pong"})
    );
    assert_eq!(
        serde_json::to_value(ServerMessage::ResyncRequired).expect("should be valid"),
        json!({"type": "resync_required"})
    );
    let event = Event::CommentResolved(CommentResolved {
        comment_id: "c".into(),
        user: UserId::new("ann"),
        offset: 3,
    });
    // An event serialises exactly like the server message it becomes.
    assert_eq!(
        serde_json::to_value(&event).expect("should be valid"),
        serde_json::to_value(ServerMessage::from(event.clone())).expect("should be valid")
    );
    assert_eq!(event.offset(), 3);
}

#[test]
fn decodes_batches_and_single_frames() {
    let batch = br#"{"type":"batch","messages":[{"type":"pong"},{"type":"presence","data":{"user":"a","online":true}}],"count":2}"#;
    let messages = decode_server_frame(batch).expect("should be valid");
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0], ServerMessage::Pong);
    assert_eq!(
        decode_server_frame(br#"{"type":"pong"}"#).expect("should be valid"),
        vec![ServerMessage::Pong]
    );
    assert!(decode_server_frame(br#"{"type":"batch","messages":[{"type":"pong"}],"count":3}"#).is_err());
}
