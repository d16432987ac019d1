//! The protocol of SPEC §5 over a real socket: state on join, presence, edits (the sender
//! gets its ack, the others the update), conflicts, comments, the other write paths'
//! events, and bad input answered with an `error` while the connection carries on.

use std::time::Duration;

use app::dto::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use super::client::{connect, edit, Connect};
use super::{report_app, token_named, NOTES};

#[tokio::test]
async fn join_presence_edit_ack_and_conflict() {
    let (app, id) = report_app(vec![]).await;
    let alice = token_named(&app, "alice", Role::Editor).await;
    let bob = token_named(&app, "bob", Role::Editor).await;
    let mut a = connect(
        &app,
        &id,
        Connect {
            token: Some(&alice),
            ..Connect::default()
        },
    )
    .await;
    let state = a.next().await;
    assert_eq!(state["type"], "session_state", "{state}");
    assert_eq!(state["data"]["section_versions"][NOTES], 1);
    let offset = state["data"]["offset"].as_u64().expect("offset");
    assert!(state["data"]["participants"]
        .as_array()
        .expect("list")
        .iter()
        .any(|p| p["user"] == "alice"));

    let mut b = connect(
        &app,
        &id,
        Connect {
            token: Some(&bob),
            ..Connect::default()
        },
    )
    .await;
    let state_b = b.next().await;
    assert_eq!(state_b["type"], "session_state");
    let (presence, _) = a.until("presence").await;
    assert_eq!(presence["data"], json!({ "user": "bob", "online": true }));

    a.send(edit(7, NOTES, 1, "## Cut-over\n\nRehearsal **passed**.")).await;
    let (ack, before) = a.until("ack").await;
    assert!(
        before.iter().all(|m| m["type"] != "section_updated"),
        "no echo of one's own edit: {before:?}"
    );
    assert_eq!(ack["data"]["id"], 7);
    assert_eq!(ack["data"]["version"], 2);
    assert_eq!(ack["data"]["offset"], offset + 1);
    let (update, _) = b.until("section_updated").await;
    assert_eq!(update["data"]["section_id"], NOTES);
    assert_eq!(update["data"]["version"], 2);
    assert_eq!(update["data"]["user"], "alice");
    assert_eq!(update["data"]["offset"], offset + 1);
    assert!(update["data"]["html"]
        .as_str()
        .expect("html")
        .contains("<strong>passed</strong>"));

    // Bob edits from the stale version 1: a conflict with what the section holds now.
    b.send(edit(8, NOTES, 1, "my text")).await;
    let (conflict, _) = b.until("conflict").await;
    assert_eq!(conflict["data"]["current_version"], 2);
    assert_eq!(
        conflict["data"]["current_content"],
        "## Cut-over\n\nRehearsal **passed**."
    );
    assert!(
        a.next_within(Duration::from_millis(300)).await.is_none(),
        "nothing broadcast for a conflict"
    );

    // The edit is durable and the page shows it.
    let html = app
        .get(&format!("/reports/{id}/sections/{NOTES}"), Some(Role::Viewer))
        .await
        .text()
        .await
        .expect("html");
    assert!(html.contains("<strong>passed</strong>"));
}

#[tokio::test]
async fn comments_and_the_other_write_paths_reach_the_room() {
    let (app, id) = report_app(vec![]).await;
    let mut watcher = connect(
        &app,
        &id,
        Connect {
            role: Role::Viewer,
            ..Connect::default()
        },
    )
    .await;
    watcher.until("session_state").await;
    let mut editor = connect(&app, &id, Connect::default()).await;
    editor.until("session_state").await;

    editor
        .send(json!({ "type": "comment_add", "id": 1, "data": { "section_id": "forecast", "content": "Is P80 *realistic*?" } }))
        .await;
    let (added, _) = watcher.until("comment_added").await;
    let comment_id = added["data"]["comment"]["id"].as_i64().expect("id");
    assert_eq!(added["data"]["comment"]["author"], "editor");
    assert!(added["data"]["comment"]["html"]
        .as_str()
        .expect("html")
        .contains("<em>realistic</em>"));
    editor.until("ack").await;
    // A reply, then resolve the thread.
    editor
        .send(json!({ "type": "comment_add", "id": 2, "data": { "section_id": "forecast", "content": "Yes", "parent_id": comment_id.to_string() } }))
        .await;
    let (reply, _) = watcher.until("comment_added").await;
    assert_eq!(reply["data"]["comment"]["parent_id"], comment_id);
    editor
        .send(json!({ "type": "comment_resolve", "id": 3, "data": { "comment_id": comment_id.to_string() } }))
        .await;
    let (resolved, _) = watcher.until("comment_resolved").await;
    assert_eq!(resolved["data"]["comment_id"], comment_id.to_string());

    // An edit through the JSON API reaches the room; so does a status move.
    let (status, body) = app
        .send_json(
            reqwest::Method::PUT,
            &format!("/api/v1/reports/{id}/sections/{NOTES}"),
            Some(Role::Editor),
            &json!({ "base_version": 1, "content": "from the API" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (update, _) = watcher.until("section_updated").await;
    assert_eq!(update["data"]["content"], "from the API");
    let (status, _) = app
        .post_json(
            &format!("/api/v1/reports/{id}/status"),
            Role::Editor,
            &json!({ "status": "review" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (changed, _) = watcher.until("report_changed").await;
    assert_eq!(changed["data"]["status"], "review");

    // Comments are stored, in the JSON API and on the page (no JavaScript needed).
    let (_, comments) = app
        .get_json(&format!("/api/v1/reports/{id}/comments"), Role::Viewer)
        .await;
    assert_eq!(comments.as_array().expect("list").len(), 2);
    let html = app
        .get(&format!("/reports/{id}"), Some(Role::Viewer))
        .await
        .text()
        .await
        .expect("html");
    assert!(
        html.contains("<em>realistic</em>") && html.contains("resolved by editor"),
        "threads rendered"
    );
}

#[tokio::test]
async fn bad_frames_get_an_error_and_the_connection_carries_on() {
    let (app, id) = report_app(vec![]).await;
    let mut c = connect(&app, &id, Connect::default()).await;
    c.until("session_state").await;
    let cases: Vec<(Message, &str, Option<&str>)> = vec![
        (Message::Text("{not json".into()), "", None),
        (Message::Text(r#"{"type":"dance","id":5}"#.into()), "", None),
        (
            Message::Text(r#"{"type":"section_update","data":{"base_version":1,"content":"x"}}"#.into()),
            "",
            Some("section_id"),
        ),
        (
            Message::Text(r#"{"type":"cursor","data":{"section_id":"x","position":"far"}}"#.into()),
            "",
            Some("position"),
        ),
        (Message::Binary(vec![1, 2, 3].into()), "", None),
    ];
    for (frame, _, field) in cases {
        c.send_raw(frame).await;
        let (err, _) = c.until("error").await;
        assert!(
            err["data"]["code"].is_string() && err["data"]["message"].is_string(),
            "{err}"
        );
        if let Some(f) = field {
            assert!(err["data"]["field"].as_str().is_some_and(|x| x.contains(f)), "{err}");
        }
    }
    // Domain refusals name the field: a computed section, an unknown one, too long, a
    // comment on no section, resolving no comment.
    for (frame, field) in [
        (edit(1, "forecast", 1, "x"), "section_id"),
        (edit(2, "nope", 1, "x"), ""),
        (edit(3, NOTES, 1, &"x".repeat(61_000)), "content"),
        (
            json!({ "type": "comment_add", "id": 4, "data": { "section_id": "nope", "content": "hi" } }),
            "section_id",
        ),
        (
            json!({ "type": "comment_resolve", "id": 5, "data": { "comment_id": "99999" } }),
            "",
        ),
    ] {
        let id_sent = frame["id"].clone();
        c.send(frame).await;
        let (err, _) = c.until("error").await;
        assert_eq!(err["data"]["id"], id_sent, "{err}");
        if !field.is_empty() {
            assert_eq!(err["data"]["field"], field, "{err}");
        }
    }
    // Still up: a ping is answered.
    c.send(json!({ "type": "ping" })).await;
    c.until("pong").await;
    // A viewer may not write.
    let mut v = connect(
        &app,
        &id,
        Connect {
            role: Role::Viewer,
            ..Connect::default()
        },
    )
    .await;
    v.until("session_state").await;
    v.send(edit(9, NOTES, 1, "viewer text")).await;
    let (err, _) = v.until("error").await;
    assert_eq!(err["data"]["code"], "forbidden", "{err}");
    let (_, outline) = app.get_json(&format!("/api/v1/reports/{id}"), Role::Viewer).await;
    let notes: &Value = outline["sections"]
        .as_array()
        .expect("list")
        .iter()
        .find(|s| s["id"] == NOTES)
        .expect("notes");
    assert_eq!(notes["version"], 1, "nothing half-stored");
}
