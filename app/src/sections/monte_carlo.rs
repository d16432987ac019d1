//! The Monte Carlo section: P50/P80/P90 finish and cost tiles, the probabilities of
//! finishing on time and within budget, the histogram, the drivers of the finish and of
//! the cost (risks and work packages together), the most critical work packages, the cost
//! reconciliation with AC, and — when earned schedule disagrees — why, with the
//! performance-adjusted forecast beside the estimate-based one.

use engine::montecarlo::{CostSource, Driver, DriverKind, ForecastComparison, Reconciliation};
use leptos::prelude::*;

use super::charts::ChartFigure;
use crate::components::format;
use crate::services::MonteCarloContent;

#[component]
pub fn Forecast(content: MonteCarloContent, currency: String) -> impl IntoView {
    let f = content.forecast;
    let c = currency.as_str();
    let tiles: Vec<(String, String)> = vec![
        ("P50 finish".into(), f.finish_dates.p50.to_string()),
        ("P80 finish".into(), f.finish_dates.p80.to_string()),
        ("P90 finish".into(), f.finish_dates.p90.to_string()),
        ("P50 cost".into(), format::money(f.cost.p50, c)),
        ("P80 cost".into(), format::money(f.cost.p80, c)),
        ("P90 cost".into(), format::money(f.cost.p90, c)),
        (
            "On time (by baseline)".into(),
            format::percent(Some(f.p_finish_by_baseline)),
        ),
        ("Within budget (BAC)".into(), format::percent(Some(f.p_cost_within_bac))),
    ];
    let finish: Vec<Driver> = f.tornado.finish.iter().take(3).cloned().collect();
    let cost: Vec<Driver> = f.tornado.cost.iter().take(3).cloned().collect();
    let critical = f.top_criticality(5).to_vec();
    view! {
        <div class="forecast">
            <ul class="tiles">
                {tiles
                    .into_iter()
                    .map(|(k, v)| view! { <li class="tile"><span class="tile-label">{k}</span><span class="tile-value">{v}</span></li> })
                    .collect_view()}
            </ul>
            <p class="forecast-meta">
                {format!(
                    "{} iterations ({}), seed {}, baseline finish {}; P80 standard error ±{:.1} working days.",
                    format::count(u64::from(f.iterations)),
                    if matches!(f.distribution, engine::Distribution::Pert) { "PERT" } else { "triangular" },
                    f.seed,
                    f.baseline_finish,
                    f.p80_standard_error_days,
                )}
            </p>
            <CostBase reconciliation=f.reconciliation.clone() currency=currency.clone() />
            {content.comparison.map(|cmp| view! { <Comparison cmp currency=currency.clone() /> })}
            {content.histogram.map(|chart| view! { <ChartFigure chart /> })}
            <p class="drivers">"Main schedule drivers: " {drivers(&finish, |d| d.finish_correlation)}</p>
            <p class="drivers">"Main cost drivers: " {drivers(&cost, |d| d.cost_correlation)}</p>
            <p class="criticality">
                "Most often on the critical path: "
                {if critical.is_empty() {
                    "no remaining work".to_owned()
                } else {
                    critical
                        .iter()
                        .map(|k| format!("{} ({})", k.name, format::percent(Some(k.index))))
                        .collect::<Vec<_>>()
                        .join(", ")
                }}
            </p>
        </div>
    }
}

fn drivers(list: &[Driver], rho: impl Fn(&Driver) -> f64) -> String {
    if list.is_empty() {
        return "none (no remaining uncertainty)".to_owned();
    }
    list.iter()
        .map(|d| {
            let kind = match d.kind {
                DriverKind::Risk => "risk",
                DriverKind::WorkPackage => "work package",
            };
            format!("{} ({kind}, ρ = {:.2})", d.name, rho(d))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where the cost forecast starts, and whether the work packages' actuals reconcile with
/// the snapshot's AC (a data-quality note when they do not).
#[component]
fn CostBase(reconciliation: Reconciliation, currency: String) -> impl IntoView {
    let r = reconciliation;
    // A forecast frozen before the cost base was recorded has none to show.
    if r.source == CostSource::Unrecorded {
        return ().into_any();
    }
    let base = format!(
        "Cost to date: {} ({}).",
        format::money(r.cost_to_date, &currency),
        match r.snapshot_period {
            Some(p) => format!("AC of the {p} snapshot"),
            None => "work-package actuals; no snapshot yet".to_owned(),
        }
    );
    view! {
        <p class="forecast-base">{base}</p>
        {r.note.map(|note| view! { <p class="data-quality" role="note">{note}</p> })}
    }
    .into_any()
}

/// Earned schedule against the Monte Carlo: why they differ, and the forecast with
/// remaining work scaled by the performance to date.
#[component]
fn Comparison(cmp: ForecastComparison, currency: String) -> impl IntoView {
    let (spi_t, cpi) = (cmp.spi_t, cmp.cpi);
    let adjusted = cmp.adjusted.map(|a| {
        format!(
            "Performance-adjusted (remaining durations ÷ SPI(t) {spi_t:.2}, costs ÷ CPI {}; {} iterations): \
             P50 finish {}, P80 {}; P50 cost {}, P80 {}; on time {}.",
            cpi.map_or_else(|| "n/a".to_owned(), |c| format!("{c:.2}")),
            format::count(u64::from(a.iterations)),
            a.finish_p50,
            a.finish_p80,
            format::money(a.cost_p50, &currency),
            format::money(a.cost_p80, &currency),
            format::percent(Some(a.p_finish_by_baseline)),
        )
    });
    view! {
        <div class="forecast-comparison" role="note">
            <p>{cmp.explanation}</p>
            {adjusted.map(|line| view! { <p class="adjusted">{line}</p> })}
        </div>
    }
}
