//! Resource rule: allocation above capacity.

use super::evidence::{margin, months_amount, persistence, Evidence, FULL_MONTHS};
use super::{fact, Context, Insight, InsightCategory, InsightPriority, InsightType, Rationale};
use crate::format;

pub(super) fn rules(cx: &Context) -> Vec<Insight> {
    utilisation_over_capacity(cx).into_iter().collect()
}

/// Utilisation above 100 % (or above the red threshold, if that is configured lower).
/// Agreement: share of recent months over the trigger; margin: 20 points over counts as
/// full.
fn utilisation_over_capacity(cx: &Context) -> Option<Insight> {
    let m = cx.current()?;
    let u = m.resources.utilisation?;
    let trigger = cx.t.utilisation_red.min(1.0);
    if u <= trigger {
        return None;
    }
    let ev = Evidence {
        amount: months_amount(cx.history.len()),
        agreement: persistence(cx.history, |h| h.resources.utilisation.is_some_and(|x| x > trigger)),
        margin: margin(u - trigger, 0.20),
    };
    let priority = if u > cx.t.utilisation_red {
        InsightPriority::High
    } else {
        InsightPriority::Medium
    };
    let r = &m.resources;
    let over_hours = r.allocated_hours - r.capacity_hours;
    Some(Insight {
        rule: "utilisation_over_capacity".to_owned(),
        category: InsightCategory::Resource,
        kind: InsightType::Alert,
        priority,
        title: format!("Team allocated at {} of capacity", format::percent0(u)),
        content: format!(
            "{} hours are allocated against {} hours of capacity ({} utilisation, {} people): {} hours more than the team can deliver. Sustained over-allocation shows up later as slipped work and defects.",
            format::thousands(r.allocated_hours),
            format::thousands(r.capacity_hours),
            format::percent(u),
            r.headcount,
            format::thousands(over_hours.max(0.0)),
        ),
        confidence: ev.confidence(),
        rationale: Rationale {
            facts: vec![
                fact("Utilisation", format::percent(u)),
                fact("Allocated hours", format::thousands(r.allocated_hours)),
                fact("Capacity hours", format::thousands(r.capacity_hours)),
                fact("Red threshold", format::percent(cx.t.utilisation_red)),
                fact("Headcount", r.headcount.to_string()),
            ],
            trend_slope: None,
            months_of_data: cx.history.len().min(FULL_MONTHS) as u32,
        },
        recommended_actions: vec![
            "Re-plan the next month's work to fit the team's capacity.".to_owned(),
            "Defer or re-sequence non-critical work packages.".to_owned(),
            "Request additional staff for the critical path if the overload persists.".to_owned(),
        ],
    })
}
