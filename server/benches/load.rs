//! Load benchmark (issues 4 and 7), in one run against one release-built server with its
//! own redis-server:
//! 1. the warm lazy-section server function (cache hit in Redis) beside the same server
//!    answering a constant in-memory value of the same size (the ceiling), at 32 concurrent
//!    connections — throughput ratio and p99;
//! 2. the same warm section with the performance monitor on and off, side by side.
//!
//! Rounds alternate so drift on a busy machine hits both sides alike.
//! The load comes from `wrk` (C, one thread), so the client takes as little of the two
//! cores as possible.
//! Run: `cargo bench -p server --features bench --bench load` (PMR_LOAD_SECONDS per round).
#![allow(clippy::print_stdout)]

use std::collections::HashMap;
use std::sync::Arc;

use app::dto::Role;
use app::services::Services;
use server::config::Config;
use server::startup::Application;

// The tests' own redis-server launcher (free port, stoppable), shared rather than copied.
#[path = "../tests/api/redis_server.rs"]
#[allow(dead_code)] // the tests also stop and restart it; the benchmark only starts it
mod redis_server;

use redis_server::RedisServer;

// wrk driven the same way by every load benchmark.
#[path = "support/wrk.rs"]
mod wrk;

use wrk::{median, Target, CONNECTIONS};

/// The lazy-section call as the island makes it, to `url` (a server-function path).
fn section_call(url: &str, token: &str, body: &str) -> Target {
    Target {
        name: "post",
        method: "POST",
        path: url.to_owned(),
        headers: vec![
            ("Content-Type".into(), "application/x-www-form-urlencoded".into()),
            ("Authorization".into(), format!("Bearer {token}")),
        ],
        body: Some(body.to_owned()),
    }
}

/// CPU time this process (the server) has used, in µs, from `/proc/self/stat` (Linux).
fn process_cpu_us() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may contain spaces) start after ") ".
    let rest = stat.rsplit_once(") ").map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the line, i.e. 11 and 12 after the name.
    (ticks(11) + ticks(12)) * 1_000_000.0 / 100.0
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
        let redis = RedisServer::start();
        let vars: HashMap<String, String> = [
            ("PMR_LISTEN", "127.0.0.1:0".to_owned()),
            ("DATABASE_URL", format!("sqlite://{}/load.db", dir.path().display())),
            ("REDIS_URL", redis.url()),
            ("PMR_DEMO", "true".to_owned()),
            ("RUST_LOG", "error".to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let app = Application::build(Config::from_vars(vars).expect("config")).await.expect("app");
        let addr = app.local_addr().expect("addr");
        let state = app.state().clone();
        let (_, token) = state.auth.create_token("load", Role::Viewer).await.expect("token");
        let real = state
            .services
            .section_html(
                &app::domain::ReportId::parse("everest-2026-10").expect("id"),
                &app::domain::SectionId::parse("forecast").expect("id"),
                None,
            )
            .await
            .expect("section");
        let size = real.html.len();
        app::bench::set_constant(real);
        tokio::spawn(app.run_until(std::future::pending()));

        // As the island sends it: with the version the page was rendered with.
        let body = "report_id=everest-2026-10&section_id=forecast&version=1";
        let base = format!("http://{addr}");
        let section = "/api/fn/report_section".to_owned();
        let constant = "/api/fn/bench_constant".to_owned();
        let work = dir.path().to_owned();
        let bench = |url: String, seconds: f64| {
            let (work, token) = (work.clone(), token.clone());
            let base = base.clone();
            tokio::task::spawn_blocking(move || wrk::run(&work, &base, &section_call(&url, &token, body), seconds))
        };
        bench(section.clone(), 2.0).await.expect("warm-up");
        println!("payload: {size} bytes of section HTML; {CONNECTIONS} connections; {seconds} s per round");

        let (mut s_rps, mut s_p99, mut c_rps, mut c_p99) = (vec![], vec![], vec![], vec![]);
        for round in 1..=3 {
            let s = bench(section.clone(), seconds).await.expect("wrk");
            let c = bench(constant.clone(), seconds).await.expect("wrk");
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

        // The monitor's cost per request is a few hundred nanoseconds against ~150 µs of
        // work, below run-to-run throughput noise on this machine; so pair the runs,
        // alternate which goes first, take the median pair ratio — and also measure what
        // the difference really is: the server's CPU time per request.
        let monitor = Arc::clone(state.services.monitor());
        let mut ratios = vec![];
        let (mut on_all, mut off_all, mut on_cpu, mut off_cpu) = (vec![], vec![], vec![], vec![]);
        for round in 1..=6 {
            let mut pair = [0.0, 0.0];
            let mut cpu = [0.0, 0.0];
            for enabled in if round % 2 == 1 { [true, false] } else { [false, true] } {
                monitor.set_enabled(enabled);
                let before = process_cpu_us();
                let r = bench(section.clone(), seconds).await.expect("wrk");
                let used = process_cpu_us() - before;
                pair[usize::from(!enabled)] = r.rps;
                cpu[usize::from(!enabled)] = used / r.requests.max(1) as f64;
            }
            println!(
                "round {round}: monitor on {:.0} req/s, {:.1} µs CPU/req | off {:.0} req/s, {:.1} µs CPU/req",
                pair[0], cpu[0], pair[1], cpu[1]
            );
            ratios.push(pair[0] / pair[1]);
            on_all.push(pair[0]);
            off_all.push(pair[1]);
            on_cpu.push(cpu[0]);
            off_cpu.push(cpu[1]);
        }
        monitor.set_enabled(true);
        let (on_c, off_c) = (median(on_cpu), median(off_cpu));
        println!(
            "MONITOR: on {:.0} req/s, off {:.0} req/s (medians); median paired ratio on/off {:.3} ({:+.1} %); \
             server CPU per request on {on_c:.1} µs, off {off_c:.1} µs ({:+.1} %)",
            median(on_all),
            median(off_all),
            median(ratios.clone()),
            (median(ratios) - 1.0) * 100.0,
            (on_c / off_c - 1.0) * 100.0
        );
    });
}
