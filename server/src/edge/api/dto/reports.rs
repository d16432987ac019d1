//! Reports over the API: the outline, one section's document, what generating, editing and
//! moving a report answer, the audit log, and the bodies of those requests.

use app::domain::{ReportId, ReportStatus, SectionId, Template};
use app::dto::{Priority, SectionKind};
use app::services::{ReportOutline, SectionOutline};
use engine::{Period, ProjectId};
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::{Ref, RefOr};
use utoipa::ToSchema;

use crate::services::SectionDocument;
use crate::store::AuditEntry;

/// A report's outline: what it is, where it stands, its sections in order.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Report)]
pub struct ReportDto {
    pub id: ReportId,
    pub project_id: ProjectId,
    pub project_name: String,
    /// ISO 4217 code of the project's money figures.
    pub currency: String,
    pub period: Period,
    pub template: Template,
    pub title: String,
    pub status: ReportStatus,
    /// Bumped by every change of the report or its sections.
    pub version: u32,
    pub generated_by: String,
    /// RFC 3339 timestamps.
    pub created_at: String,
    pub updated_at: String,
    /// Monte Carlo iterations the report was generated with.
    pub iterations: u32,
    pub sections: Vec<SectionDto>,
}

/// One section of a report's outline.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Section)]
pub struct SectionDto {
    pub id: SectionId,
    pub kind: SectionKind,
    pub title: String,
    pub priority: Priority,
    /// Bumped by every edit.
    pub version: u32,
    /// False for a custom section nobody has written yet.
    pub has_content: bool,
}

impl From<SectionOutline> for SectionDto {
    fn from(s: SectionOutline) -> Self {
        Self {
            id: s.id,
            kind: s.kind,
            title: s.title,
            priority: s.priority,
            version: s.version,
            has_content: s.has_content,
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

/// One section with its content: as computed now, or as frozen when the report was approved.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = SectionDocument)]
pub struct SectionDocumentDto {
    pub section: SectionDto,
    /// True when the report is approved and this is the snapshot taken then.
    pub frozen: bool,
    #[schema(schema_with = section_content)]
    pub content: serde_json::Value,
}

impl From<SectionDocument> for SectionDocumentDto {
    fn from(d: SectionDocument) -> Self {
        Self {
            section: d.section.into(),
            frozen: d.frozen,
            content: d.content,
        }
    }
}

/// The content's schema: `kind` is typed; `data` is the engine's computed figures, whose
/// shape depends on the kind and is the engine's to change (it is not part of this contract
/// beyond being JSON), so it is described, not spelled out.
fn section_content() -> impl Into<RefOr<Schema>> {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some(
            "The section's computed content, `{\"kind\": …, \"data\": …}`. The shape of `data` depends \
             on `kind`: `executive_summary` → the summary and its completeness, `metrics` → earned \
             value, earned schedule, RAG status and milestones, `ai_insights` → a list of insights, \
             `monte_carlo` → `{forecast, comparison, histogram}`, `charts` → chart data and SVG, \
             `custom` → `{\"markdown\", \"html\"}`. `data` is the engine's computed figures and \
             may gain fields; a frozen section keeps the shape of the day it was approved.",
        ))
        .property("kind", Ref::from_schema_name("SectionKind"))
        .property(
            "data",
            ObjectBuilder::new()
                .schema_type(SchemaType::AnyValue)
                .description(Some("Depends on `kind`; any JSON value.")),
        )
        .required("kind")
        .required("data")
}

/// What `POST /api/v1/reports` answers: the new report and its page.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Generated)]
pub struct GeneratedDto {
    pub id: ReportId,
    /// The report's page in the UI.
    pub url: String,
}

/// A custom section's new Markdown, against the version it was edited from.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditSectionRequest {
    /// The section's version the edit started from; a stale one is a 409.
    pub base_version: u32,
    /// Markdown, at most 64 KiB.
    pub content: String,
}

/// What a section edit answers.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = SectionWritten)]
pub struct SectionWrittenDto {
    pub section_id: SectionId,
    /// The section's new version.
    pub version: u32,
    /// The offset of the event recording the edit (see the report's event stream).
    pub offset: u64,
}

/// A move of the report workflow: draft → review → approved → distributed (review → draft).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChangeRequest {
    pub status: ReportStatus,
}

/// What a status move answers.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = StatusChanged)]
pub struct StatusChangedDto {
    pub id: ReportId,
    pub status: ReportStatus,
    /// The offset of the event recording the move.
    pub offset: u64,
}

/// One entry of a report's audit log.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = AuditEntry)]
pub struct AuditEntryDto {
    pub action: String,
    pub actor: String,
    /// RFC 3339 timestamp.
    pub at: String,
    pub detail: String,
}

impl From<AuditEntry> for AuditEntryDto {
    fn from(e: AuditEntry) -> Self {
        Self {
            action: e.action,
            actor: e.actor,
            at: e.at,
            detail: e.detail,
        }
    }
}
