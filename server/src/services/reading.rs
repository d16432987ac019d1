//! Reading reports and sections through the cache. Each piece has its own key and TTL
//! (outline, metrics, Monte Carlo, insights, section HTML); a miss computes just that piece
//! through one [`Computation`] (the project loaded once). Reads never write to the store
//! and never evict: what a section's placeholder reserves (`rows`) is written by the
//! writes that change it.

use app::domain::{ReportId, SectionId};
use app::dto::{Priority, SectionHtml, SectionKind};
use app::services::{ReportOutline, ReportView, SectionOutline, SectionView};
use serde::Serialize;

use super::assemble::CachedSection;
use super::computation::Computation;
use super::PmrServices;
use crate::cache::Key;
use crate::error::{Error, Result};
use crate::store::frozen::FrozenSection;

/// A section as the JSON API returns it: its outline and its typed content — as
/// computed now, or as frozen at approval.
#[derive(Debug, Clone, Serialize)]
pub struct SectionDocument {
    pub section: SectionOutline,
    /// True when the report is approved and this is the snapshot taken then.
    pub frozen: bool,
    pub content: serde_json::Value,
}

impl PmrServices {
    /// The report's outline (`pmr:report:{id}`). An unknown id is `NotFound` and leaves
    /// nothing in the cache.
    pub(super) async fn cached_outline(&self, id: &ReportId) -> Result<ReportOutline> {
        let svc = self.clone();
        let rid = id.clone();
        self.cache()
            .get_or_compute(&Key::Report { report: id.to_string() }, move || async move {
                svc.load_outline(&rid).await
            })
            .await
    }

    async fn load_outline(&self, id: &ReportId) -> Result<ReportOutline> {
        let (r, sections) = self.store().report(id).await?;
        let project = self.store().project_summary(&r.project_id).await?;
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

    fn section_key(outline: &ReportOutline, section: &SectionOutline) -> Key {
        Key::Section {
            report: outline.id.to_string(),
            section: section.id.to_string(),
            version: section.version,
        }
    }

    fn find<'a>(outline: &'a ReportOutline, section: &SectionId) -> Result<&'a SectionOutline> {
        outline
            .section(section)
            .ok_or_else(|| Error::NotFound(format!("section {section:?} in report {:?}", outline.id)))
    }

    /// A section as readers see it: frozen at approval, or computed and rendered now.
    async fn build_section(&self, comp: &Computation, section: &SectionOutline) -> Result<CachedSection> {
        let outline = comp.outline();
        if outline.status.is_frozen() {
            if let Some(json) = self.store().frozen_section(&outline.id, &section.id).await? {
                let frozen = FrozenSection::read(&json, outline)?;
                return Ok(CachedSection {
                    rows: frozen.rows,
                    html: frozen.html,
                });
            }
        }
        let content = self.compute_section(comp, section).await?;
        Ok(CachedSection::new(outline, &content))
    }

    /// A section's cached HTML; a miss computes and renders it (single flight).
    async fn cached_section(&self, outline: &ReportOutline, section: &SectionOutline) -> Result<CachedSection> {
        let svc = self.clone();
        let (comp, s) = (Computation::new(self, outline), section.clone());
        self.cache()
            .get_or_compute(&Self::section_key(outline, section), move || async move {
                svc.build_section(&comp, &s).await
            })
            .await
    }

    /// What the lazy island shows. With the version the page was rendered with, a hit
    /// needs one read: the key exists only for a real, current section (an edit bumps the
    /// version; invented ids never get a key). Otherwise the outline decides what is current.
    pub(super) async fn lazy_section(
        &self,
        report: &ReportId,
        section: &SectionId,
        version: Option<u32>,
    ) -> Result<SectionHtml> {
        if let Some(v) = version {
            let key = Key::Section {
                report: report.to_string(),
                section: section.to_string(),
                version: v,
            };
            if let Some(Some(hit)) = self
                .cache()
                .get_many::<CachedSection>(std::slice::from_ref(&key))
                .await
                .pop()
            {
                return Ok(SectionHtml {
                    section_id: section.clone(),
                    version: v,
                    html: hit.html,
                });
            }
        }
        let outline = self.cached_outline(report).await?;
        let s = Self::find(&outline, section)?;
        let cached = self.cached_section(&outline, s).await?;
        Ok(SectionHtml {
            section_id: s.id.clone(),
            version: s.version,
            html: cached.html,
        })
    }

    /// One section on its own page (the no-JavaScript route): cached HTML, plus the
    /// Markdown of a custom section for its edit form.
    pub(super) async fn section_view(&self, report: &ReportId, section: &SectionId) -> Result<SectionView> {
        let outline = self.cached_outline(report).await?;
        let s = Self::find(&outline, section)?.clone();
        let cached = self.cached_section(&outline, &s).await?;
        let markdown = match s.kind {
            SectionKind::Custom => Some(self.store().section_markdown(&outline.id, &s.id).await?),
            _ => None,
        };
        Ok(SectionView {
            outline,
            section: s,
            html: cached.html,
            markdown,
        })
    }

    /// A section's typed content for the JSON API: the frozen snapshot of an approved
    /// report, else computed from the cached pieces. `all_criticality` keeps every work
    /// package's criticality in a forecast (the section itself lists the top ones).
    pub async fn section_document(
        &self,
        report: &ReportId,
        section: &SectionId,
        all_criticality: bool,
    ) -> Result<SectionDocument> {
        let outline = self.cached_outline(report).await?;
        let s = Self::find(&outline, section)?.clone();
        if outline.status.is_frozen() {
            if let Some(json) = self.store().frozen_section(&outline.id, &s.id).await? {
                let frozen = FrozenSection::read(&json, &outline)?;
                return Ok(SectionDocument {
                    section: s,
                    frozen: true,
                    content: frozen.content,
                });
            }
        }
        let comp = Computation::new(self, &outline);
        let mut content = self.compute_section(&comp, &s).await?;
        if all_criticality {
            if let app::services::SectionContent::MonteCarlo(mc) = &mut content {
                mc.forecast.criticality = comp.forecast().await?.forecast.criticality;
            }
        }
        let content = serde_json::to_value(&content).map_err(|e| Error::internal(format!("section content: {e}")))?;
        Ok(SectionDocument {
            section: s,
            frozen: false,
            content,
        })
    }

    /// A report's audit log, oldest first.
    pub async fn audit_log(&self, report: &ReportId) -> Result<Vec<crate::store::AuditEntry>> {
        self.cached_outline(report).await?;
        self.store().audit_log(report).await
    }

    /// The outline and its high sections: one MGET, then only the misses are computed
    /// (through one computation, so the project is loaded once for all of them).
    pub(super) async fn report_view(&self, id: &ReportId) -> Result<ReportView> {
        let outline = self.cached_outline(id).await?;
        let high: Vec<SectionOutline> = outline
            .sections
            .iter()
            .filter(|s| s.priority == Priority::High)
            .cloned()
            .collect();
        let keys: Vec<Key> = high.iter().map(|s| Self::section_key(&outline, s)).collect();
        let found = self.cache().get_many::<CachedSection>(&keys).await;
        let comp = Computation::new(self, &outline);
        let mut sections = Vec::with_capacity(high.len());
        for ((section, hit), key) in high.iter().zip(found).zip(&keys) {
            let html = match hit {
                Some(c) => Ok(c.html),
                None => {
                    let (svc, comp, s) = (self.clone(), comp.clone(), section.clone());
                    self.cache()
                        .fill(key, move || async move { svc.build_section(&comp, &s).await })
                        .await
                        .map(|c: CachedSection| c.html)
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
