//! Reports and their sections as read and written: the public rows, the records `sqlx`
//! maps the database's rows into, and the checks from one to the other (a row that no
//! longer parses is a server fault).

use app::domain::{ReportId, ReportStatus, SectionId, Template};
use app::dto::{Priority, SectionKind};
use engine::{Period, ProjectId};
use serde::{Deserialize, Serialize};

use super::corrupt;
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

#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    pub id: ReportId,
    pub project_id: ProjectId,
    pub period: Period,
    pub template: Template,
    pub title: String,
    pub status: ReportStatus,
    pub version: u32,
    pub iterations: u32,
    pub generated_by: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SectionRow {
    pub id: SectionId,
    pub kind: SectionKind,
    pub title: String,
    pub priority: Priority,
    pub version: u32,
    pub markdown: String,
    pub rows: u32,
    /// The stored form of the section frozen when the report was approved.
    pub frozen: Option<String>,
}

pub struct NewSection {
    pub id: SectionId,
    pub kind: SectionKind,
    pub title: String,
    pub priority: Priority,
    pub rows: u32,
}

pub struct NewReport {
    pub id: ReportId,
    pub project_id: ProjectId,
    pub period: Period,
    pub template: Template,
    pub title: String,
    pub iterations: u32,
    pub generated_by: String,
    pub sections: Vec<NewSection>,
}

/// An audit log entry, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct AuditEntry {
    pub action: String,
    pub actor: String,
    pub at: String,
    pub detail: String,
}

#[derive(sqlx::FromRow)]
pub(super) struct ReportRecord {
    id: String,
    project_id: String,
    period: String,
    template: String,
    title: String,
    status: String,
    version: i64,
    iterations: i64,
    generated_by: String,
    created_at: String,
    updated_at: String,
}

impl TryFrom<ReportRecord> for ReportRow {
    type Error = Error;
    fn try_from(r: ReportRecord) -> Result<Self> {
        Ok(Self {
            id: ReportId::parse(&r.id).map_err(corrupt)?,
            project_id: ProjectId::parse(&r.project_id).map_err(corrupt)?,
            period: Period::parse(&r.period).map_err(corrupt)?,
            template: Template::parse(&r.template).map_err(corrupt)?,
            title: r.title,
            status: ReportStatus::parse(&r.status).map_err(corrupt)?,
            version: u32::try_from(r.version).map_err(corrupt)?,
            iterations: u32::try_from(r.iterations).map_err(corrupt)?,
            generated_by: r.generated_by,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct SectionRecord {
    id: String,
    kind: String,
    title: String,
    priority: String,
    version: i64,
    markdown: String,
    rows: i64,
    frozen: Option<String>,
}

impl TryFrom<SectionRecord> for SectionRow {
    type Error = Error;
    fn try_from(r: SectionRecord) -> Result<Self> {
        Ok(Self {
            id: SectionId::parse(&r.id).map_err(corrupt)?,
            kind: SectionKind::parse(&r.kind).ok_or_else(|| corrupt(&r.kind))?,
            title: r.title,
            priority: Priority::parse(&r.priority).ok_or_else(|| corrupt(&r.priority))?,
            version: u32::try_from(r.version).map_err(corrupt)?,
            markdown: r.markdown,
            rows: u32::try_from(r.rows).map_err(corrupt)?,
            frozen: r.frozen,
        })
    }
}

pub(super) const REPORT_COLUMNS: &str =
    "id, project_id, period, template, title, status, version, iterations, generated_by, created_at, updated_at";
