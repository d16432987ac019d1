//! Generating a report (the whole pipeline once, results stored in the cache), editing a
//! custom section, and moving a report through its statuses.

use std::collections::HashSet;

use app::dto::{Role, SectionKind};
use app::services::{GenerateRequest, Principal, ReportOutline, SectionContent, SectionOutline};
use engine::montecarlo::SimConfig;
use engine::Period;

use super::assemble::{self, CachedSection};
use super::{ids, PmrServices};
use crate::cache::{Key, Pattern};
use crate::error::{Error, Result};
use crate::pipeline::{seed_for, Computed};
use crate::store::{NewReport, NewSection, TemplateSection};

impl PmrServices {
    /// A template's sections (`pmr:template:{id}`).
    pub async fn template(&self, id: &str) -> Result<Vec<TemplateSection>> {
        if !id.bytes().all(|b| b.is_ascii_lowercase() || b == b'_' || b == b'-') || id.is_empty() || id.len() > 40 {
            return Err(Error::invalid("template", format!("unknown template {id:?}")));
        }
        let svc = self.clone();
        let tid = id.to_owned();
        self.cache
            .get_or_compute::<Vec<TemplateSection>, Vec<TemplateSection>, _, _>(
                &Key::Template { template: tid.clone() },
                move || async move { svc.store.template(&tid).await },
            )
            .await
    }

    /// Runs the pipeline for (project, period, template), stores the report and warms the
    /// cache with every piece. Refuses bad input with a 422 naming the field.
    pub async fn generate(&self, by: &Principal, req: GenerateRequest) -> Result<String> {
        by.require(Role::Editor)?;
        self.generate_limit.check(&by.name)?;
        // Identical requests at the same time (a double click, a retrying client) share one
        // run and get the same report.
        let key = format!(
            "{}|{}|{}|{:?}",
            req.project_id, req.period, req.template, req.iterations
        );
        self.generations.run(&key, self.generate_unlimited(by, req)).await
    }

    /// [`generate`](Self::generate) without the rate limit (the demo loader's path).
    pub async fn generate_unlimited(&self, by: &Principal, req: GenerateRequest) -> Result<String> {
        by.require(Role::Editor)?;
        let project_id = ids::project(&req.project_id)
            .map_err(|_| Error::invalid("project_id", format!("unknown project {:?}", req.project_id)))?;
        let period = Period::parse(&req.period).map_err(|rule| Error::invalid("period", rule))?;
        let iterations = req.iterations.unwrap_or(self.pipeline.config().iterations);
        SimConfig::new(iterations, 0)?;
        let template = self.template(&req.template).await?;
        let (project, version) = match self.load(project_id).await {
            Err(Error::NotFound(_)) => {
                return Err(Error::invalid("project_id", format!("unknown project {project_id:?}")))
            }
            other => other?,
        };
        engine::metrics::check_period(&project, period, chrono::Utc::now().date_naive())?;

        // The report id seeds the forecast, so it is chosen before the run; should a
        // concurrent generation take it meanwhile, the run is repeated under the next id.
        for _ in 0..3 {
            let id = self.store.free_report_id(&format!("{project_id}-{period}")).await?;
            let computed = self
                .pipeline
                .run(project.clone(), period, iterations, seed_for(&id, version))
                .await?;
            let mut outline = ReportOutline {
                id: id.clone(),
                project_id: project_id.to_owned(),
                project_name: project.name.clone(),
                currency: project.currency.as_str().to_owned(),
                period,
                template: req.template.clone(),
                title: format!("{} — {}", project.name, month_name(period)),
                status: "draft".into(),
                version: 1,
                generated_by: by.name.clone(),
                created_at: String::new(),
                updated_at: String::new(),
                iterations: iterations as u32,
                sections: section_list(&template),
            };
            let contents = contents_for(&outline, &computed);
            for (section, content) in outline.sections.iter_mut().zip(&contents) {
                section.rows = content.rows();
            }
            if !self.store.create_report(&new_report(&outline)).await? {
                continue;
            }
            self.warm(&outline, &computed, contents).await;
            tracing::info!(report.id = %id, project.id = %project_id, %period, "report generated");
            return Ok(id);
        }
        Err(Error::Conflict(
            "other reports for this project and period are being generated right now; try again".into(),
        ))
    }

    /// Puts what generation computed into the cache, so the first reader hits.
    async fn warm(&self, outline: &ReportOutline, computed: &Computed, contents: Vec<SectionContent>) {
        let rid = outline.id.clone();
        let puts = [
            self.cache
                .put(&Key::MonteCarlo { report: rid.clone() }, &computed.forecast)
                .await,
            self.cache
                .put(&Key::Insights { report: rid.clone() }, &computed.insights)
                .await,
        ];
        for (section, content) in outline.sections.iter().zip(contents) {
            let key = Key::Section {
                report: rid.clone(),
                section: section.id.clone(),
                version: section.version,
            };
            if let Err(e) = self.cache.put(&key, &CachedSection::new(outline, &content)).await {
                tracing::warn!(error = %e, "cache: could not warm a section");
            }
        }
        for r in puts {
            if let Err(e) = r {
                tracing::warn!(error = %e, "cache: could not warm a report piece");
            }
        }
    }

    /// Saves a custom section's Markdown when `base_version` is current; evicts that
    /// section, the outline and the summary (whose completeness counts written sections).
    pub async fn save_markdown(
        &self,
        by: &Principal,
        report_id: &str,
        section_id: &str,
        base_version: u32,
        markdown_text: String,
    ) -> Result<u32> {
        by.require(Role::Editor)?;
        if markdown_text.len() > 64 * 1024 {
            return Err(Error::invalid("content", "must be at most 65536 bytes"));
        }
        let outline = self.outline(report_id).await?;
        let section = outline
            .section(ids::section(section_id)?)
            .ok_or_else(|| Error::NotFound(format!("section {section_id:?} in report {report_id:?}")))?;
        if section.kind != SectionKind::Custom {
            return Err(Error::invalid(
                "section_id",
                "only custom sections are written by people",
            ));
        }
        if ["approved", "distributed"].contains(&outline.status.as_str()) {
            return Err(Error::Conflict(format!(
                "report is {}; its sections are frozen",
                outline.status
            )));
        }
        let rows = app::sections::custom_rows(&markdown_text);
        let version = self
            .store
            .update_markdown(report_id, section_id, base_version, &markdown_text, rows, &by.name)
            .await?;
        let mut evict = vec![
            Pattern::section(report_id, section_id),
            Pattern::exact(&Key::Report {
                report: report_id.into(),
            }),
        ];
        for s in outline
            .sections
            .iter()
            .filter(|s| s.kind == SectionKind::ExecutiveSummary)
        {
            evict.push(Pattern::section(report_id, &s.id));
        }
        self.cache.invalidate(&evict).await;
        Ok(version)
    }

    /// Moves a report to `status`. Approving freezes every section's current content.
    pub async fn set_status(&self, by: &Principal, report_id: &str, status: &str) -> Result<()> {
        let outline = self.outline(report_id).await?;
        let Some(step) = app::dto::status_move(&outline.status, status) else {
            return Err(Error::invalid(
                "status",
                format!("cannot go from {} to {status}", outline.status),
            ));
        };
        by.require(step.needs)?;
        let mut frozen = Vec::new();
        if status == "approved" {
            for s in &outline.sections {
                let (_, content) = self.section_content(report_id, &s.id).await?;
                engine::ensure_finite(&content)
                    .map_err(|e| Error::Internal(format!("not freezing section {}: {e}", s.id)))?;
                let json = serde_json::to_string(&content).map_err(|e| Error::Internal(e.to_string()))?;
                frozen.push((s.id.clone(), json));
            }
        }
        self.store
            .set_status(report_id, &outline.status, status, &by.name, &frozen)
            .await?;
        self.cache.invalidate(&Pattern::report(report_id)).await;
        Ok(())
    }
}

fn new_report(o: &ReportOutline) -> NewReport {
    NewReport {
        id: o.id.clone(),
        project_id: o.project_id.clone(),
        period: o.period,
        template: o.template.clone(),
        title: o.title.clone(),
        iterations: o.iterations,
        generated_by: o.generated_by.clone(),
        sections: o
            .sections
            .iter()
            .map(|s| NewSection {
                id: s.id.clone(),
                kind: s.kind,
                title: s.title.clone(),
                priority: s.priority,
                markdown: String::new(),
                rows: s.rows,
            })
            .collect(),
    }
}

/// The template's sections with stable ids, default titles and priorities.
fn section_list(template: &[TemplateSection]) -> Vec<SectionOutline> {
    let mut seen = HashSet::new();
    template
        .iter()
        .map(|t| {
            let title = t.title.clone().unwrap_or_else(|| t.kind.default_title().to_owned());
            let base = match t.kind {
                SectionKind::ExecutiveSummary => "summary".to_owned(),
                SectionKind::Metrics => "metrics".to_owned(),
                SectionKind::AiInsights => "insights".to_owned(),
                SectionKind::MonteCarlo => "forecast".to_owned(),
                SectionKind::Charts => "charts".to_owned(),
                SectionKind::Custom => ids::slugify(&title),
            };
            let id = (1..)
                .map(|n| if n == 1 { base.clone() } else { format!("{base}-{n}") })
                .find(|candidate| seen.insert(candidate.clone()))
                .unwrap_or(base);
            SectionOutline {
                id,
                kind: t.kind,
                title,
                priority: t.priority.unwrap_or_else(|| t.kind.default_priority()),
                version: 1,
                rows: 0,
                has_content: t.kind != SectionKind::Custom,
            }
        })
        .collect()
}

fn contents_for(outline: &ReportOutline, c: &Computed) -> Vec<SectionContent> {
    outline
        .sections
        .iter()
        .map(|s| match s.kind {
            SectionKind::ExecutiveSummary => {
                assemble::summary_content(outline, &c.metrics, &c.insights, Some(&c.forecast))
            }
            SectionKind::Metrics => SectionContent::Metrics(Box::new(c.metrics.clone())),
            SectionKind::AiInsights => SectionContent::AiInsights(c.insights.clone()),
            SectionKind::MonteCarlo => assemble::forecast_content(c.forecast.clone(), &c.charts),
            SectionKind::Charts => SectionContent::Charts(Box::new(c.charts.clone())),
            SectionKind::Custom => SectionContent::Custom {
                markdown: String::new(),
                html: String::new(),
            },
        })
        .collect()
}

fn month_name(p: Period) -> String {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    format!("{} {}", NAMES[(p.month() as usize).saturating_sub(1) % 12], p.year())
}
