//! The OpenAPI document at `/api/v1/openapi.json`, fetched from the real server: it lists
//! every route of the route table with its parameters, bodies and refusals (checked here),
//! it is valid OpenAPI 3.1 and its schemas describe what the server really sends and takes
//! (checked by an independent validator, Python's `openapi-spec-validator` and `jsonschema`,
//! which `scripts/setup.sh --test` installs into `target/pytools`).

use std::path::{Path, PathBuf};
use std::process::Command;

use app::dto::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, workspace_root, TestApp};

const ERROR_BODY: &str = "#/components/schemas/ErrorBody";

/// The document as served to someone without credentials (it is public).
async fn fetch_document(app: &TestApp) -> Value {
    let res = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.expect("the document is JSON")
}

/// What a `$ref` points to inside the document.
fn resolve<'a>(doc: &'a Value, reference: &str) -> &'a Value {
    let pointer = reference
        .strip_prefix('#')
        .unwrap_or_else(|| panic!("not local: {reference}"));
    doc.pointer(pointer)
        .unwrap_or_else(|| panic!("dangling $ref {reference}"))
}

/// Every `$ref` string anywhere under `v`.
fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn every_route_is_in_the_document_with_its_parameters_bodies_and_errors() {
    let app = spawn_app().await;
    let doc = fetch_document(&app).await;
    assert!(
        doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.1.")),
        "{}",
        doc["openapi"]
    );

    let routes = server::edge::api::routes();
    let operations: usize = doc["paths"]
        .as_object()
        .expect("paths")
        .values()
        .map(|item| item.as_object().map_or(0, |m| m.len()))
        .sum();
    assert_eq!(operations, routes.len(), "one operation per route, no more");

    for route in &routes {
        let method = route.method.as_str().to_ascii_lowercase();
        let what = format!("{} {}", route.method, route.path);
        let op = &doc["paths"][route.path][&method];
        assert!(op.is_object(), "{what} is missing from the document");
        assert!(op["summary"].as_str().is_some_and(|s| !s.is_empty()), "{what}: summary");

        // Path parameters: each `{name}` of the template, declared as a path parameter.
        let params = op["parameters"].as_array().cloned().unwrap_or_default();
        for name in route
            .path
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        {
            assert!(
                params
                    .iter()
                    .any(|p| p["in"] == "path" && p["name"] == name && p["required"] == true),
                "{what}: path parameter {name}"
            );
        }

        // A request body where the route takes one, with a schema.
        if route.doc.request.is_some() {
            assert!(
                op["requestBody"]["content"]["application/json"]["schema"].is_object(),
                "{what}: request body schema"
            );
        }

        // Answers: a success with a schema; every refusal with the shared error body.
        let responses = op["responses"]
            .as_object()
            .unwrap_or_else(|| panic!("{what}: responses"));
        let mut errors_with_body = 0;
        for (status, response) in responses {
            let response = match response["$ref"].as_str() {
                Some(r) => resolve(&doc, r),
                None => response,
            };
            let content = response["content"]
                .as_object()
                .unwrap_or_else(|| panic!("{what} {status}: content"));
            let schemas: Vec<&Value> = content.values().map(|c| &c["schema"]).collect();
            assert!(
                schemas.iter().all(|s| s.is_object()),
                "{what} {status}: every body has a schema"
            );
            let is_error = status.starts_with('4') || status.starts_with('5');
            if is_error && schemas.iter().any(|s| s["$ref"] == ERROR_BODY) {
                errors_with_body += 1;
            } else if is_error {
                // The one refusal with its own shape: a probe's "not ready".
                assert_eq!(
                    (route.path, status.as_str()),
                    ("/readyz", "503"),
                    "{what} {status}: ErrorBody"
                );
            }
        }
        // A socket's success is the protocol switch.
        let success = |s: &String| s.starts_with('2') || (route.path.starts_with("/ws/") && s == "101");
        assert!(responses.keys().any(success), "{what}: a success answer");
        assert!(errors_with_body > 0, "{what}: an error answer with ErrorBody");
    }

    // The query parameters the handlers read.
    for (path, method, name) in [
        ("/api/reports/pmr/performance/metrics", "get", "limit"),
        ("/api/reports/pmr/performance/monitor/data", "delete", "hours"),
        ("/api/v1/reports/{id}/sections/{section}", "get", "criticality"),
    ] {
        let params = doc["paths"][path][method]["parameters"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(
            params.iter().any(|p| p["in"] == "query" && p["name"] == name),
            "{method} {path}: query parameter {name}"
        );
    }

    // Authentication: bearer token and session cookie; the public routes need neither.
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert_eq!(
        (&schemes["session"]["in"], &schemes["session"]["name"]),
        (&json!("cookie"), &json!("pmr_session"))
    );
    for path in ["/livez", "/readyz", "/api/v1/openapi.json"] {
        assert_eq!(doc["paths"][path]["get"]["security"], json!([{}]), "{path} is public");
    }

    let mut all = Vec::new();
    refs(&doc, &mut all);
    for r in &all {
        resolve(&doc, r);
    }
}

/// The validator's interpreter, installed by the set-up; its absence fails the test.
fn python() -> PathBuf {
    let python = workspace_root().join("target/pytools/bin/python");
    assert!(
        python.exists(),
        "the OpenAPI validator is not installed ({}): run `bash scripts/setup.sh --test`",
        python.display()
    );
    python
}

fn write(dir: &Path, name: &str, value: &Value) -> String {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_vec_pretty(value).expect("serialises")).expect("writes");
    path.display().to_string()
}

async fn json_of(app: &TestApp, path: &str) -> Value {
    let (status, body) = app.get_json(path, Role::Admin).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    body
}

#[tokio::test]
async fn the_document_is_valid_openapi_3_1_and_its_schemas_fit_what_is_sent() {
    let python = python();
    let app = spawn_app().await;
    let doc = fetch_document(&app).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut checks = vec![write(dir.path(), "openapi.json", &doc)];
    let mut check = |schema: &str, file: &str, value: &Value| {
        checks.push(format!("{schema}={}", write(dir.path(), file, value)));
    };

    // The import example, as a client would send it — and broken copies, which must be refused.
    let orbit_path = workspace_root().join("end2end/fixtures/orbit.json");
    let orbit: Value = serde_json::from_slice(&std::fs::read(orbit_path).expect("orbit.json")).expect("JSON");
    check("Project", "orbit.json", &orbit);
    let broken = |edit: &dyn Fn(&mut Value)| {
        let mut v = orbit.clone();
        edit(&mut v);
        v
    };
    check(
        "!Project",
        "unknown-field.json",
        &broken(&|v| v["colour"] = json!("red")),
    );
    check(
        "!Project",
        "bad-period.json",
        &broken(&|v| v["snapshots"][0]["period"] = json!("2026-13")),
    );
    check(
        "!Project",
        "bad-probability.json",
        &broken(&|v| v["risks"][0]["probability"] = json!(1.5)),
    );
    check(
        "!Project",
        "bad-date.json",
        &broken(&|v| v["start"] = json!("1 Nov 2025")),
    );
    let without_work_packages = broken(&|v| {
        if let Some(o) = v.as_object_mut() {
            o.remove("work_packages");
        }
    });
    check("!Project", "no-work-packages.json", &without_work_packages);

    // What the server really answers, against the schemas the document gives it.
    let (status, imported) = app.import(&orbit).await;
    assert_eq!(status, StatusCode::CREATED, "{imported}");
    check("Imported", "imported.json", &imported);
    let report = app.generate("orbit", "2026-10", "technical").await;
    let portfolio = json_of(&app, "/api/v1/projects").await;
    check("PortfolioRow", "portfolio-row.json", &portfolio[0]);
    check(
        "ProjectOverview",
        "project.json",
        &json_of(&app, "/api/v1/projects/orbit").await,
    );
    check(
        "Project",
        "export.json",
        &json_of(&app, "/api/v1/projects/orbit/export").await,
    );
    let outline = json_of(&app, &format!("/api/v1/reports/{report}")).await;
    check("Report", "report.json", &outline);
    for section in outline["sections"].as_array().expect("sections") {
        let id = section["id"].as_str().expect("section id");
        let path = format!("/api/v1/reports/{report}/sections/{id}");
        check(
            "SectionDocument",
            &format!("section-{id}.json"),
            &json_of(&app, &path).await,
        );
    }
    check(
        "AuditEntry",
        "audit.json",
        &json_of(&app, &format!("/api/v1/reports/{report}/audit")).await[0],
    );
    check("Token", "token.json", &json_of(&app, "/api/v1/tokens").await[0]);
    let perf = "/api/reports/pmr/performance";
    check(
        "MonitorStats",
        "stats.json",
        &json_of(&app, &format!("{perf}/stats")).await,
    );
    check(
        "Metrics",
        "metrics.json",
        &json_of(&app, &format!("{perf}/metrics?limit=5")).await,
    );
    check("Alerts", "alerts.json", &json_of(&app, &format!("{perf}/alerts")).await);
    check(
        "CacheStats",
        "cache.json",
        &json_of(&app, &format!("{perf}/cache/stats")).await,
    );
    check(
        "WebSocketStats",
        "ws.json",
        &json_of(&app, &format!("{perf}/websocket/stats")).await,
    );
    check(
        "PerformanceHealth",
        "health.json",
        &json_of(&app, &format!("{perf}/health")).await,
    );
    check("Ready", "ready.json", &json_of(&app, "/readyz").await);
    let (_, not_found) = app.get_json("/api/v1/reports/nope", Role::Viewer).await;
    check("ErrorBody", "not-found.json", &not_found);
    let (_, invalid) = app
        .post_json("/api/v1/reports", Role::Editor, &json!({ "project_id": "orbit" }))
        .await;
    check("ErrorBody", "invalid.json", &invalid);

    let script = workspace_root().join("server/tests/api/openapi_check.py");
    let out = Command::new(python)
        .arg(script)
        .args(&checks)
        .output()
        .expect("runs the validator");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "the validator refused:\n{said}");
}
