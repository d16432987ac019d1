//! The hub's costs: fanning one publication out to 1,000 members of a room, and the memory of
//! an idle connection (budget ≤ 16 KiB, later ≤ 12 KiB).
//!
//! - `publish/1000_members`: the publisher's side — encode once, sequence, push one `Arc`
//!   into 1,000 queues and wake 1,000 tasks. This is what an edit costs the writer.
//! - `deliver/1000_members`: publish and wait until all 1,000 connections have written it
//!   (batching off, so no window is measured): the whole fan-out on this machine's cores.
//!   Between iterations every member has caught up, so no queue builds up.
//! - Memory (printed before the timings): the connection future's size, and the resident
//!   memory added by 10,000 idle connections (200 rooms × 50 users) divided by 10,000. Sink
//!   and stream are zero-sized, so the figure is the hub's own per-connection state: task,
//!   future, queue, room membership. The server adds its WebSocket's buffers on top.

use std::convert::Infallible;
use std::hint::black_box;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime};

use criterion::{criterion_group, Criterion};
use futures::Sink;
use hub::protocol::{Event, SectionUpdated};
use hub::{
    Backend, Command, ErrorReply, Frame, HistoryError, Hub, HubConfig, Join, Principal, Refusal, Reply, ReportId, Role,
    Snapshot, StoredEvent,
};
use tokio::runtime::Runtime;

/// Admits everyone at offset 0; nothing to replay; edits refused (the bench publishes).
struct Quiet;

impl Backend for Quiet {
    async fn join(&self, _: &ReportId, _: &Principal) -> Result<Snapshot, Refusal> {
        Ok(Snapshot::default())
    }

    async fn events_since(&self, _: &ReportId, _: u64) -> Result<Vec<StoredEvent>, HistoryError> {
        Ok(Vec::new())
    }

    async fn handle(&self, _: &ReportId, _: &Principal, _: Command) -> Result<Reply, ErrorReply> {
        Err(ErrorReply::new("read_only", "benchmark"))
    }
}

/// What a [`Counting`] sink has seen, and a way to wait for it without spinning.
#[derive(Default)]
struct Tally {
    states: AtomicUsize,
    events: AtomicUsize,
    lock: Mutex<()>,
    changed: Condvar,
}

impl Tally {
    /// Blocks until `counter` (one of ours) reaches `target`.
    fn wait(&self, counter: &AtomicUsize, target: usize) {
        let mut guard = self.lock.lock().unwrap_or_else(PoisonError::into_inner);
        while counter.load(Ordering::SeqCst) < target {
            guard = match self.changed.wait_timeout(guard, Duration::from_millis(1)) {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
    }
}

/// A sink that drops what it is given, counting `session_state` and `section_updated` frames.
#[derive(Clone)]
struct Counting(Arc<Tally>);

impl Sink<Frame> for Counting {
    type Error = Infallible;

    fn poll_ready(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn start_send(self: Pin<&mut Self>, frame: Frame) -> Result<(), Infallible> {
        let Frame::Text(text) = frame else { return Ok(()) };
        let counter = if text.starts_with(br#"{"type":"section_updated""#) {
            &self.0.events
        } else if text.starts_with(br#"{"type":"session_state""#) {
            &self.0.states
        } else {
            return Ok(());
        };
        counter.fetch_add(1, Ordering::SeqCst);
        let _guard = self.0.lock.lock().unwrap_or_else(PoisonError::into_inner);
        self.0.changed.notify_all();
        Ok(())
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn poll_close(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }
}

const MEMBERS: usize = 1_000;
/// A room holds at most `WS_MAX_PARTICIPANTS` (50) users: 1,000 members are 50 users with 20
/// tabs each, as a big review meeting might be.
const USERS: usize = 50;

/// Batching off: a delivery is one frame per member, with no window to wait out.
fn config() -> HubConfig {
    HubConfig {
        enable_batching: false,
        max_connections: 20_000,
        ..HubConfig::default()
    }
}

fn join(report: &str, user: String) -> Join {
    Join {
        report: ReportId::new(report),
        principal: Principal::new(user.as_str(), Role::Viewer),
        since: None,
    }
}

/// `n` idle connections in `report` (of [`USERS`] users), each writing into `sink`.
fn connect_all(rt: &Runtime, hub: &Hub<Quiet>, report: &str, n: usize, sink: &Counting) {
    for i in 0..n {
        let (hub, join, sink) = (hub.clone(), join(report, format!("u{}", i % USERS)), sink.clone());
        let stream = futures::stream::pending::<Result<Frame, Infallible>>();
        rt.spawn(async move { hub.serve(join, sink, stream).await });
    }
}

fn event(offset: u64) -> StoredEvent {
    let update = SectionUpdated {
        section_id: "notes".into(),
        version: 2,
        content: "A paragraph of a custom section, as an editor would type it.".into(),
        html: "<p>A paragraph of a custom section, as an editor would type it.</p>".into(),
        user: "ann".into(),
        offset,
    };
    StoredEvent::new(Event::SectionUpdated(update), SystemTime::now())
}

fn fanout(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let hub = Hub::new(config(), Quiet).expect("hub");
    let written = Counting(Arc::new(Tally::default()));
    connect_all(&rt, &hub, "r1", MEMBERS, &written);
    let tally = &written.0;
    tally.wait(&tally.states, MEMBERS);
    let report = ReportId::new("r1");
    let offset = AtomicU64::new(0);
    // One publication, then (untimed for `publish`) until every member has written it, so
    // queues never build up across iterations.
    let run = |iters: u64, whole: bool| {
        let mut timed = Duration::ZERO;
        for _ in 0..iters {
            let next = offset.fetch_add(1, Ordering::Relaxed) + 1;
            let target = tally.events.load(Ordering::SeqCst) + MEMBERS;
            let start = Instant::now();
            hub.publish(black_box(&report), event(next));
            if !whole {
                timed += start.elapsed();
            }
            tally.wait(&tally.events, target);
            if whole {
                timed += start.elapsed();
            }
        }
        timed
    };
    let mut group = c.benchmark_group("fanout");
    group.bench_function("publish/1000_members", |b| b.iter_custom(|iters| run(iters, false)));
    group.bench_function("deliver/1000_members", |b| b.iter_custom(|iters| run(iters, true)));
    group.finish();
    let closes = hub.stats().closes;
    assert_eq!(closes.slow_consumer, 0, "every member kept up");
    rt.block_on(hub.shutdown());
}

/// Resident set size of this process, from `/proc/self/statm` (Linux).
fn resident_bytes() -> Option<usize> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: usize = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

fn memory() {
    const IDLE: usize = 10_000;
    const PER_ROOM: usize = 50;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let hub = Hub::new(config(), Quiet).expect("hub");
    let sample = hub.serve(
        join("r0", "u0".into()),
        futures::sink::drain::<Frame>(),
        futures::stream::pending::<Result<Frame, Infallible>>(),
    );
    eprintln!("hub memory: connection future {} bytes", size_of_val(&sample));
    drop(sample);

    let written = Counting(Arc::new(Tally::default()));
    let tally = &written.0;
    // Warm the runtime and allocator with one room first, so the delta is the connections'.
    connect_all(&rt, &hub, "warm", PER_ROOM, &written);
    tally.wait(&tally.states, PER_ROOM);
    let before = resident_bytes();
    for room in 0..IDLE / PER_ROOM {
        connect_all(&rt, &hub, &format!("room{room}"), PER_ROOM, &written);
    }
    tally.wait(&tally.states, PER_ROOM + IDLE);
    std::thread::sleep(Duration::from_millis(200));
    if let (Some(before), Some(after)) = (before, resident_bytes()) {
        let per = after.saturating_sub(before) / IDLE;
        eprintln!("hub memory: {IDLE} idle connections add {per} bytes each (resident, incl. heap and task)");
    }
    let stats = hub.stats();
    eprintln!(
        "hub memory: {} connections in {} rooms",
        stats.connections, stats.active_sessions
    );
    rt.block_on(hub.shutdown());
}

criterion_group!(benches, fanout);

fn main() {
    memory();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
