//! Importing projects over the API: a valid file is stored; a bad one is refused whole
//! with a 422 naming the field and the rule, and nothing is stored.

use app::dto::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{sample_project, spawn_app};

#[tokio::test]
async fn a_valid_project_is_imported_and_listed() {
    let app = spawn_app().await;
    let (status, body) = app.import(&sample_project("atlas")).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["id"], "atlas");
    assert_eq!(body["data_version"], 1);
    let (status, list) = app.get_json("/api/v1/projects", Role::Viewer).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    // Importing again replaces it and bumps the data version.
    let (status, body) = app.import(&sample_project("atlas")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data_version"], 2);
}

fn broken(edit: impl FnOnce(&mut Value)) -> Value {
    let mut p = sample_project("broken");
    edit(&mut p);
    p
}

#[tokio::test]
async fn bad_imports_are_refused_whole_naming_field_and_rule() {
    let app = spawn_app().await;
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (
            "optimistic > most_likely",
            broken(|p| p["work_packages"][3]["duration"]["optimistic"] = json!(1000.0)),
            "work_packages[3].duration",
            "optimistic > most_likely",
        ),
        ("negative money", broken(|p| p["bac"] = json!(-5)), "bac", ">= 0"),
        (
            "negative cost estimate",
            broken(|p| p["work_packages"][0]["cost"]["optimistic"] = json!(-1.0)),
            "work_packages[0].cost",
            ">= 0",
        ),
        (
            "unknown predecessor",
            broken(|p| p["work_packages"][2]["predecessors"] = json!(["WP-999"])),
            "work_packages[2].predecessors[0]",
            "unknown work package",
        ),
        (
            "cyclic dependencies",
            broken(|p| {
                p["work_packages"][0]["predecessors"] = json!(["WP-002"]);
                p["work_packages"][1]["predecessors"] = json!(["WP-001"]);
            }),
            "work_packages",
            "cycle",
        ),
        (
            "probability outside 0-1",
            broken(|p| p["risks"][0]["probability"] = json!(1.5)),
            "risks[0].probability",
            "between 0 and 1",
        ),
        (
            "snapshot before the start",
            broken(|p| p["snapshots"][0]["period"] = json!("2001-01")),
            "snapshots[0].period",
            "before the project start",
        ),
    ];
    for (name, doc, field, rule) in cases {
        let (status, body) = app.import(&doc).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {body}");
        assert_eq!(body["error"], "validation_failed", "{name}");
        let details = body["details"].as_array().expect("details");
        assert!(
            details
                .iter()
                .any(|d| d["field"] == field && d["rule"].as_str().is_some_and(|r| r.contains(rule))),
            "{name}: expected {field} / {rule} in {body}"
        );
    }
    let (_, list) = app.get_json("/api/v1/projects", Role::Viewer).await;
    assert_eq!(list, json!([]), "nothing was stored");
}

#[tokio::test]
async fn malformed_json_is_a_422_not_a_500() {
    let app = spawn_app().await;
    for body in ["{", "[]", "{\"id\": 5}", "not json at all"] {
        let res = app
            .client
            .post(app.url("/api/v1/projects"))
            .bearer_auth(app.token(Role::Editor))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let json: Value = res.json().await.expect("json error body");
        assert!(json["details"][0]["field"].is_string(), "{json}");
    }
}

#[tokio::test]
async fn an_oversized_body_is_refused_with_413() {
    let app = spawn_app().await;
    let big = "x".repeat(3 * 1024 * 1024);
    let res = app
        .client
        .post(app.url("/api/v1/projects"))
        .bearer_auth(app.token(Role::Editor))
        .body(big)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn an_export_imports_back_as_the_same_project_and_the_project_page_links_it() {
    let app = spawn_app().await;
    // A project with optional fields set and unset, from the demo, as the import format.
    let original = sample_project("atlas");
    app.import(&original).await;
    let res = app.get("/api/v1/projects/atlas/export", Some(Role::Viewer)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers()["content-disposition"],
        "attachment; filename=\"atlas.json\""
    );
    let exported: Value = res.json().await.expect("json");
    assert_eq!(exported, original, "export(import(p)) = p, field for field");
    // Importing the export under another id gives a project equal to the first.
    let mut copy = exported.clone();
    copy["id"] = json!("atlas-copy");
    let (status, body) = app.import(&copy).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, again) = app.get_json("/api/v1/projects/atlas-copy/export", Role::Viewer).await;
    assert_eq!(again, copy, "import(export(p)) = p");
    // Viewers find the download on the project page.
    let html = app
        .get("/projects/atlas", Some(Role::Viewer))
        .await
        .text()
        .await
        .expect("html");
    assert!(
        html.contains(r#"href="/api/v1/projects/atlas/export""#) && html.contains(r#"download="atlas.json""#),
        "download link on the project page"
    );
}
