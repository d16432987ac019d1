//! Bad frames over the wire (SPEC §5): malformed or unknown frames get an `error` naming the
//! field and the rule, never a panic, and the connection stays up; over 64 KiB → 1009.

use bytes::Bytes;
use hub::protocol::{ErrorBody, MessageId, ServerMessage};
use hub::{CloseCode, Frame};
use serde_json::json;

use crate::*;

async fn error_for(client: &mut Client, frame: Frame) -> ErrorBody {
    client.send_raw(frame);
    match client.message().await {
        ServerMessage::Error(e) => e,
        other => panic!("expected an error, got {other:?}"),
    }
}

fn json_frame(v: serde_json::Value) -> Frame {
    Frame::text(v.to_string())
}

#[tokio::test(start_paused = true)]
async fn malformed_frames_get_errors_naming_the_field_and_the_connection_stays_up() {
    let hub = hub();
    let mut ann = Client::join(&hub, editor("ann")).await;

    let e = error_for(&mut ann, Frame::text("{\"type\": \"ping\"")).await;
    assert_eq!((e.code.as_str(), e.field), ("invalid_json", None));

    let e = error_for(&mut ann, json_frame(json!({"type": "shout", "id": "m1", "data": {}}))).await;
    assert_eq!((e.code.as_str(), e.field.as_deref()), ("unknown_type", Some("type")));
    assert_eq!(e.id, Some(MessageId::Text("m1".into())), "the id comes back");

    let missing = json!({"type": "section_update", "id": 2, "data": {"base_version": 1, "content": "x"}});
    let e = error_for(&mut ann, json_frame(missing)).await;
    assert_eq!(
        (e.code.as_str(), e.field.as_deref()),
        ("missing_field", Some("data.section_id"))
    );
    assert!(e.message.contains("required"), "{}", e.message);
    assert_eq!(e.id, Some(MessageId::Number(2)));

    let wrong = json!({"type": "cursor", "data": {"section_id": "s", "position": "top"}});
    let e = error_for(&mut ann, json_frame(wrong)).await;
    assert_eq!(
        (e.code.as_str(), e.field.as_deref()),
        ("wrong_type", Some("data.position"))
    );
    assert!(e.message.contains("non-negative integer"), "{}", e.message);

    let e = error_for(&mut ann, Frame::Binary(Bytes::from_static(&[1, 2, 3]))).await;
    assert_eq!(e.code, "unsupported_frame");

    ann.assert_alive().await;
    assert_eq!(hub.backend().handled(), 0, "nothing bad reached the backend");
    assert_eq!(hub.stats().messages_in, 6);
}

#[tokio::test(start_paused = true)]
async fn a_frame_over_64_kib_closes_1009_and_one_at_the_limit_is_read() {
    let hub = hub();
    let mut ann = Client::join(&hub, editor("ann")).await;

    // Exactly 64 KiB: a section update padded to the byte.
    let skeleton = json!({"type": "section_update", "id": "big",
        "data": {"section_id": "notes", "base_version": 1, "content": ""}})
    .to_string();
    let content = "y".repeat(64 * 1024 - skeleton.len());
    let at_limit = json!({"type": "section_update", "id": "big",
        "data": {"section_id": "notes", "base_version": 1, "content": content}})
    .to_string();
    assert_eq!(at_limit.len(), 64 * 1024);
    ann.send_raw(Frame::text(at_limit));
    assert!(matches!(ann.message().await, ServerMessage::Ack(a) if a.version == Some(2)));

    ann.send_raw(Frame::text(format!("{}x", "x".repeat(64 * 1024))));
    assert_eq!(ann.closed().await, CloseCode::TOO_BIG);
    assert_eq!(ann.task.await.expect("task").code, Some(CloseCode::TOO_BIG));
    assert_eq!(hub.stats().closes.too_big, 1);
}
