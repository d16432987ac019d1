//! The dominant-driver rule: one work package or risk dominates the finish in the
//! tornado, so reducing its uncertainty is the best lever on the finish date. A schedule
//! rule, kept apart because a work package and a risk call for different words and actions.

use super::evidence::{iterations_amount, margin, Evidence};
use super::{fact, Context, Fact, Insight, InsightCategory, InsightPriority, InsightType, Rationale};
use crate::format;
use crate::montecarlo::{Driver, DriverKind, Forecast};

/// A driver is dominant from this rank correlation with the finish...
const DOMINANT_RHO: f64 = 0.5;
/// ...and when it is at least this many times stronger than the next driver.
const DOMINANT_LEAD: f64 = 1.5;

/// One driver dominates the finish in the tornado: its rank correlation is at least
/// [`DOMINANT_RHO`] and [`DOMINANT_LEAD`] times the next one's. Agreement: a work
/// package's criticality index, or a risk's probability (how often it acts); margin: a
/// correlation 0.4 above the trigger counts as full.
pub(super) fn dominant_driver(cx: &Context) -> Option<Insight> {
    let f = cx.forecast?;
    let top = f.tornado.finish.first()?;
    let rho = top.finish_correlation;
    let next = f.tornado.finish.get(1).map_or(0.0, |d| d.finish_correlation.abs());
    if rho < DOMINANT_RHO || rho < DOMINANT_LEAD * next {
        return None;
    }
    let late = f.finish_days.p80 > f.baseline_days as f64;
    let mut insight = match top.kind {
        DriverKind::WorkPackage => work_package_driver(f, top, next),
        DriverKind::Risk => risk_driver(cx, top, next)?,
    };
    insight.priority = if late {
        InsightPriority::High
    } else {
        InsightPriority::Medium
    };
    insight.rationale.months_of_data = cx.history.len() as u32;
    Some(insight)
}

fn work_package_driver(f: &Forecast, top: &Driver, next: f64) -> Insight {
    let rho = top.finish_correlation;
    let crit = f
        .criticality
        .iter()
        .find(|c| c.work_package_id == top.id)
        .map_or(0.0, |c| c.index);
    let ev = Evidence {
        amount: iterations_amount(f.iterations),
        agreement: crit,
        margin: margin(rho - DOMINANT_RHO, 0.4),
    };
    let name = &top.name;
    driver_insight(
        format!("{name} drives the finish date"),
        format!(
            "The duration of {name} ({}) has a rank correlation of {} with the project finish and lies on the critical path in {} of iterations; the next strongest driver correlates at {}. Reducing its uncertainty does more for the finish date than anything else in the forecast.",
            top.id,
            format::ratio(Some(rho)),
            format::percent0(crit),
            format::ratio(Some(next)),
        ),
        ev.confidence(),
        vec![
            fact("Work package", top.id.clone()),
            fact("Finish correlation", format::ratio(Some(rho))),
            fact("Next driver's correlation", format::ratio(Some(next))),
            fact("Criticality index", format::percent(crit)),
            fact("Iterations", format::thousands(f64::from(f.iterations))),
        ],
        vec![
            format!("Firm up the estimate of {name} with its owner; its range drives the forecast."),
            format!("Protect {name}: staff it first and track it weekly."),
            format!("Look for ways to split {name} or start parts of it earlier."),
        ],
    )
}

fn risk_driver(cx: &Context, top: &Driver, next: f64) -> Option<Insight> {
    let f = cx.forecast?;
    let risk = cx.project.risks.iter().find(|r| r.id == top.id)?;
    let rho = top.finish_correlation;
    let p = risk.probability.get();
    let ev = Evidence {
        amount: iterations_amount(f.iterations),
        agreement: p,
        margin: margin(rho - DOMINANT_RHO, 0.4),
    };
    let owner = if risk.owner.trim().is_empty() {
        "its owner".to_owned()
    } else {
        risk.owner.clone()
    };
    Some(driver_insight(
        format!("Risk {} drives the finish date", top.id),
        format!(
            "The delay of risk \"{}\" ({}, {} probability) has a rank correlation of {} with the project finish; the next strongest driver correlates at {}. Mitigating it does more for the finish date than anything else in the forecast.",
            top.name,
            top.id,
            format::percent0(p),
            format::ratio(Some(rho)),
            format::ratio(Some(next)),
        ),
        ev.confidence(),
        vec![
            fact("Risk", top.id.clone()),
            fact("Finish correlation", format::ratio(Some(rho))),
            fact("Next driver's correlation", format::ratio(Some(next))),
            fact("Probability", format::percent(p)),
            fact("Iterations", format::thousands(f64::from(f.iterations))),
        ],
        vec![
            format!("Ask {owner} for a mitigation that lowers the probability or the delay of {}.", top.id),
            format!("Hold schedule contingency against the delay of {}.", top.id),
            format!("Watch the early warning signs of {} weekly.", top.id),
        ],
    ))
}

/// The parts the two driver insights share; priority and months are set by the caller.
fn driver_insight(
    title: String,
    content: String,
    confidence: f64,
    facts: Vec<Fact>,
    recommended_actions: Vec<String>,
) -> Insight {
    Insight {
        rule: "dominant_schedule_driver".to_owned(),
        category: InsightCategory::Schedule,
        kind: InsightType::Recommendation,
        priority: InsightPriority::Medium,
        title,
        content,
        confidence,
        rationale: Rationale {
            facts,
            trend_slope: None,
            months_of_data: 0,
        },
        recommended_actions,
    }
}
