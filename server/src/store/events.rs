//! The report event log: appending inside a writing transaction (next offset, gap-free),
//! reading a range back for clients that resume, and trimming what nobody can ask for.

use app::domain::ReportId;
use sqlx::{Any, Transaction};

use super::{corrupt, Store};
use crate::error::Result;
use crate::events::{now_ms, ReportEvent, StoredEvent};

/// Events kept per report: at least the last this many…
pub const KEEP_EVENTS: i64 = 1_000;
/// …and every one younger than this.
pub const KEEP_MS: i64 = 24 * 3600 * 1000;

/// Appends `event` to `report`'s log inside `tx` and returns it with its offset. The
/// transaction holds the write lock, so `last_offset + 1` is gap-free and unique.
pub(super) async fn append(
    tx: &mut Transaction<'static, Any>,
    report: &ReportId,
    actor: &str,
    event: ReportEvent,
) -> Result<StoredEvent> {
    let offset: i64 =
        sqlx::query_scalar("UPDATE reports SET last_offset = last_offset + 1 WHERE id = $1 RETURNING last_offset")
            .bind(report.as_str())
            .fetch_one(&mut **tx)
            .await?;
    record(tx, report, offset, actor, event).await
}

/// Stores `event` under `offset`, which the caller took inside `tx` by moving the report's
/// `last_offset` on (as [`append`] does; an edit does it in the statement that also checks
/// the report is still editable, to save a round trip).
pub(super) async fn record(
    tx: &mut Transaction<'static, Any>,
    report: &ReportId,
    offset: i64,
    actor: &str,
    event: ReportEvent,
) -> Result<StoredEvent> {
    let at_ms = now_ms();
    sqlx::query(
        "INSERT INTO report_events (report_id, seq, kind, payload, actor, at_ms) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(report.as_str())
    .bind(offset)
    .bind(event.kind())
    .bind(payload(&event)?)
    .bind(actor)
    .bind(at_ms as i64)
    .execute(&mut **tx)
    .await?;
    recorded(tx, report, offset, at_ms, actor, event).await
}

/// The `payload` column of an event's row: its data, as JSON text.
pub(super) fn payload(event: &ReportEvent) -> Result<String> {
    let value = serde_json::to_value(event).map_err(corrupt)?;
    Ok(value["data"].to_string())
}

/// After an event's row is written under `offset` inside `tx`: trims the log now and then
/// (every 100th offset, not on every write) and returns the event as stored.
pub(super) async fn recorded(
    tx: &mut Transaction<'static, Any>,
    report: &ReportId,
    offset: i64,
    at_ms: u64,
    actor: &str,
    event: ReportEvent,
) -> Result<StoredEvent> {
    if offset % 100 == 0 {
        sqlx::query("DELETE FROM report_events WHERE report_id = $1 AND seq <= $2 AND at_ms < $3")
            .bind(report.as_str())
            .bind(offset - KEEP_EVENTS)
            .bind(at_ms as i64 - KEEP_MS)
            .execute(&mut **tx)
            .await?;
    }
    Ok(StoredEvent {
        report: report.clone(),
        offset: offset as u64,
        at_ms,
        actor: actor.to_owned(),
        event,
    })
}

#[derive(sqlx::FromRow)]
struct EventRecord {
    seq: i64,
    kind: String,
    payload: String,
    actor: String,
    at_ms: i64,
}

/// A resume point older than the kept log: the client must reload the state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooOld {
    /// The oldest offset still kept.
    pub oldest: u64,
}

impl Store {
    /// Every event of `report` after `since`, in order — or `TooOld` when some of them
    /// are no longer kept. At most `limit` events.
    pub async fn events_since(
        &self,
        report: &ReportId,
        since: u64,
        limit: u32,
    ) -> Result<std::result::Result<Vec<StoredEvent>, TooOld>> {
        self.timed(async {
            let oldest: Option<i64> = sqlx::query_scalar("SELECT MIN(seq) FROM report_events WHERE report_id = $1")
                .bind(report.as_str())
                .fetch_one(&self.pool)
                .await?;
            let last: i64 = sqlx::query_scalar("SELECT last_offset FROM reports WHERE id = $1")
                .bind(report.as_str())
                .fetch_optional(&self.pool)
                .await?
                .unwrap_or(0);
            let since = i64::try_from(since).unwrap_or(i64::MAX);
            if since >= last {
                return Ok(Ok(Vec::new()));
            }
            // Events since..=last must all be here: the first wanted is since + 1.
            match oldest {
                Some(o) if o <= since + 1 => {}
                _ => {
                    return Ok(Err(TooOld {
                        oldest: oldest.unwrap_or(last + 1) as u64,
                    }))
                }
            }
            let rows: Vec<EventRecord> = sqlx::query_as(
                "SELECT seq, kind, payload, actor, at_ms FROM report_events WHERE report_id = $1 AND seq > $2 \
                 ORDER BY seq LIMIT $3",
            )
            .bind(report.as_str())
            .bind(since)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
            let events = rows
                .into_iter()
                .map(|r| {
                    let payload: serde_json::Value = serde_json::from_str(&r.payload).map_err(corrupt)?;
                    let event: ReportEvent =
                        serde_json::from_value(serde_json::json!({ "type": r.kind, "data": payload }))
                            .map_err(corrupt)?;
                    Ok(StoredEvent {
                        report: report.clone(),
                        offset: r.seq as u64,
                        at_ms: r.at_ms as u64,
                        actor: r.actor,
                        event,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(Ok(events))
        })
        .await
    }

    /// The latest offset of a report (0 before its first event).
    pub async fn last_offset(&self, report: &ReportId) -> Result<u64> {
        self.timed(async {
            let last: Option<i64> = sqlx::query_scalar("SELECT last_offset FROM reports WHERE id = $1")
                .bind(report.as_str())
                .fetch_optional(&self.pool)
                .await?;
            Ok(last.unwrap_or(0) as u64)
        })
        .await
    }
}

/// What a client joining a report's room starts from, read in one transaction so the
/// offset and the state agree.
#[derive(Debug, Clone)]
pub struct RoomState {
    pub offset: u64,
    /// Every section's version, by id.
    pub section_versions: Vec<(String, u32)>,
    pub comments: Vec<app::services::Comment>,
}

impl Store {
    /// The room state of a report, or `NotFound`.
    pub async fn room_state(&self, report: &ReportId) -> Result<RoomState> {
        self.timed(async {
            let mut tx = self.snapshot_tx().await?;
            let last: Option<i64> = sqlx::query_scalar("SELECT last_offset FROM reports WHERE id = $1")
                .bind(report.as_str())
                .fetch_optional(&mut *tx)
                .await?;
            let last = last.ok_or_else(|| crate::error::Error::NotFound(format!("report {report:?}")))?;
            let versions: Vec<(String, i64)> =
                sqlx::query_as("SELECT id, version FROM report_sections WHERE report_id = $1 ORDER BY seq")
                    .bind(report.as_str())
                    .fetch_all(&mut *tx)
                    .await?;
            let comments = super::comments::list(&mut tx, report).await?;
            tx.commit().await?;
            Ok(RoomState {
                offset: last as u64,
                section_versions: versions
                    .into_iter()
                    .map(|(id, v)| (id, u32::try_from(v).unwrap_or(u32::MAX)))
                    .collect(),
                comments,
            })
        })
        .await
    }
}
