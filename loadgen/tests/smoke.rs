//! CI smoke test of the load generator (issue 15): the real server (debug build, in process,
//! its own SQLite file, no Redis) seeded through its JSON API, then a few hundred connections
//! over a few rooms with edits for a few seconds. Asserts what must hold at any speed: every
//! connection held, every edit answered, nothing lost or duplicated. No timing assertions —
//! the figures are BENCHMARKS.md's business.

use std::collections::HashMap;
use std::time::Duration;

use pmr_load::{seed, RunConfig};
use server::config::Config;
use server::startup::Application;

const CONNECTIONS: usize = 300;
const ROOMS: usize = 12;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_few_hundred_connections_lose_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(&dir).await;

    let project = server::demo::projects()
        .expect("demo builds")
        .into_iter()
        .find(|p| p.id.as_str() == "ion")
        .expect("ion is in the demo");
    let plan = seed::Plan {
        base: format!("http://{}", server.addr),
        admin_token: server.admin_token.clone(),
        rooms: ROOMS,
        project: serde_json::to_value(&project).expect("serialises"),
        period: "2026-10".into(),
        template: "technical".into(),
        prefix: "smoke".into(),
    };
    let seeded = seed::seed(&plan).await.expect("seeded");

    let outcome = pmr_load::run(RunConfig {
        label: "smoke".into(),
        servers: vec![format!("ws://{}", server.addr)],
        seed: seeded,
        connections: CONNECTIONS,
        rooms: ROOMS,
        rate: 4.0,
        duration: Duration::from_secs(3),
        ramp_timeout: Duration::from_secs(20),
        connect_concurrency: 64,
        section: "technical-progress".into(),
        payload: 100,
        stall: 0,
        stall_payload: 0,
        storm_at: None,
        pids: vec![],
        drain: Duration::from_secs(2),
        backoff_base: Duration::from_millis(100),
        backoff_cap: Duration::from_secs(1),
        stats_urls: vec![],
        ready_file: None,
    })
    .await
    .expect("the run completes");

    let summary = outcome.summary();
    assert_eq!(outcome.held_after_ramp, CONNECTIONS as i64, "{summary}");
    assert_eq!(outcome.held_at_end, CONNECTIONS as i64, "{summary}");
    assert_eq!((outcome.lost, outcome.duplicated), (0, 0), "{summary}");
    assert_eq!(outcome.out_of_order, 0, "{summary}");
    assert_eq!(
        (outcome.refused, outcome.closed_other, outcome.closed_slow_4001),
        (0, 0, 0),
        "{summary}"
    );
    assert!(outcome.acks > 0, "{summary}");
    let readers_per_room = (CONNECTIONS / ROOMS - 1) as u64;
    assert_eq!(
        outcome.delivered,
        outcome.acks * readers_per_room,
        "every ack reached every reader: {summary}"
    );
}

/// The server on a free port with its own runtime (as `pmr serve` has), stopped on drop.
struct Server {
    addr: std::net::SocketAddr,
    admin_token: String,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Server {
    async fn start(dir: &tempfile::TempDir) -> Self {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let vars: HashMap<String, String> = [
            ("PMR_LISTEN", "127.0.0.1:0".to_owned()),
            ("DATABASE_URL", format!("sqlite://{}/pmr.db", dir.path().display())),
            ("REDIS_URL", "off".into()),
            ("PMR_DEMO", "false".into()),
            ("PMR_SITE_ROOT", root.join("target/site").display().to_string()),
            ("PMR_GENERATE_PER_MINUTE", "1000".into()),
            ("PMR_MC_ITERATIONS", "1000".into()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let config = Config::from_vars(vars).expect("valid config");
        let app = Application::build(config).await.expect("app builds");
        let addr = app.local_addr().expect("bound");
        let admin_token = app.bootstrap_token.clone().expect("first start makes an admin token");
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_stack_size(8 * 1024 * 1024)
            .enable_all()
            .build()
            .expect("server runtime");
        runtime.spawn(app.run_until(std::future::pending()));
        Self {
            addr,
            admin_token,
            runtime: Some(runtime),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}
