//! One computation of a report's pieces: the project is loaded from the store at most
//! once, however many pieces (history, forecast, insights) the computation needs, and each
//! piece goes through its cache key (`pmr:monte_carlo:…`, `pmr:insights:…`,
//! `pmr:metrics:…`), so concurrent readers share work.

use std::sync::Arc;

use app::services::ReportOutline;
use engine::insights::Insight;
use engine::metrics::Metrics;
use engine::montecarlo::{Forecast, ForecastComparison};
use engine::Project;
use tokio::sync::OnceCell;

use super::PmrServices;
use crate::cache::Key;
use crate::error::{Error, Result};
use crate::pipeline::seed_for;

/// Cheap to clone; clones share the loaded project.
#[derive(Clone)]
pub(super) struct Computation(Arc<Inner>);

struct Inner {
    svc: PmrServices,
    outline: ReportOutline,
    project: OnceCell<(Arc<Project>, i64)>,
    history: OnceCell<Vec<Metrics>>,
}

impl Computation {
    pub fn new(svc: &PmrServices, outline: &ReportOutline) -> Self {
        Self(Arc::new(Inner {
            svc: svc.clone(),
            outline: outline.clone(),
            project: OnceCell::new(),
            history: OnceCell::new(),
        }))
    }

    pub fn outline(&self) -> &ReportOutline {
        &self.0.outline
    }

    /// The project and its data version, loaded once.
    pub async fn project(&self) -> Result<(Arc<Project>, i64)> {
        let (p, v) = self
            .0
            .project
            .get_or_try_init(|| async {
                let (p, v) = self.0.svc.store().load_project(&self.0.outline.project_id).await?;
                Ok::<_, Error>((Arc::new(p), v))
            })
            .await?;
        Ok((p.clone(), *v))
    }

    /// Metrics for every snapshot up to the report's period (last = current), once.
    pub async fn history(&self) -> Result<Vec<Metrics>> {
        self.0
            .history
            .get_or_try_init(|| async {
                let (project, _) = self.project().await?;
                self.0.svc.pipeline().metrics(project, self.0.outline.period).await
            })
            .await
            .cloned()
    }

    /// `pmr:monte_carlo:{report}`: the forecast and, when earned schedule disagrees with
    /// it, the comparison with a performance-adjusted run.
    pub async fn forecast(&self) -> Result<ForecastPiece> {
        let this = self.clone();
        let key = Key::MonteCarlo {
            report: self.0.outline.id.to_string(),
        };
        self.0
            .svc
            .cache()
            .get_or_compute(&key, move || async move {
                let (project, version) = this.project().await?;
                let o = &this.0.outline;
                let history = this.history().await?;
                let (forecast, comparison) = this
                    .0
                    .svc
                    .pipeline()
                    .forecast_and_compare(
                        project,
                        o.period,
                        history,
                        u64::from(o.iterations),
                        seed_for(o.id.as_str(), version),
                    )
                    .await?;
                Ok(ForecastPiece { forecast, comparison })
            })
            .await
    }

    /// The forecast for pieces that can do without it: a failing simulation (bad data)
    /// fails only the Monte Carlo section; the others show "not available" for it.
    pub async fn forecast_if_any(&self) -> Option<ForecastPiece> {
        match self.forecast().await {
            Ok(f) => Some(f),
            Err(e) => {
                tracing::warn!(report.id = %self.0.outline.id, error = %e, "forecast unavailable; dependent sections go without");
                None
            }
        }
    }

    /// `pmr:insights:{report}`.
    pub async fn insights(&self) -> Result<Vec<Insight>> {
        let this = self.clone();
        let key = Key::Insights {
            report: self.0.outline.id.to_string(),
        };
        self.0
            .svc
            .cache()
            .get_or_compute(&key, move || async move {
                let (project, _) = this.project().await?;
                let history = this.history().await?;
                let forecast = this.forecast_if_any().await.map(|f| f.forecast);
                this.0.svc.pipeline().insights(project, history, forecast).await
            })
            .await
    }
}

/// What `pmr:monte_carlo:{report}` holds.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(super) struct ForecastPiece {
    pub forecast: Forecast,
    pub comparison: Option<ForecastComparison>,
}
