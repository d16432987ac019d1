//! Importing and exporting a project. An import is validated whole, stored in one
//! transaction with an event for each report whose computed sections it changes, and then
//! exactly the cache keys it affects are evicted — its metrics and its non-approved
//! reports — and nothing of other projects. Afterwards the affected reports' pieces are
//! recomputed in the background, so their placeholders' row counts (a write) follow the
//! new data without any read ever writing.

use app::services::{Principal, ReportOutline};
use engine::{Project, ProjectId};
use serde::Serialize;

use super::computation::Computation;
use super::PmrServices;
use crate::cache::Pattern;
use crate::error::{Error, Result};
use crate::events::StoredEvent;

#[derive(Debug, Clone, Serialize)]
pub struct ImportOutcome {
    pub id: ProjectId,
    pub data_version: i64,
    pub created: bool,
    pub work_packages: usize,
    pub snapshots: usize,
}

impl PmrServices {
    /// Parses, validates and stores a project document. With the test-only switch
    /// `PMR_ALLOW_UNVALIDATED_IMPORT`, cross-item rules are skipped (field rules still
    /// apply) so the pipeline's own refusals can be exercised.
    pub async fn import(&self, by: &Principal, bytes: &[u8]) -> Result<ImportOutcome> {
        let project = if self.pipeline().config().allow_unvalidated_import {
            serde_json::from_slice::<Project>(bytes).map_err(|e| Error::invalid("$", e.to_string()))?
        } else {
            Project::from_json(bytes)?
        };
        self.import_project(by, &project).await
    }

    /// Stores an already-validated project and evicts what it affects.
    pub async fn import_project(&self, by: &Principal, project: &Project) -> Result<ImportOutcome> {
        let id = &project.id;
        let (data_version, events) = self.store().save_project(project, &by.name).await?;
        let mut evict = vec![Pattern::project_metrics(id.as_str())];
        for e in &events {
            evict.extend(Pattern::report(e.report.as_str()));
        }
        self.evict(&evict).await;
        self.refresh_in_background(&events, by);
        self.publish(events);
        tracing::info!(project.id = %id, data_version, "project imported");
        Ok(ImportOutcome {
            id: id.clone(),
            data_version,
            created: data_version == 1,
            work_packages: project.work_packages.len(),
            snapshots: project.snapshots.len(),
        })
    }

    /// After new data: recompute each changed report's sections and record their row
    /// counts (the placeholders' heights), one report at a time, admitted like any run.
    fn refresh_in_background(&self, events: &[StoredEvent], by: &Principal) {
        if events.is_empty() {
            return;
        }
        let reports: Vec<_> = events.iter().map(|e| e.report.clone()).collect();
        let (svc, actor) = (self.clone(), by.name.clone());
        tokio::spawn(async move {
            for report in reports {
                if let Err(e) = svc.refresh_rows(&report, &actor).await {
                    tracing::warn!(report.id = %report, error = %e, "refreshing a report after an import failed");
                }
            }
        });
    }

    async fn refresh_rows(&self, report: &app::domain::ReportId, actor: &str) -> Result<()> {
        let outline: ReportOutline = self.cached_outline(report).await?;
        if outline.status.is_frozen() {
            return Ok(());
        }
        let comp = Computation::new(self, &outline);
        let mut changed = Vec::new();
        for s in &outline.sections {
            let rows = self.compute_section(&comp, s).await?.rows();
            if rows != s.rows {
                changed.push((s.id.clone(), rows));
            }
        }
        if changed.is_empty() {
            return Ok(());
        }
        let event = self.store().set_section_rows(report, &changed, actor).await?;
        // Only the outline holds rows; the pieces just computed stay cached.
        self.evict(&[Pattern::exact(&crate::cache::Key::Report {
            report: report.to_string(),
        })])
        .await;
        self.publish([event]);
        Ok(())
    }

    /// The project's full input in the import format: importing it gives the same project.
    pub async fn export(&self, id: &ProjectId) -> Result<Project> {
        Ok(self.store().load_project(id).await?.0)
    }
}
