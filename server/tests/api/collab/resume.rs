//! Offsets and resume: a client that reconnects with `since=N` gets every event after N
//! exactly once and in order, then the live ones; a too-old `since` gets `resync_required`;
//! acknowledged edits and comments survive a restart of the server.

use std::collections::HashSet;

use app::dto::Role;
use serde_json::json;

use super::client::{connect, edit, Connect};
use super::{report_app, NOTES};
use crate::helpers::{spawn_with, Options};

#[tokio::test]
async fn resume_after_a_disconnect_has_no_gaps_and_no_duplicates() {
    let (app, id) = report_app(vec![]).await;
    let mut reader = connect(
        &app,
        &id,
        Connect {
            role: Role::Viewer,
            ..Connect::default()
        },
    )
    .await;
    let state = reader.next().await;
    let start = state["data"]["offset"].as_u64().expect("offset");
    let mut writer = connect(&app, &id, Connect::default()).await;
    writer.until("session_state").await;
    // Ten edits; the reader drops after seeing some of them.
    for i in 0..10 {
        // Each edit starts from the version the last one made.
        writer.send(edit(i, NOTES, i + 1, &format!("edit {i}"))).await;
        writer.until("ack").await;
        if i == 3 {
            // The reader has seen up to here at most; it disconnects.
            reader.close().await;
            reader = connect(
                &app,
                &id,
                Connect {
                    role: Role::Viewer,
                    since: Some(start + 2),
                    ..Connect::default()
                },
            )
            .await;
        }
    }
    writer
        .send(json!({ "type": "comment_add", "id": 99, "data": { "section_id": NOTES, "content": "done" } }))
        .await;
    writer.until("ack").await;
    // Expect offsets start+3 .. start+11 (10 edits + 1 comment), once each, in order.
    let want: Vec<u64> = (start + 3..=start + 11).collect();
    let mut got = Vec::new();
    while got.len() < want.len() {
        let m = reader.next().await;
        if let Some(o) = m["data"]["offset"].as_u64() {
            got.push(o);
        }
    }
    assert_eq!(got, want, "every event after since, once, in order");
    assert_eq!(got.iter().collect::<HashSet<_>>().len(), got.len());
    assert!(
        reader
            .next_within(std::time::Duration::from_millis(300))
            .await
            .is_none(),
        "no duplicates after"
    );
}

#[tokio::test]
async fn a_since_older_than_the_kept_log_asks_to_resync() {
    let (app, id) = report_app(vec![]).await;
    let mut c = connect(
        &app,
        &id,
        Connect {
            since: Some(1_000_000),
            ..Connect::default()
        },
    )
    .await;
    let (m, _) = c.until("resync_required").await;
    assert_eq!(m["type"], "resync_required");
    c.until("session_state").await;
}

#[tokio::test]
async fn acknowledged_edits_and_comments_survive_a_restart() {
    let dir = tempfile::tempdir().expect("dir");
    let db = format!("sqlite://{}/pmr.db", dir.path().display());
    let id = {
        let app = spawn_with(Options {
            vars: vec![("DATABASE_URL", db.clone())],
            ..Options::default()
        })
        .await;
        app.import(&crate::helpers::sample_project("atlas")).await;
        let id = app.generate("atlas", "2026-10", "technical").await;
        let mut c = connect(&app, &id, Connect::default()).await;
        c.until("session_state").await;
        c.send(edit(1, NOTES, 1, "kept across a restart")).await;
        c.until("ack").await;
        c.send(json!({ "type": "comment_add", "id": 2, "data": { "section_id": NOTES, "content": "also kept" } }))
            .await;
        c.until("ack").await;
        id
    };
    let app = spawn_with(Options {
        vars: vec![("DATABASE_URL", db)],
        ..Options::default()
    })
    .await;
    let mut c = connect(&app, &id, Connect::default()).await;
    let state = c.next().await;
    assert_eq!(state["data"]["section_versions"][NOTES], 2, "{state}");
    assert!(state["data"]["comments"]
        .as_array()
        .expect("list")
        .iter()
        .any(|x| x["content"] == "also kept"));
    let html = app
        .get(&format!("/reports/{id}/sections/{NOTES}"), Some(Role::Viewer))
        .await
        .text()
        .await
        .expect("html");
    assert!(html.contains("kept across a restart"));
}
