//! Time charts for the performance dashboard, drawn as plain server-rendered SVG: one or more
//! lines over fixed time buckets, a value axis with round ticks, a time axis in UTC, and the
//! monitor's threshold as a dashed line. Empty buckets break a line instead of being drawn
//! as zero, so "no traffic" never looks like "fast". Also the small per-operation sparkline.
//!
//! The scale is pure arithmetic ([`nice_ceiling`], [`Frame`]) so it is unit-tested without a
//! browser; the components only turn it into elements.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One line of a [`TimeChart`]: a value per bucket, `None` where the bucket was empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub label: String,
    pub points: Vec<Option<f64>>,
}

/// Several lines over the same buckets, with the threshold the monitor alerts on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeSeries {
    /// Start of the first bucket, unix milliseconds.
    pub start_ms: u64,
    pub bucket_ms: u64,
    pub lines: Vec<Line>,
    /// The alert threshold in the chart's unit, if the metric has one.
    pub threshold: Option<f64>,
    /// `true` when the threshold alerts *below* the value (a rate), `false` above.
    pub threshold_below: bool,
    /// Unit shown on the value axis: "ms", "%", "".
    pub unit: String,
}

impl TimeSeries {
    fn buckets(&self) -> usize {
        self.lines.iter().map(|l| l.points.len()).max().unwrap_or(0)
    }

    fn data_max(&self) -> Option<f64> {
        self.lines
            .iter()
            .flat_map(|l| l.points.iter().flatten())
            .copied()
            .filter(|v| v.is_finite())
            .reduce(f64::max)
    }

    /// Whether any bucket of any line has a value.
    pub fn has_data(&self) -> bool {
        self.data_max().is_some()
    }
}

/// The smallest "round" number (1, 2, 2.5 or 5 times a power of ten) at or above `v`; 1 for
/// anything not positive, so an axis always has a height.
pub fn nice_ceiling(v: f64) -> f64 {
    if !(v.is_finite() && v > 0.0) {
        return 1.0;
    }
    let power = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|c| *c >= v * (1.0 - 1e-12))
        .unwrap_or(10.0 * power)
}

/// Where a threshold falls relative to the value axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ThresholdMark {
    /// Drawn as a line at this y.
    At(f64),
    /// Above the top of the axis: drawn as a note on the top edge, not by squashing the data.
    AboveScale,
}

/// The plotting area and the value scale of one chart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    /// Top of the value axis.
    pub y_max: f64,
    pub buckets: usize,
}

/// A threshold within this factor of the data's maximum is brought into the scale; further
/// away it would flatten every line against the bottom edge.
const THRESHOLD_REACH: f64 = 4.0;

impl Frame {
    /// The frame for `series` in a `width` × `height` viewBox. A percentage axis always runs
    /// to 100.
    pub fn for_series(series: &TimeSeries, width: f64, height: f64) -> Self {
        let data = series.data_max().unwrap_or(0.0);
        let mut top = data;
        if let Some(t) = series.threshold {
            if t <= data.max(f64::MIN_POSITIVE) * THRESHOLD_REACH {
                top = top.max(t);
            }
        }
        // Four equal steps of a round size, so every tick label is a round number.
        let y_max = if series.unit == "%" {
            100.0
        } else {
            4.0 * nice_ceiling(top * 1.05 / 4.0)
        };
        Self {
            width,
            height,
            left: 52.0,
            right: 12.0,
            top: 12.0,
            bottom: 26.0,
            y_max,
            buckets: series.buckets(),
        }
    }

    pub fn x(&self, bucket: usize) -> f64 {
        let span = self.width - self.left - self.right;
        let steps = self.buckets.saturating_sub(1).max(1) as f64;
        self.left + span * bucket as f64 / steps
    }

    pub fn y(&self, value: f64) -> f64 {
        let span = self.height - self.top - self.bottom;
        let clamped = value.clamp(0.0, self.y_max);
        self.top + span * (1.0 - clamped / self.y_max)
    }

    /// Five ticks from 0 to the top of the axis.
    pub fn y_ticks(&self) -> Vec<f64> {
        (0..=4).map(|i| self.y_max * f64::from(i) / 4.0).collect()
    }

    pub fn threshold(&self, threshold: f64) -> ThresholdMark {
        if threshold > self.y_max {
            ThresholdMark::AboveScale
        } else {
            ThresholdMark::At(self.y(threshold))
        }
    }

    /// Each unbroken run of values as SVG polyline points; an empty bucket ends a run, and a
    /// run of one point is drawn as a tiny segment so it stays visible.
    pub fn runs(&self, points: &[Option<f64>]) -> Vec<String> {
        let mut runs = Vec::new();
        let mut current: Vec<(f64, f64)> = Vec::new();
        let mut flush = |current: &mut Vec<(f64, f64)>| {
            if current.len() == 1 {
                let (x, y) = current[0];
                current.push((x + 4.0, y));
            }
            if !current.is_empty() {
                runs.push(
                    current
                        .iter()
                        .map(|(x, y)| format!("{x:.1},{y:.1}"))
                        .collect::<Vec<_>>()
                        .join(" "),
                );
            }
            current.clear();
        };
        for (i, p) in points.iter().enumerate() {
            match p.filter(|v| v.is_finite()) {
                Some(v) => current.push((self.x(i), self.y(v))),
                None => flush(&mut current),
            }
        }
        flush(&mut current);
        runs
    }
}

/// `HH:MM` (UTC) of a unix time in milliseconds.
pub fn clock(ms: u64) -> String {
    let minutes = ms / 60_000 % 1_440;
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// A value for an axis label: no decimals from 10 up, one below.
pub fn axis_value(v: f64, unit: &str) -> String {
    let n = if v >= 10.0 || v == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    };
    if unit.is_empty() {
        n
    } else {
        format!("{n} {unit}")
    }
}

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
    use super::*;

    fn series(points: Vec<Option<f64>>, threshold: Option<f64>, unit: &str) -> TimeSeries {
        TimeSeries {
            start_ms: 0,
            bucket_ms: 60_000,
            lines: vec![Line {
                label: "p95".into(),
                points,
            }],
            threshold,
            threshold_below: false,
            unit: unit.into(),
        }
    }

    #[test]
    fn ceilings_are_round_and_never_below_the_value() {
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(f64::NAN), 1.0);
        assert_eq!(nice_ceiling(3.2), 5.0);
        assert_eq!(nice_ceiling(21.0), 25.0);
        assert_eq!(nice_ceiling(100.0), 100.0);
        assert_eq!(nice_ceiling(101.0), 200.0);
        assert_eq!(nice_ceiling(0.013), 0.02);
    }

    #[test]
    fn a_near_threshold_is_in_the_scale_and_a_far_one_is_noted_on_top() {
        let near = Frame::for_series(&series(vec![Some(60.0), Some(80.0)], Some(100.0), "ms"), 640.0, 200.0);
        assert!(near.y_max >= 100.0);
        assert!(matches!(near.threshold(100.0), ThresholdMark::At(y) if y > near.top));
        let far = Frame::for_series(&series(vec![Some(4.0), Some(28.0)], Some(2_000.0), "ms"), 640.0, 200.0);
        assert_eq!(far.y_ticks(), vec![0.0, 10.0, 20.0, 30.0, 40.0]);
        assert_eq!(far.threshold(2_000.0), ThresholdMark::AboveScale);
    }

    #[test]
    fn percentages_run_to_one_hundred() {
        let f = Frame::for_series(&series(vec![Some(40.0)], Some(70.0), "%"), 640.0, 200.0);
        assert_eq!(f.y_max, 100.0);
        assert_eq!(f.y(100.0), f.top);
        assert_eq!(f.y(0.0), f.height - f.bottom);
    }

    #[test]
    fn empty_buckets_break_the_line_instead_of_dropping_to_zero() {
        let f = Frame::for_series(
            &series(vec![Some(1.0), Some(2.0), None, Some(3.0), None], None, "ms"),
            640.0,
            200.0,
        );
        let runs = f.runs(&[Some(1.0), Some(2.0), None, Some(3.0), None]);
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].split(' ').count(), 2);
        // A lone point is still drawn, as a short segment.
        assert_eq!(runs[1].split(' ').count(), 2);
        assert!(f.runs(&[None, None]).is_empty());
    }

    #[test]
    fn the_x_axis_spans_the_plot_and_clock_labels_are_utc() {
        let f = Frame::for_series(&series(vec![Some(1.0); 15], None, "ms"), 640.0, 200.0);
        assert_eq!(f.x(0), f.left);
        assert_eq!(f.x(14), 640.0 - f.right);
        assert_eq!(clock(0), "00:00");
        assert_eq!(clock((13 * 60 + 7) * 60_000 + 86_400_000), "13:07");
    }

    #[test]
    fn the_caption_names_the_latest_and_highest_values() {
        let s = series(vec![Some(12.0), Some(30.0), Some(20.0)], None, "ms");
        let text = describe(&s, "Response time");
        assert!(text.contains("p95 now 20 ms, highest 30 ms"), "{text}");
        assert!(text.contains("last 3 min"), "{text}");
    }
}
