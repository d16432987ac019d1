//! The metrics section: the earned-value table of SPEC §1.3, earned schedule, RAG per
//! dimension, resources, quality, risk exposure and milestones.

use engine::metrics::Metrics;
use leptos::prelude::*;

use crate::components::{format, RagBadge};

#[component]
pub fn MetricsTable(metrics: Metrics, currency: String) -> impl IntoView {
    let m = metrics;
    let e = &m.evm;
    let c = currency.as_str();
    let money = |v: f64| format::money(v, c);
    let rows: Vec<(&str, String, &str)> = vec![
        ("Budget at completion (BAC)", money(e.bac), "BAC"),
        ("Planned value (PV)", money(e.pv), "PV"),
        ("Earned value (EV)", money(e.ev), "EV"),
        ("Actual cost (AC)", money(e.ac), "AC"),
        ("Cost variance (CV)", money(e.cv), "EV − AC"),
        ("Schedule variance (SV)", money(e.sv), "EV − PV"),
        ("Cost performance index (CPI)", format::ratio(e.cpi), "EV ÷ AC"),
        ("Schedule performance index (SPI)", format::ratio(e.spi), "EV ÷ PV"),
        ("Estimate at completion (EAC)", format::money_opt(e.eac, c), "BAC ÷ CPI"),
        ("Estimate to complete (ETC)", format::money_opt(e.etc, c), "EAC − AC"),
        ("Variance at completion (VAC)", format::money_opt(e.vac, c), "BAC − EAC"),
        (
            "To-complete performance index (TCPI)",
            format::ratio(e.tcpi),
            "(BAC − EV) ÷ (BAC − AC)",
        ),
        ("Percent complete", format::percent(e.percent_complete), "EV ÷ BAC"),
        ("Percent spent", format::percent(e.percent_spent), "AC ÷ BAC"),
    ];
    let s = &m.schedule;
    let schedule: Vec<(&str, String)> = vec![
        ("SPI(t)", format::ratio(s.spi_t)),
        (
            "Earned schedule date",
            s.es_date.map_or("n/a".into(), |d| d.to_string()),
        ),
        ("Schedule variance", format::signed_days(s.sv_days)),
        (
            "Forecast finish (earned schedule)",
            s.forecast_finish.map_or("n/a".into(), |d| d.to_string()),
        ),
        ("Baseline finish", s.baseline_finish.to_string()),
    ];
    view! {
        <div class="metrics">
            <ul class="rag-row" aria-label="Status by dimension">
                <li><RagBadge rag=m.rag.overall label="Overall" /></li>
                <li><RagBadge rag=m.rag.cost label="Cost" /></li>
                <li><RagBadge rag=m.rag.schedule label="Schedule" /></li>
                <li><RagBadge rag=m.rag.resource label="Resources" /></li>
                <li><RagBadge rag=m.rag.forecast label="Forecast" /></li>
            </ul>
            <div class="metrics-grid">
                <table class="data evm">
                    <caption>"Earned value at " {m.period.to_string()}</caption>
                    <thead>
                        <tr><th scope="col">"Measure"</th><th scope="col" class="num">"Value"</th><th scope="col" class="formula">"Formula"</th></tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|(k, v, f)| view! { <tr><th scope="row">{k}</th><td class="num">{v}</td><td class="formula">{f}</td></tr> })
                            .collect_view()}
                    </tbody>
                </table>
                <div>
                    <table class="data">
                        <caption>"Earned schedule"</caption>
                        <tbody>
                            {schedule
                                .into_iter()
                                .map(|(k, v)| view! { <tr><th scope="row">{k}</th><td class="num">{v}</td></tr> })
                                .collect_view()}
                        </tbody>
                    </table>
                    <OtherFigures metrics=m.clone() currency=currency.clone() />
                </div>
            </div>
            <Milestones metrics=m.clone() />
        </div>
    }
}

#[component]
fn OtherFigures(metrics: Metrics, currency: String) -> impl IntoView {
    let m = metrics;
    let rows: Vec<(&str, String)> = vec![
        ("Utilisation", format::percent(m.resources.utilisation)),
        (
            "Allocated / capacity hours",
            format!(
                "{} / {}",
                format::thousands(m.resources.allocated_hours),
                format::thousands(m.resources.capacity_hours)
            ),
        ),
        ("Headcount", m.resources.headcount.to_string()),
        (
            "Open / closed defects",
            format!("{} / {}", m.quality.defects_open, m.quality.defects_closed),
        ),
        (
            "Stakeholder satisfaction",
            m.quality
                .stakeholder_satisfaction
                .map_or("n/a".into(), |v| format!("{v:.1} / 5")),
        ),
        (
            "Risk exposure (open risks)",
            format!(
                "{} ({} open)",
                format::money(m.risk.exposure, &currency),
                m.risk.open_risks
            ),
        ),
        ("Contingency", format::money_opt(m.risk.contingency, &currency)),
    ];
    view! {
        <table class="data">
            <caption>"Resources, quality and risk"</caption>
            <tbody>
                {rows
                    .into_iter()
                    .map(|(k, v)| view! { <tr><th scope="row">{k}</th><td class="num">{v}</td></tr> })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn Milestones(metrics: Metrics) -> impl IntoView {
    if metrics.milestones.is_empty() {
        return view! { <p class="empty">"No milestones recorded."</p> }.into_any();
    }
    view! {
        <div class="table-wrap milestones-wrap">
        <table class="data milestones">
            <caption>"Milestones"</caption>
            <thead>
                <tr>
                    <th scope="col">"Milestone"</th>
                    <th scope="col">"Baseline"</th>
                    <th scope="col">"Forecast"</th>
                    <th scope="col" class="num">"Slip"</th>
                    <th scope="col">"Status"</th>
                </tr>
            </thead>
            <tbody>
                {metrics
                    .milestones
                    .into_iter()
                    .map(|ms| {
                        let status = ms.status.as_str();
                        view! {
                            <tr>
                                <th scope="row">{ms.name}</th>
                                <td>{ms.baseline.to_string()}</td>
                                <td>{ms.forecast.to_string()}</td>
                                <td class="num">{format::signed_days(Some(ms.slip_days))}</td>
                                <td><span class=format!("badge milestone-{status}")>{status.replace('_', " ")}</span></td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        </div>
    }
    .into_any()
}
