//! The portfolio rows and the project page: figures from the cached current-period
//! metrics, so a warm portfolio costs a handful of queries and one MGET.

use app::services::{PortfolioRow, ProjectView, ReportLink, ReportListItem, SnapshotRow};
use engine::metrics::{self, Metrics};
use engine::{Period, ProjectId};

use super::PmrServices;
use crate::cache::Key;
use crate::error::Result;

impl PmrServices {
    pub(super) async fn portfolio_rows(&self) -> Result<Vec<PortfolioRow>> {
        let projects = self.store().list_projects().await?;
        let periods = self.store().latest_snapshot_periods().await?;
        let latest = self.store().latest_reports().await?;
        let keys: Vec<Option<Key>> = projects
            .iter()
            .map(|p| {
                periods.get(&p.id).map(|&period| Key::Metrics {
                    project: p.id.to_string(),
                    period,
                })
            })
            .collect();
        let wanted: Vec<Key> = keys.iter().flatten().cloned().collect();
        let mut found = self.cache().get_many::<Metrics>(&wanted).await.into_iter();
        let mut rows = Vec::with_capacity(projects.len());
        for (p, key) in projects.into_iter().zip(keys) {
            let metrics = match key {
                None => None,
                Some(Key::Metrics { period, .. }) => match found.next().flatten() {
                    Some(m) => Some(m),
                    None => Some(self.current_metrics(&p.id, period).await?),
                },
                Some(_) => None,
            };
            rows.push(PortfolioRow {
                overall: metrics.as_ref().map_or(metrics::Rag::NotAvailable, |m| m.rag.overall),
                cpi: metrics.as_ref().and_then(|m| m.evm.cpi),
                spi_t: metrics.as_ref().and_then(|m| m.schedule.spi_t),
                period: metrics.as_ref().map(|m| m.period),
                latest_report: latest.get(&p.id).map(|r| ReportLink {
                    id: r.id.clone(),
                    title: r.title.clone(),
                    period: r.period,
                }),
                id: p.id,
                name: p.name,
                code: p.code,
                manager: p.manager,
                currency: p.currency,
                bac: p.bac,
            });
        }
        Ok(rows)
    }

    pub(super) async fn project_view(&self, id: &ProjectId) -> Result<ProjectView> {
        let (project, _) = self.load(id).await?;
        let reports = self.store().reports_for_project(id).await?;
        let today = chrono::Utc::now().date_naive();
        let mut periods = Vec::new();
        let mut p = project.start_period();
        let last = Period::of(today).next();
        while p <= last {
            periods.push(p);
            p = p.next();
        }
        periods.reverse();
        Ok(ProjectView {
            id: project.id.clone(),
            name: project.name.clone(),
            code: project.code.clone(),
            manager: project.manager.clone(),
            sponsor: project.sponsor.clone(),
            currency: project.currency.as_str().to_owned(),
            start: project.start.to_string(),
            baseline_finish: project.baseline_finish.to_string(),
            bac: project.bac.get(),
            work_packages: project.work_packages.len(),
            risks: project.risks.len(),
            snapshots: project
                .snapshots
                .iter()
                .map(|s| {
                    let evm = metrics::evm(project.bac.get(), Some(s));
                    SnapshotRow {
                        period: s.period,
                        pv: evm.pv,
                        ev: evm.ev,
                        ac: evm.ac,
                        cpi: evm.cpi,
                        spi: evm.spi,
                        utilisation: metrics::ratio(s.allocated_hours.get(), s.capacity_hours.get()),
                    }
                })
                .collect(),
            reports: reports
                .into_iter()
                .map(|r| ReportListItem {
                    id: r.id,
                    title: r.title,
                    period: r.period,
                    template: r.template,
                    status: r.status,
                    version: r.version,
                    created_at: r.created_at,
                })
                .collect(),
            periods,
        })
    }
}
