//! Templates, reports, their sections and audit log (a section's edit, the hot write, is
//! `edits.rs`). Every write here happens in one transaction together with its event (see
//! `events.rs`) and returns the stored event for the caller to publish. The rows and their
//! mapping are `report_rows.rs`.

use std::collections::HashMap;

use app::domain::{ReportId, ReportStatus, SectionId, Template};
use engine::ProjectId;
use sqlx::{Any, Transaction};

use super::events::append;
use super::frozen::FrozenSection;
use super::report_rows::{
    AuditEntry, NewReport, ReportRecord, ReportRow, SectionRecord, SectionRow, TemplateSection, REPORT_COLUMNS,
};
use super::{corrupt, now_text, Store};
use crate::error::{Error, Result};
use crate::events::{ReportEvent, StoredEvent};

impl Store {
    pub async fn template(&self, id: Template) -> Result<Vec<TemplateSection>> {
        self.timed(async {
            let json: Option<String> = sqlx::query_scalar("SELECT sections FROM templates WHERE id = $1")
                .bind(id.as_str())
                .fetch_optional(&self.pool)
                .await?;
            let json = json.ok_or_else(|| Error::internal(format!("template {id} is not in the store")))?;
            serde_json::from_str(&json).map_err(corrupt)
        })
        .await
    }

    /// A free report id: `base`, else `base-2`, `base-3`, …
    pub async fn free_report_id(&self, base: &str) -> Result<ReportId> {
        self.timed(async {
            let taken: Vec<String> = sqlx::query_scalar("SELECT id FROM reports WHERE id = $1 OR id LIKE $2")
                .bind(base)
                .bind(format!("{base}-%"))
                .fetch_all(&self.pool)
                .await?;
            let id = if taken.iter().any(|t| t == base) {
                let n = (2..).find(|n| !taken.contains(&format!("{base}-{n}"))).unwrap_or(2);
                format!("{base}-{n}")
            } else {
                base.to_owned()
            };
            ReportId::parse(&id).map_err(|e| Error::internal(format!("report id {id:?}: {e}")))
        })
        .await
    }

    /// Stores a new report with its sections and its first event; `None` (and nothing
    /// written) when its id was taken meanwhile by a concurrent generation.
    pub async fn create_report(&self, r: &NewReport) -> Result<Option<StoredEvent>> {
        self.timed(async {
            let now = now_text();
            let (_turn, mut tx) = self.write_tx().await?;
            let taken: Option<i64> = sqlx::query_scalar("SELECT 1 FROM reports WHERE id = $1")
                .bind(r.id.as_str())
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some() {
                return Ok(None);
            }
            sqlx::query(
                "INSERT INTO reports (id, project_id, period, template, title, status, version, iterations, \
                 generated_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'draft', 1, $6, $7, $8, $9)",
            )
            .bind(r.id.as_str())
            .bind(r.project_id.as_str())
            .bind(r.period.to_string())
            .bind(r.template.as_str())
            .bind(&r.title)
            .bind(i64::from(r.iterations))
            .bind(&r.generated_by)
            .bind(&now)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
            for (seq, s) in r.sections.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO report_sections (report_id, id, seq, kind, title, priority, version, markdown, rows) \
                     VALUES ($1, $2, $3, $4, $5, $6, 1, '', $7)",
                )
                .bind(r.id.as_str())
                .bind(s.id.as_str())
                .bind(seq as i64)
                .bind(s.kind.as_str())
                .bind(&s.title)
                .bind(s.priority.as_str())
                .bind(i64::from(s.rows))
                .execute(&mut *tx)
                .await?;
            }
            audit(
                &mut tx,
                &r.id,
                "generated",
                &r.generated_by,
                &format!("template {}", r.template),
            )
            .await?;
            let event = ReportEvent::ReportChanged {
                status: Some(ReportStatus::Draft),
                sections: Some(r.sections.iter().map(|s| s.id.clone()).collect()),
            };
            let stored = append(&mut tx, &r.id, &r.generated_by, event).await?;
            tx.commit().await?;
            Ok(Some(stored))
        })
        .await
    }

    pub async fn report(&self, id: &ReportId) -> Result<(ReportRow, Vec<SectionRow>)> {
        self.timed(async {
            let row: ReportRecord = sqlx::query_as(&format!("SELECT {REPORT_COLUMNS} FROM reports WHERE id = $1"))
                .bind(id.as_str())
                .fetch_optional(&self.pool)
                .await?
                .ok_or_else(|| Error::NotFound(format!("report {id:?}")))?;
            let sections: Vec<SectionRecord> = sqlx::query_as(
                "SELECT id, kind, title, priority, version, markdown, rows, frozen FROM report_sections \
                 WHERE report_id = $1 ORDER BY seq",
            )
            .bind(id.as_str())
            .fetch_all(&self.pool)
            .await?;
            Ok((
                row.try_into()?,
                sections.into_iter().map(SectionRow::try_from).collect::<Result<_>>()?,
            ))
        })
        .await
    }

    pub async fn reports_for_project(&self, project: &ProjectId) -> Result<Vec<ReportRow>> {
        self.timed(async {
            let rows: Vec<ReportRecord> = sqlx::query_as(&format!(
                "SELECT {REPORT_COLUMNS} FROM reports WHERE project_id = $1 \
                 ORDER BY period DESC, created_at DESC, id DESC"
            ))
            .bind(project.as_str())
            .fetch_all(&self.pool)
            .await?;
            rows.into_iter().map(ReportRow::try_from).collect()
        })
        .await
    }

    /// The latest report of every project that has one.
    pub async fn latest_reports(&self) -> Result<HashMap<ProjectId, ReportRow>> {
        self.timed(async {
            let rows: Vec<ReportRecord> = sqlx::query_as(&format!(
                "SELECT {REPORT_COLUMNS} FROM reports ORDER BY period DESC, created_at DESC, id DESC"
            ))
            .fetch_all(&self.pool)
            .await?;
            let mut latest = HashMap::new();
            for r in rows {
                let r = ReportRow::try_from(r)?;
                latest.entry(r.project_id.clone()).or_insert(r);
            }
            Ok(latest)
        })
        .await
    }

    pub async fn section_markdown(&self, report: &ReportId, section: &SectionId) -> Result<String> {
        self.timed(async {
            sqlx::query_scalar("SELECT markdown FROM report_sections WHERE report_id = $1 AND id = $2")
                .bind(report.as_str())
                .bind(section.as_str())
                .fetch_optional(&self.pool)
                .await?
                .ok_or_else(|| Error::NotFound(format!("section {section:?} in report {report:?}")))
        })
        .await
    }

    /// The stored form of a frozen section, if the report was approved.
    pub async fn frozen_section(&self, report: &ReportId, section: &SectionId) -> Result<Option<String>> {
        self.timed(async {
            Ok(
                sqlx::query_scalar("SELECT frozen FROM report_sections WHERE report_id = $1 AND id = $2")
                    .bind(report.as_str())
                    .bind(section.as_str())
                    .fetch_optional(&self.pool)
                    .await?
                    .flatten(),
            )
        })
        .await
    }

    /// Records how many rows sections' contents have (their placeholders' heights) after
    /// the project's data changed, with the event that says they were regenerated.
    pub async fn set_section_rows(
        &self,
        report: &ReportId,
        rows: &[(SectionId, u32)],
        actor: &str,
    ) -> Result<StoredEvent> {
        self.timed(async {
            let (_turn, mut tx) = self.write_tx().await?;
            for (section, n) in rows {
                sqlx::query("UPDATE report_sections SET rows = $1 WHERE report_id = $2 AND id = $3")
                    .bind(i64::from(*n))
                    .bind(report.as_str())
                    .bind(section.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
            let event = ReportEvent::ReportChanged {
                status: None,
                sections: Some(rows.iter().map(|(s, _)| s.clone()).collect()),
            };
            let stored = append(&mut tx, report, actor, event).await?;
            tx.commit().await?;
            Ok(stored)
        })
        .await
    }

    /// Moves a report from `from` to `to`; `frozen` holds each section frozen when
    /// approving (its stored form, and its rows for the placeholder). `Conflict` when the report is no longer in `from` (someone moved it first).
    pub async fn set_status(
        &self,
        report: &ReportId,
        from: ReportStatus,
        to: ReportStatus,
        actor: &str,
        frozen: &[(SectionId, FrozenSection)],
    ) -> Result<StoredEvent> {
        self.timed(async {
            let (_turn, mut tx) = self.write_tx().await?;
            let moved = sqlx::query("UPDATE reports SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
                .bind(to.as_str())
                .bind(now_text())
                .bind(report.as_str())
                .bind(from.as_str())
                .execute(&mut *tx)
                .await?;
            if moved.rows_affected() == 0 {
                return Err(Error::Conflict(format!(
                    "report {report:?} is no longer {from}; reload and try again"
                )));
            }
            for (section, f) in frozen {
                sqlx::query("UPDATE report_sections SET frozen = $1, rows = $2 WHERE report_id = $3 AND id = $4")
                    .bind(f.to_json()?)
                    .bind(i64::from(f.rows))
                    .bind(report.as_str())
                    .bind(section.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
            audit(&mut tx, report, "status_changed", actor, to.as_str()).await?;
            let event = ReportEvent::ReportChanged {
                status: Some(to),
                sections: None,
            };
            let stored = append(&mut tx, report, actor, event).await?;
            tx.commit().await?;
            Ok(stored)
        })
        .await
    }

    pub async fn audit_log(&self, report: &ReportId) -> Result<Vec<AuditEntry>> {
        self.timed(async {
            Ok(
                sqlx::query_as("SELECT action, actor, at, detail FROM audit_log WHERE report_id = $1 ORDER BY id")
                    .bind(report.as_str())
                    .fetch_all(&self.pool)
                    .await?,
            )
        })
        .await
    }
}

pub(super) async fn audit(
    tx: &mut Transaction<'static, Any>,
    report: &ReportId,
    action: &str,
    actor: &str,
    detail: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO audit_log (report_id, action, actor, at, detail) VALUES ($1, $2, $3, $4, $5)")
        .bind(report.as_str())
        .bind(action)
        .bind(actor)
        .bind(now_text())
        .bind(detail)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
