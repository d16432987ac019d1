//! Risk rule: a single open risk whose exposure exceeds the remaining contingency.
//!
//! Remaining contingency = contingency − max(0, AC − EV): the cost overrun to date is taken
//! to have been paid from the contingency. Silent when the project holds no contingency.

use super::evidence::{margin, Evidence};
use super::{fact, Context, Insight, InsightCategory, InsightPriority, InsightType, Rationale};
use crate::format;
use crate::model::RiskStatus;

/// At most this many risks are reported, the largest exposures first.
const MAX_RISKS: usize = 3;

pub(super) fn rules(cx: &Context) -> Vec<Insight> {
    let Some(contingency) = cx.project.contingency.map(|c| c.get()) else {
        return Vec::new();
    };
    let overrun = cx.current().map_or(0.0, |m| (m.evm.ac - m.evm.ev).max(0.0));
    let remaining = contingency - overrun;
    let mut risks: Vec<(f64, &crate::model::Risk)> = cx
        .project
        .risks
        .iter()
        .filter(|r| r.status == RiskStatus::Open)
        .map(|r| (r.probability.get() * r.cost_impact.most_likely(), r))
        .filter(|&(exposure, _)| exposure > remaining && exposure > 0.0)
        .collect();
    risks.sort_by(|a, b| b.0.total_cmp(&a.0));
    risks
        .into_iter()
        .take(MAX_RISKS)
        .map(|(exposure, r)| exceeds(cx, r, exposure, contingency, remaining))
        .collect()
}

/// Amount: the register is current data, so full. Agreement: the risk's probability.
/// Margin: exposure over the remaining contingency, relative to it (full when nothing
/// remains).
fn exceeds(cx: &Context, r: &crate::model::Risk, exposure: f64, contingency: f64, remaining: f64) -> Insight {
    let ev = Evidence {
        amount: 1.0,
        agreement: r.probability.get(),
        margin: if remaining > 0.0 {
            margin(exposure - remaining, remaining)
        } else {
            1.0
        },
    };
    let priority = if remaining <= 0.0 || exposure > 2.0 * remaining {
        InsightPriority::Critical
    } else {
        InsightPriority::High
    };
    let owner = if r.owner.trim().is_empty() {
        "its owner".to_owned()
    } else {
        r.owner.clone()
    };
    Insight {
        rule: "risk_exceeds_contingency".to_owned(),
        category: InsightCategory::Risk,
        kind: InsightType::Alert,
        priority,
        title: format!("Risk {} exceeds the remaining contingency", r.id),
        content: format!(
            "\"{}\" ({} probability, most-likely impact {}) carries an exposure of {}, more than the {} of contingency that remains ({} held, {} already absorbed by cost overrun).",
            r.title,
            format::percent0(r.probability.get()),
            cx.money(r.cost_impact.most_likely()),
            cx.money(exposure),
            cx.money(remaining.max(0.0)),
            cx.money(contingency),
            cx.money(contingency - remaining),
        ),
        confidence: ev.confidence(),
        rationale: Rationale {
            facts: vec![
                fact("Risk", r.id.clone()),
                fact("Probability", format::percent(r.probability.get())),
                fact("Most-likely cost impact", cx.money(r.cost_impact.most_likely())),
                fact("Exposure", cx.money(exposure)),
                fact("Contingency", cx.money(contingency)),
                fact("Remaining contingency", cx.money(remaining)),
            ],
            trend_slope: None,
            months_of_data: cx.history.len() as u32,
        },
        recommended_actions: vec![
            format!("Ask {owner} for a mitigation plan that lowers the probability or the impact of {}.", r.id),
            "Review the contingency against the risk register's total exposure.".to_owned(),
            "Escalate to the sponsor if the risk cannot be mitigated within the remaining contingency.".to_owned(),
        ],
    }
}
