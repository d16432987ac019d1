//! Projects over the API: the portfolio, one project, and what an import answers. The import
//! document itself (and the export) is the engine's [`engine::Project`], the one format.

use app::domain::{ReportId, ReportStatus, Template};
use app::services::{PortfolioRow, ProjectView, ReportLink, ReportListItem, SnapshotRow};
use engine::metrics::Rag;
use engine::{Period, ProjectId};
use serde::Serialize;
use utoipa::ToSchema;

use crate::services::ImportOutcome;

/// One row of the portfolio: a project and where it stands at its latest period.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = PortfolioRow)]
pub struct PortfolioRowDto {
    pub id: ProjectId,
    pub name: String,
    pub code: String,
    pub manager: String,
    /// ISO 4217 code of the money figures.
    pub currency: String,
    /// Budget at completion.
    pub bac: f64,
    /// The latest period with a snapshot, if any.
    pub period: Option<Period>,
    /// The worst of the project's RAG dimensions.
    pub overall: RagDto,
    /// Cost performance index at `period`.
    pub cpi: Option<f64>,
    /// Schedule performance index (earned schedule) at `period`.
    pub spi_t: Option<f64>,
    pub latest_report: Option<ReportLinkDto>,
}

/// Red, amber or green; `not_available` when the data for it is missing.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = Rag)]
pub enum RagDto {
    Green,
    Amber,
    Red,
    NotAvailable,
}

impl From<Rag> for RagDto {
    fn from(r: Rag) -> Self {
        match r {
            Rag::Green => Self::Green,
            Rag::Amber => Self::Amber,
            Rag::Red => Self::Red,
            Rag::NotAvailable => Self::NotAvailable,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ReportLink)]
pub struct ReportLinkDto {
    pub id: ReportId,
    pub title: String,
    pub period: Period,
}

impl From<ReportLink> for ReportLinkDto {
    fn from(l: ReportLink) -> Self {
        Self {
            id: l.id,
            title: l.title,
            period: l.period,
        }
    }
}

impl From<PortfolioRow> for PortfolioRowDto {
    fn from(r: PortfolioRow) -> Self {
        Self {
            id: r.id,
            name: r.name,
            code: r.code,
            manager: r.manager,
            currency: r.currency,
            bac: r.bac,
            period: r.period,
            overall: r.overall.into(),
            cpi: r.cpi,
            spi_t: r.spi_t,
            latest_report: r.latest_report.map(ReportLinkDto::from),
        }
    }
}

/// One project: its figures, its snapshots' key indices and its reports.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ProjectOverview)]
pub struct ProjectDto {
    pub id: ProjectId,
    pub name: String,
    pub code: String,
    pub manager: String,
    pub sponsor: String,
    pub currency: String,
    /// ISO 8601 dates.
    pub start: String,
    pub baseline_finish: String,
    /// Budget at completion.
    pub bac: f64,
    /// How many work packages and risks the project has.
    pub work_packages: usize,
    pub risks: usize,
    pub snapshots: Vec<SnapshotRowDto>,
    pub reports: Vec<ReportListItemDto>,
    /// Periods a report may be generated for, newest first.
    pub periods: Vec<Period>,
}

/// A snapshot's cumulative figures and the indices computed from them.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = SnapshotRow)]
pub struct SnapshotRowDto {
    pub period: Period,
    /// Planned value, earned value, actual cost.
    pub pv: f64,
    pub ev: f64,
    pub ac: f64,
    pub cpi: Option<f64>,
    pub spi: Option<f64>,
    /// Allocated ÷ capacity hours.
    pub utilisation: Option<f64>,
}

impl From<SnapshotRow> for SnapshotRowDto {
    fn from(s: SnapshotRow) -> Self {
        Self {
            period: s.period,
            pv: s.pv,
            ev: s.ev,
            ac: s.ac,
            cpi: s.cpi,
            spi: s.spi,
            utilisation: s.utilisation,
        }
    }
}

/// One of a project's reports.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ReportListItem)]
pub struct ReportListItemDto {
    pub id: ReportId,
    pub title: String,
    pub period: Period,
    pub template: Template,
    pub status: ReportStatus,
    pub version: u32,
    /// RFC 3339 timestamp.
    pub created_at: String,
}

impl From<ReportListItem> for ReportListItemDto {
    fn from(r: ReportListItem) -> Self {
        Self {
            id: r.id,
            title: r.title,
            period: r.period,
            template: r.template,
            status: r.status,
            version: r.version,
            created_at: r.created_at,
        }
    }
}

impl From<ProjectView> for ProjectDto {
    fn from(p: ProjectView) -> Self {
        Self {
            id: p.id,
            name: p.name,
            code: p.code,
            manager: p.manager,
            sponsor: p.sponsor,
            currency: p.currency,
            start: p.start,
            baseline_finish: p.baseline_finish,
            bac: p.bac,
            work_packages: p.work_packages,
            risks: p.risks,
            snapshots: p.snapshots.into_iter().map(SnapshotRowDto::from).collect(),
            reports: p.reports.into_iter().map(ReportListItemDto::from).collect(),
            periods: p.periods,
        }
    }
}

/// What an import answers: the project stored, its new data version, what it holds.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Imported)]
pub struct ImportedDto {
    pub id: ProjectId,
    /// Increases with every import of the project.
    pub data_version: i64,
    /// True for a new project (201), false when an existing one was replaced (200).
    pub created: bool,
    pub work_packages: usize,
    pub snapshots: usize,
}

impl From<ImportOutcome> for ImportedDto {
    fn from(o: ImportOutcome) -> Self {
        Self {
            id: o.id,
            data_version: o.data_version,
            created: o.created,
            work_packages: o.work_packages,
            snapshots: o.snapshots,
        }
    }
}
