//! Time charts for the performance dashboard, drawn as plain server-rendered SVG: one or more
//! lines over fixed time buckets, a value axis with round ticks, a time axis in UTC, and the
//! monitor's threshold as a dashed line. Empty buckets break a line instead of being drawn
//! as zero, so "no traffic" never looks like "fast". Also the small per-operation sparkline.
//!
//! The scale is pure arithmetic (`scale.rs`) so it is unit-tested without a browser; the
//! components here only turn it into elements.

mod scale;

use leptos::prelude::*;

pub use scale::{axis_value, clock, nice_ceiling, Frame, Line, ThresholdMark, TimeSeries};
/// A line chart over time with axes, gridlines, a legend and the threshold.
#[component]
pub fn TimeChart(series: TimeSeries, title: String) -> impl IntoView {
    if !series.has_data() {
        return view! { <p class="empty">"No data in this window yet."</p> }.into_any();
    }
    let (w, h) = (640.0, 200.0);
    let frame = Frame::for_series(&series, w, h);
    let unit = series.unit.clone();
    let grid = frame
        .y_ticks()
        .into_iter()
        .map(|t| {
            let y = frame.y(t);
            let label = axis_value(t, &unit);
            view! {
                <line class="grid" x1=frame.left y1=y x2=w - frame.right y2=y></line>
                <text class="tick y-tick" x=frame.left - 6.0 y=y + 4.0 text-anchor="end">{label}</text>
            }
        })
        .collect_view();
    let buckets = frame.buckets.max(1);
    let every = (buckets / 5).max(1);
    let x_labels = (0..buckets)
        .filter(|i| i % every == 0 || *i == buckets - 1)
        .map(|i| {
            let at = series.start_ms + series.bucket_ms * i as u64;
            let anchor = if i == 0 {
                "start"
            } else if i == buckets - 1 {
                "end"
            } else {
                "middle"
            };
            view! { <text class="tick x-tick" x=frame.x(i) y=h - 8.0 text-anchor=anchor>{clock(at)}</text> }
        })
        .collect_view();
    let threshold = series.threshold.map(|t| {
        let label = format!("threshold {}", axis_value(t, &unit));
        match frame.threshold(t) {
            ThresholdMark::At(y) => view! {
                <g class="threshold" data-threshold=t.to_string()>
                    <line x1=frame.left y1=y x2=w - frame.right y2=y></line>
                    <text x=w - frame.right y=y - 4.0 text-anchor="end">{label}</text>
                </g>
            }
            .into_any(),
            ThresholdMark::AboveScale => view! {
                <g class="threshold above-scale" data-threshold=t.to_string()>
                    <line x1=frame.left y1=frame.top x2=w - frame.right y2=frame.top></line>
                    <text x=w - frame.right y=frame.top + 12.0 text-anchor="end">{format!("▲ {label}, far above")}</text>
                </g>
            }
            .into_any(),
        }
    });
    let lines = series
        .lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let class = format!("series series-{i}");
            frame
                .runs(&line.points)
                .into_iter()
                .map(|pts| view! { <polyline class=class.clone() points=pts></polyline> })
                .collect_view()
        })
        .collect_view();
    let legend = series
        .lines
        .iter()
        .enumerate()
        .map(|(i, line)| view! { <li class=format!("key series-{i}")>{line.label.clone()}</li> })
        .collect_view();
    let summary = describe(&series, &title);
    view! {
        <figure class="time-chart">
            <svg viewBox=format!("0 0 {w} {h}") role="img" aria-label=summary.clone()>
                {grid}
                <line class="axis" x1=frame.left y1=h - frame.bottom x2=w - frame.right y2=h - frame.bottom></line>
                {x_labels}
                {threshold}
                {lines}
            </svg>
            <figcaption>
                <ul class="legend">{legend}</ul>
                <span class="muted">{summary}</span>
            </figcaption>
        </figure>
    }
    .into_any()
}

/// The chart in words, for screen readers and the caption: latest and highest of each line.
fn describe(series: &TimeSeries, title: &str) -> String {
    let window_min = series.bucket_ms * series.buckets() as u64 / 60_000;
    let parts: Vec<String> = series
        .lines
        .iter()
        .filter_map(|l| {
            let values: Vec<f64> = l.points.iter().flatten().copied().collect();
            let last = *values.last()?;
            let max = values.iter().copied().fold(f64::MIN, f64::max);
            Some(format!(
                "{} now {}, highest {}",
                l.label,
                axis_value(last, &series.unit),
                axis_value(max, &series.unit)
            ))
        })
        .collect();
    format!("{title}, last {window_min} min (UTC): {}.", parts.join("; "))
}

/// A tiny line of one value per bucket (no axes), for a table row.
#[component]
pub fn Sparkline(points: Vec<Option<f64>>, label: String) -> impl IntoView {
    let (w, h) = (120.0, 28.0);
    let max = points
        .iter()
        .flatten()
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max);
    let frame = Frame {
        width: w,
        height: h,
        left: 1.0,
        right: 1.0,
        top: 3.0,
        bottom: 3.0,
        y_max: nice_ceiling(max),
        buckets: points.len(),
    };
    let runs = frame.runs(&points);
    view! {
        <svg class="sparkline" viewBox=format!("0 0 {w} {h}") width=w height=h role="img" aria-label=label>
            {runs.into_iter().map(|pts| view! { <polyline points=pts></polyline> }).collect_view()}
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::scale::tests::series;
    use super::*;

    #[test]
    fn the_caption_names_the_latest_and_highest_values() {
        let s = series(vec![Some(12.0), Some(30.0), Some(20.0)], None, "ms");
        let text = describe(&s, "Response time");
        assert!(text.contains("p95 now 20 ms, highest 30 ms"), "{text}");
        assert!(text.contains("last 3 min"), "{text}");
    }
}
