//! Section renderers (server only): one component per section kind, used for the high
//! sections in the first HTML, for the standalone section page, and — rendered to an HTML
//! string — for what the lazy-section server function returns.

mod charts;
mod custom;
mod insights;
mod metrics;
mod monte_carlo;
mod summary;

use leptos::prelude::*;

use crate::domain::{ReportId, SectionId};
use crate::dto::SectionHtml;
use crate::error::AppError;
use crate::services::{ReportOutline, RequestCtx, SectionContent, SectionOutline};

pub use custom::custom_rows;

/// Tallest row count the stylesheet has a height class for.
pub const MAX_ROWS: u32 = 40;

/// The body's classes: its kind and row count decide its height in the stylesheet, for
/// the placeholder and the loaded content alike — that is what keeps layout from shifting.
pub fn body_class(section: &SectionOutline) -> String {
    format!("section-body kind-{} rows-{}", section.kind, section.rows.min(MAX_ROWS))
}

pub fn render_section(outline: &ReportOutline, content: &SectionContent) -> AnyView {
    let currency = outline.currency.clone();
    match content.clone() {
        SectionContent::ExecutiveSummary(s) => view! { <summary::Summary content=*s /> }.into_any(),
        SectionContent::Metrics(m) => view! { <metrics::MetricsTable metrics=*m currency /> }.into_any(),
        SectionContent::AiInsights(list) => view! { <insights::InsightList insights=list /> }.into_any(),
        SectionContent::MonteCarlo(f) => view! { <monte_carlo::Forecast content=*f currency /> }.into_any(),
        SectionContent::Charts(c) => view! { <charts::ChartSet charts=*c /> }.into_any(),
        SectionContent::Custom { html, .. } => view! { <custom::Markdown html /> }.into_any(),
    }
}

/// Renders a section to an HTML string, outside any page (for caching and the lazy
/// island).
pub fn section_to_html(outline: &ReportOutline, content: &SectionContent) -> String {
    Owner::new().with(|| render_section(outline, content).to_html())
}

/// The body of the `report_section` server function.
pub async fn lazy_section_html(
    report_id: &ReportId,
    section_id: &SectionId,
    version: Option<u32>,
) -> Result<SectionHtml, AppError> {
    let ctx = RequestCtx::current()?;
    ctx.services.section_html(report_id, section_id, version).await
}
