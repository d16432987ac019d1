//! The Monte Carlo section: P50/P80/P90 finish and cost tiles, the probabilities of
//! finishing on time and within budget, the histogram, and the main drivers.

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
    let drivers: Vec<_> = f.tornado.iter().take(3).cloned().collect();
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
            {content.histogram.map(|chart| view! { <ChartFigure chart /> })}
            <p class="drivers">
                "Main schedule drivers: "
                {if drivers.is_empty() {
                    "none (no remaining uncertainty)".to_owned()
                } else {
                    drivers
                        .iter()
                        .map(|d| format!("{} (ρ = {:.2})", d.name, d.finish_correlation))
                        .collect::<Vec<_>>()
                        .join(", ")
                }}
            </p>
        </div>
    }
}
