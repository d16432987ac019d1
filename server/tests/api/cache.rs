//! The section cache against a real `redis-server` the test starts on a free port: TTL per
//! key kind, exact invalidation, single flight, falling back to memory when Redis stops and
//! coming back when it returns, no pollution by invented ids, corrupt values overwritten.

use app::dto::Role;
use redis::Commands;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{sample_project, spawn_with, Options, TestApp};

async fn with_redis() -> TestApp {
    spawn_with(Options {
        redis: true,
        ..Options::default()
    })
    .await
}

fn keys(app: &TestApp, pattern: &str) -> Vec<String> {
    let mut c = app.redis.as_ref().expect("redis").client();
    let mut found: Vec<String> = c
        .scan_match::<_, String>(pattern)
        .expect("scan")
        .collect::<Result<_, _>>()
        .expect("scan items");
    found.sort();
    found
}

fn ttl(app: &TestApp, key: &str) -> i64 {
    let mut c = app.redis.as_ref().expect("redis").client();
    c.ttl(key).expect("ttl")
}

/// A custom section's rendered HTML as the JSON API returns it.
async fn section_html(app: &TestApp, report: &str, section: &str) -> String {
    let (_, s) = app
        .get_json(&format!("/api/v1/reports/{report}/sections/{section}"), Role::Viewer)
        .await;
    s["content"]["data"]["html"].as_str().unwrap_or_default().to_owned()
}

async fn backend(app: &TestApp) -> String {
    let (_, stats) = app
        .get_json("/api/reports/pmr/performance/cache/stats", Role::Viewer)
        .await;
    stats["backend"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn each_key_kind_gets_its_ttl() {
    let app = with_redis().await;
    assert_eq!(backend(&app).await, "redis");
    app.import(&sample_project("atlas")).await;
    let id = app.generate("atlas", "2026-10", "executive").await;
    // Reading the report page fills the outline and metrics keys; the portfolio the rest.
    assert_eq!(
        app.get(&format!("/reports/{id}"), Some(Role::Viewer)).await.status(),
        StatusCode::OK
    );
    assert_eq!(app.get("/", Some(Role::Viewer)).await.status(), StatusCode::OK);
    let expected = [
        (format!("pmr:report:{id}"), 3600),
        (format!("pmr:insights:{id}"), 1800),
        (format!("pmr:monte_carlo:{id}"), 7200),
        ("pmr:metrics:atlas:2026-10".to_owned(), 300),
        ("pmr:template:executive".to_owned(), 86400),
        (format!("pmr:section:{id}:summary:v1"), 3600),
    ];
    for (key, seconds) in expected {
        let t = ttl(&app, &key);
        assert!(t > seconds - 30 && t <= seconds, "{key}: TTL {t}, want ~{seconds}");
    }
}

#[tokio::test]
async fn ttls_are_configurable() {
    let app = spawn_with(Options {
        redis: true,
        vars: vec![
            ("CACHE_TTL_SECTION_SECONDS", "42".into()),
            ("CACHE_TTL_MONTE_CARLO_SECONDS", "77".into()),
        ],
        ..Options::default()
    })
    .await;
    app.import(&sample_project("atlas")).await;
    let id = app.generate("atlas", "2026-10", "executive").await;
    assert!((30..=42).contains(&ttl(&app, &format!("pmr:section:{id}:summary:v1"))));
    assert!((60..=77).contains(&ttl(&app, &format!("pmr:monte_carlo:{id}"))));
}

#[tokio::test]
async fn editing_one_reports_section_leaves_the_other_reports_keys() {
    let app = with_redis().await;
    app.import(&sample_project("atlas")).await;
    let a = app.generate("atlas", "2026-10", "technical").await;
    let b = app.generate("atlas", "2026-09", "technical").await;
    for id in [&a, &b] {
        app.get(&format!("/reports/{id}"), Some(Role::Viewer)).await;
    }
    let before_b = keys(&app, &format!("pmr:*:{b}*"));
    assert!(before_b.len() >= 5, "{before_b:?}");
    let (status, _) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/reports/{a}/sections/technical-progress"),
            Some(Role::Editor),
            &json!({ "base_version": 1, "content": "New **text**" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(keys(&app, &format!("pmr:*:{b}*")), before_b, "report B untouched");
    assert!(
        keys(&app, &format!("pmr:section:{a}:technical-progress:*")).is_empty(),
        "the edited section was evicted"
    );
    assert!(
        !keys(&app, &format!("pmr:section:{a}:metrics:*")).is_empty(),
        "A's other sections stay"
    );
    // The next read shows the new content.
    assert!(section_html(&app, &a, "technical-progress")
        .await
        .contains("<strong>text</strong>"));
}

/// The completeness line of the summary as the lazy island gets it (the way readers see
/// it: through the outline and the cached section HTML).
async fn completeness(app: &TestApp, report: &str) -> String {
    let res = app.lazy_section(report, "summary").await;
    assert_eq!(res.status(), StatusCode::OK);
    let body = res.text().await.expect("body");
    let line = body
        .split("class=\\\"completeness\\\"")
        .nth(1)
        .or_else(|| body.split("class=\"completeness\"").nth(1))
        .and_then(|rest| rest.split("</p>").next())
        .unwrap_or_else(|| panic!("no completeness in {body}"));
    line.to_owned()
}

/// An edit evicts the summary as well as the section: its completeness counts the custom
/// sections that are written, so a reader right after the edit must see the new count —
/// and the old one again once the text is blanked (the edit finds the summary's keys
/// without reading the outline).
#[tokio::test]
async fn an_edit_between_blank_and_written_reaches_the_cached_summary() {
    let app = with_redis().await;
    app.import(&sample_project("atlas")).await;
    let id = app.generate("atlas", "2026-10", "technical").await;
    let blank = completeness(&app, &id).await;
    assert!(
        !keys(&app, &format!("pmr:section:{id}:summary:*")).is_empty(),
        "the summary is cached"
    );
    let path = format!("/api/v1/reports/{id}/sections/technical-progress");
    for (base, text) in [(1, "Written **now**"), (2, "   ")] {
        let (status, body) = app
            .send_json(
                Method::PUT,
                &path,
                Some(Role::Editor),
                &json!({ "base_version": base, "content": text }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let now = completeness(&app, &id).await;
        if base == 1 {
            assert_ne!(now, blank, "a written section counts at once");
        } else {
            assert_eq!(now, blank, "a blanked one stops counting at once");
        }
    }
}

#[tokio::test]
async fn importing_a_project_evicts_its_keys_only() {
    let app = with_redis().await;
    app.import(&sample_project("atlas")).await;
    app.import(&sample_project("zenith")).await;
    let a = app.generate("atlas", "2026-10", "executive").await;
    let z = app.generate("zenith", "2026-10", "executive").await;
    app.get("/", Some(Role::Viewer)).await;
    let zenith_before = keys(&app, "pmr:*zenith*");
    assert!(!zenith_before.is_empty());
    app.import(&sample_project("atlas")).await;
    assert!(
        keys(&app, &format!("pmr:*:{a}*")).is_empty(),
        "atlas's report keys evicted"
    );
    assert!(keys(&app, "pmr:metrics:atlas:*").is_empty(), "atlas's metrics evicted");
    assert_eq!(keys(&app, "pmr:*zenith*"), zenith_before, "zenith untouched");
    assert!(keys(&app, &format!("pmr:*:{z}*")).len() >= 3);
}

#[tokio::test]
async fn a_hundred_concurrent_misses_compute_once() {
    let app = with_redis().await;
    app.import(&sample_project("atlas")).await;
    let id = app.generate("atlas", "2026-10", "executive").await;
    app.state.services.clear_cache(&admin()).await;
    let runs_before = app.runs("monte_carlo_analysis");
    let requests = (0..100).map(|_| app.lazy_section(&id, "forecast"));
    let responses = futures::future::join_all(requests).await;
    assert!(responses.iter().all(|r| r.status() == StatusCode::OK));
    assert_eq!(
        app.runs("monte_carlo_analysis") - runs_before,
        1,
        "one simulation for 100 readers"
    );
}

#[tokio::test]
async fn requests_keep_succeeding_while_redis_is_down_and_it_comes_back() {
    let mut app = with_redis().await;
    app.import(&sample_project("atlas")).await;
    let id = app.generate("atlas", "2026-10", "technical").await;
    app.redis.as_mut().expect("redis").stop();
    for _ in 0..3 {
        assert_eq!(
            app.get(&format!("/reports/{id}"), Some(Role::Viewer)).await.status(),
            StatusCode::OK
        );
        let res = app.lazy_section(id.as_str(), "charts").await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    assert_eq!(backend(&app).await, "memory");
    let (_, health) = app.get_json("/api/reports/pmr/performance/health", Role::Viewer).await;
    assert_eq!(health["cache"]["status"], "degraded");
    assert_eq!(health["status"], "degraded");
    assert_eq!(
        app.get("/readyz", None).await.status(),
        StatusCode::OK,
        "a degraded cache is still ready"
    );
    // An edit while Redis is down shows at once...
    let (status, _) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/reports/{id}/sections/technical-progress"),
            Some(Role::Editor),
            &json!({ "base_version": 1, "content": "written while down" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(section_html(&app, &id, "technical-progress")
        .await
        .contains("written while down"));
    // ...and after Redis returns, the cache goes back to it by itself.
    app.redis.as_mut().expect("redis").restart();
    let mut back = false;
    for _ in 0..100 {
        if backend(&app).await == "redis" {
            back = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(back, "backend returned to redis");
    assert!(section_html(&app, &id, "technical-progress")
        .await
        .contains("written while down"));
}

#[tokio::test]
async fn invalidations_made_while_redis_was_away_are_replayed() {
    // Redis keeps its data but the app cannot reach it: simulate with a paused server.
    let app = with_redis().await;
    app.import(&sample_project("atlas")).await;
    let id = app.generate("atlas", "2026-10", "technical").await;
    let key = format!("pmr:section:{id}:technical-progress:v1");
    assert_eq!(keys(&app, &key), std::slice::from_ref(&key));
    let mut c = app.redis.as_ref().expect("redis").client();
    // CLIENT PAUSE makes every app command time out (250 ms) while data stays in Redis.
    let _: () = redis::cmd("CLIENT")
        .arg("PAUSE")
        .arg(1500)
        .arg("ALL")
        .query(&mut c)
        .expect("pause");
    let (status, _) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/reports/{id}/sections/technical-progress"),
            Some(Role::Editor),
            &json!({ "base_version": 1, "content": "edited during the outage" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    for _ in 0..100 {
        if backend(&app).await == "redis" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(backend(&app).await, "redis");
    assert!(
        keys(&app, &key).is_empty(),
        "the stale v1 section was deleted on reconnect"
    );
    assert!(section_html(&app, &id, "technical-progress")
        .await
        .contains("edited during the outage"));
}

#[tokio::test]
async fn invented_ids_are_404_and_cache_nothing() {
    let app = with_redis().await;
    app.import(&sample_project("atlas")).await;
    let id = app.generate("atlas", "2026-10", "executive").await;
    app.get(&format!("/reports/{id}"), Some(Role::Viewer)).await;
    let before = keys(&app, "pmr:*");
    for (report, section) in [
        ("nope", "summary"),
        (id.as_str(), "nope"),
        ("atlas-2026-10-99", "forecast"),
    ] {
        let (status, body) = app
            .get_json(&format!("/api/v1/reports/{report}/sections/{section}"), Role::Viewer)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{report}/{section}");
        assert_eq!(body["error"], "not_found");
        let res = app.lazy_section(report, section).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
    }
    assert_eq!(keys(&app, "pmr:*"), before, "no key for invented ids");
}

#[tokio::test]
async fn a_corrupt_cached_value_is_a_miss_and_is_overwritten() {
    let app = with_redis().await;
    app.import(&sample_project("atlas")).await;
    let id = app.generate("atlas", "2026-10", "executive").await;
    let key = format!("pmr:section:{id}:charts:v1");
    let mut c = app.redis.as_ref().expect("redis").client();
    for junk in [
        "not json",
        "{\"old\":\"format\"}",
        "{\"x\":1,\"d\":0,\"v\":{\"html\":5}}",
    ] {
        let _: () = c.set(&key, junk).expect("set");
        // A write behind PMR's back is seen once what this process keeps in memory for a
        // second (the near cache, the kept answer) has expired.
        tokio::time::sleep(
            server::cache::PAGE_TTL.max(server::cache::NEAR_TTL) + std::time::Duration::from_millis(200),
        )
        .await;
        let res = app.lazy_section(id.as_str(), "charts").await;
        assert_eq!(res.status(), StatusCode::OK, "{junk}");
        let stored: String = c.get(&key).expect("get");
        assert!(
            stored.contains("\"html\":\"") && stored.contains("<svg"),
            "overwritten after {junk}"
        );
    }
}

#[tokio::test]
async fn clear_all_uses_scan_and_leaves_foreign_keys() {
    let app = with_redis().await;
    app.import(&sample_project("atlas")).await;
    app.generate("atlas", "2026-10", "executive").await;
    let mut c = app.redis.as_ref().expect("redis").client();
    let _: () = c.set("someone-else:key", "keep me").expect("set");
    let (status, _) = app
        .post_json("/api/reports/pmr/performance/cache/clear", Role::Admin, &json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(keys(&app, "pmr:*").is_empty());
    let kept: String = c.get("someone-else:key").expect("get");
    assert_eq!(kept, "keep me");
}

#[tokio::test]
async fn a_hot_key_is_refreshed_before_it_expires() {
    let app = spawn_with(Options {
        redis: true,
        vars: vec![("CACHE_TTL_SECTION_SECONDS", "10".into())],
        ..Options::default()
    })
    .await;
    app.import(&sample_project("atlas")).await;
    let id = app.generate("atlas", "2026-10", "executive").await;
    let key = format!("pmr:section:{id}:charts:v1");
    let pttl = |app: &TestApp| -> i64 {
        let mut c = app.redis.as_ref().expect("redis").client();
        redis::cmd("PTTL").arg(&key).query(&mut c).expect("pttl")
    };
    // Into the last tenth of the TTL: the next reader is served at once and triggers one
    // background refresh, so the key never expires under its readers.
    // (10 s TTL, soft window 1 s: reading at 9.2 s leaves 0.8 s of slack for a busy machine.)
    tokio::time::sleep(std::time::Duration::from_millis(9_200)).await;
    let hits_before = app.state.services.cache_stats().await.hits;
    let res = app.lazy_section(id.as_str(), "charts").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        app.state.services.cache_stats().await.hits > hits_before,
        "served from the cache"
    );
    let mut refreshed = false;
    for _ in 0..40 {
        if pttl(&app) > 5_000 {
            refreshed = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert!(refreshed, "the key was rewritten with a fresh TTL");
}

/// Who clears the cache in these tests.
fn admin() -> app::policy::Principal {
    app::policy::Principal {
        name: "test".into(),
        role: Role::Admin,
        signed_in: true,
    }
}
