//! Templates, reports, their sections and audit log.

use std::collections::HashMap;

use app::dto::{Priority, SectionKind};
use engine::Period;
use serde::{Deserialize, Serialize};
use sqlx::{sqlite::SqliteRow, Row};

use super::projects::corrupt;
use super::{now_text, Store};
use crate::error::{Error, Result};

/// One entry of a template's section list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateSection {
    pub kind: SectionKind,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub priority: Option<Priority>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportRow {
    pub id: String,
    pub project_id: String,
    pub period: Period,
    pub template: String,
    pub title: String,
    pub status: String,
    pub version: u32,
    pub iterations: u32,
    pub generated_by: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionRow {
    pub id: String,
    pub kind: SectionKind,
    pub title: String,
    pub priority: Priority,
    pub version: u32,
    pub markdown: String,
    pub rows: u32,
    /// JSON content frozen when the report was approved.
    pub frozen: Option<String>,
}

pub struct NewSection {
    pub id: String,
    pub kind: SectionKind,
    pub title: String,
    pub priority: Priority,
    pub markdown: String,
    pub rows: u32,
}

pub struct NewReport {
    pub id: String,
    pub project_id: String,
    pub period: Period,
    pub template: String,
    pub title: String,
    pub iterations: u32,
    pub generated_by: String,
    pub sections: Vec<NewSection>,
}

impl Store {
    pub async fn template(&self, id: &str) -> Result<Vec<TemplateSection>> {
        self.timed(async {
            let json: Option<String> = sqlx::query_scalar("SELECT sections FROM templates WHERE id = ?")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
            let json = json.ok_or_else(|| Error::invalid("template", format!("unknown template {id:?}")))?;
            serde_json::from_str(&json).map_err(corrupt)
        })
        .await
    }

    /// A free report id: `base`, else `base-2`, `base-3`, …
    pub async fn free_report_id(&self, base: &str) -> Result<String> {
        self.timed(async {
            let taken: Vec<String> = sqlx::query_scalar("SELECT id FROM reports WHERE id = ? OR id LIKE ?")
                .bind(base)
                .bind(format!("{base}-%"))
                .fetch_all(&self.pool)
                .await?;
            if !taken.iter().any(|t| t == base) {
                return Ok(base.to_owned());
            }
            let n = (2..).find(|n| !taken.contains(&format!("{base}-{n}"))).unwrap_or(2);
            Ok(format!("{base}-{n}"))
        })
        .await
    }

    /// Stores a new report with its sections; `false` (and nothing written) when its id was
    /// taken meanwhile by a concurrent generation.
    pub async fn create_report(&self, r: &NewReport) -> Result<bool> {
        self.timed(async {
            let now = now_text();
            let mut tx = self.write_tx().await?;
            let taken: Option<i64> = sqlx::query_scalar("SELECT 1 FROM reports WHERE id = ?")
                .bind(&r.id)
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some() {
                return Ok(false);
            }
            sqlx::query(
                "INSERT INTO reports (id, project_id, period, template, title, status, version, iterations, \
                 generated_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'draft', 1, ?, ?, ?, ?)",
            )
            .bind(&r.id)
            .bind(&r.project_id)
            .bind(r.period.to_string())
            .bind(&r.template)
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
                     VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)",
                )
                .bind(&r.id)
                .bind(&s.id)
                .bind(seq as i64)
                .bind(s.kind.as_str())
                .bind(&s.title)
                .bind(s.priority.as_str())
                .bind(&s.markdown)
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
            tx.commit().await?;
            Ok(true)
        })
        .await
    }

    pub async fn report(&self, id: &str) -> Result<(ReportRow, Vec<SectionRow>)> {
        self.timed(async {
            let row = sqlx::query("SELECT * FROM reports WHERE id = ?")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?
                .ok_or_else(|| Error::NotFound(format!("report {id:?}")))?;
            let sections = sqlx::query("SELECT * FROM report_sections WHERE report_id = ? ORDER BY seq")
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
            Ok((
                report_row(&row)?,
                sections.iter().map(section_row).collect::<Result<_>>()?,
            ))
        })
        .await
    }

    pub async fn reports_for_project(&self, project_id: &str) -> Result<Vec<ReportRow>> {
        self.timed(async {
            let rows = sqlx::query(
                "SELECT * FROM reports WHERE project_id = ? ORDER BY period DESC, created_at DESC, id DESC",
            )
            .bind(project_id)
            .fetch_all(&self.pool)
            .await?;
            rows.iter().map(report_row).collect()
        })
        .await
    }

    /// The latest report of every project that has one.
    pub async fn latest_reports(&self) -> Result<HashMap<String, ReportRow>> {
        self.timed(async {
            let rows = sqlx::query("SELECT * FROM reports ORDER BY period DESC, created_at DESC, id DESC")
                .fetch_all(&self.pool)
                .await?;
            let mut latest = HashMap::new();
            for r in rows.iter().map(report_row) {
                let r = r?;
                latest.entry(r.project_id.clone()).or_insert(r);
            }
            Ok(latest)
        })
        .await
    }

    /// Saves a custom section's Markdown if `base_version` is still current; returns the
    /// new version, or `Conflict` when someone saved first.
    pub async fn update_markdown(
        &self,
        report_id: &str,
        section_id: &str,
        base_version: u32,
        markdown: &str,
        rows: u32,
        actor: &str,
    ) -> Result<u32> {
        self.timed(async {
            let mut tx = self.write_tx().await?;
            let done = sqlx::query(
                "UPDATE report_sections SET markdown = ?, rows = ?, version = version + 1 \
                 WHERE report_id = ? AND id = ? AND version = ?",
            )
            .bind(markdown)
            .bind(i64::from(rows))
            .bind(report_id)
            .bind(section_id)
            .bind(i64::from(base_version))
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(Error::Conflict(format!(
                    "section {section_id:?} changed since version {base_version}; reload and edit again"
                )));
            }
            sqlx::query("UPDATE reports SET updated_at = ? WHERE id = ?")
                .bind(now_text())
                .bind(report_id)
                .execute(&mut *tx)
                .await?;
            audit(&mut tx, report_id, "section_edited", actor, section_id).await?;
            tx.commit().await?;
            Ok(base_version + 1)
        })
        .await
    }

    pub async fn section_markdown(&self, report_id: &str, section_id: &str) -> Result<String> {
        self.timed(async {
            sqlx::query_scalar("SELECT markdown FROM report_sections WHERE report_id = ? AND id = ?")
                .bind(report_id)
                .bind(section_id)
                .fetch_optional(&self.pool)
                .await?
                .ok_or_else(|| Error::NotFound(format!("section {section_id:?} in report {report_id:?}")))
        })
        .await
    }

    /// The content frozen at approval, if any.
    pub async fn frozen_section(&self, report_id: &str, section_id: &str) -> Result<Option<String>> {
        self.timed(async {
            Ok(
                sqlx::query_scalar("SELECT frozen FROM report_sections WHERE report_id = ? AND id = ?")
                    .bind(report_id)
                    .bind(section_id)
                    .fetch_optional(&self.pool)
                    .await?
                    .flatten(),
            )
        })
        .await
    }

    /// Remembers how many rows a section's content has, for its placeholder's height.
    pub async fn set_section_rows(&self, report_id: &str, section_id: &str, rows: u32) -> Result<()> {
        self.timed(async {
            sqlx::query("UPDATE report_sections SET rows = ? WHERE report_id = ? AND id = ?")
                .bind(i64::from(rows))
                .bind(report_id)
                .bind(section_id)
                .execute(&self.pool)
                .await?;
            Ok(())
        })
        .await
    }

    /// Moves a report from `from` to `status`; `frozen` holds each section's content when
    /// approving. `Conflict` when the report is no longer in `from` (someone moved it first).
    pub async fn set_status(
        &self,
        report_id: &str,
        from: &str,
        status: &str,
        actor: &str,
        frozen: &[(String, String)],
    ) -> Result<()> {
        self.timed(async {
            let mut tx = self.write_tx().await?;
            let moved = sqlx::query("UPDATE reports SET status = ?, updated_at = ? WHERE id = ? AND status = ?")
                .bind(status)
                .bind(now_text())
                .bind(report_id)
                .bind(from)
                .execute(&mut *tx)
                .await?;
            if moved.rows_affected() == 0 {
                return Err(Error::Conflict(format!(
                    "report {report_id:?} is no longer {from}; reload and try again"
                )));
            }
            for (section_id, json) in frozen {
                sqlx::query("UPDATE report_sections SET frozen = ? WHERE report_id = ? AND id = ?")
                    .bind(json)
                    .bind(report_id)
                    .bind(section_id)
                    .execute(&mut *tx)
                    .await?;
            }
            audit(&mut tx, report_id, "status_changed", actor, status).await?;
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    /// (action, actor, at, detail), oldest first.
    pub async fn audit_log(&self, report_id: &str) -> Result<Vec<(String, String, String, String)>> {
        self.timed(async {
            let rows = sqlx::query("SELECT action, actor, at, detail FROM audit_log WHERE report_id = ? ORDER BY id")
                .bind(report_id)
                .fetch_all(&self.pool)
                .await?;
            rows.iter()
                .map(|r| {
                    Ok((
                        r.try_get("action")?,
                        r.try_get("actor")?,
                        r.try_get("at")?,
                        r.try_get("detail")?,
                    ))
                })
                .collect()
        })
        .await
    }
}

async fn audit(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    report_id: &str,
    action: &str,
    actor: &str,
    detail: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO audit_log (report_id, action, actor, at, detail) VALUES (?, ?, ?, ?, ?)")
        .bind(report_id)
        .bind(action)
        .bind(actor)
        .bind(now_text())
        .bind(detail)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn report_row(r: &SqliteRow) -> Result<ReportRow> {
    Ok(ReportRow {
        id: r.try_get("id")?,
        project_id: r.try_get("project_id")?,
        period: Period::parse(r.try_get("period")?).map_err(corrupt)?,
        template: r.try_get("template")?,
        title: r.try_get("title")?,
        status: r.try_get("status")?,
        version: u32::try_from(r.try_get::<i64, _>("version")?).map_err(corrupt)?,
        iterations: u32::try_from(r.try_get::<i64, _>("iterations")?).map_err(corrupt)?,
        generated_by: r.try_get("generated_by")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn section_row(r: &SqliteRow) -> Result<SectionRow> {
    let kind: String = r.try_get("kind")?;
    let priority: String = r.try_get("priority")?;
    Ok(SectionRow {
        id: r.try_get("id")?,
        kind: SectionKind::parse(&kind).ok_or_else(|| corrupt(kind))?,
        title: r.try_get("title")?,
        priority: Priority::parse(&priority).ok_or_else(|| corrupt(priority))?,
        version: u32::try_from(r.try_get::<i64, _>("version")?).map_err(corrupt)?,
        markdown: r.try_get("markdown")?,
        rows: u32::try_from(r.try_get::<i64, _>("rows")?).map_err(corrupt)?,
        frozen: r.try_get("frozen")?,
    })
}
