//! What one edit of a custom section costs on its write path (issue 15): edits one after
//! another through the services' one write path — the same call the WebSocket backend and
//! the JSON API make — on SQLite and on PostgreSQL.
//!
//! The store operations per edit are counted (every one is timed as `database_query`; the
//! Prometheus histogram's count is exact) and asserted: exactly one per edit on SQLite,
//! where nothing else runs in the background; on PostgreSQL one per edit plus at most the
//! cluster poller's reads in the meantime. The time per edit is only ever printed:
//!
//! ```sh
//! cargo test -p server --test api edit_cost -- --nocapture
//! ```

use std::time::Instant;

use app::domain::{ReportId, SectionId};
use app::dto::Role;
use app::services::Principal;
use server::services::Edit;

use crate::collab::NOTES;
use crate::helpers::{sample_project, spawn_app, spawn_with, Options, TestApp};
use crate::pg_server::PgServer;

/// Edits timed after the warm-up ones.
const TIMED: u32 = 300;
const WARM_UP: u32 = 20;

fn editor() -> Principal {
    Principal {
        name: "editor".into(),
        role: Role::Editor,
        signed_in: true,
    }
}

/// A technical report of `app`, and its custom section at version 1.
async fn report(app: &TestApp) -> (ReportId, SectionId) {
    app.import(&sample_project("atlas")).await;
    let id = app.generate("atlas", "2026-10", "technical").await;
    (ReportId::parse(&id).expect("id"), SectionId::parse(NOTES).expect("id"))
}

/// Saves `n` edits in a row from `version` on; the version after them.
async fn edits(app: &TestApp, (report, section): &(ReportId, SectionId), mut version: u32, n: u32) -> u32 {
    let by = editor();
    for i in 0..n {
        let text = format!("Edit {i}: **progress** is steady, nothing blocks the next milestone.");
        match app
            .state
            .services
            .write_markdown(&by, report, section, version, &text)
            .await
            .expect("edit")
        {
            Edit::Saved(written, _) => version = written.version,
            Edit::Stale { .. } => panic!("nobody else edits"),
        }
    }
    version
}

/// Store operations so far and the seconds spent in them (the monitor's window keeps only
/// the last thousand timings, so the histogram, which counts every one, is read).
fn store_ops(app: &TestApp) -> (u64, f64) {
    app.state
        .services
        .monitor()
        .registry()
        .gather()
        .iter()
        .filter(|family| family.name() == "pmr_operation_duration_seconds")
        .flat_map(|family| family.get_metric())
        .filter(|m| {
            m.get_label()
                .iter()
                .any(|l| l.name() == "operation" && l.value() == "database_query")
        })
        .map(|m| (m.get_histogram().get_sample_count(), m.get_histogram().get_sample_sum()))
        .fold((0, 0.0), |(n, s), (dn, ds)| (n + dn, s + ds))
}

/// Store operations and time of `TIMED` edits after a warm-up, printed for whoever runs it
/// (the figures in BENCHMARKS.md come from here): the whole write path per edit (debug
/// builds spend much of it rendering Markdown), and the part of it spent in the store.
#[allow(clippy::print_stdout)]
async fn measure(app: &TestApp, dialect: &str) -> (u64, f64) {
    let target = report(app).await;
    let version = edits(app, &target, 1, WARM_UP).await;
    let (ops_before, secs_before) = store_ops(app);
    let started = Instant::now();
    edits(app, &target, version, TIMED).await;
    let elapsed = started.elapsed();
    let (ops_after, secs_after) = store_ops(app);
    let ops = ops_after - ops_before;
    let per_edit = |secs: f64| secs * 1e6 / f64::from(TIMED);
    println!(
        "{dialect}: {TIMED} edits in a row: {:.0} µs per edit, {:.0} µs of it in the store; \
         {:.2} store operations per edit",
        per_edit(elapsed.as_secs_f64()),
        per_edit(secs_after - secs_before),
        ops as f64 / f64::from(TIMED),
    );
    (ops, elapsed.as_secs_f64())
}

/// One store operation per edit on SQLite: the edit's transaction. Nothing is read first
/// (not the outline, which every edit evicts), and nothing is logged for other instances.
#[tokio::test]
async fn an_edit_on_sqlite_is_one_store_operation() {
    let app = spawn_app().await;
    let (ops, _) = measure(&app, "sqlite").await;
    assert_eq!(ops, u64::from(TIMED));
}

/// On PostgreSQL it is one as well — the transaction also writes the eviction to the
/// cluster log for the other instances — but the cluster poller reads the store meanwhile
/// (one read of the log every half second, and without Redis a room catch-up every second;
/// no rooms are open here), so the count may exceed one per edit by those reads. The edit
/// path before this cut took four per edit.
#[tokio::test]
async fn an_edit_on_postgres_is_one_store_operation_besides_the_pollers_reads() {
    let pg = PgServer::start();
    let app = spawn_with(Options {
        vars: vec![("DATABASE_URL", pg.database())],
        ..Options::default()
    })
    .await;
    let (ops, seconds) = measure(&app, "postgres").await;
    let poller_reads = 2 * ((seconds / 0.5).ceil() as u64 + 2);
    assert!(
        (u64::from(TIMED)..=u64::from(TIMED) + poller_reads).contains(&ops),
        "{ops} store operations for {TIMED} edits in {seconds:.2} s"
    );
}
