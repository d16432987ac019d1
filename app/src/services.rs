//! The seam between the UI and the server (SSR only): the [`Services`] trait the server
//! implements, the view models the pages render, and the per-request [`RequestCtx`]
//! (services + who is asking) that pages and server functions start from.

use std::sync::Arc;

use async_trait::async_trait;
use engine::{
    charts::{Chart, Charts},
    insights::Insight,
    metrics::Metrics,
    metrics::Rag,
    montecarlo::Forecast,
    summary::ExecutiveSummary,
    Period,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::dto::{Priority, Role, SectionKind};
use crate::error::AppError;

/// Who is asking. Built by the server's auth layer and put in the request's extensions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Principal {
    pub name: String,
    pub role: Role,
    /// False for the anonymous reader allowed by configuration.
    pub signed_in: bool,
}

impl Principal {
    pub fn require(&self, role: Role) -> Result<(), AppError> {
        if !self.signed_in && role > Role::Viewer {
            Err(AppError::Unauthorized)
        } else if self.role >= role {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!("needs the {} role", role.as_str())))
        }
    }
    pub fn can(&self, role: Role) -> bool {
        self.require(role).is_ok()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportLink {
    pub id: String,
    pub title: String,
    pub period: Period,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortfolioRow {
    pub id: String,
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
    pub id: String,
    pub title: String,
    pub period: Period,
    pub template: String,
    pub status: String,
    pub version: u32,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectView {
    pub id: String,
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
    pub id: String,
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
    pub id: String,
    pub project_id: String,
    pub project_name: String,
    pub currency: String,
    pub period: Period,
    pub template: String,
    pub title: String,
    pub status: String,
    pub version: u32,
    pub generated_by: String,
    pub created_at: String,
    pub updated_at: String,
    /// Monte Carlo iterations this report was generated with.
    pub iterations: u32,
    pub sections: Vec<SectionOutline>,
}

impl ReportOutline {
    pub fn section(&self, id: &str) -> Option<&SectionOutline> {
        self.sections.iter().find(|s| s.id == id)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryContent {
    pub summary: ExecutiveSummary,
    pub completeness: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonteCarloContent {
    pub forecast: Forecast,
    /// The finish histogram with its cumulative curve.
    pub histogram: Option<Chart>,
}

/// A computed section, as cached (JSON) and rendered.
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
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportView {
    pub outline: ReportOutline,
    /// The high-priority sections rendered to HTML (as cached), in outline order; one
    /// that failed carries its error and the rest of the page renders regardless.
    pub high: Vec<(String, Result<String, AppError>)>,
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

/// A report to generate, as a form or API request sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenerateRequest {
    pub project_id: String,
    pub period: String,
    pub template: String,
    #[serde(default)]
    pub iterations: Option<u64>,
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
    /// (unix ms, ms) samples of HTTP response time, oldest first.
    pub latency: Vec<(u64, f64)>,
    pub alerts: Vec<AlertRow>,
    pub recommendations: Vec<RecommendationRow>,
    pub cache_backend: String,
    pub cache_hit_rate: f64,
    pub cache_hits: u64,
    pub cache_misses: u64,
    /// (component, status) for monitor, cache, websocket, store.
    pub health: Vec<(String, String)>,
}

/// What the pages and server functions need from the server.
#[async_trait]
pub trait Services: Send + Sync + 'static {
    async fn portfolio(&self) -> Result<Vec<PortfolioRow>, AppError>;
    async fn project(&self, id: &str) -> Result<ProjectView, AppError>;
    /// The outline and the high sections, fetched from the cache in one round trip.
    async fn report(&self, id: &str) -> Result<ReportView, AppError>;
    async fn section(&self, report_id: &str, section_id: &str) -> Result<SectionView, AppError>;
    /// The section rendered to HTML, for the lazy island (cache first).
    /// `version` is the one the page was rendered with: when it is still current the cached
    /// HTML is found without reading the outline first.
    async fn section_html(
        &self,
        report_id: &str,
        section_id: &str,
        version: Option<u32>,
    ) -> Result<crate::dto::SectionHtml, AppError>;
    async fn generate_report(&self, by: &Principal, req: GenerateRequest) -> Result<String, AppError>;
    /// Moves a report along its workflow (see [`crate::dto::STATUS_MOVES`]).
    async fn set_report_status(&self, by: &Principal, report_id: &str, status: &str) -> Result<(), AppError>;
    async fn performance(&self) -> Result<PerformanceView, AppError>;
    /// Admin: switch recording on or off.
    async fn set_monitoring(&self, by: &Principal, enabled: bool) -> Result<(), AppError>;
    /// Admin: drop monitor data older than `hours`.
    async fn clear_monitor_data(&self, by: &Principal, hours: u32) -> Result<usize, AppError>;
    async fn edit_section(
        &self,
        by: &Principal,
        report_id: &str,
        section_id: &str,
        base_version: u32,
        markdown: String,
    ) -> Result<u32, AppError>;
}

pub type SharedServices = Arc<dyn Services>;

/// Services and the principal of the current request.
#[derive(Clone)]
pub struct RequestCtx {
    pub services: SharedServices,
    pub principal: Principal,
}

impl RequestCtx {
    /// From the Leptos context of a page render or server-function call.
    pub fn current() -> Result<Self, AppError> {
        let services = use_context::<SharedServices>().ok_or(AppError::Internal)?;
        let principal = use_context::<http::request::Parts>()
            .and_then(|p| p.extensions.get::<Principal>().cloned())
            .ok_or(AppError::Unauthorized)?;
        Ok(Self { services, principal })
    }

    /// As [`current`](Self::current), refusing principals below `role`.
    pub fn with_role(role: Role) -> Result<Self, AppError> {
        let ctx = Self::current()?;
        ctx.principal.require(role)?;
        Ok(ctx)
    }
}
