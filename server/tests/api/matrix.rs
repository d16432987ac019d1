//! The role matrix: every route the router serves and every registered server function ×
//! {nobody, viewer, editor, admin}. The routes are enumerated from the server itself
//! (`edge::served_routes`: the API table, the Leptos route list, the server-function
//! registry), not from a list kept here; a route without a declared access, or missing from
//! the matrix below, fails the test.

use std::collections::HashSet;

use app::dto::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{sample_project, spawn_app, TestApp};

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// A browser page: nobody is redirected to sign-in.
    Page,
    /// JSON API, server function, form target: nobody gets a 401 JSON error.
    Api,
    /// Anyone may (probes, the sign-in page and form).
    Public,
    /// The WebSocket route: nobody gets a 401; the others reach the upgrade (which a plain
    /// GET fails with another 4xx — what matters is that the guard let them through).
    Socket,
}

struct Case {
    method: Method,
    /// The route's template as the router knows it.
    template: &'static str,
    path: String,
    body: Option<Value>,
    form: Option<Vec<(&'static str, String)>>,
    needs: Role,
    kind: Kind,
}

fn case(method: Method, template: &'static str, path: impl Into<String>, needs: Role, kind: Kind) -> Case {
    Case {
        method,
        template,
        path: path.into(),
        body: None,
        form: None,
        needs,
        kind,
    }
}

fn with_body(mut c: Case, body: Value) -> Case {
    c.body = Some(body);
    c
}

fn with_form(mut c: Case, form: Vec<(&'static str, String)>) -> Case {
    c.form = Some(form);
    c
}

const PERF: &str = "/api/reports/pmr/performance";

async fn cases(app: &TestApp) -> Vec<Case> {
    use Kind::{Api, Page, Public};
    use Method as M;
    let id = app.generate("atlas", "2026-10", "technical").await;
    let (_, token) = app
        .post_json(
            "/api/v1/tokens",
            Role::Admin,
            &json!({ "name": "victim", "role": "viewer" }),
        )
        .await;
    let token = token["id"].as_i64().expect("token id");
    let (v, e, a) = (Role::Viewer, Role::Editor, Role::Admin);
    let perf = |p: &str| format!("{PERF}{p}");
    let fnp = |name: &str| format!("/api/fn/{name}");
    vec![
        case(M::GET, "/", "/", v, Page),
        case(M::GET, "/projects/{id}", "/projects/atlas", v, Page),
        case(M::GET, "/reports/{id}", format!("/reports/{id}"), v, Page),
        case(
            M::GET,
            "/reports/{id}/sections/{section}",
            format!("/reports/{id}/sections/forecast"),
            v,
            Page,
        ),
        case(M::GET, "/performance", "/performance", v, Page),
        case(M::GET, "/sign-in", "/sign-in", v, Public),
        case(M::GET, "/livez", "/livez", v, Public),
        case(M::GET, "/readyz", "/readyz", v, Public),
        case(M::GET, "/metrics", "/metrics", v, Api),
        case(M::GET, "/api/v1/openapi.json", "/api/v1/openapi.json", v, Public),
        case(M::GET, "/api/v1/projects", "/api/v1/projects", v, Api),
        with_body(
            case(M::POST, "/api/v1/projects", "/api/v1/projects", e, Api),
            sample_project("atlas"),
        ),
        case(M::GET, "/api/v1/projects/{id}", "/api/v1/projects/atlas", v, Api),
        case(
            M::GET,
            "/api/v1/projects/{id}/export",
            "/api/v1/projects/atlas/export",
            v,
            Api,
        ),
        with_body(
            case(M::POST, "/api/v1/reports", "/api/v1/reports", e, Api),
            json!({ "project_id": "atlas", "period": "2026-09", "template": "executive" }),
        ),
        case(M::GET, "/api/v1/reports/{id}", format!("/api/v1/reports/{id}"), v, Api),
        with_body(
            case(
                M::POST,
                "/api/v1/reports/{id}/status",
                format!("/api/v1/reports/{id}/status"),
                e,
                Api,
            ),
            json!({ "status": "$next" }),
        ),
        case(
            M::GET,
            "/api/v1/reports/{id}/audit",
            format!("/api/v1/reports/{id}/audit"),
            v,
            Api,
        ),
        case(
            M::GET,
            "/api/v1/reports/{id}/sections/{section}",
            format!("/api/v1/reports/{id}/sections/metrics"),
            v,
            Api,
        ),
        with_body(
            case(
                M::PUT,
                "/api/v1/reports/{id}/sections/{section}",
                format!("/api/v1/reports/{id}/sections/technical-progress"),
                e,
                Api,
            ),
            json!({ "base_version": "$version", "content": "notes" }),
        ),
        case(
            M::GET,
            "/api/v1/reports/{id}/comments",
            format!("/api/v1/reports/{id}/comments"),
            v,
            Api,
        ),
        with_body(
            case(
                M::POST,
                "/api/v1/reports/{id}/comments",
                format!("/api/v1/reports/{id}/comments"),
                e,
                Api,
            ),
            json!({ "section_id": "forecast", "content": "a comment" }),
        ),
        case(
            M::POST,
            "/api/v1/reports/{id}/comments/{comment}/resolve",
            format!("/api/v1/reports/{id}/comments/$comment/resolve"),
            e,
            Api,
        ),
        case(M::GET, "/ws/reports/{id}", format!("/ws/reports/{id}"), v, Kind::Socket),
        case(M::GET, "/api/v1/tokens", "/api/v1/tokens", a, Api),
        with_body(
            case(M::POST, "/api/v1/tokens", "/api/v1/tokens", a, Api),
            json!({ "name": "x", "role": "viewer" }),
        ),
        case(
            M::DELETE,
            "/api/v1/tokens/{id}",
            format!("/api/v1/tokens/{token}"),
            a,
            Api,
        ),
        case(M::GET, "/api/reports/pmr/performance/stats", perf("/stats"), v, Api),
        case(
            M::GET,
            "/api/reports/pmr/performance/metrics",
            perf("/metrics?limit=5"),
            v,
            Api,
        ),
        case(M::GET, "/api/reports/pmr/performance/alerts", perf("/alerts"), v, Api),
        case(
            M::GET,
            "/api/reports/pmr/performance/recommendations",
            perf("/recommendations"),
            v,
            Api,
        ),
        case(
            M::GET,
            "/api/reports/pmr/performance/cache/stats",
            perf("/cache/stats"),
            v,
            Api,
        ),
        case(
            M::POST,
            "/api/reports/pmr/performance/cache/clear",
            perf("/cache/clear"),
            a,
            Api,
        ),
        case(
            M::GET,
            "/api/reports/pmr/performance/websocket/stats",
            perf("/websocket/stats"),
            v,
            Api,
        ),
        case(
            M::GET,
            "/api/reports/pmr/performance/websocket/sessions/{report_id}",
            perf(&format!("/websocket/sessions/{id}")),
            v,
            Api,
        ),
        case(M::GET, "/api/reports/pmr/performance/health", perf("/health"), v, Api),
        case(
            M::POST,
            "/api/reports/pmr/performance/monitor/disable",
            perf("/monitor/disable"),
            a,
            Api,
        ),
        case(
            M::POST,
            "/api/reports/pmr/performance/monitor/enable",
            perf("/monitor/enable"),
            a,
            Api,
        ),
        case(
            M::DELETE,
            "/api/reports/pmr/performance/monitor/data",
            perf("/monitor/data?hours=24"),
            a,
            Api,
        ),
        with_form(
            case(M::POST, "/api/fn/report_section", fnp("report_section"), v, Api),
            vec![("report_id", id.clone()), ("section_id", "forecast".into())],
        ),
        with_form(
            case(
                M::POST,
                "/api/fn/performance_snapshot",
                fnp("performance_snapshot"),
                v,
                Api,
            ),
            vec![],
        ),
        with_form(
            case(M::POST, "/api/fn/generate_report", fnp("generate_report"), e, Api),
            vec![
                ("project_id", "atlas".into()),
                ("period", "2026-08".into()),
                ("template", "executive".into()),
            ],
        ),
        with_form(
            case(M::POST, "/api/fn/edit_section", fnp("edit_section"), e, Api),
            vec![
                ("report_id", id.clone()),
                ("section_id", "technical-progress".into()),
                ("base_version", "$version".into()),
                ("content", "from the form".into()),
            ],
        ),
        with_form(
            case(M::POST, "/api/fn/set_report_status", fnp("set_report_status"), e, Api),
            vec![("report_id", id.clone()), ("status", "$next".into())],
        ),
        with_form(
            case(M::POST, "/api/fn/add_comment", fnp("add_comment"), e, Api),
            vec![
                ("report_id", id.clone()),
                ("section_id", "forecast".into()),
                ("content", "from the form".into()),
            ],
        ),
        with_form(
            case(M::POST, "/api/fn/resolve_comment", fnp("resolve_comment"), e, Api),
            vec![("report_id", id.clone()), ("comment_id", "$comment".into())],
        ),
        with_form(
            case(M::POST, "/api/fn/clear_monitor_data", fnp("clear_monitor_data"), a, Api),
            vec![("hours", "24".into())],
        ),
        with_form(
            case(M::POST, "/api/fn/set_monitoring", fnp("set_monitoring"), a, Api),
            vec![("enabled", "true".into())],
        ),
        // Signing out needs someone signed in; for a bearer client it is a harmless redirect.
        with_form(case(M::POST, "/auth/sign-out", "/auth/sign-out", v, Api), vec![]),
        with_form(
            case(M::POST, "/auth/sign-in", "/auth/sign-in", v, Public),
            vec![("token", "wrong".into()), ("next", "/".into())],
        ),
    ]
}

/// Fills the placeholders of stateful requests, so every attempt is judged on its role
/// alone: `$version` is the section's current version, `$next` the workflow move open to
/// an editor from the report's current status (draft ⇄ review).
async fn resolve(app: &TestApp, report: &str, section: Option<&str>, value: &str) -> String {
    let (_, outline) = app.get_json(&format!("/api/v1/reports/{report}"), Role::Viewer).await;
    match value {
        "$version" => outline["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .find(|s| Some(s["id"].as_str().unwrap_or("-")) == section)
            .map(|s| s["version"].to_string())
            .expect("section"),
        "$next" => if outline["status"] == "draft" {
            "review"
        } else {
            "draft"
        }
        .to_owned(),
        // A fresh open comment, so each attempt to resolve one is judged on its role alone.
        "$comment" => {
            let (_, made) = app
                .post_json(
                    &format!("/api/v1/reports/{report}/comments"),
                    Role::Editor,
                    &json!({ "section_id": "forecast", "content": "to resolve" }),
                )
                .await;
            made["comment"]["id"].to_string()
        }
        other => other.to_owned(),
    }
}

async fn send(app: &TestApp, case: &Case, role: Option<Role>) -> reqwest::Response {
    let mut path = case.path.clone();
    if path.contains("$comment") {
        let report = path.split('/').nth(4).unwrap_or_default().to_owned();
        path = path.replace("$comment", &resolve(app, &report, None, "$comment").await);
    }
    let mut req = app.client.request(case.method.clone(), app.url(&path));
    if let Some(r) = role {
        req = req.bearer_auth(app.token(r));
    }
    if let Some(b) = &case.body {
        let mut b = b.clone();
        let mut parts = case.path.split('/').skip(4);
        let (report, section) = (parts.next().unwrap_or_default(), parts.nth(1));
        for field in ["base_version", "status"] {
            if let Some(v) = b.get(field).and_then(Value::as_str).filter(|v| v.starts_with('$')) {
                let resolved = resolve(app, report, section, v).await;
                b[field] = serde_json::from_str(&resolved).unwrap_or(Value::String(resolved));
            }
        }
        req = req.json(&b);
    }
    if let Some(f) = &case.form {
        let get = |k: &str| f.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone());
        let (report, section) = (get("report_id").unwrap_or_default(), get("section_id"));
        let mut filled = Vec::new();
        for (k, v) in f {
            let v = if v.starts_with('$') {
                resolve(app, &report, section.as_deref(), v).await
            } else {
                v.clone()
            };
            filled.push((*k, v));
        }
        req = req.form(&filled);
    }
    req.send().await.expect("request")
}

#[tokio::test]
async fn every_served_route_is_declared_and_in_the_matrix() {
    let app = spawn_app().await;
    app.import(&sample_project("atlas")).await;
    let matrix: HashSet<(String, String)> = cases(&app)
        .await
        .iter()
        .map(|c| (c.method.to_string(), c.template.to_owned()))
        .collect();
    let table = server::edge::access_table();
    let served = server::edge::served_routes();
    assert!(served.len() > 40, "the enumeration finds the routes ({})", served.len());
    for (method, template) in served {
        // The load benchmark's function exists only with the `bench` feature.
        if template == "/api/fn/bench_constant" {
            continue;
        }
        assert!(
            table.get(&method, &template).is_some(),
            "{method} {template} is served but declares no access"
        );
        assert!(
            matrix.contains(&(method.to_string(), template.clone())),
            "{method} {template} is served but missing from the role matrix"
        );
    }
}

#[tokio::test]
async fn every_route_and_server_function_enforces_its_role() {
    let app = spawn_app().await;
    app.import(&sample_project("atlas")).await;
    for case in cases(&app).await {
        let res = send(&app, &case, None).await;
        let what = format!("{} {} as nobody", case.method, case.path);
        match case.kind {
            Kind::Page => {
                assert_eq!(res.status(), StatusCode::SEE_OTHER, "{what}");
                let location = res.headers()["location"].to_str().expect("location");
                assert!(location.starts_with("/sign-in?next="), "{what}: {location}");
            }
            Kind::Api | Kind::Socket => {
                assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{what}");
                let body: Value = res.json().await.unwrap_or(Value::Null);
                assert_eq!(body["error"], "unauthorized", "{what}: JSON error body");
            }
            Kind::Public => {
                let status = res.status();
                assert!(status.is_success() || status.is_redirection(), "{what}: {status}");
            }
        }
        for role in [Role::Viewer, Role::Editor, Role::Admin] {
            let res = send(&app, &case, Some(role)).await;
            let status = res.status();
            let what = format!("{} {} as {}", case.method, case.path, role.as_str());
            if case.kind == Kind::Socket && role >= case.needs {
                assert!(
                    status != StatusCode::UNAUTHORIZED && status != StatusCode::FORBIDDEN,
                    "{what}: {status}"
                );
            } else if role >= case.needs {
                assert!(
                    status.is_success() || status.is_redirection(),
                    "{what}: {status} {}",
                    res.text().await.unwrap_or_default()
                );
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{what}");
                let body: Value = res.json().await.unwrap_or(Value::Null);
                assert_eq!(body["error"], "forbidden", "{what}");
            }
        }
    }
}
