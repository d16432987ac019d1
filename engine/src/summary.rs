//! Executive summary (SPEC §1.6) and report completeness (SPEC §1.2).
//!
//! The summary is assembled from figures the other modules computed — metrics with their
//! RAG, the top insights, the forecast — into deterministic text: a headline, two to four
//! sentences, key figures with their RAG ("n/a" for anything unavailable) and highlights.
//! Rewording by a language model, if any, happens outside the engine.

use serde::{Deserialize, Serialize};

use crate::format::{self, NOT_AVAILABLE};
use crate::insights::{Insight, InsightPriority};
use crate::metrics::{ratio as safe_ratio, Metrics, MilestoneRow, Rag};
use crate::model::MilestoneStatus;
use crate::montecarlo::Forecast;

/// Highlights kept at most.
const MAX_HIGHLIGHTS: usize = 6;
/// Insight titles among the highlights at most.
const INSIGHT_HIGHLIGHTS: usize = 3;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyFigure {
    pub label: String,
    pub value: String,
    pub rag: Option<Rag>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExecutiveSummary {
    pub overall: Rag,
    pub headline: String,
    /// Two to four sentences.
    pub narrative: Vec<String>,
    /// CPI, SPI(t), EAC vs BAC, P80 finish (when forecast).
    pub key_figures: Vec<KeyFigure>,
    pub highlights: Vec<String>,
}

/// Builds the deterministic summary. `metrics` should already carry the forecast RAG
/// (see [`Metrics::with_forecast`]).
pub fn build(metrics: &Metrics, insights: &[Insight], forecast: Option<&Forecast>) -> ExecutiveSummary {
    let mut narrative = vec![progress_sentence(metrics), cost_sentence(metrics)];
    narrative.push(match forecast {
        Some(f) => forecast_sentence(f),
        None => schedule_sentence(metrics),
    });
    narrative.push(concern_sentence(insights));
    ExecutiveSummary {
        overall: metrics.rag.overall,
        headline: headline(metrics),
        narrative,
        key_figures: key_figures(metrics, forecast),
        highlights: highlights(metrics, insights),
    }
}

fn headline(m: &Metrics) -> String {
    let cost = match m.rag.cost {
        Rag::Green => "on budget",
        Rag::Amber => "slightly over budget",
        Rag::Red => "over budget",
        Rag::NotAvailable => "cost not yet measured",
    };
    let schedule = match m.rag.schedule {
        Rag::Green => "on schedule",
        Rag::Amber => "slightly behind schedule",
        Rag::Red => "behind schedule",
        Rag::NotAvailable => "schedule not yet measured",
    };
    format!("{} for {}: {cost}, {schedule}", m.rag.overall.label(), m.period)
}

fn progress_sentence(m: &Metrics) -> String {
    let Some(at) = m.snapshot_period else {
        return format!(
            "No progress snapshot has been recorded up to {}, so earned-value figures are not available yet.",
            m.period
        );
    };
    let e = &m.evm;
    let money = |v: f64| format::money(v, &m.currency);
    let planned = safe_ratio(e.pv, e.bac).map_or(NOT_AVAILABLE.to_owned(), format::percent);
    let earned = e.percent_complete.map_or(NOT_AVAILABLE.to_owned(), format::percent);
    format!(
        "By the end of {at} the project has earned {earned} of its budget ({} of {}) against {planned} planned, and spent {}.",
        money(e.ev),
        money(e.bac),
        money(e.ac),
    )
}

fn cost_sentence(m: &Metrics) -> String {
    match (m.evm.cpi, m.evm.eac) {
        (Some(cpi), Some(eac)) if m.evm.bac > 0.0 => {
            let delta = eac / m.evm.bac - 1.0;
            let side = if delta > 0.0 { "above" } else { "below" };
            format!(
                "At a CPI of {} the estimate at completion is {}, {} {side} the budget of {}.",
                format::ratio(Some(cpi)),
                format::money(eac, &m.currency),
                format::percent(delta.abs()),
                format::money(m.evm.bac, &m.currency),
            )
        }
        _ => "Cost performance cannot be measured until work has been both earned and paid for.".to_owned(),
    }
}

fn forecast_sentence(f: &Forecast) -> String {
    format!(
        "The Monte Carlo forecast ({} iterations) gives an 80% chance of finishing by {}; the chance of meeting the baseline of {} is {}.",
        format::thousands(f64::from(f.iterations)),
        f.finish_dates.p80,
        f.baseline_finish,
        format::chance(f.p_finish_by_baseline),
    )
}

fn schedule_sentence(m: &Metrics) -> String {
    let s = &m.schedule;
    match (s.spi_t, s.forecast_finish, s.slip_days) {
        (Some(spi_t), Some(finish), Some(slip)) => {
            let relation = match slip {
                d if d > 0 => format!("{d} working days after"),
                d if d < 0 => format!("{} working days before", -d),
                _ => "on".to_owned(),
            };
            format!(
                "Earned schedule (SPI(t) {}) forecasts the finish on {finish}, {relation} the baseline of {}.",
                format::ratio(Some(spi_t)),
                s.baseline_finish,
            )
        }
        _ => format!(
            "The baseline finish is {}; no schedule forecast is available yet.",
            s.baseline_finish
        ),
    }
}

fn concern_sentence(insights: &[Insight]) -> String {
    let urgent: Vec<&Insight> = insights
        .iter()
        .filter(|i| i.priority >= InsightPriority::High)
        .collect();
    match urgent.as_slice() {
        [] => "No high-priority issues were detected this period.".to_owned(),
        [one] => format!("The main concern is: {}.", one.title),
        [first, rest @ ..] => format!(
            "The main concern is: {}; {} more high-priority {} listed below.",
            first.title,
            rest.len(),
            if rest.len() == 1 { "issue is" } else { "issues are" }
        ),
    }
}

fn figure(label: &str, value: String, rag: Option<Rag>) -> KeyFigure {
    KeyFigure {
        label: label.to_owned(),
        value,
        rag,
    }
}

fn key_figures(m: &Metrics, forecast: Option<&Forecast>) -> Vec<KeyFigure> {
    let money = |v: f64| format::money(v, &m.currency);
    let eac = match m.evm.eac {
        Some(eac) => {
            let delta = safe_ratio(eac - m.evm.bac, m.evm.bac)
                .map_or(String::new(), |d| format!(" ({})", format::signed_percent(d)));
            format!("{} vs {}{delta}", money(eac), money(m.evm.bac))
        }
        None => format!("{} vs {}", NOT_AVAILABLE, money(m.evm.bac)),
    };
    let mut figures = vec![
        figure("CPI", format::ratio(m.evm.cpi), Some(m.rag.cost)),
        figure("SPI(t)", format::ratio(m.schedule.spi_t), Some(m.rag.schedule)),
        figure("EAC vs BAC", eac, Some(m.rag.cost)),
    ];
    if let Some(f) = forecast {
        figures.push(figure(
            "P80 finish",
            f.finish_dates.p80.to_string(),
            Some(m.rag.forecast),
        ));
    }
    figures
}

fn highlights(m: &Metrics, insights: &[Insight]) -> Vec<String> {
    let mut out: Vec<String> = insights
        .iter()
        .take(INSIGHT_HIGHLIGHTS)
        .map(|i| i.title.clone())
        .collect();
    out.extend(m.milestones.iter().filter_map(milestone_highlight));
    out.truncate(MAX_HIGHLIGHTS);
    out
}

fn milestone_highlight(ms: &MilestoneRow) -> Option<String> {
    match ms.status {
        MilestoneStatus::Missed => Some(format!("Milestone \"{}\" missed (baseline {})", ms.name, ms.baseline)),
        MilestoneStatus::Completed => None,
        _ if ms.slip_days > 0 => Some(format!(
            "Milestone \"{}\" forecast {} working days late ({} vs baseline {})",
            ms.name, ms.slip_days, ms.forecast, ms.baseline
        )),
        _ => None,
    }
}

/// Inputs of [`completeness`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CompletenessInput {
    pub summary_non_blank: bool,
    pub insights: usize,
    pub has_forecast: bool,
    pub custom_non_blank: usize,
    pub custom_total: usize,
}

/// 0.25 summary + 0.20 ≥ 1 insight + 0.15 forecast + 0.40 × filled custom share (1 when
/// there are none), capped at 1.
pub fn completeness(c: CompletenessInput) -> f64 {
    let custom_share = if c.custom_total == 0 {
        1.0
    } else {
        c.custom_non_blank as f64 / c.custom_total as f64
    };
    let score = if c.summary_non_blank { 0.25 } else { 0.0 }
        + if c.insights >= 1 { 0.20 } else { 0.0 }
        + if c.has_forecast { 0.15 } else { 0.0 }
        + 0.40 * custom_share;
    score.min(1.0)
}
