//! Budget rules: a falling CPI, an estimate at completion above budget, and a low chance
//! of finishing within budget (from the forecast).

use super::evidence::{self, iterations_amount, margin, months_amount, persistence, trailing, Direction, Evidence};
use super::{fact, Context, Insight, InsightCategory, InsightPriority, InsightType, Rationale};
use crate::format;

/// EAC must exceed BAC by more than this share before the overrun rule speaks.
const EAC_OVERRUN: f64 = 0.05;

pub(super) fn rules(cx: &Context) -> Vec<Insight> {
    [cpi_trend_down(cx), eac_over_bac(cx), cost_within_bac_low(cx)]
        .into_iter()
        .flatten()
        .collect()
}

/// CPI fell in each of the last three (or more) months and its least-squares slope over
/// the recent window is negative. Margin: a fall of 0.02 per month counts as full.
fn cpi_trend_down(cx: &Context) -> Option<Insight> {
    let cpi = trailing(cx.history.iter().map(|m| m.evm.cpi));
    let tr = evidence::trend(&cpi, Direction::Falling, 3)?;
    let current = *cpi.last()?;
    let first = cpi[cpi.len() - 1 - tr.run];
    let months = tr.window.len();
    let ev = Evidence {
        amount: months_amount(months),
        agreement: tr.agreement,
        margin: margin(-tr.slope, 0.02),
    };
    let priority = if current < cx.t.cpi_amber {
        InsightPriority::Critical
    } else if current < cx.t.cpi_green {
        InsightPriority::High
    } else {
        InsightPriority::Medium
    };
    let projected = current + 3.0 * tr.slope;
    let bac = cx.project.bac.get();
    let outlook = if projected > 0.0 {
        format!(
            " If the trend continues, CPI will be about {} in three months and the estimate at completion about {}.",
            format::ratio(Some(projected)),
            cx.money(bac / projected)
        )
    } else {
        String::new()
    };
    Some(Insight {
        rule: "cpi_trend_down".to_owned(),
        category: InsightCategory::Budget,
        kind: InsightType::Prediction,
        priority,
        title: format!("Cost efficiency has fallen for {} months running", tr.run),
        content: format!(
            "CPI has fallen in each of the last {} months, from {} to {} (least-squares slope {:+.3} per month over {}).{outlook}",
            tr.run,
            format::ratio(Some(first)),
            format::ratio(Some(current)),
            tr.slope,
            format::months(months as u32),
        ),
        confidence: ev.confidence(),
        rationale: Rationale {
            facts: vec![
                fact("CPI", format::ratio(Some(current))),
                fact(&format!("CPI {} months ago", tr.run), format::ratio(Some(first))),
                fact("CPI green threshold", format::ratio(Some(cx.t.cpi_green))),
                fact("CPI amber threshold", format::ratio(Some(cx.t.cpi_amber))),
                fact("Months falling in a row", tr.run.to_string()),
            ],
            trend_slope: Some(tr.slope),
            months_of_data: months as u32,
        },
        recommended_actions: vec![
            "Review the work packages with the largest cost variance and agree corrective actions with their owners.".to_owned(),
            "Tighten change control: approve new spend only against the remaining budget.".to_owned(),
            "Re-forecast the estimate at completion with the sponsor if the trend does not turn next month.".to_owned(),
        ],
    })
}

/// EAC above BAC by more than 5 %. Agreement: share of recent months also over; margin:
/// 10 points of overrun beyond the 5 % trigger count as full.
fn eac_over_bac(cx: &Context) -> Option<Insight> {
    let m = cx.current()?;
    let bac = m.evm.bac;
    let eac = m.evm.eac?;
    if bac <= 0.0 {
        return None;
    }
    let overrun = eac / bac - 1.0;
    if overrun <= EAC_OVERRUN {
        return None;
    }
    let months = cx.history.len().min(evidence::FULL_MONTHS);
    let ev = Evidence {
        amount: months_amount(cx.history.len()),
        agreement: persistence(cx.history, |h| h.evm.eac.is_some_and(|e| e > bac * (1.0 + EAC_OVERRUN))),
        margin: margin(overrun - EAC_OVERRUN, 0.10),
    };
    let priority = match overrun {
        o if o > 0.20 => InsightPriority::Critical,
        o if o > 0.10 => InsightPriority::High,
        _ => InsightPriority::Medium,
    };
    let cpi = format::ratio(m.evm.cpi);
    Some(Insight {
        rule: "eac_over_bac".to_owned(),
        category: InsightCategory::Budget,
        kind: InsightType::Alert,
        priority,
        title: format!("Forecast cost {} over budget", format::percent(overrun)),
        content: format!(
            "At the current CPI of {cpi}, the estimate at completion is {} against a budget of {}: an overrun of {} ({}).",
            cx.money(eac),
            cx.money(bac),
            cx.money(eac - bac),
            format::percent(overrun),
        ),
        confidence: ev.confidence(),
        rationale: Rationale {
            facts: vec![
                fact("EAC", cx.money(eac)),
                fact("BAC", cx.money(bac)),
                fact("Overrun", format::percent(overrun)),
                fact("Threshold", format::percent(EAC_OVERRUN)),
                fact("CPI", cpi),
                fact("TCPI (BAC)", format::ratio(m.evm.tcpi)),
                fact("TCPI (EAC)", format::ratio(m.evm.tcpi_eac)),
            ],
            trend_slope: None,
            months_of_data: months as u32,
        },
        recommended_actions: vec![
            match m.evm.tcpi {
                Some(tcpi) => format!(
                    "Remaining work must run at a CPI of {} to land on budget; decide whether that is credible.",
                    format::ratio(Some(tcpi))
                ),
                None => format!(
                    "The budget is already spent; remaining work must run at a CPI of {} to land on the estimate at completion.",
                    format::ratio(m.evm.tcpi_eac)
                ),
            },
            "Identify scope that can be deferred or descoped without harming the business case.".to_owned(),
            "Raise a budget change request if the overrun cannot be recovered.".to_owned(),
        ],
    })
}

/// P(cost ≤ BAC) below the forecast amber threshold. Agreement: share of iterations over
/// budget; margin: how far below the threshold, relative to it.
fn cost_within_bac_low(cx: &Context) -> Option<Insight> {
    let f = cx.forecast?;
    let p = f.p_cost_within_bac;
    if p >= cx.t.p_on_time_amber {
        return None;
    }
    let ev = Evidence {
        amount: iterations_amount(f.iterations),
        agreement: 1.0 - p,
        margin: margin(cx.t.p_on_time_amber - p, cx.t.p_on_time_amber),
    };
    let priority = if p < 0.10 {
        InsightPriority::Critical
    } else if p < cx.t.p_on_time_red {
        InsightPriority::High
    } else {
        InsightPriority::Medium
    };
    let currency = cx.project.currency.as_str();
    Some(Insight {
        rule: "cost_within_bac_low".to_owned(),
        category: InsightCategory::Budget,
        kind: InsightType::Prediction,
        priority,
        title: format!("{} chance of finishing within budget", capitalised(&format::chance(p))),
        content: format!(
            "Across {} Monte Carlo iterations, the total cost stays within the budget of {} in {} of cases. The P50 cost is {} and the P80 cost {}.",
            format::thousands(f64::from(f.iterations)),
            format::money(f.bac, currency),
            format::percent(p),
            format::money(f.cost.p50, currency),
            format::money(f.cost.p80, currency),
        ),
        confidence: ev.confidence(),
        rationale: Rationale {
            facts: vec![
                fact("P(cost ≤ BAC)", format::percent(p)),
                fact("Threshold", format::percent(cx.t.p_on_time_amber)),
                fact("P50 cost", format::money(f.cost.p50, currency)),
                fact("P80 cost", format::money(f.cost.p80, currency)),
                fact("BAC", format::money(f.bac, currency)),
                fact("Iterations", format::thousands(f64::from(f.iterations))),
            ],
            trend_slope: None,
            months_of_data: cx.history.len() as u32,
        },
        recommended_actions: vec![
            "Hold contingency against the P80 cost rather than the most-likely estimate.".to_owned(),
            "Mitigate the open risks with the largest cost impact first.".to_owned(),
            "Narrow the widest cost estimates with the work-package owners.".to_owned(),
        ],
    })
}

/// "under 1%" → "Under 1%".
fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}
