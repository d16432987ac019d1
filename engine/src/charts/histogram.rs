//! The finish histogram: iterations per bin of working days, the cumulative probability on
//! a secondary axis, and markers at the baseline and the P80.

use super::frame::{Frame, Side};
use super::svg::{nice_ticks, tick_label, Anchor, Svg};
use super::Chart;
use crate::calendar::{checked_add_working_days, LAST_DATE};
use crate::format;
use crate::model::Project;
use crate::montecarlo::Forecast;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 380.0;
const FRAME: Frame = Frame {
    left: 84.0,
    top: 24.0,
    right: 652.0,
    bottom: 296.0,
};
const BAR: &str = "#9ecae1";
const CUMULATIVE: &str = "#08519c";
const BASELINE: &str = "#d62728";
const P80: &str = "#ff7f0e";

pub(super) fn chart(project: &Project, f: &Forecast) -> Chart {
    let id = format!("{}-finish-histogram", project.id);
    let bins = &f.finish_histogram.bins;
    let (lo, hi) = match (bins.first(), bins.last()) {
        (Some(a), Some(b)) => (a.start, b.end),
        _ => (0.0, 1.0),
    };
    // Show the baseline when it is near the data; far away it would squash the bars.
    let baseline = f.baseline_days as f64;
    let near = baseline >= lo - (hi - lo) && baseline <= hi + (hi - lo);
    let (lo, hi) = if near {
        (lo.min(baseline), hi.max(baseline))
    } else {
        (lo, hi)
    };
    let x_ticks = nice_ticks(lo, hi, 8);
    let (x0, x1) = (
        x_ticks.first().copied().unwrap_or(lo),
        x_ticks.last().copied().unwrap_or(hi),
    );
    let xs = FRAME.x(x0, x1);
    let max_count = bins.iter().map(|b| b.count).max().unwrap_or(0);
    let y_ticks = nice_ticks(0.0, f64::from(max_count.max(1)), 5);
    let ys = FRAME.y(0.0, y_ticks.last().copied().unwrap_or(1.0));
    let ps = FRAME.y(0.0, 1.0);
    let title = format!("Finish forecast: {}", project.name);
    let desc = format!(
        "Histogram of {} simulated finishes in working days after {}, with the cumulative probability. P50 {}, P80 {}, P90 {}; {} chance of finishing by the baseline {}.",
        format::thousands(f64::from(f.iterations)),
        f.as_of,
        f.finish_dates.p50,
        f.finish_dates.p80,
        f.finish_dates.p90,
        format::chance(f.p_finish_by_baseline),
        f.baseline_finish,
    );
    let mut svg = Svg::new(&id, "chart-histogram", WIDTH, HEIGHT, &title, &desc);
    let count_labels: Vec<(f64, String)> = y_ticks.iter().map(|&v| (v, tick_label(v, &y_ticks))).collect();
    FRAME.y_axis(&mut svg, ys, &count_labels, "Iterations", Side::Left);
    let p_labels: Vec<(f64, String)> = (0..=4)
        .map(|i| f64::from(i) / 4.0)
        .map(|p| (p, format::percent0(p)))
        .collect();
    FRAME.y_axis(&mut svg, ps, &p_labels, "Cumulative probability", Side::Right);
    let x_labels: Vec<(f64, String)> = x_ticks.iter().map(|&v| (v, tick_label(v, &x_ticks))).collect();
    FRAME.x_axis(&mut svg, xs, &x_labels, &format!("Working days after {}", f.as_of));
    svg.open_group("bars");
    for b in bins {
        let (left, right) = (xs.map(b.start), xs.map(b.end));
        let top = ys.map(f64::from(b.count));
        svg.rect((left + 0.5, top), (right - left - 1.0, FRAME.bottom - top), "bar", BAR);
    }
    svg.close_group();
    let mut curve = vec![(xs.map(lo.min(bins.first().map_or(lo, |b| b.start))), ps.map(0.0))];
    curve.extend(
        f.finish_histogram
            .cumulative
            .iter()
            .map(|&(x, p)| (xs.map(x), ps.map(p))),
    );
    svg.polyline(&curve, "cumulative", CUMULATIVE);
    if near {
        let x = xs.map(baseline);
        svg.dashed((x, FRAME.top), (x, FRAME.bottom), "marker baseline", BASELINE);
        svg.text(
            (x + 4.0, FRAME.top + 12.0),
            Anchor::Start,
            "marker-label",
            &format!("Baseline {}", f.baseline_finish),
        );
    } else {
        let note = format!(
            "Baseline {} ({} working days) is off the chart",
            f.baseline_finish, f.baseline_days
        );
        svg.text(
            (FRAME.left + 8.0, FRAME.top + 12.0),
            Anchor::Start,
            "marker-label",
            &note,
        );
    }
    let x = xs.map(f.finish_days.p80);
    svg.dashed((x, FRAME.top + 20.0), (x, FRAME.bottom), "marker p80", P80);
    svg.text(
        (x + 4.0, FRAME.top + 32.0),
        Anchor::Start,
        "marker-label",
        &format!("P80 {}", f.finish_dates.p80),
    );
    svg.legend(
        (FRAME.left, HEIGHT - 12.0),
        &[
            ("bar", BAR, "Iterations per bin"),
            ("cumulative", CUMULATIVE, "Cumulative probability"),
            ("baseline", BASELINE, "Baseline"),
            ("p80", P80, "P80"),
        ],
    );
    let rows = bins
        .iter()
        .zip(&f.finish_histogram.cumulative)
        .map(|(b, &(_, p))| {
            vec![
                format::one_decimal(b.start),
                format::one_decimal(b.end),
                finish_by(f, b.end),
                b.count.to_string(),
                format::percent(p),
            ]
        })
        .collect();
    Chart {
        id,
        title,
        svg: svg.finish(),
        table_head: [
            "From (working days)",
            "To (working days)",
            "Finish by",
            "Iterations",
            "Cumulative probability",
        ]
        .map(str::to_owned)
        .to_vec(),
        table_rows: rows,
    }
}

/// The date a bin ends on. The forecast's percentiles are within the calendar, but its
/// slowest iterations need not be.
fn finish_by(f: &Forecast, days: f64) -> String {
    checked_add_working_days(f.as_of, days).map_or_else(|| format!("after {LAST_DATE}"), |d| d.to_string())
}
