//! The SQLite store (sqlx): projects with their work packages, risks, milestones and
//! snapshots; templates; reports with their sections and audit log; API tokens and
//! sessions. Migrations run at start. Every query is timed as `database_query`.

mod projects;
mod reports;
mod tokens;

use std::future::Future;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use monitor::Monitor;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

pub use projects::ProjectSummary;
pub use reports::{NewReport, NewSection, ReportRow, SectionRow, TemplateSection};
pub use tokens::{Session, TokenRow};

use crate::error::{Error, Result};

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
            .map_err(|e| Error::Internal(format!("migration failed: {e}")))?;
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
    if let Some(dir) = std::path::Path::new(path).parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::Internal(format!("cannot create {}: {e}", dir.display())))?;
        }
    }
    Ok(())
}

/// Now, as the RFC 3339 text the store keeps.
pub fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
