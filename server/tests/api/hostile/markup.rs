//! Markup in every text field never becomes markup on a page: project, work-package, risk
//! and milestone names, notes and custom sections carry HTML, SVG and script payloads, and
//! every page and lazy section that shows them holds them only as escaped text.

use app::dto::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{sample_project, spawn_app, TestApp};

/// Each payload tries a different way out: closing the title, a script, an event handler,
/// SVG, a meta refresh (a redirect), an attribute break-out.
const PAYLOADS: [&str; 6] = [
    "</title><script>window.__pwned=1</script>",
    "<img src=x onerror=window.__pwned=1>",
    "<svg onload=window.__pwned=1></svg>",
    "<meta http-equiv=refresh content=0;url=//evil.example>",
    "\"><iframe srcdoc=x></iframe>",
    "'><a href=javascript:window.__pwned=1>x</a>",
];

/// What must never appear raw in HTML served to a reader.
const FORBIDDEN: [&str; 7] = [
    "<script>window",
    "<img src=x",
    "<svg onload",
    "<meta http-equiv=refresh",
    "<iframe",
    "<a href=javascript:",
    "href=\"javascript:",
];

fn payload(i: usize) -> String {
    format!("P{i} {}", PAYLOADS[i % PAYLOADS.len()])
}

/// The sample project with a payload in every text field.
pub fn hostile_project(id: &str) -> Value {
    let mut p = sample_project(id);
    let mut n = 0;
    let mut next = || {
        n += 1;
        payload(n - 1)
    };
    for field in ["name", "code", "manager", "sponsor"] {
        p[field] = json!(next());
    }
    for wp in p["work_packages"].as_array_mut().expect("wps") {
        wp["name"] = json!(next());
    }
    for r in p["risks"].as_array_mut().expect("risks") {
        r["title"] = json!(next());
        r["owner"] = json!(next());
    }
    for m in p["milestones"].as_array_mut().expect("milestones") {
        m["name"] = json!(next());
    }
    for s in p["snapshots"].as_array_mut().expect("snapshots") {
        s["notes"] = json!(next());
    }
    p
}

fn assert_inert(what: &str, html: &str) {
    for bad in FORBIDDEN {
        assert!(!html.contains(bad), "{what}: raw {bad:?} in the HTML");
    }
    if let Some(start) = html.find("<title>") {
        let end = html[start..].find("</title>").map_or(html.len(), |e| start + e);
        let title = &html[start + 7..end];
        assert!(!title.contains('<'), "{what}: markup inside <title>: {title}");
    }
}

async fn page(app: &TestApp, path: &str) -> String {
    let res = app.get(path, Some(Role::Viewer)).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.text().await.expect("html")
}

#[tokio::test]
async fn payloads_in_every_text_field_stay_text_on_every_page() {
    let app = spawn_app().await;
    let (status, body) = app.import(&hostile_project("xss")).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = app.generate("xss", "2026-10", "technical").await;
    // A custom section written with every payload, raw HTML and a javascript: link.
    let markdown = PAYLOADS.join("\n\n") + "\n\n[click](javascript:window.__pwned=1)";
    let (status, body) = app
        .send_json(
            reqwest::Method::PUT,
            &format!("/api/v1/reports/{id}/sections/technical-progress"),
            Some(Role::Editor),
            &json!({ "base_version": 1, "content": markdown }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (_, outline) = app.get_json(&format!("/api/v1/reports/{id}"), Role::Viewer).await;
    let sections: Vec<String> = outline["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .map(|s| s["id"].as_str().expect("id").to_owned())
        .collect();
    let mut paths = vec!["/".to_owned(), "/projects/xss".into(), format!("/reports/{id}")];
    paths.extend(sections.iter().map(|s| format!("/reports/{id}/sections/{s}")));
    for path in &paths {
        let html = page(&app, path).await;
        assert!(
            html.contains("P0 ") || html.contains("P5 "),
            "{path}: the payload text is shown (escaped)"
        );
        assert_inert(path, &html);
    }
    for s in &sections {
        let res = app.lazy_section(&id, s).await;
        assert_eq!(res.status(), StatusCode::OK, "{s}");
        let v: Value = res.json().await.expect("json");
        assert_inert(&format!("lazy {s}"), v["html"].as_str().expect("html"));
    }
    // The report page's title is the project name, escaped.
    let html = page(&app, &format!("/reports/{id}")).await;
    let title = html.split("<title>").nth(1).and_then(|t| t.split("</title>").next());
    assert!(
        title.is_some_and(|t| t.starts_with("P0 &lt;/title&gt;&lt;script&gt;")),
        "escaped title: {title:?}"
    );
}
