//! The report pipeline `load → metrics → monte_carlo → insights → summary → charts`
//! (SPEC §2). Each stage calls the pure engine, runs off the async threads (the Monte Carlo
//! is CPU work), and is timed by the monitor under its operation name inside a `tracing`
//! span. Loading is the store's job (timed there as `database_query`).

use std::sync::Arc;
use std::time::Instant;

use engine::charts::Charts;
use engine::insights::{Insight, InsightConfig};
use engine::metrics::Metrics;
use engine::montecarlo::{Execution, Forecast, ForecastComparison, SimConfig};
use engine::summary::ExecutiveSummary;
use engine::{Period, Project};
use monitor::Monitor;
use tracing::Instrument;

use crate::admission::{Admission, Cancel};
use crate::config::ReportConfig;
use crate::error::{Context, Error, Result};

/// Operation names of SPEC §2.
pub mod op {
    pub const REPORT_GENERATION: &str = "report_generation";
    pub const METRICS: &str = "metrics_collection";
    pub const MONTE_CARLO: &str = "monte_carlo_analysis";
    pub const INSIGHTS: &str = "ai_insight_generation";
    /// The performance-adjusted run beside the forecast, when the two forecasts disagree.
    pub const COMPARISON: &str = "forecast_comparison";
}

/// Everything one report's sections are made from.
#[derive(Debug, Clone)]
pub struct Computed {
    pub history: Vec<Metrics>,
    /// Current-period metrics, with the forecast dimension filled in.
    pub metrics: Metrics,
    pub forecast: Forecast,
    /// When earned schedule and the forecast disagree: why, and the adjusted forecast.
    pub comparison: Option<ForecastComparison>,
    pub insights: Vec<Insight>,
    pub summary: ExecutiveSummary,
    pub charts: Charts,
}

#[derive(Clone)]
pub struct Pipeline {
    config: Arc<ReportConfig>,
    monitor: Arc<Monitor>,
    /// Bounds the Monte Carlo runs (whole generations and forecast recomputes) at once.
    admission: Arc<Admission>,
}

impl Pipeline {
    pub fn new(config: ReportConfig, monitor: Arc<Monitor>, admission: Arc<Admission>) -> Self {
        Self {
            config: Arc::new(config),
            monitor,
            admission,
        }
    }

    /// Runs going on now and waiting, for the dashboard.
    pub fn load(&self) -> (usize, usize) {
        self.admission.load()
    }

    pub fn config(&self) -> &ReportConfig {
        &self.config
    }

    /// Runs `work` on the blocking pool, timed as `operation`. If the caller goes away (this
    /// future is dropped) the flag handed to `work` is set, and work not yet started is
    /// skipped.
    async fn stage<T: Send + 'static>(
        &self,
        operation: &'static str,
        work: impl FnOnce(&ReportConfig, &Cancel) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let config = self.config.clone();
        let span = tracing::info_span!("pipeline_stage", stage = operation);
        let started = Instant::now();
        let cancel = Cancel::default();
        let guard = cancel.on_drop();
        let out = tokio::task::spawn_blocking(move || {
            if cancel.is_cancelled() {
                return Err(Error::internal(format!("{operation} cancelled: nobody waits for it")));
            }
            work(&config, &cancel)
        })
        .instrument(span)
        .await
        .context(format!("{operation} did not finish"))?;
        guard.disarm();
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        self.monitor.record_timing(operation, ms);
        tracing::debug!(stage = operation, duration_ms = ms, "stage done");
        out
    }

    /// Metrics for every snapshot up to `period` (last = current), forecast dimension empty.
    pub async fn metrics(&self, project: Arc<Project>, period: Period) -> Result<Vec<Metrics>> {
        self.stage(op::METRICS, move |c, _| {
            let current = engine::metrics::compute(&project, period, &c.rag)?;
            let mut history = engine::metrics::history(&project, period, &c.rag);
            if history.last().map(|m| m.period) != Some(current.period) {
                history.push(current);
            }
            Ok(history)
        })
        .await
    }

    pub async fn forecast(
        &self,
        project: Arc<Project>,
        period: Period,
        iterations: u64,
        seed: u64,
    ) -> Result<Forecast> {
        let _slot = self.admission.admit().await?;
        self.forecast_admitted(project, period, iterations, seed).await
    }

    async fn forecast_admitted(
        &self,
        project: Arc<Project>,
        period: Period,
        iterations: u64,
        seed: u64,
    ) -> Result<Forecast> {
        self.stage(op::MONTE_CARLO, move |_, cancel| {
            let sim = SimConfig::new(iterations, seed)?;
            // The run looks at the flag between chunks, so a requester who hangs up in the
            // middle of a million iterations frees the slot within a millisecond or so.
            Ok(engine::montecarlo::simulate_cancellable(
                &project,
                period,
                &sim,
                Execution::Auto,
                cancel.flag(),
            )?)
        })
        .await
    }

    /// The forecast and, when earned schedule (performance to date) and the forecast
    /// (estimates of remaining work) disagree, the comparison with a performance-adjusted
    /// run — one admitted slot for both.
    pub async fn forecast_and_compare(
        &self,
        project: Arc<Project>,
        period: Period,
        history: Vec<Metrics>,
        iterations: u64,
        seed: u64,
    ) -> Result<(Forecast, Option<ForecastComparison>)> {
        let _slot = self.admission.admit().await?;
        let forecast = self
            .forecast_admitted(project.clone(), period, iterations, seed)
            .await?;
        let comparison = self.compare(project, period, history, forecast.clone()).await?;
        Ok((forecast, comparison))
    }

    async fn compare(
        &self,
        project: Arc<Project>,
        period: Period,
        history: Vec<Metrics>,
        forecast: Forecast,
    ) -> Result<Option<ForecastComparison>> {
        self.stage(op::COMPARISON, move |c, _| {
            let metrics = current_with_forecast(&history, Some(&forecast), c)?;
            Ok(engine::montecarlo::compare(
                &project,
                period,
                &metrics,
                &forecast,
                Execution::Auto,
            )?)
        })
        .await
    }

    pub async fn insights(
        &self,
        project: Arc<Project>,
        history: Vec<Metrics>,
        forecast: Option<Forecast>,
    ) -> Result<Vec<Insight>> {
        self.stage(op::INSIGHTS, move |c, _| {
            let config = InsightConfig {
                min_confidence: c.min_confidence,
            };
            Ok(engine::insights::generate_with(
                &project,
                &history,
                forecast.as_ref(),
                &config,
                &c.rag,
            ))
        })
        .await
    }

    /// All stages for one report, timed as a whole as `report_generation`.
    pub async fn run(&self, project: Arc<Project>, period: Period, iterations: u64, seed: u64) -> Result<Computed> {
        let _slot = self.admission.admit().await?;
        let started = Instant::now();
        let span = tracing::info_span!("report_generation", project.id = %project.id, %period);
        let out = async {
            let history = self.metrics(project.clone(), period).await?;
            let forecast = self
                .forecast_admitted(project.clone(), period, iterations, seed)
                .await?;
            let comparison = self
                .compare(project.clone(), period, history.clone(), forecast.clone())
                .await?;
            let insights = self
                .insights(project.clone(), history.clone(), Some(forecast.clone()))
                .await?;
            let (metrics, summary, charts) = self
                .stage("summary_and_charts", {
                    let (project, history, forecast, insights) =
                        (project.clone(), history.clone(), forecast.clone(), insights.clone());
                    move |c, _| {
                        let metrics = current_with_forecast(&history, Some(&forecast), c)?;
                        let summary = engine::summary::build(&metrics, &insights, Some(&forecast));
                        let charts = engine::charts::build(&project, &history, Some(&forecast));
                        Ok((metrics, summary, charts))
                    }
                })
                .await?;
            Ok(Computed {
                history,
                metrics,
                forecast,
                comparison,
                insights,
                summary,
                charts,
            })
        }
        .instrument(span)
        .await;
        self.monitor
            .record_timing(op::REPORT_GENERATION, started.elapsed().as_secs_f64() * 1000.0);
        out
    }
}

/// The current period's metrics, with the Monte Carlo RAG dimension when there is a
/// forecast.
pub fn current_with_forecast(history: &[Metrics], forecast: Option<&Forecast>, c: &ReportConfig) -> Result<Metrics> {
    let current = history
        .last()
        .cloned()
        .ok_or_else(|| Error::internal("metrics history is empty"))?;
    Ok(match forecast {
        Some(f) => current.with_forecast(f.p_finish_by_baseline, &c.rag),
        None => current,
    })
}

/// The default Monte Carlo seed: a hash of the report id and the project's data version,
/// so a report's forecast is stable until its data changes.
pub fn seed_for(report_id: &str, data_version: i64) -> u64 {
    // FNV-1a: tiny, stable across platforms and Rust versions (std's hasher is not).
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in report_id.bytes().chain(data_version.to_le_bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_is_stable_and_moves_with_the_data_version() {
        assert_eq!(seed_for("apollo-2026-10", 1), seed_for("apollo-2026-10", 1));
        assert_ne!(seed_for("apollo-2026-10", 1), seed_for("apollo-2026-10", 2));
        assert_ne!(seed_for("apollo-2026-10", 1), seed_for("apollo-2026-09", 1));
    }
}
