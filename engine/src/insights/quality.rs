//! Quality rules: open defects rising and stakeholder satisfaction falling.

use super::evidence::{margin, months_amount, trailing, trend, Direction, Evidence};
use super::{fact, Context, Insight, InsightCategory, InsightPriority, InsightType, Rationale};
use crate::format;

pub(super) fn rules(cx: &Context) -> Vec<Insight> {
    [defects_rising(cx), satisfaction_falling(cx)]
        .into_iter()
        .flatten()
        .collect()
}

/// Open defects rose in each of the last three (or more) months. Margin: a 50 % rise over
/// the run counts as full.
fn defects_rising(cx: &Context) -> Option<Insight> {
    let open: Vec<f64> = cx.history.iter().map(|m| f64::from(m.quality.defects_open)).collect();
    let tr = trend(&open, Direction::Rising, 3)?;
    let (now, then) = (*open.last()?, open[open.len() - 1 - tr.run]);
    let rise = (now - then) / then.max(1.0);
    let ev = Evidence {
        amount: months_amount(tr.window.len()),
        agreement: tr.agreement,
        margin: margin(rise, 0.5),
    };
    let closed = cx.current().map_or(0, |m| m.quality.defects_closed);
    Some(Insight {
        rule: "defects_rising".to_owned(),
        category: InsightCategory::Quality,
        kind: InsightType::Alert,
        priority: if rise > 0.5 { InsightPriority::High } else { InsightPriority::Medium },
        title: format!("Open defects up {} in {} months", format::percent0(rise), tr.run),
        content: format!(
            "Open defects rose in each of the last {} months, from {then} to {now} (slope {:+.1} per month); {closed} have been closed to date. Defects are being found faster than they are fixed.",
            tr.run, tr.slope,
        ),
        confidence: ev.confidence(),
        rationale: Rationale {
            facts: vec![
                fact("Open defects", now.to_string()),
                fact(&format!("Open defects {} months ago", tr.run), then.to_string()),
                fact("Rise", format::percent(rise)),
                fact("Closed defects", closed.to_string()),
            ],
            trend_slope: Some(tr.slope),
            months_of_data: tr.window.len() as u32,
        },
        recommended_actions: vec![
            "Reserve capacity for defect fixing in the next iteration.".to_owned(),
            "Find the work packages producing most defects and review their quality gates.".to_owned(),
            "Track defect inflow against closure weekly until the backlog falls.".to_owned(),
        ],
    })
}

/// Stakeholder satisfaction fell in each of the last two (or more) recorded months.
/// Margin: a drop of one point (on the 0–5 scale) counts as full.
fn satisfaction_falling(cx: &Context) -> Option<Insight> {
    let scores = trailing(cx.history.iter().map(|m| m.quality.stakeholder_satisfaction));
    let tr = trend(&scores, Direction::Falling, 2)?;
    let (now, then) = (*scores.last()?, scores[scores.len() - 1 - tr.run]);
    let ev = Evidence {
        amount: months_amount(tr.window.len()),
        agreement: tr.agreement,
        margin: margin(then - now, 1.0),
    };
    Some(Insight {
        rule: "satisfaction_falling".to_owned(),
        category: InsightCategory::Quality,
        kind: InsightType::Alert,
        priority: if now < 3.0 { InsightPriority::High } else { InsightPriority::Medium },
        title: format!("Stakeholder satisfaction down to {now:.1} of 5"),
        content: format!(
            "Stakeholder satisfaction fell in each of the last {} months, from {then:.1} to {now:.1} out of 5 (slope {:+.2} per month).",
            tr.run, tr.slope,
        ),
        confidence: ev.confidence(),
        rationale: Rationale {
            facts: vec![
                fact("Satisfaction", format!("{now:.1}")),
                fact(&format!("Satisfaction {} months ago", tr.run), format!("{then:.1}")),
                fact("Scale", "0-5"),
            ],
            trend_slope: Some(tr.slope),
            months_of_data: tr.window.len() as u32,
        },
        recommended_actions: vec![
            "Meet the key stakeholders to understand their concerns.".to_owned(),
            "Review the communication plan and the frequency of updates.".to_owned(),
            "Agree visible quick wins for the next reporting period.".to_owned(),
        ],
    })
}
