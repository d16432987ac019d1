//! Importing a project: validated whole, stored in one transaction, and then exactly the
//! cache keys it affects are evicted — its metrics and its non-approved reports — and
//! nothing of other projects.

use app::dto::Role;
use app::services::Principal;
use engine::Project;
use serde::Serialize;

use super::PmrServices;
use crate::cache::Pattern;
use crate::error::{Error, Result};

#[derive(Debug, Clone, Serialize)]
pub struct ImportOutcome {
    pub id: String,
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
        by.require(Role::Editor)?;
        let project = if self.pipeline.config().allow_unvalidated_import {
            serde_json::from_slice::<Project>(bytes).map_err(|e| Error::invalid("$", e.to_string()))?
        } else {
            Project::from_json(bytes)?
        };
        self.import_project(&project).await
    }

    /// Stores an already-validated project and evicts what it affects.
    pub async fn import_project(&self, project: &Project) -> Result<ImportOutcome> {
        let id = project.id.as_str();
        let data_version = self.store.save_project(project).await?;
        let mut evict = vec![Pattern::project_metrics(id)];
        for report in self.store.reports_for_project(id).await? {
            if !matches!(report.status.as_str(), "approved" | "distributed") {
                evict.extend(Pattern::report(&report.id));
            }
        }
        self.cache.invalidate(&evict).await;
        tracing::info!(project.id = %id, data_version, "project imported");
        Ok(ImportOutcome {
            id: id.to_owned(),
            data_version,
            created: data_version == 1,
            work_packages: project.work_packages.len(),
            snapshots: project.snapshots.len(),
        })
    }
}
