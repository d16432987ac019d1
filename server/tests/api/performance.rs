//! The performance API's shapes and parameters, and `/metrics` read by a real Prometheus
//! text parser. (Role gating of every endpoint is in `auth.rs`.)

use app::dto::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{sample_project, spawn_app};

const BASE: &str = "/api/reports/pmr/performance";

#[tokio::test]
async fn the_pipeline_and_requests_show_up_in_the_stats() {
    let app = spawn_app().await;
    app.import(&sample_project("atlas")).await;
    app.generate("atlas", "2026-10", "executive").await;
    let (status, stats) = app.get_json(&format!("{BASE}/stats"), Role::Viewer).await;
    assert_eq!(status, StatusCode::OK);
    for op in [
        "report_generation",
        "metrics_collection",
        "monte_carlo_analysis",
        "ai_insight_generation",
        "database_query",
        "api_response",
    ] {
        let s = &stats["operations"][op];
        assert!(s["count"].as_u64() >= Some(1), "{op}: {stats}");
        for field in ["min", "max", "mean", "median", "p95", "p99"] {
            assert!(s[field].is_number(), "{op}.{field}");
        }
    }
    assert!(stats["uptime_seconds"].is_number() && stats["enabled"] == true);
    let (_, metrics) = app.get_json(&format!("{BASE}/metrics?limit=3"), Role::Viewer).await;
    assert_eq!(metrics["metrics"].as_array().map(Vec::len), Some(3));
    let (_, alerts) = app.get_json(&format!("{BASE}/alerts"), Role::Viewer).await;
    assert!(alerts["alerts"].is_array());
    let (_, recs) = app.get_json(&format!("{BASE}/recommendations"), Role::Viewer).await;
    assert!(recs["recommendations"].is_array());
    let (_, cache) = app.get_json(&format!("{BASE}/cache/stats"), Role::Viewer).await;
    for field in [
        "hits",
        "misses",
        "hit_rate",
        "keys",
        "memory_bytes",
        "errors",
        "backend",
    ] {
        assert!(!cache[field].is_null(), "cache.{field}: {cache}");
    }
    assert_eq!(cache["backend"], "memory");
    let (_, health) = app.get_json(&format!("{BASE}/health"), Role::Viewer).await;
    for part in ["monitor", "cache", "websocket", "store"] {
        assert!(health[part].is_object(), "{part}: {health}");
    }
    let (_, ws) = app.get_json(&format!("{BASE}/websocket/stats"), Role::Viewer).await;
    assert_eq!(ws["batching"]["max_size"], 10);
}

#[tokio::test]
async fn bad_parameters_are_422_naming_them_and_unknown_reports_404() {
    let app = spawn_app().await;
    for q in ["limit=0", "limit=1001", "limit=ten", "limit=-1", "limit="] {
        let (status, body) = app.get_json(&format!("{BASE}/metrics?{q}"), Role::Viewer).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
        assert_eq!(body["details"][0]["field"], "limit", "{q}");
    }
    for q in ["hours=x", "hours=-2", "hours=100000"] {
        let (status, body) = app
            .send_json(
                Method::DELETE,
                &format!("{BASE}/monitor/data?{q}"),
                Some(Role::Admin),
                &json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
        assert_eq!(body["details"][0]["field"], "hours", "{q}");
    }
    let (status, _) = app
        .get_json(&format!("{BASE}/websocket/sessions/no-such-report"), Role::Viewer)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_admin_switches_the_monitor_off_and_on() {
    let app = spawn_app().await;
    app.get("/livez", None).await;
    let count = |app: &crate::helpers::TestApp| app.runs("api_response");
    assert_eq!(
        app.post_json(&format!("{BASE}/monitor/disable"), Role::Admin, &json!({}))
            .await
            .0,
        StatusCode::OK
    );
    let before = count(&app);
    for _ in 0..5 {
        app.get("/livez", None).await;
    }
    assert_eq!(count(&app), before, "recording is off");
    app.post_json(&format!("{BASE}/monitor/enable"), Role::Admin, &json!({}))
        .await;
    app.get("/livez", None).await;
    assert!(count(&app) > before, "recording is back on");
    let (status, body) = app
        .send_json(
            Method::DELETE,
            &format!("{BASE}/monitor/data?hours=0"),
            Some(Role::Admin),
            &json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["removed"].as_u64() > Some(0));
}

#[tokio::test]
async fn metrics_are_prometheus_text_with_real_buckets() {
    let app = spawn_app().await;
    app.import(&sample_project("atlas")).await;
    app.generate("atlas", "2026-10", "executive").await;
    let id = "atlas-2026-10";
    app.get(&format!("/reports/{id}"), Some(Role::Viewer)).await;
    let res = app.get("/metrics", Some(Role::Viewer)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"]
        .to_str()
        .expect("type")
        .starts_with("text/plain"));
    let text = res.text().await.expect("text");
    let lines = text.lines().map(|l| Ok(l.to_owned()));
    let scrape = prometheus_parse::Scrape::parse(lines).expect("valid exposition format");
    let names: std::collections::HashSet<&str> = scrape.samples.iter().map(|s| s.metric.as_str()).collect();
    for name in [
        "pmr_operation_duration_seconds",
        "pmr_http_request_duration_seconds",
        "pmr_cache_requests_total",
        "pmr_monitor_enabled",
    ] {
        assert!(names.contains(name), "{name} missing from {names:?}");
    }
    let generation = scrape
        .samples
        .iter()
        .find(|s| {
            s.metric == "pmr_operation_duration_seconds" && s.labels.get("operation") == Some("report_generation")
        })
        .expect("report generation histogram");
    match &generation.value {
        prometheus_parse::Value::Histogram(buckets) => {
            assert!(buckets.len() >= 10, "real buckets");
            assert!(buckets.iter().any(|b| b.less_than == 0.5), "buckets in seconds");
            assert!(buckets.last().is_some_and(|b| b.count >= 1.0));
        }
        other => panic!("not a histogram: {other:?}"),
    }
    assert!(
        text.contains("route=\"/reports/:id\""),
        "route templates, not raw paths"
    );
    assert!(!text.contains(id), "no raw ids in labels");
}

/// The dashboard draws what the monitor holds: response time p50/p95 over time with value
/// and time axes and the threshold, the cache hit rate against its 70 % line, a sparkline per
/// operation, and grouped alerts with their count and when they were seen.
#[tokio::test]
async fn the_dashboard_draws_time_charts_with_axes_thresholds_and_sparklines() {
    let app = spawn_app().await;
    app.import(&sample_project("atlas")).await;
    app.generate("atlas", "2026-10", "executive").await;
    for _ in 0..5 {
        app.get("/api/v1/projects/atlas", Some(Role::Viewer)).await;
    }
    let html = app
        .get("/performance", Some(Role::Viewer))
        .await
        .text()
        .await
        .expect("dashboard body");
    let panel = |name: &str| {
        let start = html
            .find(&format!("data-chart=\"{name}\""))
            .unwrap_or_else(|| panic!("no {name} chart"));
        let end = html[start..].find("</section>").map_or(html.len(), |e| start + e);
        html[start..end].to_owned()
    };
    let response = panel("response");
    assert!(response.contains("<svg"), "{response}");
    assert!(
        response.matches("class=\"tick y-tick\"").count() == 5,
        "five value ticks: {response}"
    );
    assert!(
        response.matches("class=\"tick x-tick\"").count() >= 2,
        "time labels: {response}"
    );
    assert!(
        response.contains("series series-0") && response.contains("series series-1"),
        "p50 and p95"
    );
    assert!(response.contains(" ms</text>"), "the value axis says its unit");
    // The 2 s threshold is far above a test server's responses: noted at the top edge.
    assert!(response.contains("data-threshold=\"2000\""), "{response}");
    assert!(response.contains("threshold above-scale"), "{response}");
    assert!(
        response.contains(">p50</li>") && response.contains(">p95</li>"),
        "legend"
    );
    // An operation timed during generation has a sparkline of its p95 per minute.
    assert!(
        html.contains("aria-label=\"p95 of report_generation per minute\""),
        "no sparkline for report_generation"
    );
    assert!(panel("sessions").contains("<h2>WebSocket sessions</h2>"));
}
