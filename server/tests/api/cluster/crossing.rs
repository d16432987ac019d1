//! What happens on one instance is seen on the other: edits and presence (A → B), comments
//! (B → A), a revoked token (revoked on A, its socket on B closed), an import and an edit
//! (through A, B's cached sections replaced within a second), and one report from two
//! simultaneous generations.

use std::time::{Duration, Instant};

use app::dto::Role;
use reqwest::StatusCode;
use serde_json::json;

use super::{edit, join, token, Cluster, NOTES};
use crate::helpers::sample_project;

#[tokio::test]
async fn edits_presence_and_comments_cross_instances() {
    let cluster = Cluster::start(true);
    let (a, b, id) = cluster.pair_with_report().await;
    let alice = token(&a, "alice", Role::Editor).await;
    let bob = token(&b, "bob", Role::Editor).await;
    let (mut on_a, _) = join(&a, &id, &alice).await;
    let (mut on_b, state) = join(&b, &id, &bob).await;
    assert!(
        state["data"]["participants"].to_string().contains("alice"),
        "a joiner on B sees who is on A: {state}"
    );
    let (presence, _) = on_a.until("presence").await;
    assert_eq!(presence["data"], json!({ "user": "bob", "online": true }));

    // An edit on A reaches B with the offset the store gave it.
    on_a.send(edit(1, NOTES, 1, "written on **A**")).await;
    let (ack, _) = on_a.until("ack").await;
    let (update, _) = on_b.until("section_updated").await;
    assert_eq!(update["data"]["offset"], ack["data"]["offset"]);
    assert_eq!(update["data"]["version"], 2);
    assert!(update["data"]["html"]
        .as_str()
        .expect("html")
        .contains("<strong>A</strong>"));

    // A comment on B reaches A.
    on_b.send(json!({ "type": "comment_add", "id": 2, "data": { "section_id": NOTES, "content": "seen on B" } }))
        .await;
    let (ack, _) = on_b.until("ack").await;
    let (comment, _) = on_a.until("comment_added").await;
    assert_eq!(comment["data"]["offset"], ack["data"]["offset"]);
    assert_eq!(
        comment["data"]["offset"],
        update["data"]["offset"].as_u64().expect("offset") + 1
    );

    // Bob leaves B; A hears it.
    on_b.close().await;
    let (gone, _) = on_a.until("presence").await;
    assert_eq!(gone["data"], json!({ "user": "bob", "online": false }));
}

#[tokio::test]
async fn a_token_revoked_on_one_instance_closes_its_socket_on_the_other() {
    let cluster = Cluster::start(true);
    let (a, b, id) = cluster.pair_with_report().await;
    let (_, created) = a
        .post_json(
            "/api/v1/tokens",
            Role::Admin,
            &json!({ "name": "mallory", "role": "editor" }),
        )
        .await;
    let secret = created["token"].as_str().expect("token").to_owned();
    let token_id = created["id"].as_i64().expect("id");
    let (mut on_b, _) = join(&b, &id, &secret).await;
    let used = b
        .client
        .get(b.url("/api/v1/projects"))
        .bearer_auth(&secret)
        .send()
        .await;
    assert_eq!(
        used.expect("request").status(),
        StatusCode::OK,
        "B has just verified it"
    );
    let started = Instant::now();
    let res = a
        .client
        .delete(a.url(&format!("/api/v1/tokens/{token_id}")))
        .bearer_auth(a.token(Role::Admin))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(on_b.closed_within(Duration::from_secs(3)).await, Some(1008));
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
    let res = b
        .client
        .get(b.url("/api/v1/projects"))
        .bearer_auth(&secret)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "B refuses it too");
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
}

/// The metrics section of a draft report as B serves it, after A re-imports the project
/// with its milestones renamed.
async fn import_via_a_is_seen_by_b(cluster: Cluster) {
    let (a, b, id) = cluster.pair_with_report().await;
    let path = format!("/api/v1/reports/{id}/sections/metrics");
    let (status, before) = b.get_json(&path, Role::Viewer).await;
    assert_eq!(status, StatusCode::OK, "{before}");
    let (_, again) = b.get_json(&path, Role::Viewer).await;
    assert_eq!(before, again, "B serves it from its cache");
    let mut changed = sample_project("atlas");
    for m in changed["milestones"].as_array_mut().expect("milestones") {
        let name = format!("{} (re-planned)", m["name"].as_str().expect("name"));
        m["name"] = json!(name);
    }
    let (status, body) = a.import(&changed).await;
    assert!(status.is_success(), "{body}");
    let (_, on_a) = a.get_json(&path, Role::Viewer).await;
    assert_ne!(on_a, before, "the new names show in the metrics");
    // Within a second, B serves what A does.
    let deadline = Instant::now() + Duration::from_secs(1);
    loop {
        let (_, on_b) = b.get_json(&path, Role::Viewer).await;
        if on_b == on_a {
            break;
        }
        assert!(Instant::now() < deadline, "B still serves the old metrics: {on_b}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn an_import_through_one_instance_replaces_what_the_other_serves_with_redis() {
    import_via_a_is_seen_by_b(Cluster::start(true)).await;
}

#[tokio::test]
async fn an_import_through_one_instance_replaces_what_the_other_serves_from_memory() {
    import_via_a_is_seen_by_b(Cluster::start(false)).await;
}

/// A custom section as B's lazy island gets it: through B's cached outline and section.
async fn lazy_on(app: &crate::helpers::TestApp, report: &str) -> String {
    let res = app.lazy_section(report, NOTES).await;
    assert_eq!(res.status(), StatusCode::OK);
    res.text().await.expect("body")
}

/// A section edited through A is what B serves within a second. Without Redis, B's copy
/// lives in its own memory for an hour, and only the cluster log — the note the edit's
/// transaction writes — can evict it.
async fn edit_via_a_is_seen_by_b(cluster: Cluster) {
    let (a, b, id) = cluster.pair_with_report().await;
    let before = lazy_on(&b, &id).await;
    assert_eq!(lazy_on(&b, &id).await, before, "B serves it from its cache");
    let (status, body) = a
        .send_json(
            reqwest::Method::PUT,
            &format!("/api/v1/reports/{id}/sections/{NOTES}"),
            Some(Role::Editor),
            &json!({ "base_version": 1, "content": "Seen **on B**" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let deadline = Instant::now() + Duration::from_secs(1);
    loop {
        let on_b = lazy_on(&b, &id).await;
        if on_b.contains("<strong>on B</strong>") {
            break;
        }
        assert!(Instant::now() < deadline, "B still serves the old section: {on_b}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn an_edit_through_one_instance_replaces_what_the_other_serves_with_redis() {
    edit_via_a_is_seen_by_b(Cluster::start(true)).await;
}

#[tokio::test]
async fn an_edit_through_one_instance_replaces_what_the_other_serves_from_memory() {
    edit_via_a_is_seen_by_b(Cluster::start(false)).await;
}

#[tokio::test]
async fn the_same_report_asked_of_two_instances_at_once_is_generated_once() {
    let cluster = Cluster::start(true);
    let a = cluster.instance().await;
    let b = cluster.instance().await;
    a.import(&sample_project("atlas")).await;
    let body = json!({ "project_id": "atlas", "period": "2026-10", "template": "executive" });
    let mut ids = Vec::new();
    for round in 0..3 {
        let (on_a, on_b) = tokio::join!(
            a.post_json("/api/v1/reports", Role::Editor, &body),
            b.post_json("/api/v1/reports", Role::Editor, &body)
        );
        assert!(on_a.0.is_success() && on_b.0.is_success(), "{on_a:?} {on_b:?}");
        assert_eq!(on_a.1["id"], on_b.1["id"], "round {round}: one report for both");
        let runs = a.runs("monte_carlo_analysis") + b.runs("monte_carlo_analysis");
        assert_eq!(runs, round + 1, "one simulation per round, across both instances");
        assert!(!ids.contains(&on_a.1["id"]), "a later round makes a new report");
        ids.push(on_a.1["id"].clone());
        // A finished claim answers latecomers for 2 s; the next round is a new request.
        tokio::time::sleep(Duration::from_millis(2_200)).await;
    }
}
