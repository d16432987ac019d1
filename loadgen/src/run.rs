//! One run, in phases: open every connection (publishers and readers spread over the rooms
//! and servers), hold, publish for the measured window (with an optional storm), stop
//! publishing, let deliveries drain, stop, and gather the outcome.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;

use crate::conn::Server;
use crate::ctx::{Ctx, Signals};
use crate::error::{Error, Result};
use crate::procs::{self, Sample};
use crate::report::{Outcome, Percentiles, Process};
use crate::seed::Seed;
use crate::tally::Tally;
use crate::{publisher, subscriber};

/// Everything a run is told.
#[derive(Clone, Debug)]
pub struct RunConfig {
    pub label: String,
    /// Server addresses (`ws://` or `http://`); connections are spread over them.
    pub servers: Vec<String>,
    pub seed: Seed,
    pub connections: usize,
    pub rooms: usize,
    /// Edits per room per second (0: idle connections only).
    pub rate: f64,
    pub duration: Duration,
    pub ramp_timeout: Duration,
    pub connect_concurrency: usize,
    pub section: String,
    pub payload: usize,
    /// Readers that stop reading (in rooms of their own), and their rooms' edit size.
    pub stall: usize,
    pub stall_payload: usize,
    /// Every connection drops and reconnects at once this far into the measured window.
    pub storm_at: Option<Duration>,
    /// Server processes to watch.
    pub pids: Vec<u32>,
    pub drain: Duration,
    pub backoff_base: Duration,
    pub backoff_cap: Duration,
    /// Where to read `/websocket/stats` at the end (`http://host:port`); empty: `servers`.
    pub stats_urls: Vec<String>,
    /// Written (empty) when publishing starts, so a script can time drills from it.
    pub ready_file: Option<std::path::PathBuf>,
}

pub async fn run(config: RunConfig) -> Result<Outcome> {
    if config.seed.reports.len() < config.rooms {
        return Err(Error::TooFewReports {
            needed: config.rooms,
            have: config.seed.reports.len(),
        });
    }
    let ctx = Arc::new(context(&config)?);
    let before = procs::sample_all(&config.pids);
    let client_before = procs::sample(std::process::id());

    let ramp_started = Instant::now();
    let mut tasks = spawn_all(&ctx, &config);
    wait_for_connections(&ctx, config.connections as i64, config.ramp_timeout).await;
    let ramp_s = ramp_started.elapsed().as_secs_f64();
    let held_after_ramp = ctx.tally.connected();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let held = procs::sample_all(&config.pids);

    let measured = Instant::now();
    ctx.publishing.store(true, Ordering::Relaxed);
    if let Some(path) = &config.ready_file {
        std::fs::write(path, b"").map_err(|source| Error::Output {
            path: path.display().to_string(),
            source,
        })?;
    }
    let dips = tokio::spawn(watch_dips(ctx.clone(), config.connections as u64));
    if let Some(at) = config.storm_at {
        let storm_ctx = ctx.clone();
        tokio::spawn(async move {
            tokio::time::sleep(at).await;
            storm_ctx.signals.storm.send_modify(|n| *n += 1);
        });
    }
    tokio::time::sleep(config.duration).await;
    ctx.publishing.store(false, Ordering::Relaxed);
    let measured_s = measured.elapsed().as_secs_f64();
    let after = procs::sample_all(&config.pids);
    let client_after = procs::sample(std::process::id());
    let held_at_end = ctx.tally.connected();

    tokio::time::sleep(config.drain).await;
    let _ = ctx.signals.stop.send(true);
    let (dip_count, longest_dip) = dips.await.unwrap_or((0, Duration::ZERO));
    let _ = tokio::time::timeout(Duration::from_secs(15), async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
    tasks.abort_all();
    let end = procs::sample_all(&config.pids);

    let mut outcome = gather(&ctx, &config, measured_s);
    outcome.ramp_s = ramp_s;
    outcome.held_after_ramp = held_after_ramp;
    outcome.held_at_end = held_at_end;
    outcome.dips = dip_count;
    outcome.longest_dip_ms = longest_dip.as_secs_f64() * 1000.0;
    outcome.processes = processes(&config.pids, [&before, &held, &after, &end], measured_s);
    per_connection(&mut outcome, &before, &held, &after, measured_s);
    outcome.client_cpu_percent = match (client_before, client_after) {
        (Some(b), Some(a)) => Some((a.cpu_s - b.cpu_s) / (ramp_s + 1.0 + measured_s) * 100.0),
        _ => None,
    };
    outcome.load_average = procs::load_average();
    outcome.server_stats = server_stats(&ctx, &config.stats_urls).await;
    outcome.server_slow_consumer_closes = outcome
        .server_stats
        .iter()
        .filter_map(|s| s.pointer("/closes/slow_consumer").and_then(serde_json::Value::as_u64))
        .sum();
    Ok(outcome)
}

/// Each server's own `/websocket/stats` at the end (best effort: a killed instance has none).
/// The server's count of slow-consumer closes is the authoritative one: a reader cut off
/// while its buffers are full may see a reset rather than the 4001 close frame.
async fn server_stats(ctx: &Ctx, urls: &[String]) -> Vec<serde_json::Value> {
    const PATH: &str = "/api/reports/pmr/performance/websocket/stats";
    let Ok(client) = reqwest::Client::builder().timeout(Duration::from_secs(5)).build() else {
        return Vec::new();
    };
    let bases: Vec<String> = if urls.is_empty() {
        ctx.servers.iter().map(Server::http).collect()
    } else {
        urls.iter().map(|u| u.trim_end_matches('/').to_owned()).collect()
    };
    let mut all = Vec::new();
    for base in bases {
        let answer = client
            .get(format!("{base}{PATH}"))
            .bearer_auth(&ctx.editor_token)
            .send()
            .await;
        if let Ok(response) = answer {
            if let Ok(v) = response.json::<serde_json::Value>().await {
                all.push(v);
            }
        }
    }
    all
}

fn context(config: &RunConfig) -> Result<Ctx> {
    let servers = config
        .servers
        .iter()
        .map(|s| Server::parse(s))
        .collect::<Result<Vec<_>>>()?;
    let rooms = config.rooms;
    let (storm, _) = watch::channel(0);
    let (stop, _) = watch::channel(false);
    Ok(Ctx {
        servers,
        reports: config.seed.reports[..rooms].to_vec(),
        editor_token: config.seed.editor_token.clone(),
        viewer_token: config.seed.viewer_token.clone(),
        section: config.section.clone(),
        payload: config.payload,
        stall_payload: config.stall_payload,
        rate: config.rate,
        room_last: (0..rooms).map(|_| AtomicU64::new(0)).collect(),
        room_publisher_server: (0..rooms).map(|r| AtomicUsize::new(r % config.servers.len())).collect(),
        stalled_rooms: (0..rooms).map(|r| r < config.stall).collect(),
        handshakes: Semaphore::new(config.connect_concurrency.max(1)),
        backoff_base: config.backoff_base,
        backoff_cap: config.backoff_cap,
        publishing: AtomicBool::new(false),
        signals: Signals { storm, stop },
        tally: Tally::default(),
    })
}

/// Connection `i` is in room `i % rooms`; the first of each room publishes (when there is a
/// rate), the next `stall` (one per room, rooms 0…) stop reading; the k-th of a room prefers
/// server `(room + k) % servers`, so with two servers half the readers are on the
/// publisher's instance and half are not.
fn spawn_all(ctx: &Arc<Ctx>, config: &RunConfig) -> JoinSet<()> {
    let mut tasks = JoinSet::new();
    let servers = config.servers.len();
    for i in 0..config.connections {
        let room = i % config.rooms;
        let k = i / config.rooms;
        let home = (room + k) % servers;
        let seed = 0x5eed_0000 + i as u64;
        if k == 0 && config.rate > 0.0 {
            tasks.spawn(publisher::run(ctx.clone(), publisher::Editor { room, home, seed }));
        } else {
            let stalled = k == 1 && room < config.stall;
            let reader = subscriber::Reader {
                room,
                home,
                stalled,
                seed,
            };
            tasks.spawn(subscriber::run(ctx.clone(), reader));
        }
    }
    tasks
}

async fn wait_for_connections(ctx: &Ctx, target: i64, timeout: Duration) {
    let until = Instant::now() + timeout;
    while ctx.tally.connected() < target && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Watches the open-connection count until the run stops: how often it fell below the
/// target (connections still trying), and the longest time until it was back.
async fn watch_dips(ctx: Arc<Ctx>, target: u64) -> (u64, Duration) {
    let mut dips = 0;
    let mut longest = Duration::ZERO;
    let mut since: Option<Instant> = None;
    while !ctx.stopping() {
        let want = target.saturating_sub(Tally::get(&ctx.tally.gave_up));
        let below = (ctx.tally.connected().max(0) as u64) < want;
        match (below, since) {
            (true, None) => {
                since = Some(Instant::now());
                dips += 1;
            }
            (false, Some(t)) => {
                longest = longest.max(t.elapsed());
                since = None;
            }
            _ => {}
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    if let Some(t) = since {
        longest = longest.max(t.elapsed());
    }
    (dips, longest)
}

fn gather(ctx: &Ctx, config: &RunConfig, measured_s: f64) -> Outcome {
    let t = &ctx.tally;
    let get = Tally::get;
    let same = t.latency_same.snapshot();
    let cross = t.latency_cross.snapshot();
    let mut all = same.clone();
    let _ = all.add(&cross);
    let delivered = get(&t.delivered);
    Outcome {
        label: config.label.clone(),
        servers: config.servers.len(),
        rooms: config.rooms,
        connections: config.connections,
        rate_per_room: config.rate,
        duration_s: measured_s,
        edits_sent: get(&t.edits_sent),
        acks: get(&t.acks),
        edits_skipped: get(&t.edits_skipped),
        conflicts: get(&t.conflicts),
        errors: get(&t.errors),
        delivered,
        events_per_s: delivered as f64 / measured_s,
        lost: get(&t.lost),
        duplicated: get(&t.duplicated),
        out_of_order: get(&t.out_of_order),
        resyncs: get(&t.resyncs),
        refused: get(&t.refused),
        connect_errors: get(&t.connect_errors),
        closed_slow_4001: get(&t.closed_slow),
        closed_other: get(&t.closed_other),
        reconnects: get(&t.reconnects),
        latency: Percentiles::of(&all),
        latency_same: Percentiles::of(&same),
        latency_cross: Percentiles::of(&cross),
        ack_latency: Percentiles::of(&t.ack_latency.snapshot()),
        ..Outcome::default()
    }
}

type Samples = Vec<Option<Sample>>;

fn processes(pids: &[u32], [before, held, after, end]: [&Samples; 4], measured_s: f64) -> Vec<Process> {
    pids.iter()
        .enumerate()
        .map(|(i, &pid)| {
            let cpu = match (held[i], after[i]) {
                (Some(h), Some(a)) => Some(a.cpu_s - h.cpu_s),
                _ => None,
            };
            Process {
                pid,
                rss_before_kib: before[i].map(|s| s.rss_kib),
                rss_held_kib: held[i].map(|s| s.rss_kib),
                rss_end_kib: end[i].or(after[i]).map(|s| s.rss_kib),
                cpu_measured_s: cpu,
                cpu_percent: cpu.map(|c| c / measured_s * 100.0),
            }
        })
        .collect()
}

/// RSS growth per connection (ramp) and CPU per connection per second (measured window),
/// over every watched process that lived through the run.
fn per_connection(o: &mut Outcome, before: &Samples, held: &Samples, after: &Samples, measured_s: f64) {
    if before.is_empty() || o.held_after_ramp <= 0 {
        return;
    }
    let conns = o.held_after_ramp as f64;
    let mut rss = 0.0;
    let mut cpu = 0.0;
    for i in 0..before.len() {
        let (Some(b), Some(h), Some(a)) = (before[i], held[i], after[i]) else {
            return;
        };
        rss += h.rss_kib as f64 - b.rss_kib as f64;
        cpu += a.cpu_s - h.cpu_s;
    }
    o.rss_per_connection_kib = Some(rss / conns);
    o.cpu_us_per_connection_s = Some(cpu * 1e6 / measured_s / conns);
}
