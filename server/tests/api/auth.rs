//! Tokens, sessions and browser hardening, over the real server. The role matrix of every
//! route is `matrix.rs`.

use app::dto::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{sample_project, spawn_app, spawn_with, Options, TestApp};

#[tokio::test]
async fn probes_and_assets_are_public() {
    let app = spawn_app().await;
    for path in ["/livez", "/readyz", "/sign-in", "/favicon.svg"] {
        assert_eq!(app.get(path, None).await.status(), StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn bad_tokens_are_401_without_saying_why() {
    let app = spawn_app().await;
    let good = app.token(Role::Admin).to_owned();
    let wrong_secret = format!(
        "{}{}",
        &good[..good.len() - 1],
        if good.ends_with('0') { '1' } else { '0' }
    );
    let mut bodies = vec![];
    for bad in [
        "garbage",
        "pmr_1_",
        "pmr_999_0000000000000000000000000000000000000000000000000000000000000000",
        &wrong_secret,
    ] {
        let res = app
            .client
            .get(app.url("/api/v1/projects"))
            .bearer_auth(bad)
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{bad}");
        bodies.push(res.text().await.expect("body"));
    }
    assert!(
        bodies.windows(2).all(|w| w[0] == w[1]),
        "the same answer for every kind of bad token"
    );
    let res = app
        .client
        .get(app.url("/api/v1/projects"))
        .header("authorization", "Basic abc")
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_revoked_token_is_refused_at_once_sessions_included() {
    let app = spawn_app().await;
    let (_, created) = app
        .post_json(
            "/api/v1/tokens",
            Role::Admin,
            &json!({ "name": "temp", "role": "editor" }),
        )
        .await;
    let token = created["token"].as_str().expect("secret shown once").to_owned();
    let session = sign_in(&app, &token).await;
    let ok = app
        .client
        .get(app.url("/api/v1/projects"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("request");
    assert_eq!(ok.status(), StatusCode::OK);
    // The session is used too, so both credentials are among those verified just now.
    let page = app
        .client
        .get(app.url("/"))
        .header("cookie", &session)
        .send()
        .await
        .expect("request");
    assert_eq!(page.status(), StatusCode::OK);
    let (_, list) = app.get_json("/api/v1/tokens", Role::Admin).await;
    assert!(!list.to_string().contains(&token[10..]), "secrets are never listed");
    let id = created["id"].as_i64().expect("id");
    let (status, _) = app
        .send_json(
            Method::DELETE,
            &format!("/api/v1/tokens/{id}"),
            Some(Role::Admin),
            &json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let refused = app
        .client
        .get(app.url("/api/v1/projects"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("request");
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let page = app
        .client
        .get(app.url("/"))
        .header("cookie", &session)
        .send()
        .await
        .expect("request");
    assert_eq!(page.status(), StatusCode::SEE_OTHER, "the session ended with its token");
}

/// Signs in through the form and returns the `name=value` session cookie.
async fn sign_in(app: &TestApp, token: &str) -> String {
    let res = app
        .client
        .post(app.url("/auth/sign-in"))
        .header("origin", format!("http://{}", app.addr))
        .form(&[("token", token), ("next", "/reports/x")])
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/reports/x");
    let cookie = res.headers()["set-cookie"].to_str().expect("cookie").to_owned();
    for flag in ["HttpOnly", "SameSite=Strict", "Max-Age=", "Path=/"] {
        assert!(cookie.contains(flag), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "not over TLS here");
    cookie.split(';').next().expect("pair").to_owned()
}

#[tokio::test]
async fn sign_in_sets_a_hardened_session_cookie_and_sign_out_ends_it() {
    let app = spawn_app().await;
    let cookie = sign_in(&app, app.token(Role::Editor)).await;
    let page = app
        .client
        .get(app.url("/"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("request");
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("html");
    assert!(
        html.contains("user-name\">editor<") && html.contains("badge role\">editor<"),
        "header shows who and role"
    );
    let out = app
        .client
        .post(app.url("/auth/sign-out"))
        .header("cookie", &cookie)
        .header("origin", format!("http://{}", app.addr))
        .send()
        .await
        .expect("request");
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert!(out.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .contains("Max-Age=0"));
    let page = app
        .client
        .get(app.url("/"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("request");
    assert_eq!(page.status(), StatusCode::SEE_OTHER);
    // A wrong token goes back to the form with a message, and sets no cookie.
    let res = app
        .client
        .post(app.url("/auth/sign-in"))
        .form(&[("token", "nope"), ("next", "/")])
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(res.headers().get("set-cookie").is_none());
    assert!(res.headers()["location"]
        .to_str()
        .expect("location")
        .starts_with("/sign-in?error="));
}

#[tokio::test]
async fn secure_cookies_and_hsts_behind_tls() {
    let app = spawn_with(Options {
        vars: vec![("PMR_SECURE_COOKIES", "true".into())],
        ..Options::default()
    })
    .await;
    let res = app
        .client
        .post(app.url("/auth/sign-in"))
        .form(&[("token", app.token(Role::Viewer)), ("next", "/")])
        .send()
        .await
        .expect("request");
    assert!(res.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .contains("; Secure"));
    assert!(res.headers().contains_key("strict-transport-security"));
}

#[tokio::test]
async fn cross_site_state_changes_are_refused() {
    let app = spawn_app().await;
    app.import(&sample_project("atlas")).await;
    let attempts = [
        ("sec-fetch-site", "cross-site".to_owned()),
        ("origin", "https://evil.example".to_owned()),
    ];
    for (header, value) in attempts {
        let res = app
            .client
            .post(app.url("/api/fn/generate_report"))
            .bearer_auth(app.token(Role::Editor))
            .header(header, &value)
            .form(&[
                ("project_id", "atlas"),
                ("period", "2026-10"),
                ("template", "executive"),
            ])
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{header}: {value}");
        let res = app
            .client
            .post(app.url("/auth/sign-in"))
            .header(header, &value)
            .form(&[("token", app.token(Role::Admin)), ("next", "/")])
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "sign-in {header}");
    }
    let (_, project) = app.get_json("/api/v1/projects/atlas", Role::Viewer).await;
    assert_eq!(project["reports"], json!([]), "nothing was generated");
    // GET never changes state, so it is not checked.
    let res = app
        .client
        .get(app.url("/api/v1/projects"))
        .bearer_auth(app.token(Role::Viewer))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn security_headers_are_on_every_response() {
    let app = spawn_app().await;
    for (path, role) in [
        ("/", Some(Role::Viewer)),
        ("/api/v1/projects", Some(Role::Viewer)),
        ("/livez", None),
        ("/nope", None),
        (crate::helpers::asset("css").as_str(), None),
    ] {
        let res = app.get(path, role).await;
        let h = res.headers();
        let csp = h["content-security-policy"].to_str().expect("csp");
        assert!(
            csp.contains("'wasm-unsafe-eval'") && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert!(h.contains_key("referrer-policy"), "{path}");
        assert!(!h.contains_key("strict-transport-security"), "no HSTS without TLS");
    }
    // The page's hydration script carries the nonce the CSP names.
    let res = app.get("/", Some(Role::Viewer)).await;
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .expect("csp")
        .to_owned();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .expect("nonce");
    assert!(res
        .text()
        .await
        .expect("html")
        .contains(&format!("<script type=\"module\" nonce=\"{nonce}\"")));
}

#[tokio::test]
async fn oversized_headers_are_refused_with_431() {
    let app = spawn_app().await;
    let res = app
        .client
        .get(app.url("/livez"))
        .header("x-filler", "a".repeat(20_000))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE);
}

#[tokio::test]
async fn sign_in_and_generation_are_rate_limited() {
    let app = spawn_with(Options {
        vars: vec![
            ("PMR_SIGN_IN_PER_MINUTE", "3".into()),
            ("PMR_GENERATE_PER_MINUTE", "2".into()),
        ],
        ..Options::default()
    })
    .await;
    let mut last = StatusCode::OK;
    for _ in 0..4 {
        last = app
            .client
            .post(app.url("/auth/sign-in"))
            .form(&[("token", "wrong"), ("next", "/")])
            .send()
            .await
            .expect("request")
            .status();
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    app.import(&sample_project("atlas")).await;
    let body = json!({ "project_id": "atlas", "period": "2026-10", "template": "executive" });
    assert_eq!(
        app.post_json("/api/v1/reports", Role::Editor, &body).await.0,
        StatusCode::CREATED
    );
    assert_eq!(
        app.post_json("/api/v1/reports", Role::Editor, &body).await.0,
        StatusCode::CREATED
    );
    let res = app
        .client
        .post(app.url("/api/v1/reports"))
        .bearer_auth(app.token(Role::Editor))
        .json(&body)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().contains_key("retry-after"));
}

#[tokio::test]
async fn anonymous_readers_only_when_switched_on() {
    let app = spawn_with(Options {
        vars: vec![("PMR_ALLOW_ANONYMOUS", "true".into())],
        ..Options::default()
    })
    .await;
    app.import(&sample_project("atlas")).await;
    assert_eq!(app.get("/", None).await.status(), StatusCode::OK);
    assert_eq!(app.get("/api/v1/projects", None).await.status(), StatusCode::OK);
    let (status, _) = app
        .send_json(
            Method::POST,
            "/api/v1/reports",
            None,
            &json!({ "project_id": "atlas", "period": "2026-10", "template": "executive" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "anonymous readers cannot write");
}
