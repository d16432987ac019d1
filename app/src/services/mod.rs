//! The seam between the UI and the server (SSR only): the [`Services`] trait — the one
//! surface every entry point (pages, server functions, the JSON API, WebSocket messages)
//! reaches the server's operations through — the view models it returns, and the
//! per-request [`RequestCtx`] (services + who is asking).
//!
//! Authorization is not here: the server's edge checks the action each entry point
//! declares, against [`crate::policy`]; the services ask the policy again only where the
//! answer depends on the resource (which status move).

mod views;

use std::sync::Arc;

use async_trait::async_trait;
use engine::{Period, ProjectId};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::policy::Principal;
pub use views::*;

use crate::domain::{ReportId, ReportStatus, SectionId, Template};
use crate::dto::SectionHtml;
use crate::error::AppError;

/// A report to generate, as a form or API request sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GenerateRequest {
    pub project_id: ProjectId,
    pub period: Period,
    pub template: Template,
    /// Monte Carlo iterations (1,000–1,000,000; default from configuration).
    #[serde(default)]
    #[schema(minimum = 1000, maximum = 1000000)]
    pub iterations: Option<u64>,
}

/// What a write returns: the new version of what was written (a section's, the report's)
/// and the offset of the event recording it, for clients that follow the report's events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Written {
    pub version: u32,
    pub offset: u64,
}

/// What the pages, server functions, JSON API and WebSocket hub need from the server.
#[async_trait]
pub trait Services: Send + Sync + 'static {
    async fn portfolio(&self) -> Result<Vec<PortfolioRow>, AppError>;
    async fn project(&self, id: &ProjectId) -> Result<ProjectView, AppError>;
    /// The outline: sections, versions, status.
    async fn outline(&self, id: &ReportId) -> Result<ReportOutline, AppError>;
    /// The outline and the high sections, fetched from the cache in one round trip.
    async fn report(&self, id: &ReportId) -> Result<ReportView, AppError>;
    async fn section(&self, report: &ReportId, section: &SectionId) -> Result<SectionView, AppError>;
    /// The section rendered to HTML, for the lazy island (cache first). `version` is the
    /// one the page was rendered with: while it is current the cached HTML is found without
    /// reading the outline first.
    async fn section_html(
        &self,
        report: &ReportId,
        section: &SectionId,
        version: Option<u32>,
    ) -> Result<SectionHtml, AppError>;
    async fn generate_report(&self, by: &Principal, req: GenerateRequest) -> Result<ReportId, AppError>;
    /// Moves a report along its workflow; approving freezes its sections.
    async fn set_report_status(&self, by: &Principal, report: &ReportId, to: ReportStatus)
        -> Result<Written, AppError>;
    /// Saves a custom section's Markdown if `base_version` is still current.
    async fn edit_section(
        &self,
        by: &Principal,
        report: &ReportId,
        section: &SectionId,
        base_version: u32,
        markdown: String,
    ) -> Result<Written, AppError>;
    /// Every comment of a report, oldest first (threads by `parent_id`).
    async fn comments(&self, report: &ReportId) -> Result<Vec<Comment>, AppError>;
    /// Adds a comment (a reply when `parent` is given) to one of the report's sections.
    async fn add_comment(
        &self,
        by: &Principal,
        report: &ReportId,
        section: &SectionId,
        content: String,
        parent: Option<i64>,
    ) -> Result<(Comment, Written), AppError>;
    /// Marks a comment's thread resolved.
    async fn resolve_comment(&self, by: &Principal, report: &ReportId, comment: i64) -> Result<Written, AppError>;
    async fn performance(&self) -> Result<PerformanceView, AppError>;
    /// Admin: switch recording on or off.
    async fn set_monitoring(&self, by: &Principal, enabled: bool) -> Result<(), AppError>;
    /// Admin: drop monitor data older than `hours`; how many samples went.
    async fn clear_monitor_data(&self, by: &Principal, hours: u32) -> Result<usize, AppError>;
}

pub type SharedServices = Arc<dyn Services>;

/// Services and the principal of the current request.
#[derive(Clone)]
pub struct RequestCtx {
    pub services: SharedServices,
    pub principal: Principal,
}

impl RequestCtx {
    /// From the Leptos context of a page render or server-function call. The edge has
    /// already checked that this principal may do what the route declares.
    pub fn current() -> Result<Self, AppError> {
        let services = use_context::<SharedServices>().ok_or(AppError::Internal)?;
        let principal = use_context::<http::request::Parts>()
            .and_then(|p| p.extensions.get::<Principal>().cloned())
            .ok_or(AppError::Unauthorized)?;
        Ok(Self { services, principal })
    }
}
