//! The public JSON API's own types: explicit, stable shapes, mapped from the services'
//! view models here and nowhere else — so renaming a field of the UI never changes the API
//! silently. The OpenAPI document is generated from these (see `openapi.rs`).

use app::domain::{ReportId, ReportStatus, SectionId, Template};
use app::dto::{Priority, SectionKind};
use app::services::{ReportOutline, SectionOutline};
use engine::{Period, ProjectId};
use serde::Serialize;

/// A report's outline: what it is, where it stands, its sections in order.
#[derive(Debug, Clone, Serialize)]
pub struct ReportDto {
    pub id: ReportId,
    pub project_id: ProjectId,
    pub project_name: String,
    pub currency: String,
    pub period: Period,
    pub template: Template,
    pub title: String,
    pub status: ReportStatus,
    pub version: u32,
    pub generated_by: String,
    pub created_at: String,
    pub updated_at: String,
    /// Monte Carlo iterations the report was generated with.
    pub iterations: u32,
    pub sections: Vec<SectionDto>,
}

/// One section of a report's outline.
#[derive(Debug, Clone, Serialize)]
pub struct SectionDto {
    pub id: SectionId,
    pub kind: SectionKind,
    pub title: String,
    pub priority: Priority,
    /// Bumped by every edit.
    pub version: u32,
}

impl From<SectionOutline> for SectionDto {
    fn from(s: SectionOutline) -> Self {
        Self {
            id: s.id,
            kind: s.kind,
            title: s.title,
            priority: s.priority,
            version: s.version,
        }
    }
}

impl From<ReportOutline> for ReportDto {
    fn from(o: ReportOutline) -> Self {
        Self {
            id: o.id,
            project_id: o.project_id,
            project_name: o.project_name,
            currency: o.currency,
            period: o.period,
            template: o.template,
            title: o.title,
            status: o.status,
            version: o.version,
            generated_by: o.generated_by,
            created_at: o.created_at,
            updated_at: o.updated_at,
            iterations: o.iterations,
            sections: o.sections.into_iter().map(SectionDto::from).collect(),
        }
    }
}
