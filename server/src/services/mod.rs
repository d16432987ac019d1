//! The server's operations — the one implementation of the UI's [`Services`] trait and the
//! API-only operations beside it. Each change has one write path (validate → one
//! transaction writing the change and its event → evict exactly the affected cache keys →
//! publish the event → return), whichever edge asked; reads go through the cache, never
//! write, and load the project once per computation.

mod assemble;
mod comments;
mod computation;
mod editing;
mod import;
mod performance;
mod portfolio;
mod reading;
mod reports;
mod sections;

use std::sync::Arc;
use std::time::Instant;

use app::domain::{ReportId, ReportStatus, SectionId};
use app::dto::SectionHtml;
use app::error::AppError;
use app::services::{
    Comment, GenerateRequest, PerformanceView, PortfolioRow, Principal, ProjectView, ReportOutline, ReportView,
    SectionView, Services, Written,
};
use async_trait::async_trait;
use engine::ProjectId;
use monitor::Monitor;

pub use comments::MAX_COMMENT_CHARS;
pub use editing::{Edit, MAX_MARKDOWN_BYTES};
pub use import::ImportOutcome;
pub use performance::{HealthReport, MAX_CLEAR_HOURS};
pub use reading::SectionDocument;

use crate::auth::RateLimiter;
use crate::cache::Cache;
use crate::events::{EventBus, StoredEvent};
use crate::flight::Flights;
use crate::pipeline::Pipeline;
use crate::store::Store;

/// Cheap to clone: one `Arc`.
#[derive(Clone)]
pub struct PmrServices {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    cache: Cache,
    pipeline: Pipeline,
    monitor: Arc<Monitor>,
    events: EventBus,
    /// Report generation per principal (SPEC: rate limited, 429).
    generate_limit: RateLimiter,
    /// Generations in flight, by request: identical concurrent requests share one.
    generations: Flights<ReportId>,
    /// When the process started (uptime on the dashboard).
    started: Instant,
    /// Each report's executive summary sections, which an edit evicts (`editing.rs`).
    summaries: moka::future::Cache<ReportId, Arc<[(SectionId, u32)]>>,
}

/// What the services are built from.
pub struct Parts {
    pub store: Store,
    pub cache: Cache,
    pub pipeline: Pipeline,
    pub monitor: Arc<Monitor>,
    pub events: EventBus,
    pub generate_per_minute: u32,
}

impl PmrServices {
    pub fn new(parts: Parts) -> Self {
        Self {
            inner: Arc::new(Inner {
                store: parts.store,
                cache: parts.cache,
                pipeline: parts.pipeline,
                monitor: parts.monitor,
                events: parts.events,
                generate_limit: RateLimiter::per_minute(parts.generate_per_minute),
                generations: Flights::default(),
                started: Instant::now(),
                summaries: moka::future::Cache::new(editing::SUMMARIES_KEPT),
            }),
        }
    }

    fn store(&self) -> &Store {
        &self.inner.store
    }

    fn cache(&self) -> &Cache {
        &self.inner.cache
    }

    fn pipeline(&self) -> &Pipeline {
        &self.inner.pipeline
    }

    /// The monitor, for the edge's request timing and the samplers.
    pub fn monitor(&self) -> &Arc<Monitor> {
        &self.inner.monitor
    }

    /// Where stored events are announced (the collaboration hub listens).
    pub fn events(&self) -> &EventBus {
        &self.inner.events
    }

    /// The end of the one write path: the change and its event are stored; tell whoever
    /// listens.
    fn publish(&self, events: impl IntoIterator<Item = StoredEvent>) {
        // Before anyone hears of it: a page rendered before the change is not served again.
        self.cache().pages().forget_all();
        for e in events {
            self.inner.events.publish(e);
        }
    }

    /// What a joiner of a report's room starts from.
    pub async fn room_state(&self, report: &ReportId) -> crate::error::Result<crate::store::RoomState> {
        self.store().room_state(report).await
    }

    /// A report's stored events after `since`, or `TooOld` when they are no longer kept.
    pub async fn events_since(
        &self,
        report: &ReportId,
        since: u64,
    ) -> crate::error::Result<Result<Vec<StoredEvent>, crate::store::TooOld>> {
        self.store().events_since(report, since, 10_000).await
    }

    /// Evicts cache keys. Each instance keeps some of the cache in its own memory (all of it
    /// while Redis is away, what it read in the last second otherwise), so with several
    /// instances (a shared PostgreSQL) the eviction is also written to the cluster log for
    /// the others to apply (SPEC §7).
    async fn evict(&self, patterns: &[crate::cache::Pattern]) {
        self.cache().invalidate(patterns).await;
        if let Some(json) = self.eviction_note(patterns) {
            if let Err(e) = self.store().log_append(crate::cluster::INVALIDATE, &json).await {
                tracing::warn!(error = %e, "could not tell other instances of an eviction");
            }
        }
    }

    /// What the cluster log must carry of an eviction for the other instances: the patterns
    /// as JSON, when the store is shared (PostgreSQL); `None` with one instance (SQLite).
    /// A write may add it in its own transaction (an edit does) instead of [`evict`]ing.
    ///
    /// [`evict`]: Self::evict
    fn eviction_note(&self, patterns: &[crate::cache::Pattern]) -> Option<String> {
        if self.store().dialect() != crate::store::Dialect::Postgres {
            return None;
        }
        serde_json::to_string(patterns)
            .map_err(|e| tracing::warn!(error = %e, "could not encode an eviction"))
            .ok()
    }

    /// Rendered report pages, for the edge's page cache.
    pub fn pages(&self) -> &crate::cache::Pages {
        self.cache().pages()
    }

    /// Evicts from this process's in-process cache only (another instance's eviction).
    pub fn evict_local(&self, patterns: &[crate::cache::Pattern]) {
        self.cache().invalidate_local(patterns);
    }

    /// Which database backs the store (several instances need PostgreSQL).
    pub fn store_dialect(&self) -> crate::store::Dialect {
        self.store().dialect()
    }

    /// The cluster log's latest entry (where this instance starts reading).
    pub async fn log_head(&self) -> crate::error::Result<i64> {
        self.store().log_head().await
    }

    /// Cluster log entries after `seq` and those numbered in `gaps`.
    pub async fn log_since(&self, seq: i64, gaps: &[i64]) -> crate::error::Result<Vec<crate::store::LogEntry>> {
        self.store().log_since(seq, gaps).await
    }

    /// When this process started serving.
    pub fn started(&self) -> Instant {
        self.inner.started
    }
}

#[async_trait]
impl Services for PmrServices {
    async fn portfolio(&self) -> Result<Vec<PortfolioRow>, AppError> {
        Ok(self.portfolio_rows().await?)
    }

    async fn project(&self, id: &ProjectId) -> Result<ProjectView, AppError> {
        Ok(self.project_view(id).await?)
    }

    async fn outline(&self, id: &ReportId) -> Result<ReportOutline, AppError> {
        Ok(self.cached_outline(id).await?)
    }

    async fn report(&self, id: &ReportId) -> Result<ReportView, AppError> {
        Ok(self.report_view(id).await?)
    }

    async fn section(&self, report: &ReportId, section: &SectionId) -> Result<SectionView, AppError> {
        Ok(self.section_view(report, section).await?)
    }

    async fn section_html(
        &self,
        report: &ReportId,
        section: &SectionId,
        version: Option<u32>,
    ) -> Result<SectionHtml, AppError> {
        Ok(self.lazy_section(report, section, version).await?)
    }

    async fn generate_report(&self, by: &Principal, req: GenerateRequest) -> Result<ReportId, AppError> {
        Ok(self.generate(by, req).await?)
    }

    async fn set_report_status(
        &self,
        by: &Principal,
        report: &ReportId,
        to: ReportStatus,
    ) -> Result<Written, AppError> {
        Ok(self.set_status(by, report, to).await?)
    }

    async fn edit_section(
        &self,
        by: &Principal,
        report: &ReportId,
        section: &SectionId,
        base_version: u32,
        markdown: String,
    ) -> Result<Written, AppError> {
        Ok(self.save_markdown(by, report, section, base_version, markdown).await?)
    }

    async fn comments(&self, report: &ReportId) -> Result<Vec<Comment>, AppError> {
        Ok(self.comments_of(report).await?)
    }

    async fn add_comment(
        &self,
        by: &Principal,
        report: &ReportId,
        section: &SectionId,
        content: String,
        parent: Option<i64>,
    ) -> Result<(Comment, Written), AppError> {
        let (comment, written, _) = self.add_comment_inner(by, report, section, &content, parent).await?;
        Ok((comment, written))
    }

    async fn resolve_comment(&self, by: &Principal, report: &ReportId, comment: i64) -> Result<Written, AppError> {
        Ok(self.resolve_comment_inner(by, report, comment).await?.0)
    }

    async fn performance(&self) -> Result<PerformanceView, AppError> {
        Ok(self.performance_view().await?)
    }

    async fn set_monitoring(&self, by: &Principal, enabled: bool) -> Result<(), AppError> {
        self.switch_monitoring(by, enabled);
        Ok(())
    }

    async fn clear_monitor_data(&self, by: &Principal, hours: u32) -> Result<usize, AppError> {
        Ok(self.clear_monitoring(by, hours)?)
    }
}
