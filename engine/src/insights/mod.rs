//! The analytic engine behind "AI insights" (SPEC §1.4): deterministic rules over the
//! metrics history, the risk register and the Monte Carlo forecast.
//!
//! Each rule lives with its category — `budget`, `schedule`, `resource`, `risk`,
//! `quality` — and reads only its own data, so a category without data yields nothing:
//! no snapshots means no budget, schedule, resource or quality rule fires, and no forecast
//! means no forecast rule fires (the forecast rules — P80 past baseline, P(cost ≤ BAC),
//! the dominant driver — need only the forecast, not snapshots). The risk rule needs the
//! project's contingency and is silent without one.
//!
//! Confidence (see `evidence` for each factor's definition):
//! `0.30 + 0.69 · (0.40·A + 0.35·G + 0.25·M)`, where `A` is the amount of evidence (months
//! of data / 6, or log10(iterations) / 5 for forecast rules), `G` its agreement (share of
//! recent months trending or in breach the same way, or share of iterations missing the
//! target) and `M` the margin past the threshold on a per-rule scale, each in `[0, 1]`.
//! Insights under `min_confidence` are dropped. The text is plain English with the figures
//! in it, formatted by [`crate::format`]; this module leaves rewording to others.

mod budget;
mod drivers;
mod evidence;
mod quality;
mod resource;
mod risk;
mod schedule;

use serde::{Deserialize, Serialize};

use crate::format;
use crate::metrics::{Metrics, RagThresholds};
use crate::model::Project;
use crate::montecarlo::Forecast;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InsightCategory {
    Budget,
    Schedule,
    Resource,
    Risk,
    Quality,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InsightType {
    Prediction,
    Recommendation,
    Alert,
    Summary,
}

/// Ordered: `Low < Medium < High < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InsightPriority {
    Low,
    Medium,
    High,
    Critical,
}

/// One figure an insight rests on, e.g. ("CPI", "0.87") or ("threshold", "0.90").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rationale {
    pub facts: Vec<Fact>,
    /// Slope of the metric per month when the rule reads a trend.
    pub trend_slope: Option<f64>,
    pub months_of_data: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Insight {
    /// Stable id of the rule that produced it (e.g. `cpi_trend_down`).
    pub rule: String,
    pub category: InsightCategory,
    #[serde(rename = "type")]
    pub kind: InsightType,
    pub priority: InsightPriority,
    pub title: String,
    pub content: String,
    pub confidence: f64,
    pub rationale: Rationale,
    pub recommended_actions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InsightConfig {
    pub min_confidence: f64,
}

impl Default for InsightConfig {
    fn default() -> Self {
        Self { min_confidence: 0.7 }
    }
}

/// `history` is [`crate::metrics::history`] up to the report period (last = current).
/// Sorted by priority (critical first), then confidence. Thresholds are the defaults of
/// [`RagThresholds`]; see [`generate_with`] for configured ones.
pub fn generate(
    project: &Project,
    history: &[Metrics],
    forecast: Option<&Forecast>,
    config: &InsightConfig,
) -> Vec<Insight> {
    generate_with(project, history, forecast, config, &RagThresholds::default())
}

/// [`generate`] with the configured RAG thresholds, which the rules use as their triggers.
pub fn generate_with(
    project: &Project,
    history: &[Metrics],
    forecast: Option<&Forecast>,
    config: &InsightConfig,
    thresholds: &RagThresholds,
) -> Vec<Insight> {
    let cx = Context {
        project,
        history,
        forecast,
        t: thresholds,
    };
    let mut all = Vec::new();
    all.extend(budget::rules(&cx));
    all.extend(schedule::rules(&cx));
    all.extend(resource::rules(&cx));
    all.extend(risk::rules(&cx));
    all.extend(quality::rules(&cx));
    all.retain(|i| i.confidence >= config.min_confidence);
    // Stable: equal priority and confidence keep the rules' fixed order.
    all.sort_by(|a, b| b.priority.cmp(&a.priority).then(b.confidence.total_cmp(&a.confidence)));
    all
}

/// What every rule reads.
pub(crate) struct Context<'a> {
    pub project: &'a Project,
    pub history: &'a [Metrics],
    pub forecast: Option<&'a Forecast>,
    pub t: &'a RagThresholds,
}

impl Context<'_> {
    /// The metrics of the report period (the last of the history).
    pub fn current(&self) -> Option<&Metrics> {
        self.history.last()
    }

    pub fn money(&self, v: f64) -> String {
        format::money(v, self.project.currency.as_str())
    }
}

pub(crate) fn fact(label: &str, value: impl Into<String>) -> Fact {
    Fact {
        label: label.to_owned(),
        value: value.into(),
    }
}
