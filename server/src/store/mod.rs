//! The SQLite store (sqlx): projects with their work packages, risks, milestones and
//! snapshots; templates; reports with their sections, audit log and event log; the frozen
//! form of approved reports; API tokens and sessions. Migrations run at start. Every query
//! is timed as `database_query`. Writes happen in one transaction with their event.

mod cluster;
mod comments;
mod edits;
mod events;
pub mod frozen;
mod project_rows;
mod projects;
mod report_rows;
mod reports;
mod tokens;

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use monitor::Monitor;
use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;
use sqlx::{Any, Executor};

pub use cluster::{Claim, LogEntry, LogNote};
pub use comments::NewComment;
pub use edits::{Saved, SectionEdit};
pub use events::{RoomState, TooOld};
pub use project_rows::ProjectSummary;
pub use report_rows::{AuditEntry, NewReport, NewSection, ReportRow, SectionRow, TemplateSection};
pub use tokens::{Session, TokenRow};

use crate::error::{Context, Error, Result};

/// Which database the store talks to: the same queries (`$n` placeholders, standard SQL),
/// each dialect's own migrations and transaction openers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// A file, one process (the default).
    Sqlite,
    /// Several instances sharing one database.
    Postgres,
}

impl Dialect {
    /// The dialect of a `DATABASE_URL`, or why the store cannot serve it.
    pub fn of(url: &str) -> std::result::Result<Self, String> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            Err("must be a sqlite:… file or a postgres://… URL".into())
        }
    }
}

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    dialect: Dialect,
    monitor: Arc<Monitor>,
    /// On SQLite, whose turn it is to write (see [`Store::write_tx`]).
    writer: Arc<tokio::sync::Mutex<()>>,
}

/// A writer's turn on SQLite, held until its transaction is over; nothing on PostgreSQL.
type WriteTurn = Option<tokio::sync::OwnedMutexGuard<()>>;

/// How long a writer waits for its turn before the store answers "busy": SQLite's own busy
/// timeout, which the turn replaces.
const WRITE_TURN_WAIT: Duration = Duration::from_secs(5);

impl Store {
    /// Opens the database (creating an SQLite file if needed) and runs its migrations.
    pub async fn connect(url: &str, monitor: Arc<Monitor>) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let dialect = Dialect::of(url).map_err(|rule| Error::invalid("DATABASE_URL", rule))?;
        let pool = match dialect {
            Dialect::Sqlite => {
                ensure_parent_dir(url)?;
                AnyPoolOptions::new()
                    .max_connections(8)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            // WAL lets readers and one writer work at once; a writer waits for
                            // the lock up to 5 s instead of failing.
                            conn.execute(
                                "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; \
                                 PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;",
                            )
                            .await
                            .map(drop)
                        })
                    })
                    .connect(url)
                    .await?
            }
            Dialect::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(5))
                    .connect(url)
                    .await?
            }
        };
        let migrated = match dialect {
            Dialect::Sqlite => sqlx::migrate!("./migrations/sqlite").run(&pool).await,
            Dialect::Postgres => sqlx::migrate!("./migrations/postgres").run(&pool).await,
        };
        migrated.context("running the store's migrations")?;
        Ok(Self {
            pool,
            dialect,
            monitor,
            writer: Arc::new(tokio::sync::Mutex::new(())),
        })
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Runs one store operation, timing it under `database_query`.
    async fn timed<T>(&self, fut: impl Future<Output = Result<T>>) -> Result<T> {
        let started = Instant::now();
        let out = fut.await;
        self.monitor
            .record_timing("database_query", started.elapsed().as_secs_f64() * 1000.0);
        out
    }

    /// A transaction that will write, and on SQLite the writer's turn to hold until it is
    /// over (bind it: `let (_turn, mut tx) = …`).
    ///
    /// SQLite has one writer at a time. Its default `BEGIN` is deferred: it takes the write
    /// lock only at the first write, and if another writer got there first it fails at once
    /// with "database is locked" — the busy timeout does not apply to that upgrade; so a
    /// writer begins `IMMEDIATE`. And writers take turns here first, in arrival order, each
    /// woken the moment the one before it is done: left to SQLite, a writer that finds the
    /// lock taken sleeps in its busy handler's steps (1, 2, 5, 10 … 100 ms) and checks
    /// again, which under a thousand edits a second made queueing of a few milliseconds
    /// into waits of hundreds. PostgreSQL locks rows as they are written (the report's row
    /// serialises its offsets); writers there do not take turns.
    async fn write_tx(&self) -> Result<(WriteTurn, sqlx::Transaction<'static, Any>)> {
        Ok(match self.dialect {
            Dialect::Sqlite => {
                let turn = tokio::time::timeout(WRITE_TURN_WAIT, self.writer.clone().lock_owned())
                    .await
                    .map_err(|_| Error::Busy {
                        reason: "the store is busy writing; try again".to_owned(),
                        retry_after_secs: 1,
                    })?;
                (Some(turn), self.pool.begin_with("BEGIN IMMEDIATE").await?)
            }
            Dialect::Postgres => (None, self.pool.begin().await?),
        })
    }

    /// A transaction whose reads all see one state (a joiner's room: its offset and its
    /// state must agree). SQLite's read transaction in WAL mode already is one snapshot.
    async fn snapshot_tx(&self) -> Result<sqlx::Transaction<'static, Any>> {
        Ok(match self.dialect {
            Dialect::Sqlite => self.pool.begin().await?,
            Dialect::Postgres => {
                self.pool
                    .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?
            }
        })
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
