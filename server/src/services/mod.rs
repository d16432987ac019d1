//! The server's implementation of the UI's [`Services`] trait, and the operations the JSON
//! API shares with it: import, generation, section edits, status changes. Reads go through
//! the cache; misses run the pipeline.

mod assemble;
pub mod ids;
mod import;
mod performance;
mod portfolio;
mod reports;
mod sections;

use std::sync::Arc;

use app::dto::SectionHtml;
use app::error::AppError;
use app::services::{
    GenerateRequest, PerformanceView, PortfolioRow, Principal, ProjectView, ReportView, SectionView, Services,
};
use async_trait::async_trait;
use monitor::Monitor;

pub use import::ImportOutcome;
pub use performance::MAX_CLEAR_HOURS;

use crate::auth::RateLimiter;
use crate::cache::Cache;
use crate::pipeline::Pipeline;
use crate::store::Store;

/// Cheap to clone: handles only.
#[derive(Clone)]
pub struct PmrServices {
    pub store: Store,
    pub cache: Cache,
    pub pipeline: Pipeline,
    /// Report generation per principal (SPEC: rate limited, 429).
    pub generate_limit: Arc<RateLimiter>,
    /// Generations in flight, by request: identical concurrent requests share one.
    pub generations: Arc<crate::flight::Flights<String>>,
    /// Timings and alerts, for the dashboard and its switches.
    pub monitor: Arc<Monitor>,
    /// When the process started (uptime on the dashboard).
    pub started: std::time::Instant,
}

#[async_trait]
impl Services for PmrServices {
    async fn portfolio(&self) -> Result<Vec<PortfolioRow>, AppError> {
        Ok(self.portfolio_rows().await?)
    }

    async fn project(&self, id: &str) -> Result<ProjectView, AppError> {
        Ok(self.project_view(id).await?)
    }

    async fn report(&self, id: &str) -> Result<ReportView, AppError> {
        Ok(self.report_view(id).await?)
    }

    async fn section(&self, report_id: &str, section_id: &str) -> Result<SectionView, AppError> {
        Ok(self.section_view(report_id, section_id).await?)
    }

    async fn section_html(
        &self,
        report_id: &str,
        section_id: &str,
        version: Option<u32>,
    ) -> Result<SectionHtml, AppError> {
        Ok(self.lazy_section(report_id, section_id, version).await?)
    }

    async fn generate_report(&self, by: &Principal, req: GenerateRequest) -> Result<String, AppError> {
        Ok(self.generate(by, req).await?)
    }

    async fn set_report_status(&self, by: &Principal, report_id: &str, status: &str) -> Result<(), AppError> {
        Ok(self.set_status(by, report_id, status).await?)
    }

    async fn performance(&self) -> Result<PerformanceView, AppError> {
        Ok(self.performance_view().await?)
    }

    async fn set_monitoring(&self, by: &Principal, enabled: bool) -> Result<(), AppError> {
        Ok(self.switch_monitoring(by, enabled)?)
    }

    async fn clear_monitor_data(&self, by: &Principal, hours: u32) -> Result<usize, AppError> {
        Ok(self.clear_monitoring(by, hours)?)
    }

    async fn edit_section(
        &self,
        by: &Principal,
        report_id: &str,
        section_id: &str,
        base_version: u32,
        markdown: String,
    ) -> Result<u32, AppError> {
        Ok(self
            .save_markdown(by, report_id, section_id, base_version, markdown)
            .await?)
    }
}
