//! Route benchmark (issue 16), one release-built server with its own redis-server and the demo
//! data, every route measured side by side in alternating rounds so drift on a busy machine
//! hits them alike:
//! 1. `wrk` (one thread, 32 connections) on `/livez`, the authenticated trivial JSON route
//!    (`/websocket/stats`, bearer and cookie), the warm report page (cookie; uncompressed
//!    as the issue measured it, and gzipped as a browser asks for it), the warm lazy-section
//!    function, a hashed stylesheet (brotli) and `/robots.txt` — requests per second, p50, p99, and the ratios the issue names;
//! 2. static files on one kept-alive connection: 20 sequential requests each, the slowest
//!    (the Nagle/delayed-ACK stall made every request after the first ~40 ms).
//!
//! Run: `cargo bench -p server --bench routes` (PMR_LOAD_SECONDS per round, default 5;
//! needs `wrk`, `redis-server` and the built site, as `make bench` provides).
//! `PMR_ROUTES_SERVE=1` instead keeps the server up for an hour and prints its address,
//! a session cookie and a token, for profiling by hand.
#![allow(clippy::print_stdout)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use app::dto::Role;
use server::config::Config;
use server::startup::Application;

#[path = "../tests/api/redis_server.rs"]
#[allow(dead_code)] // the tests also stop and restart it; the benchmark only starts it
mod redis_server;

use redis_server::RedisServer;

// wrk driven the same way by every load benchmark.
#[path = "support/wrk.rs"]
#[allow(dead_code)] // the request count is the monitor-overhead bench's; rates suffice here
mod wrk;

use wrk::{median, Outcome, Target, CONNECTIONS};

const REPORT: &str = "everest-2026-10";

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The hashed name of the built stylesheet (`target/site/pkg/hash.txt`).
fn css_path() -> String {
    let hashes = std::fs::read_to_string(workspace_root().join("target/site/pkg/hash.txt"))
        .expect("the site is built (scripts/build-site.sh)");
    let hash = hashes
        .lines()
        .find_map(|l| l.strip_prefix("css:"))
        .expect("a css hash")
        .trim()
        .to_owned();
    format!("/pkg/pmr.{hash}.css")
}

/// `n` sequential GETs of `path` on one kept-alive connection; the time of each, in ms.
fn kept_alive(addr: SocketAddr, path: &str, accept_encoding: &str, n: usize) -> Vec<f64> {
    let stream = TcpStream::connect(addr).expect("connect");
    // One write per request (below) and no Nagle here either, so a stall can only be the
    // server's.
    stream.set_nodelay(true).expect("nodelay");
    stream.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout");
    let mut writer = stream.try_clone().expect("clone");
    let mut reader = BufReader::new(stream);
    (0..n)
        .map(|_| {
            let started = Instant::now();
            let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept-Encoding: {accept_encoding}\r\n\r\n");
            writer.write_all(request.as_bytes()).expect("write");
            let mut length = 0usize;
            let mut status = String::new();
            reader.read_line(&mut status).expect("status line");
            assert!(status.contains(" 200 "), "{path}: {status}");
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).expect("header");
                if line == "\r\n" {
                    break;
                }
                if let Some((k, v)) = line.split_once(':') {
                    if k.eq_ignore_ascii_case("content-length") {
                        length = v.trim().parse().expect("length");
                    }
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).expect("body");
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect()
}

fn main() {
    let seconds: f64 = std::env::var("PMR_LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5.0);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_stack_size(8 * 1024 * 1024)
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let redis = RedisServer::start();
    let vars: HashMap<String, String> = [
        ("PMR_LISTEN", "127.0.0.1:0".to_owned()),
        ("DATABASE_URL", format!("sqlite://{}/routes.db", dir.path().display())),
        ("REDIS_URL", redis.url()),
        ("PMR_DEMO", "true".to_owned()),
        (
            "PMR_SITE_ROOT",
            workspace_root().join("target/site").display().to_string(),
        ),
        ("RUST_LOG", "error".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let (addr, token) = rt.block_on(async {
        let app = Application::build(Config::from_vars(vars).expect("config"))
            .await
            .expect("app");
        let addr = app.local_addr().expect("addr");
        let (_, token) = app
            .state()
            .auth
            .create_token("routes", Role::Viewer)
            .await
            .expect("token");
        tokio::spawn(app.run_until(std::future::pending()));
        (addr, token)
    });
    let cookie = rt.block_on(async {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let res = client
            .post(format!("http://{addr}/auth/sign-in"))
            .header("origin", format!("http://{addr}"))
            .form(&[("token", token.as_str()), ("next", "/")])
            .send()
            .await
            .expect("sign in");
        let set = res
            .headers()
            .get("set-cookie")
            .expect("a session cookie")
            .to_str()
            .expect("ascii");
        set.split(';').next().expect("name=value").to_owned()
    });
    if std::env::var_os("PMR_ROUTES_SERVE").is_some() {
        // For profiling by hand: keep the warmed server up and say how to reach it.
        println!("SERVING http://{addr} cookie {cookie} token {token}");
        std::thread::sleep(Duration::from_secs(3600));
    }
    let bearer = ("Authorization".to_owned(), format!("Bearer {token}"));
    let with_cookie = ("Cookie".to_owned(), cookie.clone());
    let gzip = ("Accept-Encoding".to_owned(), "br, gzip".to_owned());
    let stats = "/api/reports/pmr/performance/websocket/stats".to_owned();
    let targets = vec![
        Target {
            name: "livez",
            method: "GET",
            path: "/livez".into(),
            headers: vec![],
            body: None,
        },
        Target {
            name: "stats bearer",
            method: "GET",
            path: stats.clone(),
            headers: vec![bearer.clone()],
            body: None,
        },
        Target {
            name: "stats cookie",
            method: "GET",
            path: stats,
            headers: vec![with_cookie.clone()],
            body: None,
        },
        // As the issue measured them (wrk sends no Accept-Encoding), and the page once more
        // as a browser asks for it, compressed on the fly.
        Target {
            name: "report page",
            method: "GET",
            path: format!("/reports/{REPORT}"),
            headers: vec![with_cookie.clone()],
            body: None,
        },
        Target {
            name: "page gzip",
            method: "GET",
            path: format!("/reports/{REPORT}"),
            headers: vec![with_cookie.clone(), gzip.clone()],
            body: None,
        },
        Target {
            name: "section fn",
            method: "POST",
            path: "/api/fn/report_section".into(),
            headers: vec![
                with_cookie,
                ("Content-Type".into(), "application/x-www-form-urlencoded".into()),
            ],
            body: Some(format!("report_id={REPORT}&section_id=forecast&version=1")),
        },
        Target {
            name: "css",
            method: "GET",
            path: css_path(),
            headers: vec![gzip.clone()],
            body: None,
        },
        Target {
            name: "robots",
            method: "GET",
            path: "/robots.txt".into(),
            headers: vec![],
            body: None,
        },
    ];

    // Warm every path once (renders the report, fills the section cache).
    for t in &targets {
        let o = wrk::run(dir.path(), &format!("http://{addr}"), t, 1.0);
        assert_eq!(o.errors, 0, "{} answered errors while warming", t.name);
    }
    println!("{CONNECTIONS} connections, {seconds} s per round, 3 rounds; medians");
    let mut results: Vec<Vec<Outcome>> = targets.iter().map(|_| Vec::new()).collect();
    for round in 1..=3 {
        // Alternate the order so no route always runs on a cooler machine.
        let order: Vec<usize> = if round % 2 == 1 {
            (0..targets.len()).collect()
        } else {
            (0..targets.len()).rev().collect()
        };
        for i in order {
            let o = wrk::run(dir.path(), &format!("http://{addr}"), &targets[i], seconds);
            println!(
                "round {round}: {:<13} {:>8.0} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms  ({} errors)",
                targets[i].name, o.rps, o.p50_ms, o.p99_ms, o.errors
            );
            results[i].push(o);
        }
    }
    let mut rps = HashMap::new();
    println!("| route | req/s | p50 | p99 |");
    println!("|---|---|---|---|");
    for (t, runs) in targets.iter().zip(results) {
        let r = median(runs.iter().map(|o| o.rps).collect());
        let p50 = median(runs.iter().map(|o| o.p50_ms).collect());
        let p99 = median(runs.iter().map(|o| o.p99_ms).collect());
        let errors: u64 = runs.iter().map(|o| o.errors).sum();
        println!(
            "| {} | {r:.0} | {p50:.2} ms | {p99:.2} ms |{}",
            t.name,
            if errors > 0 {
                format!(" {errors} errors")
            } else {
                String::new()
            }
        );
        rps.insert(t.name, r);
    }
    println!(
        "RATIOS: report page / stats cookie {:.2} (target ≥ 0.5); section fn / stats cookie {:.2} (≥ 0.8); css / livez {:.2} (≥ 0.5)",
        rps["report page"] / rps["stats cookie"],
        rps["section fn"] / rps["stats cookie"],
        rps["css"] / rps["livez"],
    );

    for (path, encoding) in [
        (css_path(), "br"),
        ("/robots.txt".to_owned(), "identity"),
        ("/favicon.svg".to_owned(), "gzip"),
    ] {
        let times = kept_alive(addr, &path, encoding, 20);
        let slowest = times.iter().copied().fold(0.0, f64::max);
        let after_first = times[1..].iter().copied().fold(0.0, f64::max);
        println!(
            "KEPT-ALIVE {path} ({encoding}): 20 sequential requests, slowest {slowest:.2} ms, slowest after the first {after_first:.2} ms, median {:.2} ms",
            median(times.clone())
        );
    }
    drop(redis);
}
