//! Reports approved before the stored format was versioned still open: the frozen sections
//! written by the old code (fixtures in `tests/fixtures/frozen_v1/`) read and render, and a
//! whole database written by the old code (`tests/fixtures/pre-boundaries.db`, with two
//! approved reports and an approved one with insights) is migrated at start and serves its
//! approved reports — pages, lazy sections and the JSON API.

use app::dto::Role;
use reqwest::StatusCode;

use crate::helpers::{spawn_with, workspace_root, Options};

fn fixtures() -> std::path::PathBuf {
    workspace_root().join("server/tests/fixtures")
}

#[test]
fn every_format_1_fixture_reads_and_renders() {
    let dir = fixtures().join("frozen_v1");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("fixtures") {
        let path = entry.expect("entry").path();
        let json = std::fs::read_to_string(&path).expect("readable");
        let outline = outline();
        let frozen = server::store::frozen::FrozenSection::read(&json, &outline)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(frozen.format, 1, "{}", path.display());
        assert!(!frozen.html.trim().is_empty() || frozen.kind == app::dto::SectionKind::AiInsights);
        assert_eq!(
            frozen.content,
            serde_json::from_str::<serde_json::Value>(&json).expect("json")
        );
        seen += 1;
    }
    assert!(seen >= 8, "all fixtures read ({seen})");
}

fn outline() -> app::services::ReportOutline {
    app::services::ReportOutline {
        id: app::domain::ReportId::parse("apollo-2026-09").expect("id"),
        project_id: engine::ProjectId::parse("apollo").expect("id"),
        project_name: "Apollo".into(),
        currency: "EUR".into(),
        period: engine::Period::parse("2026-09").expect("period"),
        template: app::domain::Template::Technical,
        title: "Apollo".into(),
        status: app::domain::ReportStatus::Approved,
        version: 1,
        generated_by: "fixture".into(),
        created_at: String::new(),
        updated_at: String::new(),
        iterations: 10_000,
        sections: Vec::new(),
    }
}

#[tokio::test]
async fn a_database_from_before_serves_its_approved_reports() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("pmr.db");
    std::fs::copy(fixtures().join("pre-boundaries.db"), &db).expect("copied");
    let app = spawn_with(Options {
        vars: vec![("DATABASE_URL", format!("sqlite://{}", db.display()))],
        ..Options::default()
    })
    .await;
    for (report, notes) in [
        ("apollo-2026-09", Some("technical-progress")),
        ("apollo-2026-09-2", Some("budget-notes")),
        ("everest-2026-10", None),
    ] {
        let (status, outline) = app.get_json(&format!("/api/v1/reports/{report}"), Role::Viewer).await;
        assert_eq!(status, StatusCode::OK, "{report}: {outline}");
        assert_eq!(outline["status"], "approved", "{report}");
        let page = app.get(&format!("/reports/{report}"), Some(Role::Viewer)).await;
        assert_eq!(page.status(), StatusCode::OK, "{report}");
        for section in outline["sections"].as_array().expect("sections") {
            let sid = section["id"].as_str().expect("id");
            let res = app.lazy_section(report, sid).await;
            assert_eq!(res.status(), StatusCode::OK, "{report}/{sid}");
            let (status, doc) = app
                .get_json(&format!("/api/v1/reports/{report}/sections/{sid}"), Role::Viewer)
                .await;
            assert_eq!(status, StatusCode::OK, "{report}/{sid}: {doc}");
            assert_eq!(doc["frozen"], true, "{report}/{sid}: the snapshot taken at approval");
        }
        if let Some(sid) = notes {
            let html = app
                .get(&format!("/reports/{report}/sections/{sid}"), Some(Role::Viewer))
                .await
                .text()
                .await
                .expect("html");
            assert!(
                html.contains("Written <strong>before</strong> the format change"),
                "{report}"
            );
        }
    }
    // Its insights, frozen with the old types, still list.
    let res = app.lazy_section("everest-2026-10", "insights").await;
    let body: serde_json::Value = res.json().await.expect("json");
    assert!(body["html"].as_str().is_some_and(|h| h.contains("insight")), "{body}");
    // And the old database takes new work: a report generated now.
    app.generate("apollo", "2026-10", "financial").await;
}
