//! Computing a section's content from the report's pieces (metrics, forecast, insights)
//! through one [`Computation`], and the current metrics of a project (`pmr:metrics:…`),
//! which the portfolio reads too.

use std::sync::Arc;

use app::dto::SectionKind;
use app::services::{SectionContent, SectionOutline};
use engine::metrics::Metrics;
use engine::{Period, Project, ProjectId};

use super::assemble;
use super::computation::Computation;
use super::PmrServices;
use crate::cache::Key;
use crate::error::{Error, Result};
use crate::markdown;
use crate::pipeline::current_with_forecast;

impl PmrServices {
    /// One section's content, computed now from the cached pieces.
    pub(super) async fn compute_section(&self, comp: &Computation, section: &SectionOutline) -> Result<SectionContent> {
        let outline = comp.outline();
        let c = self.pipeline().config();
        Ok(match section.kind {
            SectionKind::Custom => {
                let md = self.store().section_markdown(&outline.id, &section.id).await?;
                SectionContent::Custom {
                    html: markdown::to_safe_html(&md),
                    markdown: md,
                }
            }
            SectionKind::Metrics => {
                let history = comp.history().await?;
                let forecast = comp.forecast_if_any().await;
                let metrics = current_with_forecast(&history, forecast.as_ref().map(|f| &f.forecast), c)?;
                SectionContent::Metrics(Box::new(metrics))
            }
            SectionKind::AiInsights => SectionContent::AiInsights(comp.insights().await?),
            SectionKind::ExecutiveSummary => {
                let history = comp.history().await?;
                let forecast = comp.forecast_if_any().await;
                let insights = comp.insights().await?;
                let f = forecast.as_ref().map(|f| &f.forecast);
                let metrics = current_with_forecast(&history, f, c)?;
                assemble::summary_content(outline, &metrics, &insights, f)
            }
            SectionKind::Charts => {
                let (project, _) = comp.project().await?;
                let history = comp.history().await?;
                let forecast = comp.forecast_if_any().await;
                let f = forecast.as_ref().map(|f| &f.forecast);
                SectionContent::Charts(Box::new(engine::charts::build(&project, &history, f)))
            }
            SectionKind::MonteCarlo => {
                let (project, _) = comp.project().await?;
                let history = comp.history().await?;
                let piece = comp.forecast().await?;
                let charts = engine::charts::build(&project, &history, Some(&piece.forecast));
                assemble::forecast_content(piece.forecast, piece.comparison, &charts)
            }
        })
    }

    /// `pmr:metrics:{project}:{period}`: the period's metrics, without the forecast.
    pub(super) async fn current_metrics(&self, project: &ProjectId, period: Period) -> Result<Metrics> {
        let svc = self.clone();
        let pid = project.clone();
        let key = Key::Metrics {
            project: project.to_string(),
            period,
        };
        self.cache()
            .get_or_compute(&key, move || async move {
                let (project, _) = svc.store().load_project(&pid).await?;
                let history = svc.pipeline().metrics(Arc::new(project), period).await?;
                history
                    .last()
                    .cloned()
                    .ok_or_else(|| Error::internal("metrics history is empty"))
            })
            .await
    }

    /// A project loaded for a write (generation, the refresh after an import).
    pub(super) async fn load(&self, project: &ProjectId) -> Result<(Arc<Project>, i64)> {
        let (p, version) = self.store().load_project(project).await?;
        Ok((Arc::new(p), version))
    }
}
