//! Concurrent writes to one object answer 2xx, 409, 429 or 503 — never 500 — and each
//! report id exists exactly once; expensive work is admitted in bounded numbers, shared
//! between identical requests, and refused beyond with `Retry-After`.

use std::collections::HashSet;

use app::dto::Role;
use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{sample_project, spawn_with, Options, TestApp};

const ALLOWED: [StatusCode; 6] = [
    StatusCode::OK,
    StatusCode::CREATED,
    StatusCode::CONFLICT,
    StatusCode::TOO_MANY_REQUESTS,
    StatusCode::SERVICE_UNAVAILABLE,
    StatusCode::UNPROCESSABLE_ENTITY,
];

async fn roomy() -> TestApp {
    spawn_with(Options {
        vars: vec![
            ("PMR_GENERATE_PER_MINUTE", "1000".into()),
            ("PMR_GENERATION_QUEUE", "100".into()),
            ("PMR_GENERATION_QUEUE_WAIT_MS", "60000".into()),
        ],
        ..Options::default()
    })
    .await
}

#[tokio::test]
async fn fifty_concurrent_imports_of_one_project_all_succeed() {
    let app = &roomy().await;
    let doc = sample_project("atlas");
    let statuses = join_all((0..50).map(|_| app.import(&doc))).await;
    for (status, body) in &statuses {
        assert!(status.is_success(), "{status} {body}");
    }
    let (_, p) = app.get_json("/api/v1/projects/atlas", Role::Viewer).await;
    assert_eq!(p["id"], "atlas");
}

#[tokio::test]
async fn fifty_concurrent_generations_give_each_report_id_once() {
    let app = &roomy().await;
    app.import(&sample_project("atlas")).await;
    let templates = ["executive", "financial", "technical"];
    let requests = (0..50).map(|i| {
        let body = json!({ "project_id": "atlas", "period": "2026-10", "template": templates[i % 3] });
        async move { app.post_json("/api/v1/reports", Role::Editor, &body).await }
    });
    let results = join_all(requests).await;
    let mut ids = HashSet::new();
    for (status, body) in &results {
        assert!(ALLOWED.contains(status), "{status} {body}");
        if *status == StatusCode::CREATED {
            ids.insert(body["id"].as_str().expect("id").to_owned());
        }
    }
    assert!(!ids.is_empty(), "some succeeded");
    // Identical concurrent requests share a report; every stored id is distinct and opens.
    let (_, project) = app.get_json("/api/v1/projects/atlas", Role::Viewer).await;
    let stored: Vec<&str> = project["reports"]
        .as_array()
        .expect("reports")
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    let unique: HashSet<&&str> = stored.iter().collect();
    assert_eq!(unique.len(), stored.len(), "no id twice: {stored:?}");
    for id in &ids {
        assert!(stored.contains(&id.as_str()), "{id} stored");
        let (status, _) = app.get_json(&format!("/api/v1/reports/{id}"), Role::Viewer).await;
        assert_eq!(status, StatusCode::OK);
    }
}

#[tokio::test]
async fn fifty_concurrent_edits_of_one_section_give_one_winner() {
    let app = &roomy().await;
    app.import(&sample_project("atlas")).await;
    let id = app.generate("atlas", "2026-10", "technical").await;
    let path = format!("/api/v1/reports/{id}/sections/technical-progress");
    let edits = (0..50).map(|i| {
        let path = path.clone();
        let body = json!({ "base_version": 1, "content": format!("edit {i}") });
        async move {
            app.send_json(reqwest::Method::PUT, &path, Some(Role::Editor), &body)
                .await
        }
    });
    let results = join_all(edits).await;
    let winners = results.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    for (status, body) in &results {
        assert!(ALLOWED.contains(status), "{status} {body}");
    }
    assert_eq!(winners, 1, "one edit wins; the others are told of the conflict");
    // Status moves race too: one wins.
    let moves = (0..10).map(|_| {
        let path = format!("/api/v1/reports/{id}/status");
        async move { app.post_json(&path, Role::Editor, &json!({ "status": "review" })).await }
    });
    let results = join_all(moves).await;
    assert_eq!(results.iter().filter(|(s, _)| *s == StatusCode::OK).count(), 1);
    for (status, body) in &results {
        assert!(ALLOWED.contains(status), "{status} {body}");
    }
}

#[tokio::test]
async fn expensive_runs_are_admitted_shared_or_refused_with_retry_after() {
    let app = &spawn_with(Options {
        vars: vec![
            ("PMR_GENERATE_PER_MINUTE", "1000".into()),
            ("PMR_GENERATION_CONCURRENCY", "1".into()),
            ("PMR_GENERATION_QUEUE", "1".into()),
            ("PMR_GENERATION_QUEUE_WAIT_MS", "20000".into()),
        ],
        ..Options::default()
    })
    .await;
    app.import(&sample_project("atlas")).await;
    // Ten different heavy requests at once: one runs, one waits, the rest are refused.
    let periods = ["2026-10", "2026-09", "2026-08", "2026-07", "2026-06"];
    let heavy = (0..10).map(|i| {
        let body = json!({
            "project_id": "atlas",
            "period": periods[i % 5],
            "template": if i < 5 { "executive" } else { "technical" },
            "iterations": 1_000_000,
        });
        async move {
            app.client
                .post(app.url("/api/v1/reports"))
                .bearer_auth(app.token(Role::Editor))
                .json(&body)
                .send()
                .await
                .expect("request")
        }
    });
    let responses = join_all(heavy).await;
    let mut refused = 0;
    for res in responses {
        let status = res.status();
        assert!(ALLOWED.contains(&status), "{status}");
        if status == StatusCode::SERVICE_UNAVAILABLE {
            refused += 1;
            assert!(res.headers().contains_key("retry-after"));
            let v: Value = res.json().await.expect("json");
            assert_eq!(v["error"], "unavailable");
        }
    }
    assert!(refused >= 5, "most are refused at once ({refused})");
    // Identical requests at once share one run and one report.
    let before = app.runs("report_generation");
    let body = json!({ "project_id": "atlas", "period": "2026-05", "template": "executive", "iterations": 200_000 });
    let same = join_all((0..8).map(|_| app.post_json("/api/v1/reports", Role::Editor, &body))).await;
    let ids: HashSet<String> = same
        .iter()
        .map(|(s, b)| {
            assert_eq!(*s, StatusCode::CREATED, "{b}");
            b["id"].as_str().expect("id").to_owned()
        })
        .collect();
    assert_eq!(ids.len(), 1, "one report for identical requests");
    assert_eq!(app.runs("report_generation") - before, 1, "one run");
}
