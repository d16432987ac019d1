//! Generating reports over the API: every section computed from real data, bad requests
//! refused with a 422 naming the item and nothing stored, custom sections edited with
//! version checks, status moves and freezing.

use app::dto::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{sample_project, spawn_app, spawn_with, Options};

#[tokio::test]
async fn a_generated_report_has_every_section_computed() {
    let app = spawn_app().await;
    app.import(&sample_project("atlas")).await;
    let id = app.generate("atlas", "2026-10", "technical").await;
    assert_eq!(id, "atlas-2026-10");
    let (status, outline) = app.get_json(&format!("/api/v1/reports/{id}"), Role::Viewer).await;
    assert_eq!(status, StatusCode::OK);
    let kinds: Vec<&str> = outline["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .filter_map(|s| s["kind"].as_str())
        .collect();
    assert_eq!(
        kinds,
        [
            "executive_summary",
            "metrics",
            "ai_insights",
            "monte_carlo",
            "charts",
            "custom"
        ]
    );
    for section in outline["sections"].as_array().expect("sections") {
        let sid = section["id"].as_str().expect("id");
        let (status, body) = app
            .get_json(&format!("/api/v1/reports/{id}/sections/{sid}"), Role::Viewer)
            .await;
        assert_eq!(status, StatusCode::OK, "{sid}: {body}");
        assert_eq!(body["content"]["kind"], section["kind"]);
    }
    let (_, mc) = app
        .get_json(&format!("/api/v1/reports/{id}/sections/forecast"), Role::Viewer)
        .await;
    let f = &mc["content"]["data"]["forecast"];
    assert_eq!(f["iterations"], 10_000);
    assert!(f["finish_days"]["p10"].as_f64() <= f["finish_days"]["p90"].as_f64());
    // A second report for the same month gets its own id.
    assert_eq!(app.generate("atlas", "2026-10", "executive").await, "atlas-2026-10-2");
}

#[tokio::test]
async fn bad_generation_requests_are_422_and_store_nothing() {
    let app = spawn_app().await;
    app.import(&sample_project("atlas")).await;
    let cases = [
        (
            json!({ "project_id": "atlas", "period": "2026-10", "template": "executive", "iterations": 999 }),
            "iterations",
        ),
        (
            json!({ "project_id": "atlas", "period": "2026-10", "template": "executive", "iterations": 1_000_001 }),
            "iterations",
        ),
        (
            json!({ "project_id": "atlas", "period": "2001-01", "template": "executive" }),
            "period",
        ),
        (
            json!({ "project_id": "atlas", "period": "2099-01", "template": "executive" }),
            "period",
        ),
        (
            json!({ "project_id": "atlas", "period": "2026-13", "template": "executive" }),
            "period",
        ),
        (
            json!({ "project_id": "atlas", "period": "2026-10", "template": "nope" }),
            "template",
        ),
        (
            json!({ "project_id": "nope", "period": "2026-10", "template": "executive" }),
            "project_id",
        ),
        (json!({ "project_id": "atlas", "template": "executive" }), "period"),
    ];
    for (body, field) in cases {
        let (status, err) = app.post_json("/api/v1/reports", Role::Editor, &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body} → {err}");
        assert!(
            err["details"]
                .as_array()
                .is_some_and(|d| d.iter().any(|d| d["field"] == field)),
            "{field}: {err}"
        );
    }
    let (_, project) = app.get_json("/api/v1/projects/atlas", Role::Viewer).await;
    assert_eq!(project["reports"], json!([]), "no report was stored");
}

#[tokio::test]
async fn a_network_that_turned_cyclic_fails_only_the_forecast() {
    // The test-only switch lets bad data in, so the pipeline's own refusal shows.
    let app = spawn_with(Options {
        vars: vec![("PMR_ALLOW_UNVALIDATED_IMPORT", "true".into())],
        ..Options::default()
    })
    .await;
    app.import(&sample_project("atlas")).await;
    let id = app.generate("atlas", "2026-10", "executive").await;
    let mut cyclic = sample_project("atlas");
    cyclic["work_packages"][0]["predecessors"] = json!(["WP-002"]);
    cyclic["work_packages"][1]["predecessors"] = json!(["WP-001"]);
    let (status, _) = app.import(&cyclic).await;
    assert_eq!(status, StatusCode::OK);
    let (status, err) = app
        .get_json(&format!("/api/v1/reports/{id}/sections/forecast"), Role::Viewer)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert!(err["message"].as_str().is_some_and(|m| m.contains("cycle")), "{err}");
    let (status, _) = app
        .get_json(&format!("/api/v1/reports/{id}/sections/metrics"), Role::Viewer)
        .await;
    assert_eq!(status, StatusCode::OK, "other sections are unaffected");
    // Generation refuses the cyclic data with a 422 and stores nothing.
    let (status, _) = app
        .post_json(
            "/api/v1/reports",
            Role::Editor,
            &json!({ "project_id": "atlas", "period": "2026-09", "template": "executive" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn edit(app: &crate::helpers::TestApp, id: &str, base: u32, content: &str) -> (StatusCode, Value) {
    app.send_json(
        Method::PUT,
        &format!("/api/v1/reports/{id}/sections/technical-progress"),
        Some(Role::Editor),
        &json!({ "base_version": base, "content": content }),
    )
    .await
}

#[tokio::test]
async fn custom_sections_are_edited_with_version_checks_and_sanitised() {
    let app = spawn_app().await;
    app.import(&sample_project("atlas")).await;
    let id = app.generate("atlas", "2026-10", "technical").await;
    let (status, body) = edit(&app, &id, 1, "## Progress\n\nAll good <script>alert(1)</script>").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["version"], 2);
    let (status, _) = edit(&app, &id, 1, "stale edit").await;
    assert_eq!(status, StatusCode::CONFLICT, "a stale base version is refused");
    let (_, section) = app
        .get_json(
            &format!("/api/v1/reports/{id}/sections/technical-progress"),
            Role::Viewer,
        )
        .await;
    let html = section["content"]["data"]["html"].as_str().expect("html");
    assert!(
        html.contains("<h2>Progress</h2>") && !html.contains("<script"),
        "{html}"
    );
    // Editing a computed section is refused; viewers cannot edit at all.
    let (status, _) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/reports/{id}/sections/metrics"),
            Some(Role::Editor),
            &json!({ "base_version": 1, "content": "x" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/reports/{id}/sections/technical-progress"),
            Some(Role::Viewer),
            &json!({ "base_version": 2, "content": "x" }),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn approval_freezes_the_report() {
    let app = spawn_app().await;
    app.import(&sample_project("atlas")).await;
    let id = app.generate("atlas", "2026-10", "executive").await;
    let path = format!("/api/v1/reports/{id}/status");
    let (status, _) = app
        .post_json(&path, Role::Editor, &json!({ "status": "approved" }))
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "draft cannot jump to approved"
    );
    assert_eq!(
        app.post_json(&path, Role::Editor, &json!({ "status": "review" }))
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        app.post_json(&path, Role::Editor, &json!({ "status": "approved" }))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post_json(&path, Role::Admin, &json!({ "status": "approved" }))
            .await
            .0,
        StatusCode::OK
    );
    let (_, before) = app
        .get_json(&format!("/api/v1/reports/{id}/sections/metrics"), Role::Viewer)
        .await;
    // New project data does not change an approved report.
    let mut changed = sample_project("atlas");
    changed["snapshots"]
        .as_array_mut()
        .expect("snapshots")
        .last_mut()
        .expect("one")["ac"] = json!(1.0e9);
    app.import(&changed).await;
    let (_, after) = app
        .get_json(&format!("/api/v1/reports/{id}/sections/metrics"), Role::Viewer)
        .await;
    assert_eq!(before, after);
    let (_, audit) = app.get_json(&format!("/api/v1/reports/{id}/audit"), Role::Viewer).await;
    let actions: Vec<&str> = audit
        .as_array()
        .expect("log")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(actions, ["generated", "status_changed", "status_changed"]);
}
