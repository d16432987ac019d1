//! Load benchmark (issues 4 and 7), in one run against one release-built server with its
//! own redis-server:
//! 1. the warm lazy-section server function (cache hit in Redis) beside the same server
//!    answering a constant in-memory value of the same size (the ceiling), at 32 concurrent
//!    connections — throughput ratio and p99;
//! 2. the same warm section with the performance monitor on and off, side by side.
//! Rounds alternate so drift on a busy machine hits both sides alike.
//! Run: `cargo bench -p server --features bench --bench load` (PMR_LOAD_SECONDS per round).
#![allow(clippy::print_stdout)]

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::dto::Role;
use server::config::Config;
use server::startup::Application;

const CONNECTIONS: usize = 32;

struct Redis(Child);

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn start_redis(port: u16, dir: &std::path::Path) -> Redis {
    let child = Command::new("redis-server")
        .args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .arg("--dir")
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("redis-server on PATH");
    for _ in 0..200 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Redis(child);
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    panic!("redis-server did not start");
}

struct Outcome {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: usize,
}

/// `CONNECTIONS` clients, each sending its next request as soon as the last is answered.
async fn run(client: &reqwest::Client, url: &str, token: &str, body: &str, seconds: f64) -> Outcome {
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CONNECTIONS {
        let (client, url, token, body) = (client.clone(), url.to_owned(), token.to_owned(), body.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0;
            while Instant::now() < deadline {
                let t0 = Instant::now();
                let res = client
                    .post(&url)
                    .bearer_auth(&token)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(body.clone())
                    .send()
                    .await;
                match res {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        latencies.push(t0.elapsed().as_secs_f64() * 1000.0);
                    }
                    _ => errors += 1,
                }
            }
            (latencies, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await.expect("client task");
        all.extend(l);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_by(f64::total_cmp);
    let pct = |q: f64| {
        all.get(((q * all.len() as f64).ceil() as usize).saturating_sub(1))
            .copied()
            .unwrap_or(f64::NAN)
    };
    Outcome {
        rps: all.len() as f64 / elapsed,
        p50_ms: pct(0.5),
        p99_ms: pct(0.99),
        errors,
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let seconds: f64 = std::env::var("PMR_LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(8.0);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_stack_size(8 * 1024 * 1024)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let dir = tempfile::tempdir().expect("temp dir");
        let redis_port = free_port();
        let _redis = start_redis(redis_port, dir.path());
        let vars: HashMap<String, String> = [
            ("PMR_LISTEN", "127.0.0.1:0".to_owned()),
            ("DATABASE_URL", format!("sqlite://{}/load.db", dir.path().display())),
            ("REDIS_URL", format!("redis://127.0.0.1:{redis_port}/0")),
            ("PMR_DEMO", "true".to_owned()),
            ("RUST_LOG", "error".to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let app = Application::build(Config::from_vars(vars).expect("config")).await.expect("app");
        let addr = app.local_addr().expect("addr");
        let state = app.state().clone();
        let (_, token) = server::auth::tokens::create(&state.services.store, "load", Role::Viewer)
            .await
            .expect("token");
        let real = state.services.lazy_section("everest-2026-10", "forecast").await.expect("section");
        let size = real.html.len();
        app::bench::set_constant(real);
        tokio::spawn(app.run_until(std::future::pending()));

        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(CONNECTIONS * 2)
            .build()
            .expect("client");
        let body = "report_id=everest-2026-10&section_id=forecast";
        let section = format!("http://{addr}/api/fn/report_section");
        let constant = format!("http://{addr}/api/fn/bench_constant");
        run(&client, &section, &token, body, 2.0).await; // warm-up
        println!("payload: {size} bytes of section HTML; {CONNECTIONS} connections; {seconds} s per round");

        let (mut s_rps, mut s_p99, mut c_rps, mut c_p99) = (vec![], vec![], vec![], vec![]);
        for round in 1..=3 {
            let s = run(&client, &section, &token, body, seconds).await;
            let c = run(&client, &constant, &token, body, seconds).await;
            println!(
                "round {round}: section {:.0} req/s p50 {:.2} ms p99 {:.2} ms ({} errors) | ceiling {:.0} req/s p50 {:.2} ms p99 {:.2} ms ({} errors)",
                s.rps, s.p50_ms, s.p99_ms, s.errors, c.rps, c.p50_ms, c.p99_ms, c.errors
            );
            s_rps.push(s.rps);
            s_p99.push(s.p99_ms);
            c_rps.push(c.rps);
            c_p99.push(c.p99_ms);
        }
        let (sr, cr) = (median(s_rps), median(c_rps));
        println!(
            "CACHE: warm section {sr:.0} req/s (p99 {:.2} ms), ceiling {cr:.0} req/s (p99 {:.2} ms): {:.2} of the ceiling",
            median(s_p99),
            median(c_p99),
            sr / cr
        );

        let monitor = Arc::clone(&state.monitor);
        let (mut on, mut off) = (vec![], vec![]);
        for round in 1..=3 {
            monitor.set_enabled(true);
            let a = run(&client, &section, &token, body, seconds).await;
            monitor.set_enabled(false);
            let b = run(&client, &section, &token, body, seconds).await;
            println!("round {round}: monitor on {:.0} req/s | off {:.0} req/s", a.rps, b.rps);
            on.push(a.rps);
            off.push(b.rps);
        }
        monitor.set_enabled(true);
        let (on, off) = (median(on), median(off));
        println!("MONITOR: on {on:.0} req/s, off {off:.0} req/s: on is {:+.1} % of off", (on / off - 1.0) * 100.0);
    });
}
