//! Reading reports and sections through the cache. Each piece has its own key and TTL
//! (outline, metrics, Monte Carlo, insights, section); a miss computes just that piece,
//! pulling the pieces it depends on through the cache in turn.

use std::sync::Arc;

use app::dto::{Priority, SectionHtml, SectionKind};
use app::services::{ReportOutline, ReportView, SectionContent, SectionOutline, SectionView};
use engine::insights::Insight;
use engine::metrics::Metrics;
use engine::montecarlo::Forecast;
use engine::{Period, Project};

use super::assemble::{self, CachedSection};
use super::{ids, PmrServices};
use crate::cache::Key;
use crate::error::{Error, Result};
use crate::markdown;
use crate::pipeline::{current_with_forecast, seed_for};

const FROZEN: [&str; 2] = ["approved", "distributed"];

impl PmrServices {
    /// The report's outline (`pmr:report:{id}`). A malformed or unknown id is `NotFound`
    /// and leaves nothing in the cache.
    pub async fn outline(&self, report_id: &str) -> Result<ReportOutline> {
        let id = ids::report(report_id)?.to_owned();
        let svc = self.clone();
        self.cache
            .get_or_compute::<ReportOutline, ReportOutline, _, _>(
                &Key::Report { report: id.clone() },
                move || async move { svc.load_outline(&id).await },
            )
            .await
    }

    async fn load_outline(&self, report_id: &str) -> Result<ReportOutline> {
        let (r, sections) = self.store.report(report_id).await?;
        let project = self.store.project_summary(&r.project_id).await?;
        Ok(ReportOutline {
            id: r.id,
            project_id: r.project_id,
            project_name: project.name,
            currency: project.currency,
            period: r.period,
            template: r.template,
            title: r.title,
            status: r.status,
            version: r.version,
            generated_by: r.generated_by,
            created_at: r.created_at,
            updated_at: r.updated_at,
            iterations: r.iterations,
            sections: sections
                .into_iter()
                .map(|s| SectionOutline {
                    has_content: s.kind != SectionKind::Custom || !s.markdown.trim().is_empty(),
                    id: s.id,
                    kind: s.kind,
                    title: s.title,
                    priority: s.priority,
                    version: s.version,
                    rows: s.rows,
                })
                .collect(),
        })
    }

    pub(super) async fn load(&self, project_id: &str) -> Result<(Arc<Project>, i64)> {
        let (p, version) = self.store.load_project(project_id).await?;
        Ok((Arc::new(p), version))
    }

    /// `pmr:monte_carlo:{report}`.
    async fn forecast(&self, outline: &ReportOutline) -> Result<Forecast> {
        let svc = self.clone();
        let (rid, pid, period, iterations) = (
            outline.id.clone(),
            outline.project_id.clone(),
            outline.period,
            outline.iterations,
        );
        self.cache
            .get_or_compute::<Forecast, Forecast, _, _>(&Key::MonteCarlo { report: rid.clone() }, move || async move {
                let (project, version) = svc.load(&pid).await?;
                svc.pipeline
                    .forecast(project, period, u64::from(iterations), seed_for(&rid, version))
                    .await
            })
            .await
    }

    /// The forecast for sections that can do without it: a failing simulation (bad data)
    /// fails only the Monte Carlo section; the others show "not available" for it.
    async fn forecast_if_any(&self, outline: &ReportOutline) -> Option<Forecast> {
        match self.forecast(outline).await {
            Ok(f) => Some(f),
            Err(e) => {
                tracing::warn!(report.id = %outline.id, error = %e, "forecast unavailable; dependent sections go without");
                None
            }
        }
    }

    /// Metrics history up to `period` (computed, not cached: it is cheap and always read
    /// together with a cached piece).
    async fn history(&self, project: Arc<Project>, period: Period) -> Result<Vec<Metrics>> {
        self.pipeline.metrics(project, period).await
    }

    /// `pmr:metrics:{project}:{period}`: the current period's metrics, without forecast.
    pub(super) async fn current_metrics(&self, project_id: &str, period: Period) -> Result<Metrics> {
        let svc = self.clone();
        let pid = project_id.to_owned();
        let key = Key::Metrics {
            project: pid.clone(),
            period,
        };
        self.cache
            .get_or_compute::<Metrics, Metrics, _, _>(&key, move || async move {
                let (project, _) = svc.load(&pid).await?;
                let history = svc.history(project, period).await?;
                history
                    .last()
                    .cloned()
                    .ok_or_else(|| Error::Internal("no metrics".into()))
            })
            .await
    }

    /// `pmr:insights:{report}`.
    async fn insights(&self, outline: &ReportOutline) -> Result<Vec<Insight>> {
        let svc = self.clone();
        let o = outline.clone();
        self.cache
            .get_or_compute::<Vec<Insight>, Vec<Insight>, _, _>(
                &Key::Insights { report: o.id.clone() },
                move || async move {
                    let (project, _) = svc.load(&o.project_id).await?;
                    let history = svc.history(project.clone(), o.period).await?;
                    let forecast = svc.forecast_if_any(&o).await;
                    svc.pipeline.insights(project, history, forecast).await
                },
            )
            .await
    }

    /// Computes one section's content from the cached pieces.
    async fn compute_section(&self, outline: &ReportOutline, section: &SectionOutline) -> Result<SectionContent> {
        if FROZEN.contains(&outline.status.as_str()) {
            if let Some(json) = self.store.frozen_section(&outline.id, &section.id).await? {
                return serde_json::from_str(&json)
                    .map_err(|e| Error::Internal(format!("frozen section unreadable: {e}")));
            }
        }
        let c = self.pipeline.config();
        Ok(match section.kind {
            SectionKind::Custom => {
                let md = self.store.section_markdown(&outline.id, &section.id).await?;
                SectionContent::Custom {
                    html: markdown::to_safe_html(&md),
                    markdown: md,
                }
            }
            SectionKind::Metrics => {
                let metrics = self.current_metrics(&outline.project_id, outline.period).await?;
                let metrics = match self.forecast_if_any(outline).await {
                    Some(f) => metrics.with_forecast(f.p_finish_by_baseline, &c.rag),
                    None => metrics,
                };
                SectionContent::Metrics(Box::new(metrics))
            }
            SectionKind::AiInsights => SectionContent::AiInsights(self.insights(outline).await?),
            SectionKind::ExecutiveSummary => {
                let (project, _) = self.load(&outline.project_id).await?;
                let history = self.history(project, outline.period).await?;
                let forecast = self.forecast_if_any(outline).await;
                let insights = self.insights(outline).await?;
                let metrics = current_with_forecast(&history, forecast.as_ref(), c)?;
                assemble::summary_content(outline, &metrics, &insights, forecast.as_ref())
            }
            SectionKind::Charts => {
                let (project, _) = self.load(&outline.project_id).await?;
                let history = self.history(project.clone(), outline.period).await?;
                let forecast = self.forecast_if_any(outline).await;
                SectionContent::Charts(Box::new(engine::charts::build(&project, &history, forecast.as_ref())))
            }
            SectionKind::MonteCarlo => {
                let (project, _) = self.load(&outline.project_id).await?;
                let history = self.history(project.clone(), outline.period).await?;
                let forecast = self.forecast(outline).await?;
                let charts = engine::charts::build(&project, &history, Some(&forecast));
                assemble::forecast_content(forecast, &charts)
            }
        })
    }

    /// Computes and renders a section; keeps its row count current for the placeholder.
    async fn build_section(&self, outline: ReportOutline, section: SectionOutline) -> Result<CachedSection> {
        let content = self.compute_section(&outline, &section).await?;
        let cached = CachedSection::new(&outline, &content);
        if cached.rows != section.rows {
            self.store
                .set_section_rows(&outline.id, &section.id, cached.rows)
                .await?;
            self.cache
                .invalidate(&[crate::cache::Pattern::exact(&Key::Report {
                    report: outline.id.clone(),
                })])
                .await;
        }
        Ok(cached)
    }

    fn section_key(outline: &ReportOutline, section: &SectionOutline) -> Key {
        Key::Section {
            report: outline.id.clone(),
            section: section.id.clone(),
            version: section.version,
        }
    }

    fn find<'a>(outline: &'a ReportOutline, section_id: &str) -> Result<&'a SectionOutline> {
        ids::section(section_id)?;
        outline
            .section(section_id)
            .ok_or_else(|| Error::NotFound(format!("section {section_id:?} in report {:?}", outline.id)))
    }

    /// A section's cached HTML; a miss computes and renders it (single flight).
    async fn cached_section(&self, outline: &ReportOutline, section: &SectionOutline) -> Result<CachedSection> {
        let svc = self.clone();
        let (o, s) = (outline.clone(), section.clone());
        self.cache
            .get_or_compute::<CachedSection, CachedSection, _, _>(
                &Self::section_key(outline, section),
                move || async move { svc.build_section(o, s).await },
            )
            .await
    }

    /// What the lazy island shows. With the version the page was rendered with, a hit
    /// needs one read: the key exists only for a real, current section (an edit evicts
    /// every version of it; invented ids never get a key). Otherwise — a miss, no version
    /// — the outline decides what is current.
    pub async fn lazy_section(&self, report_id: &str, section_id: &str, version: Option<u32>) -> Result<SectionHtml> {
        let (rid, sid) = (ids::report(report_id)?, ids::section(section_id)?);
        if let Some(v) = version {
            let key = Key::Section {
                report: rid.to_owned(),
                section: sid.to_owned(),
                version: v,
            };
            if let Some(Some(hit)) = self
                .cache
                .get_many::<CachedSection>(std::slice::from_ref(&key))
                .await
                .pop()
            {
                return Ok(SectionHtml {
                    section_id: sid.to_owned(),
                    version: v,
                    html: hit.html,
                });
            }
        }
        let outline = self.outline(rid).await?;
        let section = Self::find(&outline, sid)?;
        let cached = self.cached_section(&outline, section).await?;
        Ok(SectionHtml {
            section_id: section.id.clone(),
            version: section.version,
            html: cached.html,
        })
    }

    /// One section on its own page (the no-JavaScript route): cached HTML, plus the
    /// Markdown of a custom section for its edit form.
    pub async fn section_view(&self, report_id: &str, section_id: &str) -> Result<SectionView> {
        let outline = self.outline(report_id).await?;
        let section = Self::find(&outline, section_id)?.clone();
        let cached = self.cached_section(&outline, &section).await?;
        let markdown = match section.kind {
            SectionKind::Custom => Some(self.store.section_markdown(&outline.id, &section.id).await?),
            _ => None,
        };
        Ok(SectionView {
            outline,
            section,
            html: cached.html,
            markdown,
        })
    }

    /// A section's typed content, for the JSON API and for freezing at approval: rebuilt
    /// from the cached pieces (metrics, forecast, insights), not from the HTML.
    pub async fn section_content(&self, report_id: &str, section_id: &str) -> Result<(SectionOutline, SectionContent)> {
        let outline = self.outline(report_id).await?;
        let section = Self::find(&outline, section_id)?.clone();
        let content = self.compute_section(&outline, &section).await?;
        Ok((section, content))
    }

    /// The outline and its high sections: one MGET, then only the misses are computed.
    pub async fn report_view(&self, report_id: &str) -> Result<ReportView> {
        let outline = self.outline(report_id).await?;
        let high: Vec<SectionOutline> = outline
            .sections
            .iter()
            .filter(|s| s.priority == Priority::High)
            .cloned()
            .collect();
        let keys: Vec<Key> = high.iter().map(|s| Self::section_key(&outline, s)).collect();
        let found = self.cache.get_many::<CachedSection>(&keys).await;
        let mut sections = Vec::with_capacity(high.len());
        for (section, hit) in high.iter().zip(found) {
            let html = match hit {
                Some(c) => Ok(c.html),
                None => {
                    let (svc, o, s) = (self.clone(), outline.clone(), section.clone());
                    self.cache
                        .fill::<CachedSection, CachedSection, _, _>(
                            &Self::section_key(&outline, section),
                            move || async move { svc.build_section(o, s).await },
                        )
                        .await
                        .map(|c| c.html)
                        .map_err(app::error::AppError::from)
                }
            };
            sections.push((section.id.clone(), html));
        }
        Ok(ReportView {
            outline,
            high: sections,
        })
    }
}
