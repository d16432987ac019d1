//! Connections that never finish their request are not kept: a head sent too slowly, an
//! idle kept-alive connection and a trickled body are cut off, and one client address
//! cannot hold more than its share of connections.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{spawn_with, Options, TestApp};

async fn strict() -> TestApp {
    spawn_with(Options {
        vars: vec![
            ("PMR_HTTP_HEADER_TIMEOUT_SECS", "1".into()),
            ("PMR_HTTP_REQUEST_TIMEOUT_SECS", "2".into()),
            ("PMR_HTTP_MAX_CONNECTIONS_PER_CLIENT", "4".into()),
        ],
        ..Options::default()
    })
    .await
}

/// Reads until the server closes the connection (or 10 s pass); returns what it sent.
async fn until_closed(stream: &mut TcpStream) -> (String, Duration) {
    let started = Instant::now();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
            Err(_) => panic!("the server kept the connection open for 10 s"),
        }
    }
    (String::from_utf8_lossy(&out).into_owned(), started.elapsed())
}

#[tokio::test]
async fn a_head_that_never_ends_is_cut_off() {
    let app = strict().await;
    let mut s = TcpStream::connect(app.addr).await.expect("connect");
    s.write_all(b"GET /livez HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .expect("write");
    let (_, after) = until_closed(&mut s).await;
    assert!(after < Duration::from_secs(5), "closed after {after:?}");
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed() {
    let app = strict().await;
    let mut s = TcpStream::connect(app.addr).await.expect("connect");
    s.write_all(b"GET /livez HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("write");
    let (sent, after) = until_closed(&mut s).await;
    assert!(sent.starts_with("HTTP/1.1 200"), "{sent}");
    assert!(after < Duration::from_secs(5), "idle connection closed after {after:?}");
}

#[tokio::test]
async fn a_trickled_body_meets_the_request_deadline() {
    let app = strict().await;
    let mut s = TcpStream::connect(app.addr).await.expect("connect");
    let head = format!(
        "POST /api/v1/projects HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{",
        app.token(app::dto::Role::Editor)
    );
    s.write_all(head.as_bytes()).await.expect("write");
    let trickle = tokio::spawn(async move {
        for _ in 0..20 {
            tokio::time::sleep(Duration::from_millis(300)).await;
            if s.write_all(b" ").await.is_err() {
                break;
            }
        }
        s
    });
    let mut s = trickle.await.expect("joined");
    let (sent, after) = until_closed(&mut s).await;
    assert!(sent.starts_with("HTTP/1.1 408"), "{sent}");
    assert!(sent.contains("\"error\":\"timeout\""), "{sent}");
    assert!(after < Duration::from_secs(6), "{after:?}");
}

#[tokio::test]
async fn one_client_cannot_hold_every_connection() {
    let app = strict().await;
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(TcpStream::connect(app.addr).await.expect("connect"));
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut extra = TcpStream::connect(app.addr).await.expect("accepted by the kernel");
    let _ = extra.write_all(b"GET /livez HTTP/1.1\r\nHost: x\r\n\r\n").await;
    let (sent, after) = until_closed(&mut extra).await;
    assert!(sent.is_empty(), "the fifth connection is closed unanswered: {sent}");
    assert!(after < Duration::from_secs(1));
    drop(held);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let res = app.get("/livez", None).await;
    assert!(res.status().is_success(), "slots come back when connections close");
}
