//! The view models pages render (and the lazy-section function returns): what the UI
//! needs, typed. They are neither the stored format (the server's `store::frozen` owns that)
//! nor the public JSON API (the server's `api::dto` owns that); renaming a field here changes
//! only the UI.

use engine::{
    charts::{Chart, Charts},
    insights::Insight,
    metrics::Metrics,
    metrics::Rag,
    montecarlo::{Forecast, ForecastComparison},
    summary::ExecutiveSummary,
    Period, ProjectId,
};
use serde::{Deserialize, Serialize};

use crate::components::chart::TimeSeries;
use crate::domain::{ReportId, ReportStatus, SectionId, Template};
pub use crate::dto::Comment;
use crate::dto::{Priority, SectionKind};
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportLink {
    pub id: ReportId,
    pub title: String,
    pub period: Period,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortfolioRow {
    pub id: ProjectId,
    pub name: String,
    pub code: String,
    pub manager: String,
    pub currency: String,
    pub bac: f64,
    pub period: Option<Period>,
    pub overall: Rag,
    pub cpi: Option<f64>,
    pub spi_t: Option<f64>,
    pub latest_report: Option<ReportLink>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotRow {
    pub period: Period,
    pub pv: f64,
    pub ev: f64,
    pub ac: f64,
    pub cpi: Option<f64>,
    pub spi: Option<f64>,
    pub utilisation: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportListItem {
    pub id: ReportId,
    pub title: String,
    pub period: Period,
    pub template: Template,
    pub status: ReportStatus,
    pub version: u32,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectView {
    pub id: ProjectId,
    pub name: String,
    pub code: String,
    pub manager: String,
    pub sponsor: String,
    pub currency: String,
    pub start: String,
    pub baseline_finish: String,
    pub bac: f64,
    pub work_packages: usize,
    pub risks: usize,
    pub snapshots: Vec<SnapshotRow>,
    pub reports: Vec<ReportListItem>,
    /// Periods a report may be generated for, newest first.
    pub periods: Vec<Period>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionOutline {
    pub id: SectionId,
    pub kind: SectionKind,
    pub title: String,
    pub priority: Priority,
    pub version: u32,
    /// Rows the section's body will hold (insights, lines of notes, …): the placeholder
    /// reserves exactly the height this gives, so nothing shifts when it loads.
    pub rows: u32,
    /// False for a custom section nobody has written yet.
    pub has_content: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportOutline {
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
    /// Monte Carlo iterations this report was generated with.
    pub iterations: u32,
    pub sections: Vec<SectionOutline>,
}

impl ReportOutline {
    pub fn section(&self, id: &SectionId) -> Option<&SectionOutline> {
        self.sections.iter().find(|s| &s.id == id)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryContent {
    pub summary: ExecutiveSummary,
    pub completeness: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonteCarloContent {
    /// The forecast, with the most critical work packages only (the export has them all).
    pub forecast: Forecast,
    /// When earned schedule and the Monte Carlo disagree: why, and the
    /// performance-adjusted forecast beside the estimate-based one.
    #[serde(default)]
    pub comparison: Option<ForecastComparison>,
    /// The finish histogram with its cumulative curve.
    pub histogram: Option<Chart>,
}

/// A computed section's content, as the renderers take it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum SectionContent {
    ExecutiveSummary(Box<SummaryContent>),
    Metrics(Box<Metrics>),
    AiInsights(Vec<Insight>),
    MonteCarlo(Box<MonteCarloContent>),
    Charts(Box<Charts>),
    Custom { markdown: String, html: String },
}

impl SectionContent {
    /// The `rows` figure of [`SectionOutline`] for this content.
    pub fn rows(&self) -> u32 {
        match self {
            Self::AiInsights(list) => list.len() as u32,
            Self::Custom { markdown, .. } => crate::sections::custom_rows(markdown),
            Self::Metrics(m) => m.milestones.len() as u32,
            _ => 0,
        }
    }

    pub fn kind(&self) -> SectionKind {
        match self {
            Self::ExecutiveSummary(_) => SectionKind::ExecutiveSummary,
            Self::Metrics(_) => SectionKind::Metrics,
            Self::AiInsights(_) => SectionKind::AiInsights,
            Self::MonteCarlo(_) => SectionKind::MonteCarlo,
            Self::Charts(_) => SectionKind::Charts,
            Self::Custom { .. } => SectionKind::Custom,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportView {
    pub outline: ReportOutline,
    /// The high-priority sections rendered to HTML (as cached), in outline order; one
    /// that failed carries its error and the rest of the page renders regardless.
    pub high: Vec<(SectionId, Result<String, AppError>)>,
}

/// One section on its own page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionView {
    pub outline: ReportOutline,
    pub section: SectionOutline,
    /// The section rendered to HTML (as cached).
    pub html: String,
    /// A custom section's Markdown, for its edit form.
    pub markdown: Option<String>,
}

/// One operation's timing statistics, in ms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperationRow {
    pub operation: String,
    pub count: usize,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub mean: f64,
    pub max: f64,
    /// p95 per minute over the dashboard's window, oldest first; `None` for a quiet minute.
    #[serde(default)]
    pub trend: Vec<Option<f64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertRow {
    pub severity: String,
    pub message: String,
    /// Breaches grouped into this alert while it stayed in breach.
    pub count: u64,
    /// Still in breach (false once the value came back inside the threshold).
    pub firing: bool,
    pub first_seen_ms: u64,
    pub last_seen_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecommendationRow {
    pub category: String,
    pub priority: String,
    pub issue: String,
    pub recommendation: String,
    pub expected_improvement: String,
}

/// Everything the performance dashboard shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PerformanceView {
    pub enabled: bool,
    pub uptime_seconds: u64,
    pub operations: Vec<OperationRow>,
    /// HTTP response time p50 and p95 over the last 15 minutes, with its threshold.
    pub response: TimeSeries,
    /// The cache hit rate over the same window.
    pub cache_rate: TimeSeries,
    /// Open WebSocket sessions on this instance over the same window.
    pub sessions: TimeSeries,
    pub alerts: Vec<AlertRow>,
    pub recommendations: Vec<RecommendationRow>,
    pub cache_backend: String,
    pub cache_hit_rate: f64,
    pub cache_hits: u64,
    pub cache_misses: u64,
    /// (component, status) for monitor, cache, websocket, store.
    pub health: Vec<(String, String)>,
}
