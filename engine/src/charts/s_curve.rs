//! The S-curve: cumulative PV, EV and AC per month, a dashed forecast from today's AC to
//! the EAC at the forecast finish, the BAC as a reference line and the baseline finish.

use chrono::NaiveDate;

use super::frame::{Frame, Side};
use super::svg::{nice_ticks, Anchor, Svg};
use super::Chart;
use crate::format;
use crate::metrics::Metrics;
use crate::model::{Period, Project};
use crate::montecarlo::Forecast;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 380.0;
const FRAME: Frame = Frame {
    left: 84.0,
    top: 24.0,
    right: 700.0,
    bottom: 296.0,
};
const PV: &str = "#1f77b4";
const EV: &str = "#2ca02c";
const AC: &str = "#d62728";
const FORECAST: &str = "#9467bd";
const REFERENCE: &str = "#7f7f7f";

pub(super) fn chart(project: &Project, history: &[Metrics], forecast: Option<&Forecast>) -> Chart {
    let id = format!("{}-s-curve", project.id);
    let currency = project.currency.as_str();
    let last = history.last();
    // Forecast: from today's AC to the EAC, at the earned-schedule finish or else the P50.
    let projection = last.and_then(|m| {
        let eac = m.evm.eac?;
        let finish = m.schedule.forecast_finish.or(forecast.map(|f| f.finish_dates.p50))?;
        Some((m.period.last_day(), m.evm.ac, finish, eac))
    });
    let end = [
        Some(project.baseline_finish),
        last.map(|m| m.period.last_day()),
        projection.map(|p| p.2),
    ]
    .into_iter()
    .flatten()
    .max()
    .unwrap_or(project.baseline_finish);
    let day = |d: NaiveDate| (d - project.start).num_days() as f64;
    let top = history
        .iter()
        .flat_map(|m| [m.evm.pv, m.evm.ev, m.evm.ac])
        .chain([project.bac.get()])
        .chain(projection.map(|p| p.3))
        .fold(0.0f64, f64::max);
    let y_ticks = nice_ticks(0.0, top.max(1.0), 5);
    let (xs, ys) = (
        FRAME.x(0.0, day(end).max(1.0)),
        FRAME.y(0.0, y_ticks.last().copied().unwrap_or(1.0)),
    );
    let title = format!("S-curve: {}", project.name);
    let desc = describe(project, history, projection);
    let mut svg = Svg::new(&id, "chart-s-curve", WIDTH, HEIGHT, &title, &desc);
    let y_labels: Vec<(f64, String)> = y_ticks.iter().map(|&v| (v, format::compact(v))).collect();
    FRAME.y_axis(
        &mut svg,
        ys,
        &y_labels,
        &format!("Cumulative cost ({currency})"),
        Side::Left,
    );
    let x_labels: Vec<(f64, String)> = month_ticks(project.start_period(), Period::of(end), 8)
        .into_iter()
        .map(|p| (day(p.last_day()), p.to_string()))
        .collect();
    FRAME.x_axis(&mut svg, xs, &x_labels, "Month (end of period)");
    let bac_y = ys.map(project.bac.get());
    svg.dashed((FRAME.left, bac_y), (FRAME.right, bac_y), "reference bac", REFERENCE);
    svg.text(
        (FRAME.right - 4.0, bac_y - 6.0),
        Anchor::End,
        "reference-label",
        &format!("BAC {}", format::compact(project.bac.get())),
    );
    let base_x = xs.map(day(project.baseline_finish));
    svg.dashed(
        (base_x, FRAME.top),
        (base_x, FRAME.bottom),
        "reference baseline",
        REFERENCE,
    );
    svg.text(
        (base_x - 4.0, FRAME.top + 12.0),
        Anchor::End,
        "reference-label",
        "Baseline finish",
    );
    let series = |pick: fn(&Metrics) -> f64| -> Vec<(f64, f64)> {
        std::iter::once((xs.map(0.0), ys.map(0.0)))
            .chain(
                history
                    .iter()
                    .map(|m| (xs.map(day(m.period.last_day())), ys.map(pick(m)))),
            )
            .collect()
    };
    if history.is_empty() {
        let mid = ((FRAME.left + FRAME.right) / 2.0, (FRAME.top + FRAME.bottom) / 2.0);
        svg.text(mid, Anchor::Middle, "empty", "No monthly snapshots yet");
    } else {
        svg.polyline(&series(|m| m.evm.pv), "series pv", PV);
        svg.polyline(&series(|m| m.evm.ev), "series ev", EV);
        svg.polyline(&series(|m| m.evm.ac), "series ac", AC);
    }
    if let Some((from, ac, to, eac)) = projection {
        svg.dashed(
            (xs.map(day(from)), ys.map(ac)),
            (xs.map(day(to)), ys.map(eac)),
            "series forecast",
            FORECAST,
        );
    }
    svg.legend(
        (FRAME.left, HEIGHT - 12.0),
        &[
            ("pv", PV, "Planned value"),
            ("ev", EV, "Earned value"),
            ("ac", AC, "Actual cost"),
            ("forecast", FORECAST, "Forecast to EAC"),
        ],
    );
    let money = format::thousands;
    let mut rows: Vec<Vec<String>> = history
        .iter()
        .map(|m| vec![m.period.to_string(), money(m.evm.pv), money(m.evm.ev), money(m.evm.ac)])
        .collect();
    if let Some((_, _, to, eac)) = projection {
        rows.push(vec![
            format!("Forecast finish {to}"),
            String::new(),
            String::new(),
            money(eac),
        ]);
    }
    rows.push(vec![
        "Budget at completion".to_owned(),
        money(project.bac.get()),
        String::new(),
        String::new(),
    ]);
    Chart {
        id,
        title,
        svg: svg.finish(),
        table_head: vec![
            "Period".to_owned(),
            format!("PV ({currency})"),
            format!("EV ({currency})"),
            format!("AC ({currency})"),
        ],
        table_rows: rows,
    }
}

fn describe(project: &Project, history: &[Metrics], projection: Option<(NaiveDate, f64, NaiveDate, f64)>) -> String {
    let currency = project.currency.as_str();
    let mut d = match history.last() {
        Some(m) => format!(
            "Cumulative planned value, earned value and actual cost over {}; at {} PV is {}, EV {} and AC {}.",
            format::months(history.len() as u32),
            m.period,
            format::money(m.evm.pv, currency),
            format::money(m.evm.ev, currency),
            format::money(m.evm.ac, currency),
        ),
        None => "No monthly snapshots have been recorded yet.".to_owned(),
    };
    if let Some((_, _, to, eac)) = projection {
        d.push_str(&format!(
            " Forecast: {} at completion on {to}.",
            format::money(eac, currency)
        ));
    }
    d.push_str(&format!(
        " Budget at completion {}, baseline finish {}.",
        format::money(project.bac.get(), currency),
        project.baseline_finish
    ));
    d
}

/// Months from `first` to `last`, every k-th so that at most `max` remain.
fn month_ticks(first: Period, last: Period, max: usize) -> Vec<Period> {
    let count = (first.months_until(last).max(0) + 1) as usize;
    let step = count.div_ceil(max.max(1)).max(1);
    let mut out = Vec::new();
    let mut p = first;
    for i in 0..count {
        if i % step == 0 {
            out.push(p);
        }
        p = p.next();
    }
    out
}
