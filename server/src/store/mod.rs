//! The SQLite store (sqlx): projects with their work packages, risks, milestones and
//! snapshots; templates; reports with their sections, audit log and event log; the frozen
//! form of approved reports; API tokens and sessions. Migrations run at start. Every query
//! is timed as `database_query`. Writes happen in one transaction with their event.

mod comments;
mod events;
pub mod frozen;
mod project_rows;
mod projects;
mod reports;
mod tokens;

use std::future::Future;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use monitor::Monitor;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

pub use comments::NewComment;
pub use events::{RoomState, TooOld};
pub use project_rows::ProjectSummary;
pub use reports::{AuditEntry, NewReport, NewSection, ReportRow, Saved, SectionEdit, SectionRow, TemplateSection};
pub use tokens::{Session, TokenRow};

use crate::error::{Context, Error, Result};

#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
    monitor: Arc<Monitor>,
}

impl Store {
    /// Opens (creating if needed) the database and runs the migrations.
    pub async fn connect(url: &str, monitor: Arc<Monitor>) -> Result<Self> {
        ensure_parent_dir(url)?;
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .foreign_keys(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .context("running the store's migrations")?;
        Ok(Self { pool, monitor })
    }

    /// Runs one store operation, timing it under `database_query`.
    async fn timed<T>(&self, fut: impl Future<Output = Result<T>>) -> Result<T> {
        let started = Instant::now();
        let out = fut.await;
        self.monitor
            .record_timing("database_query", started.elapsed().as_secs_f64() * 1000.0);
        out
    }

    /// A transaction that will write. SQLite's default `BEGIN` is deferred: it takes the
    /// write lock only at the first write, and if another writer got there first it fails
    /// at once with "database is locked" — the busy timeout does not apply to that upgrade.
    /// `BEGIN IMMEDIATE` takes the lock up front, so concurrent writers queue (up to the
    /// busy timeout) instead of failing.
    async fn write_tx(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Readiness: the store answers a trivial query.
    pub async fn ping(&self) -> Result<()> {
        self.timed(async {
            sqlx::query("SELECT 1").execute(&self.pool).await?;
            Ok(())
        })
        .await
    }
}

/// `sqlite://data/pmr.db` → make sure `data/` exists; SQLite creates only the file.
fn ensure_parent_dir(url: &str) -> Result<()> {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let path = path.split('?').next().unwrap_or(path);
    if path.is_empty() || path.starts_with(':') {
        return Ok(());
    }
    let path = std::path::Path::new(path);
    if let Some(dir) = path.parent() {
        if !dir.as_os_str().is_empty() && !dir.exists() {
            private_dir(dir).map_err(|e| Error::internal(format!("cannot create {}: {e}", dir.display())))?;
        }
    }
    if !path.exists() {
        private_file(path).map_err(|e| Error::internal(format!("cannot create {}: {e}", path.display())))?;
    }
    Ok(())
}

/// The data directory and database file hold token hashes and every project's figures:
/// readable by their owner only. (SQLite gives its `-wal` and `-shm` files the database
/// file's permissions.)
#[cfg(unix)]
fn private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

#[cfg(unix)]
fn private_file(path: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map(drop)
}

#[cfg(not(unix))]
fn private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

#[cfg(not(unix))]
fn private_file(path: &std::path::Path) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map(drop)
}

/// A row the store wrote but cannot read back: a server fault, never the client's.
pub(crate) fn corrupt(e: impl std::fmt::Display) -> Error {
    Error::internal(format!("stored data is unreadable: {e}"))
}

/// Now, as the RFC 3339 text the store keeps.
pub fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
