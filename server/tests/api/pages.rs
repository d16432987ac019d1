//! Server-rendered pages: the portfolio lists the demo, a report has its high sections
//! with real figures in the first HTML, unknown ids are 404 pages.

use app::dto::Role;
use reqwest::StatusCode;

use crate::helpers::{sample_project, spawn_app, spawn_with, Options};

#[tokio::test]
async fn the_portfolio_lists_the_demo_with_status_and_report_links() {
    let app = spawn_with(Options {
        demo: true,
        ..Options::default()
    })
    .await;
    let res = app.get("/", Some(Role::Viewer)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.expect("html");
    let demo = server::demo::projects().expect("demo");
    assert!(demo.len() >= 8);
    for p in &demo {
        assert!(html.contains(&p.name), "{} missing from the portfolio", p.name);
        assert!(
            html.contains(&format!("/reports/{}-2026-10", p.id)),
            "no report link for {}",
            p.id
        );
    }
    assert!(html.contains("rag-green") && html.contains("rag-red"), "varied health");
}

#[tokio::test]
async fn a_report_has_its_high_sections_with_real_figures_in_the_first_html() {
    let app = spawn_app().await;
    app.import(&sample_project("atlas")).await;
    let id = app.generate("atlas", "2026-10", "executive").await;
    let res = app.get(&format!("/reports/{id}"), Some(Role::Viewer)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.expect("html");
    // The EVM table of SPEC §1.3, with the CPI the engine computes from the stored data.
    let project = app
        .state
        .services
        .export(&engine::ProjectId::parse("atlas").expect("id"))
        .await
        .expect("stored");
    let period = engine::Period::parse("2026-10").expect("period");
    let m = engine::metrics::compute(&project, period, &Default::default()).expect("metrics");
    let cpi = format!("{:.2}", m.evm.cpi.expect("cpi"));
    assert!(html.contains("Cost performance index (CPI)"));
    assert!(html.contains(&format!(">{cpi}<")), "CPI {cpi} not on the page");
    assert!(html.contains("Executive summary") && html.contains("Overall"));
    // Medium and low sections are placeholders that link to their own page.
    for s in ["insights", "forecast", "charts"] {
        assert!(html.contains(&format!("/reports/{id}/sections/{s}")), "{s}");
    }
    assert!(html.contains("Loading Monte Carlo forecast…"));
    assert!(
        !html.contains("class=\"tiles\""),
        "the forecast tiles are not in the first HTML"
    );
}

#[tokio::test]
async fn a_section_has_its_own_page() {
    let app = spawn_app().await;
    app.import(&sample_project("atlas")).await;
    let id = app.generate("atlas", "2026-10", "executive").await;
    let res = app
        .get(&format!("/reports/{id}/sections/forecast"), Some(Role::Viewer))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.expect("html");
    assert!(
        html.contains("P80 finish") && html.contains("<svg"),
        "forecast rendered"
    );
}

#[tokio::test]
async fn unknown_ids_are_404_pages_never_500() {
    let app = spawn_app().await;
    app.import(&sample_project("atlas")).await;
    let id = app.generate("atlas", "2026-10", "executive").await;
    for path in [
        "/projects/nope".to_owned(),
        "/reports/nope".to_owned(),
        "/reports/%3Cscript%3E".to_owned(),
        "/reports/A%20B".to_owned(),
        format!("/reports/{id}/sections/nope"),
        "/no/such/page".to_owned(),
    ] {
        let res = app.get(&path, Some(Role::Viewer)).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        let html = res.text().await.expect("html");
        assert!(html.contains("Not found"), "{path}");
    }
}

#[tokio::test]
async fn the_lazy_section_function_returns_the_rendered_section() {
    let app = spawn_app().await;
    app.import(&sample_project("atlas")).await;
    let id = app.generate("atlas", "2026-10", "executive").await;
    let res = app.lazy_section(&id, "forecast").await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: serde_json::Value = res.json().await.expect("json");
    assert_eq!(body["section_id"], "forecast");
    assert!(
        body["html"].as_str().is_some_and(|h| h.contains("P50 finish")),
        "{body}"
    );
    // An unknown section is a 404 with an error the island can show.
    let res = app.lazy_section(&id, "nope").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // A malformed id is an invalid argument, named.
    let res = app.lazy_section("no/such", "x").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = res.json().await.expect("json");
    assert_eq!(body["details"][0]["field"], "report_id", "{body}");
}

#[tokio::test]
async fn every_demo_report_renders_every_section() {
    let app = spawn_with(Options {
        demo: true,
        ..Options::default()
    })
    .await;
    for project in server::demo::projects().expect("demo") {
        let id = format!("{}-2026-10", project.id);
        let (status, outline) = app.get_json(&format!("/api/v1/reports/{id}"), Role::Viewer).await;
        assert_eq!(status, StatusCode::OK, "{id}");
        for section in outline["sections"].as_array().expect("sections") {
            let sid = section["id"].as_str().expect("id");
            let res = app
                .get(&format!("/reports/{id}/sections/{sid}"), Some(Role::Viewer))
                .await;
            assert_eq!(res.status(), StatusCode::OK, "{id}/{sid}");
            let html = res.text().await.expect("html");
            assert!(
                !html.contains("NaN") && !html.contains("inf<"),
                "{id}/{sid} shows a non-number"
            );
        }
    }
}

/// The `nonce-…` of a response's Content-Security-Policy.
fn csp_nonce(res: &reqwest::Response) -> String {
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let start = csp.find("'nonce-").expect("a nonce") + "'nonce-".len();
    csp[start..].split('\'').next().expect("closing quote").to_owned()
}

/// A report page read again within a second comes from the page cache: the same page with
/// the request's own CSP nonce, each reader their own page, and never a page from before a
/// change (a comment shows on the very next read).
#[tokio::test]
async fn a_reloaded_report_page_has_a_fresh_nonce_its_readers_own_view_and_is_never_stale() {
    let app = spawn_app().await;
    app.import(&sample_project("atlas")).await;
    let id = app.generate("atlas", "2026-10", "technical").await;
    let path = format!("/reports/{id}");
    let read = |role: Role| {
        let (app, path) = (&app, path.clone());
        async move {
            let res = app.get(&path, Some(role)).await;
            assert_eq!(res.status(), StatusCode::OK);
            let nonce = csp_nonce(&res);
            let body = res.text().await.expect("body");
            (nonce, body)
        }
    };
    let hits = || app.state.services.pages().hits();
    let (n1, first) = read(Role::Viewer).await;
    let before = hits();
    let (n2, second) = read(Role::Viewer).await;
    assert_eq!(hits(), before + 1, "the second read came from the page cache");
    assert_ne!(n1, n2, "every response has its own nonce");
    assert!(
        second.contains(&format!("nonce=\"{n2}\"")),
        "the page's scripts carry the response's nonce"
    );
    assert!(!second.contains(&n1), "no trace of the earlier response's nonce");
    assert_eq!(first.replace(&n1, "N"), second.replace(&n2, "N"), "the same page");

    let (_, admin) = read(Role::Admin).await;
    assert_ne!(
        admin.replace(&n2, "N"),
        second.replace(&n2, "N"),
        "an admin gets the admin's page"
    );

    let (status, body) = app
        .post_json(
            &format!("/api/v1/reports/{id}/comments"),
            Role::Editor,
            &serde_json::json!({ "section_id": "technical-progress", "content": "Fresh remark 7f3a" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let before = hits();
    let (_, third) = read(Role::Viewer).await;
    assert_eq!(hits(), before, "rendered again after the change");
    assert!(third.contains("Fresh remark 7f3a"), "the comment is on the next read");
}

/// The lazy-section function's answer, asked again within a second, comes from the same
/// cache; an edit of the section is on the next call; a body longer than any real call is a
/// 413, not a lookup.
#[tokio::test]
async fn a_lazy_section_asked_again_is_served_from_memory_until_it_changes() {
    let app = spawn_app().await;
    app.import(&sample_project("atlas")).await;
    let id = app.generate("atlas", "2026-10", "technical").await;
    let hits = || app.state.services.pages().hits();
    let html = |res: reqwest::Response| async move {
        assert_eq!(res.status(), StatusCode::OK);
        let body: serde_json::Value = res.json().await.expect("json");
        body["html"].as_str().expect("html").to_owned()
    };
    let first = html(app.lazy_section(&id, "technical-progress").await).await;
    let before = hits();
    let again = html(app.lazy_section(&id, "technical-progress").await).await;
    assert_eq!(hits(), before + 1, "the second call came from the cache");
    assert_eq!(first, again);

    let (status, body) = app
        .send_json(
            reqwest::Method::PUT,
            &format!("/api/v1/reports/{id}/sections/technical-progress"),
            Some(Role::Editor),
            &serde_json::json!({ "base_version": 1, "content": "Edited just now 91c2" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let after = html(app.lazy_section(&id, "technical-progress").await).await;
    assert!(after.contains("Edited just now 91c2"), "{after}");

    let long = "x".repeat(4096);
    let res = app
        .server_fn(
            "report_section",
            Some(Role::Viewer),
            &[("report_id", id.as_str()), ("section_id", long.as_str())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
}
