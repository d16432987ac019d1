//! The write path of reports: generating one and moving it through its statuses (editing a
//! custom section is `editing.rs`). Each is: validate → one transaction that writes the
//! change and its event → evict exactly the affected cache keys → publish the event → return.

use std::collections::HashSet;

use app::domain::{ReportId, ReportStatus, SectionId};
use app::dto::SectionKind;
use app::services::{GenerateRequest, Principal, ReportOutline, SectionContent, SectionOutline, Written};
use engine::montecarlo::SimConfig;
use engine::Period;

use super::assemble::{self, CachedSection};
use super::PmrServices;
use crate::cache::{Key, Pattern};
use crate::error::{Error, Result};
use crate::pipeline::{seed_for, Computed};
use crate::store::frozen::FrozenSection;
use crate::store::{Claim, NewReport, NewSection, TemplateSection};

/// How long a generation claim holds if its holder never finishes (it died).
const CLAIM_TTL_MS: i64 = 120_000;
/// How long a finished claim tells latecomers which report it made: requests that raced it.
const CLAIM_LINGER_MS: i64 = 2_000;
/// How long a request waits for another instance's generation of the same report.
const CLAIM_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

/// Gives a generation claim up if dropped before [`ClaimGuard::disarm`].
struct ClaimGuard(Option<(crate::store::Store, String)>);

impl ClaimGuard {
    fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for ClaimGuard {
    fn drop(&mut self) {
        if let Some((store, key)) = self.0.take() {
            tokio::spawn(async move {
                let _ = store.finish_claim(&key, None, 0).await;
            });
        }
    }
}

impl PmrServices {
    /// A template's sections (`pmr:template:{id}`).
    async fn template(&self, t: app::domain::Template) -> Result<Vec<TemplateSection>> {
        let svc = self.clone();
        self.cache()
            .get_or_compute(
                &Key::Template {
                    template: t.to_string(),
                },
                move || async move { svc.store().template(t).await },
            )
            .await
    }

    /// Generates a report, rate limited per principal. Identical requests at the same time
    /// (a double click, a retrying client) share one run and get the same report.
    pub(super) async fn generate(&self, by: &Principal, req: GenerateRequest) -> Result<ReportId> {
        self.inner.generate_limit.check(&by.name)?;
        let key = format!(
            "{}|{}|{}|{:?}",
            req.project_id, req.period, req.template, req.iterations
        );
        self.inner
            .generations
            .run(&key, self.generate_once_across_instances(&key, by, req))
            .await
    }

    /// One generation per request key at a time across every instance: the first to claim
    /// the key generates; the others wait for its report (SPEC §7). A claim whose holder
    /// died expires and is taken over.
    async fn generate_once_across_instances(
        &self,
        key: &str,
        by: &Principal,
        req: GenerateRequest,
    ) -> Result<ReportId> {
        let deadline = tokio::time::Instant::now() + CLAIM_WAIT;
        loop {
            match self.store().claim_generation(key, CLAIM_TTL_MS).await? {
                Claim::Won => {
                    // If this request is dropped midway (its client hung up), give the
                    // claim up so the next request need not wait for it to expire.
                    let guard = ClaimGuard(Some((self.store().clone(), key.to_owned())));
                    let made = self.generate_unlimited(by, req).await;
                    let id = made.as_ref().ok().map(ReportId::as_str);
                    if let Err(e) = self.store().finish_claim(key, id, CLAIM_LINGER_MS).await {
                        tracing::warn!(error = %e, "could not record a generation claim's report");
                    }
                    guard.disarm();
                    return made;
                }
                Claim::Taken(Some(id)) => {
                    return ReportId::parse(&id).map_err(|e| Error::internal(format!("claimed report id: {e}")))
                }
                Claim::Taken(None) if tokio::time::Instant::now() >= deadline => {
                    return Err(Error::Busy {
                        reason: "the same report is being generated elsewhere; try again shortly".into(),
                        retry_after_secs: 2,
                    })
                }
                Claim::Taken(None) => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
            }
        }
    }

    /// [`generate`](Self::generate) without the rate limit (the demo loader's path): runs
    /// the pipeline, stores the report with its first event, warms the cache.
    pub async fn generate_unlimited(&self, by: &Principal, req: GenerateRequest) -> Result<ReportId> {
        let iterations = req.iterations.unwrap_or(self.pipeline().config().iterations);
        SimConfig::new(iterations, 0)?;
        let template = self.template(req.template).await?;
        let (project, version) = match self.load(&req.project_id).await {
            Err(Error::NotFound(_)) => {
                return Err(Error::invalid(
                    "project_id",
                    format!("unknown project {:?}", req.project_id.as_str()),
                ))
            }
            other => other?,
        };
        let period = req.period;
        engine::metrics::check_period(&project, period, chrono::Utc::now().date_naive())?;
        // The report id seeds the forecast, so it is chosen before the run; should a
        // concurrent generation take it meanwhile, the run is repeated under the next id.
        for _ in 0..3 {
            let id = self
                .store()
                .free_report_id(&format!("{}-{period}", req.project_id))
                .await?;
            let computed = self
                .pipeline()
                .run(project.clone(), period, iterations, seed_for(id.as_str(), version))
                .await?;
            let mut outline = ReportOutline {
                id: id.clone(),
                project_id: req.project_id.clone(),
                project_name: project.name.clone(),
                currency: project.currency.as_str().to_owned(),
                period,
                template: req.template,
                title: format!("{} — {}", project.name, month_name(period)),
                status: ReportStatus::Draft,
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
            let Some(event) = self.store().create_report(&new_report(&outline)).await? else {
                continue;
            };
            self.warm(&outline, &computed, contents).await;
            self.publish([event]);
            tracing::info!(report.id = %id, project.id = %req.project_id, %period, "report generated");
            return Ok(id);
        }
        Err(Error::Conflict(
            "other reports for this project and period are being generated right now; try again".into(),
        ))
    }

    /// Puts what generation computed into the cache, so the first reader hits.
    async fn warm(&self, outline: &ReportOutline, computed: &Computed, contents: Vec<SectionContent>) {
        let rid = outline.id.to_string();
        let piece = super::computation::ForecastPiece {
            forecast: computed.forecast.clone(),
            comparison: computed.comparison.clone(),
        };
        let mut results = vec![
            self.cache().put(&Key::MonteCarlo { report: rid.clone() }, &piece).await,
            self.cache()
                .put(&Key::Insights { report: rid.clone() }, &computed.insights)
                .await,
        ];
        for (section, content) in outline.sections.iter().zip(contents) {
            let key = Key::Section {
                report: rid.clone(),
                section: section.id.to_string(),
                version: section.version,
            };
            results.push(self.cache().put(&key, &CachedSection::new(outline, &content)).await);
        }
        for r in results {
            if let Err(e) = r {
                tracing::warn!(error = %e, "cache: could not warm a report piece");
            }
        }
    }

    /// Moves a report to `to`. Approving freezes every section as readers see it now.
    pub(super) async fn set_status(&self, by: &Principal, report: &ReportId, to: ReportStatus) -> Result<Written> {
        let outline = self.cached_outline(report).await?;
        // The policy decides this one with the resource in hand: which move it is.
        app::policy::status_move(by, outline.status, to)?;
        let mut frozen = Vec::new();
        if to == ReportStatus::Approved {
            for s in &outline.sections {
                let comp = super::computation::Computation::new(self, &outline);
                let content = self.compute_section(&comp, s).await?;
                frozen.push((s.id.clone(), FrozenSection::new(&outline, &content)?));
            }
        }
        let event = self
            .store()
            .set_status(report, outline.status, to, &by.name, &frozen)
            .await?;
        self.evict(&Pattern::report(report.as_str())).await;
        let written = Written {
            version: outline.version,
            offset: event.offset,
        };
        self.publish([event]);
        Ok(written)
    }
}

fn new_report(o: &ReportOutline) -> NewReport {
    NewReport {
        id: o.id.clone(),
        project_id: o.project_id.clone(),
        period: o.period,
        template: o.template,
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
                SectionKind::ExecutiveSummary => SectionId::from_title("summary"),
                SectionKind::Metrics => SectionId::from_title("metrics"),
                SectionKind::AiInsights => SectionId::from_title("insights"),
                SectionKind::MonteCarlo => SectionId::from_title("forecast"),
                SectionKind::Charts => SectionId::from_title("charts"),
                SectionKind::Custom => SectionId::from_title(&title),
            };
            let id = (1..)
                .map(|n| base.numbered(n))
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
            SectionKind::MonteCarlo => assemble::forecast_content(c.forecast.clone(), c.comparison.clone(), &c.charts),
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
