//! Limits and close codes over real sockets: participants and connections (1013), a frame
//! over 64 KiB (1009), a foreign Origin (1008), a revoked token and a sign-out (1008 within a
//! second), nobody at all (401 before the upgrade), and the stats that count them.

use std::time::Duration;

use app::dto::Role;
use reqwest::StatusCode;
use tokio_tungstenite::tungstenite::Message;

use super::client::{connect, Connect};
use super::{report_app, token_named};

#[tokio::test]
async fn participants_and_connections_are_limited() {
    let (app, id) = report_app(vec![
        ("WS_MAX_PARTICIPANTS", "2".into()),
        ("WS_MAX_CONNECTIONS", "3".into()),
    ])
    .await;
    let (a, b, c) = (
        token_named(&app, "a", Role::Viewer).await,
        token_named(&app, "b", Role::Viewer).await,
        token_named(&app, "c", Role::Viewer).await,
    );
    let mut first = connect(
        &app,
        &id,
        Connect {
            token: Some(&a),
            ..Connect::default()
        },
    )
    .await;
    first.until("session_state").await;
    let mut second = connect(
        &app,
        &id,
        Connect {
            token: Some(&b),
            ..Connect::default()
        },
    )
    .await;
    second.until("session_state").await;
    let mut third = connect(
        &app,
        &id,
        Connect {
            token: Some(&c),
            ..Connect::default()
        },
    )
    .await;
    assert_eq!(
        third.closed_within(Duration::from_secs(3)).await,
        Some(1013),
        "participants"
    );
    // Another tab of a present user still fits the room, but not the instance's limit.
    let mut tab = connect(
        &app,
        &id,
        Connect {
            token: Some(&a),
            ..Connect::default()
        },
    )
    .await;
    tab.until("session_state").await;
    let mut over = connect(
        &app,
        &id,
        Connect {
            token: Some(&b),
            ..Connect::default()
        },
    )
    .await;
    assert_eq!(
        over.closed_within(Duration::from_secs(3)).await,
        Some(1013),
        "connections"
    );
    let (_, stats) = app
        .get_json("/api/reports/pmr/performance/websocket/stats", Role::Viewer)
        .await;
    assert_eq!(stats["connections"], 3, "{stats}");
    assert!(stats["refusals"]["participant_limit"].as_u64() >= Some(1), "{stats}");
    assert!(stats["refusals"]["connection_limit"].as_u64() >= Some(1), "{stats}");
    let (_, session) = app
        .get_json(
            &format!("/api/reports/pmr/performance/websocket/sessions/{id}"),
            Role::Viewer,
        )
        .await;
    assert_eq!(session["participants"].as_array().map(Vec::len), Some(2), "{session}");
    assert_eq!(session["local_connections"], 3, "{session}");
    assert_eq!(session["batch_info"]["max_size"], 10);
}

#[tokio::test]
async fn oversized_frames_and_foreign_origins_are_closed() {
    let (app, id) = report_app(vec![]).await;
    let mut c = connect(&app, &id, Connect::default()).await;
    c.until("session_state").await;
    c.send_raw(Message::Text("x".repeat(64 * 1024 + 1).into())).await;
    assert_eq!(c.closed_within(Duration::from_secs(3)).await, Some(1009));
    let mut foreign = connect(
        &app,
        &id,
        Connect {
            origin: Some("https://evil.example".into()),
            ..Connect::default()
        },
    )
    .await;
    assert_eq!(foreign.closed_within(Duration::from_secs(3)).await, Some(1008));
    let mut own = connect(
        &app,
        &id,
        Connect {
            origin: Some(format!("http://{}", app.addr)),
            ..Connect::default()
        },
    )
    .await;
    own.until("session_state").await;
    // Nobody: refused before the upgrade, like the API.
    let res = app.get(&format!("/ws/reports/{id}"), None).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_revoked_token_closes_its_sockets_within_a_second() {
    let (app, id) = report_app(vec![]).await;
    let (_, created) = app
        .post_json(
            "/api/v1/tokens",
            Role::Admin,
            &serde_json::json!({ "name": "mallory", "role": "editor" }),
        )
        .await;
    let token = created["token"].as_str().expect("token").to_owned();
    let token_id = created["id"].as_i64().expect("id");
    let mut c = connect(
        &app,
        &id,
        Connect {
            token: Some(&token),
            ..Connect::default()
        },
    )
    .await;
    c.until("session_state").await;
    let started = std::time::Instant::now();
    let res = app
        .client
        .delete(app.url(&format!("/api/v1/tokens/{token_id}")))
        .bearer_auth(app.token(Role::Admin))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(c.closed_within(Duration::from_secs(2)).await, Some(1008));
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
}
