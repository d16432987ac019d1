//! Saving a custom section's Markdown: the hottest write of live collaboration (every
//! keystroke batch of every editor), so it is built to take as few statements as it can.
//! The transaction checks what the caller would otherwise have to read first — that the
//! report is editable and the section is a custom one at the editor's base version — inside
//! the statements that write, and only when one of them writes nothing does it read back
//! why. The services layer owns the cache; this file only writes.

use app::domain::{ReportId, ReportStatus, SectionId};
use app::dto::SectionKind;

use sqlx::{Any, Transaction};

use super::cluster::{log_on, trim_log, LogNote};
use super::events::{payload, record, recorded};
use super::reports::audit;
use super::{corrupt, now_text, Dialect, Store};
use crate::error::{Error, Result};
use crate::events::{now_ms, ReportEvent, StoredEvent};

/// A custom section's new text, saved against the version it was edited from.
#[derive(Debug, Clone, Copy)]
pub struct SectionEdit<'a> {
    pub report: &'a ReportId,
    pub section: &'a SectionId,
    pub base_version: u32,
    pub markdown: &'a str,
    /// The Markdown rendered (sanitised), carried by the event.
    pub html: &'a str,
    /// Its placeholder's row count.
    pub rows: u32,
    pub actor: &'a str,
    /// What to add to the cluster log in the same transaction (the evictions other
    /// instances must make once the edit is committed), if anything.
    pub note: Option<LogNote<'a>>,
}

/// The result of saving a section against a base version.
#[derive(Debug, Clone, PartialEq)]
pub enum Saved {
    Saved(StoredEvent),
    /// Someone saved first: the current version and Markdown, so nothing is lost.
    Stale {
        current_version: u32,
        current_markdown: String,
    },
}

/// The statuses whose sections people may still write: the ones that are not frozen
/// (`ReportStatus::is_frozen`; a test keeps the two in step).
const EDITABLE: [ReportStatus; 2] = [ReportStatus::Draft, ReportStatus::Review];

/// Takes the report's next event offset and stamps `updated_at` in one statement, only if
/// the report is still editable. Both this and [`AT_ONCE`] lock the report's row before the
/// section's, as a status move does, so on PostgreSQL an approval and an edit queue rather
/// than deadlock, and an edit waiting behind an approval sees the new status once it gets
/// the row (PostgreSQL re-checks the condition on the row it waited for).
const TAKE_OFFSET: &str = "UPDATE reports SET last_offset = last_offset + 1, updated_at = $1 \
     WHERE id = $2 AND status IN ($3, $4) RETURNING last_offset";

/// Writes the text only over the version the editor started from, and only in a custom
/// section: the version check and the kind check are the statement's own condition.
const WRITE_SECTION: &str = "UPDATE report_sections SET markdown = $1, rows = $2, version = version + 1 \
     WHERE report_id = $3 AND id = $4 AND version = $5 AND kind = $6";

/// Why an edit wrote nothing, read only then: the report's status and the section as it is.
const WHY_NOT: &str = "SELECT r.status, s.kind, s.version, s.markdown FROM reports r \
     LEFT JOIN report_sections s ON s.report_id = r.id AND s.id = $2 WHERE r.id = $1";

/// PostgreSQL runs the whole edit as one statement: its data-modifying `WITH` parts see
/// each other's `RETURNING` rows, so the section is written only if the offset was taken,
/// and the audit entry, the event and the cluster-log note (when there is one, `$15`) only
/// if both were — one round trip where the steps above take four or five. (SQLite has no
/// data-modifying `WITH`; there each step is a hop to sqlx's connection thread, not a
/// network round trip.) Nothing returned: the transaction is rolled back and [`why_not`]
/// says why, as on SQLite.
const AT_ONCE: &str = "WITH r AS (UPDATE reports SET last_offset = last_offset + 1, updated_at = $1 \
         WHERE id = $2 AND status IN ($3, $4) RETURNING last_offset), \
     s AS (UPDATE report_sections SET markdown = $5, rows = $6, version = version + 1 \
         WHERE report_id = $2 AND id = $7 AND version = $8 AND kind = $9 AND EXISTS (SELECT 1 FROM r) \
         RETURNING id), \
     a AS (INSERT INTO audit_log (report_id, action, actor, at, detail) \
         SELECT $2, 'section_edited', $10, $1, $7 FROM r, s), \
     e AS (INSERT INTO report_events (report_id, seq, kind, payload, actor, at_ms) \
         SELECT $2, r.last_offset, $11, $12, $10, $13 FROM r, s), \
     l AS (INSERT INTO cluster_log (kind, payload, at_ms) \
         SELECT $14, $15, $13 FROM r, s WHERE $15 IS NOT NULL RETURNING seq) \
     SELECT r.last_offset, (SELECT seq FROM l) FROM r, s";

impl Store {
    /// Saves a custom section's Markdown (and its rendered HTML, for the event) if the
    /// report is editable and `base_version` is still current, with its audit entry and its
    /// event (and its note for the cluster log), in one transaction: four statements on
    /// SQLite (five with a note), one on PostgreSQL. A stale
    /// base is [`Saved::Stale`]; an unknown report or section is `NotFound`, a computed
    /// section `Invalid`, a frozen report `Conflict` — all with nothing written.
    pub async fn update_markdown(&self, edit: &SectionEdit<'_>) -> Result<Saved> {
        let event = ReportEvent::SectionUpdated {
            section_id: edit.section.clone(),
            version: edit.base_version + 1,
            content: edit.markdown.to_owned(),
            html: edit.html.to_owned(),
            user: edit.actor.to_owned(),
        };
        self.timed(async {
            let (_turn, mut tx) = self.write_tx().await?;
            let stored = match self.dialect {
                Dialect::Sqlite => step_by_step(&mut tx, edit, event).await?,
                Dialect::Postgres => at_once(&mut tx, edit, event).await?,
            };
            let Some(stored) = stored else {
                // Dropping the transaction rolls back whatever was written: no offset
                // taken, no gap.
                return why_not(&mut tx, edit.report, edit.section).await;
            };
            tx.commit().await?;
            Ok(Saved::Saved(stored))
        })
        .await
    }

    /// The ids and versions of a report's sections of one kind (none for an unknown report).
    /// A report's section list is fixed when it is generated, and only custom sections'
    /// versions ever move (the edit's statements above touch no other kind), so for any
    /// other kind callers may keep the answer.
    pub async fn sections_of_kind(&self, report: &ReportId, kind: SectionKind) -> Result<Vec<(SectionId, u32)>> {
        self.timed(async {
            let rows: Vec<(String, i64)> = sqlx::query_as(
                "SELECT id, version FROM report_sections WHERE report_id = $1 AND kind = $2 ORDER BY seq",
            )
            .bind(report.as_str())
            .bind(kind.as_str())
            .fetch_all(&self.pool)
            .await?;
            rows.into_iter()
                .map(|(id, version)| {
                    Ok((
                        SectionId::parse(&id).map_err(corrupt)?,
                        u32::try_from(version).map_err(corrupt)?,
                    ))
                })
                .collect()
        })
        .await
    }
}

/// The edit as four statements in `tx` (five with a note); `None` when the report is not
/// editable or the section not a custom one at the base version (something may be written:
/// roll back).
async fn step_by_step(
    tx: &mut Transaction<'static, Any>,
    edit: &SectionEdit<'_>,
    event: ReportEvent,
) -> Result<Option<StoredEvent>> {
    let offset: Option<i64> = sqlx::query_scalar(TAKE_OFFSET)
        .bind(now_text())
        .bind(edit.report.as_str())
        .bind(EDITABLE[0].as_str())
        .bind(EDITABLE[1].as_str())
        .fetch_optional(&mut **tx)
        .await?;
    let Some(offset) = offset else { return Ok(None) };
    let done = sqlx::query(WRITE_SECTION)
        .bind(edit.markdown)
        .bind(i64::from(edit.rows))
        .bind(edit.report.as_str())
        .bind(edit.section.as_str())
        .bind(i64::from(edit.base_version))
        .bind(SectionKind::Custom.as_str())
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() != 1 {
        return Ok(None);
    }
    audit(tx, edit.report, "section_edited", edit.actor, edit.section.as_str()).await?;
    if let Some(note) = edit.note {
        log_on(tx, note).await?;
    }
    Ok(Some(record(tx, edit.report, offset, edit.actor, event).await?))
}

/// The edit as the one statement [`AT_ONCE`] in `tx`; `None` as for [`step_by_step`].
async fn at_once(
    tx: &mut Transaction<'static, Any>,
    edit: &SectionEdit<'_>,
    event: ReportEvent,
) -> Result<Option<StoredEvent>> {
    let at_ms = now_ms();
    let row: Option<(i64, Option<i64>)> = sqlx::query_as(AT_ONCE)
        .bind(now_text())
        .bind(edit.report.as_str())
        .bind(EDITABLE[0].as_str())
        .bind(EDITABLE[1].as_str())
        .bind(edit.markdown)
        .bind(i64::from(edit.rows))
        .bind(edit.section.as_str())
        .bind(i64::from(edit.base_version))
        .bind(SectionKind::Custom.as_str())
        .bind(edit.actor)
        .bind(event.kind())
        .bind(payload(&event)?)
        .bind(at_ms as i64)
        .bind(edit.note.map(|n| n.kind))
        .bind(edit.note.map(|n| n.payload))
        .fetch_optional(&mut **tx)
        .await?;
    let Some((offset, log_seq)) = row else { return Ok(None) };
    if let Some(seq) = log_seq {
        trim_log(tx, seq, at_ms as i64).await?;
    }
    Ok(Some(recorded(tx, edit.report, offset, at_ms, edit.actor, event).await?))
}

/// What stopped an edit, in the order a reader would check: the report, the section, its
/// kind, the report's status, and last the version (the only answer that is not an error).
async fn why_not(tx: &mut Transaction<'static, Any>, report: &ReportId, section: &SectionId) -> Result<Saved> {
    type Row = (String, Option<String>, Option<i64>, Option<String>);
    let row: Option<Row> = sqlx::query_as(WHY_NOT)
        .bind(report.as_str())
        .bind(section.as_str())
        .fetch_optional(&mut **tx)
        .await?;
    let (status, kind, version, current_markdown) = row.ok_or_else(|| Error::NotFound(format!("report {report:?}")))?;
    let (Some(kind), Some(version), Some(current_markdown)) = (kind, version, current_markdown) else {
        return Err(Error::NotFound(format!("section {section:?} in report {report:?}")));
    };
    if kind != SectionKind::Custom.as_str() {
        return Err(Error::invalid(
            "section_id",
            "only custom sections are written by people",
        ));
    }
    let status = ReportStatus::parse(&status).map_err(corrupt)?;
    if !EDITABLE.contains(&status) {
        return Err(Error::Conflict(format!("report is {status}; its sections are frozen")));
    }
    Ok(Saved::Stale {
        current_version: u32::try_from(version).map_err(corrupt)?,
        current_markdown,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editable_statuses_are_exactly_the_unfrozen_ones() {
        let unfrozen: Vec<ReportStatus> = ReportStatus::ALL.into_iter().filter(|s| !s.is_frozen()).collect();
        assert_eq!(unfrozen, EDITABLE.to_vec());
    }
}
