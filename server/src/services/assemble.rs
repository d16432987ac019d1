//! Turning pipeline results into section contents, and a section's content into what the
//! cache keeps for it (content + rendered HTML).

use app::dto::SectionKind;
use app::sections::section_to_html;
use app::services::{MonteCarloContent, ReportOutline, SectionContent, SummaryContent};
use engine::charts::Charts;
use engine::insights::Insight;
use engine::metrics::Metrics;
use engine::montecarlo::{Forecast, ForecastComparison};
use engine::summary::{completeness, CompletenessInput, ExecutiveSummary};
use serde::{Deserialize, Serialize};

/// The value under `pmr:section:{report}:{section}:v{version}`: what readers get — the
/// section rendered to HTML — and its row count for the placeholder. Typed content is not
/// kept here: the JSON API rebuilds it from the cached pieces (metrics, forecast, insights),
/// and leaving it out keeps the hot read small.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CachedSection {
    pub rows: u32,
    pub html: String,
}

impl CachedSection {
    pub fn new(outline: &ReportOutline, content: &SectionContent) -> Self {
        Self {
            rows: content.rows(),
            html: section_to_html(outline, content),
        }
    }
}

/// Completeness of SPEC §1.2 from the outline: which kinds the template has, which custom
/// sections are written, and whether the insights list is non-empty.
pub fn report_completeness(outline: &ReportOutline, summary: &ExecutiveSummary, insights: usize) -> f64 {
    let has = |k: SectionKind| outline.sections.iter().any(|s| s.kind == k);
    let custom: Vec<_> = outline
        .sections
        .iter()
        .filter(|s| s.kind == SectionKind::Custom)
        .collect();
    completeness(CompletenessInput {
        summary_non_blank: has(SectionKind::ExecutiveSummary) && !summary.narrative.join("").trim().is_empty(),
        insights: if has(SectionKind::AiInsights) { insights } else { 0 },
        has_forecast: has(SectionKind::MonteCarlo),
        custom_non_blank: custom.iter().filter(|s| s.has_content).count(),
        custom_total: custom.len(),
    })
}

pub fn summary_content(
    outline: &ReportOutline,
    metrics: &Metrics,
    insights: &[Insight],
    forecast: Option<&Forecast>,
) -> SectionContent {
    let summary = engine::summary::build(metrics, insights, forecast);
    let completeness = report_completeness(outline, &summary, insights.len());
    SectionContent::ExecutiveSummary(Box::new(SummaryContent { summary, completeness }))
}

/// Work packages the forecast section lists by criticality; the JSON API gives all on
/// request, the export has them all (SPEC §1.5).
pub const TOP_CRITICALITY: usize = 10;

pub fn forecast_content(
    mut forecast: Forecast,
    comparison: Option<ForecastComparison>,
    charts: &Charts,
) -> SectionContent {
    forecast.criticality.truncate(TOP_CRITICALITY);
    SectionContent::MonteCarlo(Box::new(MonteCarloContent {
        forecast,
        comparison,
        histogram: charts.histogram.clone(),
    }))
}
