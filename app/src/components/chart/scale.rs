//! What a time chart shows ([`TimeSeries`]) and the arithmetic that places it on the plot:
//! round value ticks, where a threshold falls, unbroken runs of points, clock labels. Pure,
//! so it is unit-tested without a browser.

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
    /// Unit shown on the value axis: "ms", "%", "".
    pub unit: String,
}

impl TimeSeries {
    pub(super) fn buckets(&self) -> usize {
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

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// One line called `p95`, a point a minute from 0; the chart's own tests use it too.
    pub(in crate::components::chart) fn series(
        points: Vec<Option<f64>>,
        threshold: Option<f64>,
        unit: &str,
    ) -> TimeSeries {
        TimeSeries {
            start_ms: 0,
            bucket_ms: 60_000,
            lines: vec![Line {
                label: "p95".into(),
                points,
            }],
            threshold,
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
}
