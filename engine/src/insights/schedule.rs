//! Schedule rules: earned-schedule slip, a P80 finish past the baseline, and (in `drivers`)
//! a dominant schedule driver in the tornado.

use super::evidence::{iterations_amount, margin, months_amount, persistence, Evidence, FULL_MONTHS};
use super::{fact, Context, Insight, InsightCategory, InsightPriority, InsightType, Rationale};
use crate::format;
use crate::montecarlo::Forecast;

pub(super) fn rules(cx: &Context) -> Vec<Insight> {
    [
        schedule_slip(cx),
        p80_past_baseline(cx),
        super::drivers::dominant_driver(cx),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// SPI(t) below the green band, or the earned-schedule forecast finish more than the red
/// slip past the baseline. Agreement: share of recent months with SPI(t) below green;
/// margin: 0.10 of SPI(t) under green, or twice the red slip, counts as full.
fn schedule_slip(cx: &Context) -> Option<Insight> {
    let m = cx.current()?;
    let s = &m.schedule;
    let spi_t = s.spi_t?;
    let slip = s.slip_days.unwrap_or(0);
    let low = spi_t < cx.t.spi_green;
    let late = slip > cx.t.slip_red_days;
    if !(low || late) {
        return None;
    }
    let red_slip = cx.t.slip_red_days.max(1) as f64;
    let ev = Evidence {
        amount: months_amount(cx.history.len()),
        agreement: persistence(cx.history, |h| h.schedule.spi_t.is_some_and(|v| v < cx.t.spi_green)),
        margin: margin(cx.t.spi_green - spi_t, 0.10).max(margin(slip as f64, 2.0 * red_slip)),
    };
    let red = spi_t < cx.t.spi_amber || late;
    let priority = if spi_t < cx.t.spi_amber && slip as f64 > 2.0 * red_slip {
        InsightPriority::Critical
    } else if red {
        InsightPriority::High
    } else {
        InsightPriority::Medium
    };
    let finish = s
        .forecast_finish
        .map_or_else(|| format::NOT_AVAILABLE.to_owned(), |d| d.to_string());
    let behind = s.sv_days.map_or(String::new(), |d| {
        if d < 0 {
            format!(" The project is {} working days behind plan.", -d)
        } else {
            String::new()
        }
    });
    Some(Insight {
        rule: "schedule_slip".to_owned(),
        category: InsightCategory::Schedule,
        kind: InsightType::Alert,
        priority,
        title: if late {
            format!("Finish forecast {slip} working days late")
        } else {
            format!("Schedule performance below target (SPI(t) {})", format::ratio(Some(spi_t)))
        },
        content: format!(
            "SPI(t) is {} against a green threshold of {}.{behind} At this rate, earned schedule forecasts the finish on {finish}, {slip} working days after the baseline of {}.",
            format::ratio(Some(spi_t)),
            format::ratio(Some(cx.t.spi_green)),
            s.baseline_finish,
        ),
        confidence: ev.confidence(),
        rationale: Rationale {
            facts: vec![
                fact("SPI(t)", format::ratio(Some(spi_t))),
                fact("SPI(t) green threshold", format::ratio(Some(cx.t.spi_green))),
                fact("SPI(t) amber threshold", format::ratio(Some(cx.t.spi_amber))),
                fact("Forecast finish (earned schedule)", finish),
                fact("Baseline finish", s.baseline_finish.to_string()),
                fact("Slip (working days)", slip.to_string()),
                fact("Red slip threshold (working days)", cx.t.slip_red_days.to_string()),
            ],
            trend_slope: None,
            months_of_data: cx.history.len().min(FULL_MONTHS) as u32,
        },
        recommended_actions: vec![
            "Re-sequence or fast-track the remaining critical-path work.".to_owned(),
            "Check whether resourcing gaps explain the lag and close them.".to_owned(),
            "Agree a recovery plan, or a re-baseline, with the sponsor.".to_owned(),
        ],
    })
}

/// The Monte Carlo P80 finish is after the baseline. Agreement: share of iterations that
/// finish late; margin: 10 working days (or 10 % of the time to baseline) counts as full.
fn p80_past_baseline(cx: &Context) -> Option<Insight> {
    let f = cx.forecast?;
    let over = f.finish_days.p80 - f.baseline_days as f64;
    if over <= 0.0 {
        return None;
    }
    let p = f.p_finish_by_baseline;
    let ev = Evidence {
        amount: iterations_amount(f.iterations),
        agreement: 1.0 - p,
        margin: margin(over, (0.1 * f.baseline_days.abs() as f64).max(10.0)),
    };
    let priority = if p < 0.10 {
        InsightPriority::Critical
    } else if p < cx.t.p_on_time_red {
        InsightPriority::High
    } else {
        InsightPriority::Medium
    };
    let critical = top_critical(f, 3);
    let mut actions = vec!["Agree a revised finish date with the sponsor if recovery is not feasible.".to_owned()];
    if !critical.is_empty() {
        actions.insert(0, format!("Focus recovery on the most critical work: {critical}."));
    }
    actions.insert(
        1,
        "Fast-track or add resources to critical-path work packages.".to_owned(),
    );
    Some(Insight {
        rule: "p80_past_baseline".to_owned(),
        category: InsightCategory::Schedule,
        kind: InsightType::Prediction,
        priority,
        title: format!("P80 finish {} working days after baseline", over.ceil()),
        content: format!(
            "The Monte Carlo forecast ({} iterations) puts the P80 finish on {}, after the baseline of {}. The chance of finishing by the baseline is {}; the P50 finish is {}.",
            format::thousands(f64::from(f.iterations)),
            f.finish_dates.p80,
            f.baseline_finish,
            format::chance(p),
            f.finish_dates.p50,
        ),
        confidence: ev.confidence(),
        rationale: Rationale {
            facts: vec![
                fact("P80 finish", f.finish_dates.p80.to_string()),
                fact("P50 finish", f.finish_dates.p50.to_string()),
                fact("Baseline finish", f.baseline_finish.to_string()),
                fact("P(finish ≤ baseline)", format::percent(p)),
                fact("P80 standard error (working days)", format::one_decimal(f.p80_standard_error_days)),
                fact("Iterations", format::thousands(f64::from(f.iterations))),
            ],
            trend_slope: None,
            months_of_data: cx.history.len() as u32,
        },
        recommended_actions: actions,
    })
}

/// "A (92%), B (75%)": the most critical work packages with their criticality index.
fn top_critical(f: &Forecast, n: usize) -> String {
    f.criticality
        .iter()
        .filter(|c| c.index > 0.0)
        .take(n)
        .map(|c| format!("{} ({})", c.name, format::percent0(c.index)))
        .collect::<Vec<_>>()
        .join(", ")
}
