//! What instances share through the store (SPEC §7): the cluster log (cache invalidations
//! made while Redis was away, credentials that ended), sign-in failures, and generation
//! claims (one generation per request key at a time, whichever instance is asked).

use sqlx::AnyConnection;

use super::Store;
use crate::error::Result;
use crate::events::now_ms;

/// One entry of the cluster log.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct LogEntry {
    pub seq: i64,
    pub kind: String,
    pub payload: String,
}

/// Entries are kept this long: an instance more than an hour behind restarts from now.
const LOG_KEEP_MS: i64 = 3600 * 1000;
/// The log is trimmed of entries older than that on every this-many-th append.
const TRIM_EVERY: i64 = 100;

/// An entry for the cluster log that a write adds in its own transaction, so that other
/// instances hear of it exactly when the write is committed.
#[derive(Debug, Clone, Copy)]
pub struct LogNote<'a> {
    pub kind: &'a str,
    pub payload: &'a str,
}

/// Appends `note` on `conn` (on its own, or inside the caller's transaction).
pub(super) async fn log_on(conn: &mut AnyConnection, note: LogNote<'_>) -> Result<()> {
    let now = now_ms() as i64;
    let seq: i64 =
        sqlx::query_scalar("INSERT INTO cluster_log (kind, payload, at_ms) VALUES ($1, $2, $3) RETURNING seq")
            .bind(note.kind)
            .bind(note.payload)
            .bind(now)
            .fetch_one(&mut *conn)
            .await?;
    trim_log(conn, seq, now).await
}

/// After entry `seq` was added at `now`: drops entries older than [`LOG_KEEP_MS`], but only
/// on every [`TRIM_EVERY`]-th entry. Every edit adds one; trimming on each doubled an edit's
/// round trips, and an hour's entries are kept either way.
pub(super) async fn trim_log(conn: &mut AnyConnection, seq: i64, now: i64) -> Result<()> {
    if seq % TRIM_EVERY == 0 {
        sqlx::query("DELETE FROM cluster_log WHERE at_ms < $1")
            .bind(now - LOG_KEEP_MS)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// How a generation claim stands for the one who asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// Ours: generate, then [`Store::finish_claim`].
    Won,
    /// Another instance (or request) is generating it; this report when it is done.
    Taken(Option<String>),
}

impl Store {
    pub async fn log_append(&self, kind: &str, payload: &str) -> Result<()> {
        self.timed(async {
            let mut conn = self.pool.acquire().await?;
            log_on(&mut conn, LogNote { kind, payload }).await
        })
        .await
    }

    /// Entries after `seq` and those numbered in `gaps` (numbers skipped earlier, see
    /// `cluster::cursor`), oldest first, at most 1,000.
    pub async fn log_since(&self, seq: i64, gaps: &[i64]) -> Result<Vec<LogEntry>> {
        // The gaps are this process's own integers, written into the statement: a list
        // bound as one parameter would need arrays, which the `Any` driver does not carry.
        let sql = if gaps.is_empty() {
            "SELECT seq, kind, payload FROM cluster_log WHERE seq > $1 ORDER BY seq LIMIT 1000".to_owned()
        } else {
            let list: Vec<String> = gaps.iter().map(i64::to_string).collect();
            format!(
                "SELECT seq, kind, payload FROM cluster_log WHERE seq > $1 OR seq IN ({}) ORDER BY seq LIMIT 1000",
                list.join(", ")
            )
        };
        self.timed(async { Ok(sqlx::query_as(&sql).bind(seq).fetch_all(&self.pool).await?) })
            .await
    }

    /// The latest entry's number (where a starting instance begins reading).
    pub async fn log_head(&self) -> Result<i64> {
        self.timed(async {
            let head: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM cluster_log")
                .fetch_one(&self.pool)
                .await?;
            Ok(head.unwrap_or(0))
        })
        .await
    }

    /// Counts a failed sign-in for `key` within a window of `window_ms`; the failures in
    /// the window so far (this one included).
    pub async fn count_sign_in_failure(&self, key: &str, window_ms: i64) -> Result<i64> {
        self.timed(async {
            let now = now_ms() as i64;
            let (_turn, mut tx) = self.write_tx().await?;
            let n: i64 = sqlx::query_scalar(
                "INSERT INTO sign_in_failures (key, window_start, failures) VALUES ($1, $2, 1) \
                 ON CONFLICT (key) DO UPDATE SET \
                   failures = CASE WHEN sign_in_failures.window_start < $3 THEN 1 ELSE sign_in_failures.failures + 1 END, \
                   window_start = CASE WHEN sign_in_failures.window_start < $3 THEN $2 ELSE sign_in_failures.window_start END \
                 RETURNING failures",
            )
            .bind(key)
            .bind(now)
            .bind(now - window_ms)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM sign_in_failures WHERE window_start < $1")
                .bind(now - 10 * window_ms)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(n)
        })
        .await
    }

    /// Claims the generation of `key` for `ttl_ms`, unless someone holds a live claim.
    pub async fn claim_generation(&self, key: &str, ttl_ms: i64) -> Result<Claim> {
        self.timed(async {
            let now = now_ms() as i64;
            let (_turn, mut tx) = self.write_tx().await?;
            // A claim that expired (its holder crashed, or finished long ago) is free again.
            sqlx::query("DELETE FROM generation_claims WHERE key = $1 AND expires_ms < $2")
                .bind(key)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            let inserted = sqlx::query(
                "INSERT INTO generation_claims (key, report_id, expires_ms) VALUES ($1, NULL, $2) \
                 ON CONFLICT (key) DO NOTHING",
            )
            .bind(key)
            .bind(now + ttl_ms)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let claim = if inserted == 1 {
                Claim::Won
            } else {
                let report: Option<Option<String>> =
                    sqlx::query_scalar("SELECT report_id FROM generation_claims WHERE key = $1")
                        .bind(key)
                        .fetch_optional(&mut *tx)
                        .await?;
                Claim::Taken(report.flatten())
            };
            tx.commit().await?;
            Ok(claim)
        })
        .await
    }

    /// Records the report a claim made (followers pick it up); `None` gives the claim up
    /// (the generation failed: the next one tries itself). The claim stays a little while
    /// for followers still polling, then expires.
    pub async fn finish_claim(&self, key: &str, report: Option<&str>, linger_ms: i64) -> Result<()> {
        self.timed(async {
            match report {
                Some(id) => {
                    sqlx::query("UPDATE generation_claims SET report_id = $1, expires_ms = $2 WHERE key = $3")
                        .bind(id)
                        .bind(now_ms() as i64 + linger_ms)
                        .bind(key)
                        .execute(&self.pool)
                        .await?;
                }
                None => {
                    sqlx::query("DELETE FROM generation_claims WHERE key = $1")
                        .bind(key)
                        .execute(&self.pool)
                        .await?;
                }
            }
            Ok(())
        })
        .await
    }
}
