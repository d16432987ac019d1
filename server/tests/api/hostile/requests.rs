//! Client mistakes get the JSON API's 4xx and error shape from every entry point; metric
//! labels stay in a closed set; odd paths and `next` targets are refused; sign-in failures
//! are throttled without locking out valid tokens; private answers are not cached; the
//! database is private to its owner.

use app::dto::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{sample_project, spawn_app, spawn_with, Options, TestApp};

/// Asserts the shared error shape: `{"error": code, "message", "details"?}`.
async fn error_body(res: reqwest::Response, status: StatusCode, what: &str) -> Value {
    assert_eq!(res.status(), status, "{what}");
    let ct = res.headers()["content-type"].to_str().expect("ascii").to_owned();
    assert!(ct.starts_with("application/json"), "{what}: {ct}");
    let v: Value = res.json().await.expect("json body");
    assert!(v["error"].is_string() && v["message"].is_string(), "{what}: {v}");
    v
}

async fn report(app: &TestApp) -> String {
    app.import(&sample_project("atlas")).await;
    app.generate("atlas", "2026-10", "technical").await
}

#[tokio::test]
async fn server_functions_answer_client_mistakes_with_the_api_4xx() {
    let app = spawn_app().await;
    let id = report(&app).await;
    // A missing argument names the field.
    let res = app
        .server_fn("report_section", Some(Role::Viewer), &[("report_id", &id)])
        .await;
    let v = error_body(res, StatusCode::UNPROCESSABLE_ENTITY, "missing arg").await;
    assert_eq!(v["error"], "validation_failed");
    assert_eq!(v["details"][0]["field"], "section_id", "{v}");
    // A wrong-typed argument.
    let res = app
        .server_fn(
            "edit_section",
            Some(Role::Editor),
            &[
                ("report_id", &id),
                ("section_id", "technical-progress"),
                ("base_version", "one"),
                ("content", "x"),
            ],
        )
        .await;
    error_body(res, StatusCode::UNPROCESSABLE_ENTITY, "wrong type").await;
    // A domain refusal: a move the workflow does not have.
    let res = app
        .server_fn(
            "set_report_status",
            Some(Role::Admin),
            &[("report_id", &id), ("status", "distributed")],
        )
        .await;
    assert!(
        res.status().is_client_error() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    // The same refusal over the JSON API.
    let res = app
        .client
        .post(app.url(&format!("/api/v1/reports/{id}/status")))
        .bearer_auth(app.token(Role::Admin))
        .json(&json!({ "status": "distributed" }))
        .send()
        .await
        .expect("request");
    error_body(res, StatusCode::UNPROCESSABLE_ENTITY, "api move").await;
    // Out-of-range hours, like the API's.
    let res = app
        .server_fn("clear_monitor_data", Some(Role::Admin), &[("hours", "100000")])
        .await;
    assert!(
        res.status().is_client_error() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    let res = app
        .client
        .delete(app.url("/api/reports/pmr/performance/monitor/data?hours=100000"))
        .bearer_auth(app.token(Role::Admin))
        .send()
        .await
        .expect("request");
    error_body(res, StatusCode::UNPROCESSABLE_ENTITY, "api hours").await;
    // An oversized body is 413, not 500.
    let res = app
        .client
        .post(app.url("/api/fn/edit_section"))
        .bearer_auth(app.token(Role::Editor))
        .form(&[("report_id", id.as_str()), ("content", &"x".repeat(3 * 1024 * 1024))])
        .send()
        .await
        .expect("request");
    assert!(res.status().is_client_error(), "{}", res.status());
    assert_ne!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
}

#[tokio::test]
async fn json_bodies_are_parsed_strictly_and_unknown_api_paths_are_json_404s() {
    let app = spawn_app().await;
    report(&app).await;
    let res = app
        .client
        .post(app.url("/api/v1/reports"))
        .bearer_auth(app.token(Role::Editor))
        .header("content-type", "application/json")
        .body(r#"{"project_id":"atlas","period":"2026-10","template":"executive"} trailing"#)
        .send()
        .await
        .expect("request");
    error_body(res, StatusCode::UNPROCESSABLE_ENTITY, "trailing bytes").await;
    let (status, body) = app
        .post_json(
            "/api/v1/reports",
            Role::Editor,
            &json!({ "project_id": "atlas", "period": "2026-10", "template": "executive", "colour": "red" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    for path in [
        "/api/v1/nope",
        "/api/nothing/here",
        "/api/reports/pmr/performance/nope",
        "/api/fn/nope",
    ] {
        let res = app.get(path, Some(Role::Viewer)).await;
        error_body(res, StatusCode::NOT_FOUND, path).await;
    }
    let res = app
        .client
        .patch(app.url("/api/v1/projects"))
        .bearer_auth(app.token(Role::Editor))
        .send()
        .await
        .expect("request");
    error_body(res, StatusCode::METHOD_NOT_ALLOWED, "patch").await;
    let res = app
        .client
        .get(app.url("/livez"))
        .header("x-filler", "a".repeat(20_000))
        .send()
        .await
        .expect("request");
    error_body(res, StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, "431").await;
}

#[tokio::test]
async fn odd_methods_do_not_grow_the_metrics() {
    let app = spawn_app().await;
    let series = |text: &str| text.lines().filter(|l| !l.starts_with('#')).count();
    let scrape = || async {
        app.get("/metrics", Some(Role::Viewer))
            .await
            .text()
            .await
            .expect("text")
    };
    // Warm every label the loop below can produce: one odd method, one unknown path.
    let odd = |n: usize| Method::from_bytes(format!("BREW{n}").as_bytes()).expect("token");
    app.client
        .request(odd(0), app.url("/nowhere"))
        .send()
        .await
        .expect("request");
    scrape().await; // the scrape's own series
    let before = series(&scrape().await);
    for n in 1..=40 {
        app.client
            .request(odd(n), app.url("/nowhere"))
            .send()
            .await
            .expect("request");
        app.client
            .request(odd(n), app.url(&format!("/random/{n}")))
            .send()
            .await
            .expect("request");
    }
    let text = scrape().await;
    assert_eq!(series(&text), before, "no new series from invented methods or paths");
    assert!(!text.contains("BREW"), "no raw method in a label");
}

#[tokio::test]
async fn paths_are_normalised_and_next_stays_on_site() {
    let app = &spawn_app().await;
    // Sent raw: an HTTP client library would resolve the dot segments itself.
    for path in [
        "/pkg/../reports/x",
        "/pkg/%2e%2e/reports/x",
        "/pkg/..%2freports",
        "//evil",
        "/pkg/./x",
    ] {
        let answer = raw_get(app, path).await;
        assert!(answer.starts_with("HTTP/1.1 400"), "{path}: {answer}");
        assert!(answer.contains("\"error\":\"bad_path\""), "{path}: {answer}");
    }
    for next in [
        "/\\evil.example",
        "/\tx",
        "//evil.example",
        "https://evil.example",
        "/a\r\nSet-Cookie: x=1",
    ] {
        let res = app
            .client
            .post(app.url("/auth/sign-in"))
            .form(&[("token", app.token(Role::Viewer)), ("next", next)])
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(res.headers()["location"], "/", "{next:?}");
    }
    // The sign-in page never echoes a foreign `next` into its form.
    let html = app
        .get("/sign-in?next=%2F%5Cevil.example", None)
        .await
        .text()
        .await
        .expect("html");
    assert!(!html.contains("evil.example"), "foreign next dropped");
}

/// One GET with the path exactly as given; the whole answer as text.
async fn raw_get(app: &TestApp, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(app.addr).await.expect("connect");
    let req = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.expect("write");
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.expect("read");
    String::from_utf8_lossy(&out).into_owned()
}

async fn try_sign_in(app: &TestApp, token: &str) -> StatusCode {
    app.client
        .post(app.url("/auth/sign-in"))
        .form(&[("token", token), ("next", "/")])
        .send()
        .await
        .expect("request")
        .status()
}

#[tokio::test]
async fn sign_in_throttles_failures_but_never_a_valid_token() {
    let app = spawn_with(Options {
        vars: vec![("PMR_SIGN_IN_PER_MINUTE", "3".into())],
        ..Options::default()
    })
    .await;
    // Someone guesses at the editor's token id from this address…
    let editor = app.token(Role::Editor).to_owned();
    let id = editor.split('_').nth(1).expect("id");
    let wrong = format!("pmr_{id}_{}", "0".repeat(64));
    let mut last = StatusCode::OK;
    for _ in 0..5 {
        last = try_sign_in(&app, &wrong).await;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS, "guessing is throttled");
    // …and the real editor, behind the same address, still signs in; successes are not
    // counted, so signing in again and again is fine too.
    for _ in 0..5 {
        assert_eq!(try_sign_in(&app, &editor).await, StatusCode::SEE_OTHER);
    }
    // Failures on another token id from the same address have their own budget.
    let viewer = app.token(Role::Viewer).to_owned();
    let other = format!("pmr_{}_{}", viewer.split('_').nth(1).expect("id"), "1".repeat(64));
    assert_eq!(
        try_sign_in(&app, &other).await,
        StatusCode::SEE_OTHER,
        "a plain refusal"
    );
}

#[tokio::test]
async fn private_answers_are_not_stored_and_the_database_is_private() {
    let app = spawn_app().await;
    for path in ["/", "/api/v1/projects", "/api/reports/pmr/performance/stats"] {
        let res = app.get(path, Some(Role::Viewer)).await;
        assert_eq!(res.headers()["cache-control"], "no-store", "{path}");
    }
    let res = app
        .client
        .post(app.url("/api/v1/tokens"))
        .bearer_auth(app.token(Role::Admin))
        .json(&json!({ "name": "x", "role": "viewer" }))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(res.headers()["cache-control"], "no-store", "token creation");

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("dir");
        let data = dir.path().join("data");
        let mut vars = crate::helpers::base_vars(&dir);
        vars.insert("DATABASE_URL".into(), format!("sqlite://{}/pmr.db", data.display()));
        let config = server::config::Config::from_vars(vars).expect("config");
        let monitor = std::sync::Arc::new(monitor::Monitor::new(config.monitor.clone()));
        server::store::Store::connect(&config.database_url, monitor)
            .await
            .expect("store");
        let mode = |p: &std::path::Path| std::fs::metadata(p).expect("exists").permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700, "data directory");
        assert_eq!(mode(&data.join("pmr.db")), 0o600, "database file");
    }
}

#[tokio::test]
async fn generation_requests_refuse_unknown_fields_and_bad_iterations_with_4xx() {
    let app = spawn_app().await;
    report(&app).await;
    for body in [
        json!({ "project_id": "atlas", "period": "2026-10", "template": "executive", "iterations": 5 }),
        json!({ "project_id": "atlas", "period": "2026-10", "template": "executive", "iterations": 2_000_000 }),
        json!({ "project_id": "atlas", "period": "2026-10", "template": "<script>" }),
        json!({ "project_id": "../x", "period": "2026-10", "template": "executive" }),
        json!({ "project_id": "atlas", "period": "9999-99", "template": "executive" }),
    ] {
        let (status, v) = app.post_json("/api/v1/reports", Role::Editor, &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body} → {v}");
        assert!(v["details"][0]["field"].is_string(), "{v}");
    }
}

#[tokio::test]
async fn extreme_numbers_are_refused_by_name_or_give_finite_figures() {
    let app = spawn_app().await;
    // Past the bounds: refused whole, naming the field.
    for (pointer, value, field) in [
        (
            "/work_packages/0/duration/pessimistic",
            json!(1e9),
            "work_packages[0].duration.pessimistic",
        ),
        ("/bac", json!(1e300), "bac"),
        (
            "/snapshots/0/capacity_hours",
            json!(1e12),
            "snapshots[0].capacity_hours",
        ),
        (
            "/risks/0/schedule_impact/pessimistic",
            json!(1e7),
            "risks[0].schedule_impact.pessimistic",
        ),
    ] {
        let mut doc = sample_project("extreme");
        *doc.pointer_mut(pointer).expect("field exists") = value;
        let (status, body) = app.import(&doc).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{pointer}: {body}");
        let fields: Vec<&str> = body["details"]
            .as_array()
            .expect("details")
            .iter()
            .filter_map(|d| d["field"].as_str())
            .collect();
        assert!(fields.iter().any(|f| f.starts_with(field)), "{pointer}: {fields:?}");
        let (status, _) = app.get_json("/api/v1/projects/extreme", Role::Viewer).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "nothing half-written");
    }
    // At the bounds: every duration 10,000 days and every cost 1e13 along the network —
    // generation either works with finite figures or is refused by name, never a 500.
    let mut doc = sample_project("extreme");
    for wp in doc["work_packages"].as_array_mut().expect("wps") {
        wp["duration"] = json!({ "optimistic": 9000, "most_likely": 9500, "pessimistic": 10000 });
        wp["cost"] = json!({ "optimistic": 9e12, "most_likely": 9.5e12, "pessimistic": 1e13 });
        wp["percent_complete"] = json!(0);
        wp.as_object_mut().expect("object").remove("actual_cost");
    }
    let (status, body) = app.import(&doc).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = app
        .post_json(
            "/api/v1/reports",
            Role::Editor,
            &json!({ "project_id": "extreme", "period": "2026-10", "template": "executive", "iterations": 1000 }),
        )
        .await;
    assert!(
        status == StatusCode::CREATED || status == StatusCode::UNPROCESSABLE_ENTITY,
        "{status} {body}"
    );
    if status == StatusCode::CREATED {
        let id = body["id"].as_str().expect("id");
        for s in ["summary", "metrics", "insights", "forecast", "charts"] {
            let res = app.lazy_section(id, s).await;
            assert!(res.status() != StatusCode::INTERNAL_SERVER_ERROR, "{s}");
        }
    } else {
        assert!(body["details"][0]["field"].is_string(), "{body}");
    }
}
