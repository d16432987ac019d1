//! How sure an insight is, and the trend arithmetic the rules share.
//!
//! Every rule scores its evidence on three factors in `[0, 1]`:
//! - **amount** `A`: how much data the rule read — months of snapshots (`months / 6`), or
//!   for forecast rules the iterations (`log10(iterations) / 5`: 1,000 → 0.6, 10,000 →
//!   0.8, 100,000 and more → 1);
//! - **agreement** `G`: how consistently the data points the same way — the share of
//!   recent month-on-month changes in the trend's direction, the share of recent months
//!   already past the threshold, or the share of iterations that miss the target;
//! - **margin** `M`: how far past its threshold the figure is, on a scale each rule states.
//!
//! `confidence = 0.30 + 0.69 · (0.40·A + 0.35·G + 0.25·M)`, rounded to two decimals: a
//! rule that fires is never below 0.30 and never certain (at most 0.99). With the default
//! threshold of 0.70 an insight needs `0.40·A + 0.35·G + 0.25·M ≥ 0.58`, e.g. four months
//! of consistent data and a clear margin.

/// Months of data that count as a full amount of evidence, and the window trends read.
pub(crate) const FULL_MONTHS: usize = 6;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Evidence {
    pub amount: f64,
    pub agreement: f64,
    pub margin: f64,
}

impl Evidence {
    pub fn confidence(self) -> f64 {
        let unit = |x: f64| {
            if x.is_finite() {
                x.clamp(0.0, 1.0)
            } else {
                0.0
            }
        };
        let score = 0.40 * unit(self.amount) + 0.35 * unit(self.agreement) + 0.25 * unit(self.margin);
        ((0.30 + 0.69 * score) * 100.0).round() / 100.0
    }
}

/// Amount of evidence from months of data.
pub(crate) fn months_amount(months: usize) -> f64 {
    (months as f64 / FULL_MONTHS as f64).min(1.0)
}

/// Amount of evidence from Monte Carlo iterations.
pub(crate) fn iterations_amount(iterations: u32) -> f64 {
    (f64::from(iterations.max(1)).log10() / 5.0).min(1.0)
}

/// `excess / scale`, clamped to `[0, 1]`.
pub(crate) fn margin(excess: f64, scale: f64) -> f64 {
    if scale > 0.0 && excess.is_finite() {
        (excess / scale).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// Least-squares slope per step of evenly spaced values; `None` for fewer than two.
pub(crate) fn slope(values: &[f64]) -> Option<f64> {
    let n = values.len();
    if n < 2 {
        return None;
    }
    let mean_x = (n - 1) as f64 / 2.0;
    let mean_y = values.iter().sum::<f64>() / n as f64;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (i, &y) in values.iter().enumerate() {
        let dx = i as f64 - mean_x;
        sxy += dx * (y - mean_y);
        sxx += dx * dx;
    }
    let s = sxy / sxx;
    s.is_finite().then_some(s)
}

/// The direction a trend rule looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    Falling,
    Rising,
}

impl Direction {
    fn agrees(self, from: f64, to: f64) -> bool {
        match self {
            Direction::Falling => to < from,
            Direction::Rising => to > from,
        }
    }
}

/// A sustained trend at the end of a series.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Trend {
    /// Consecutive month-on-month changes in the direction, ending at the last value.
    pub run: usize,
    /// The values the slope and agreement read: the last `FULL_MONTHS` (or fewer).
    pub window: Vec<f64>,
    pub slope: f64,
    /// Share of the window's changes in the direction.
    pub agreement: f64,
}

/// The trend at the end of `values` when it moved in `direction` for at least `min_run`
/// consecutive months and its least-squares slope over the window agrees.
pub(crate) fn trend(values: &[f64], direction: Direction, min_run: usize) -> Option<Trend> {
    let run = values
        .windows(2)
        .rev()
        .take_while(|w| direction.agrees(w[0], w[1]))
        .count();
    if run < min_run.max(1) {
        return None;
    }
    let window = values[values.len().saturating_sub(FULL_MONTHS.max(min_run + 1))..].to_vec();
    let slope = slope(&window)?;
    let agrees = match direction {
        Direction::Falling => slope < 0.0,
        Direction::Rising => slope > 0.0,
    };
    if !agrees {
        return None;
    }
    let changes = window.len() - 1;
    let agreeing = window.windows(2).filter(|w| direction.agrees(w[0], w[1])).count();
    Some(Trend {
        run,
        window,
        slope,
        agreement: agreeing as f64 / changes as f64,
    })
}

/// The trailing values of a series that has gaps: the longest suffix without `None`.
pub(crate) fn trailing(values: impl DoubleEndedIterator<Item = Option<f64>>) -> Vec<f64> {
    let mut out: Vec<f64> = values.rev().map_while(|v| v.filter(|x| x.is_finite())).collect();
    out.reverse();
    out
}

/// Share of the last `FULL_MONTHS` entries for which `breach` holds (0 when empty).
pub(crate) fn persistence<T>(items: &[T], breach: impl Fn(&T) -> bool) -> f64 {
    let recent = &items[items.len().saturating_sub(FULL_MONTHS)..];
    if recent.is_empty() {
        return 0.0;
    }
    recent.iter().filter(|x| breach(x)).count() as f64 / recent.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slope_of_a_line() {
        assert_eq!(slope(&[1.0, 0.9, 0.8]).map(|s| (s * 100.0).round()), Some(-10.0));
        assert_eq!(slope(&[1.0]), None);
    }

    #[test]
    fn trend_needs_the_run_and_reports_agreement() {
        let t = trend(&[1.0, 1.02, 0.98, 0.95, 0.93, 0.90], Direction::Falling, 3).expect("falling");
        assert_eq!(t.run, 4);
        assert_eq!(t.window.len(), 6);
        assert!((t.agreement - 0.8).abs() < 1e-12);
        assert!(trend(&[1.0, 0.95, 0.96, 0.94], Direction::Falling, 3).is_none());
        assert!(trend(&[3.0, 4.0, 5.0, 6.0], Direction::Rising, 3).is_some());
    }

    #[test]
    fn confidence_grows_with_evidence() {
        let weak = Evidence {
            amount: 0.5,
            agreement: 0.5,
            margin: 0.2,
        }
        .confidence();
        let strong = Evidence {
            amount: 1.0,
            agreement: 1.0,
            margin: 1.0,
        }
        .confidence();
        assert!(weak < strong);
        assert_eq!(strong, 0.99);
        assert_eq!(
            Evidence {
                amount: f64::NAN,
                agreement: 0.0,
                margin: 0.0
            }
            .confidence(),
            0.3
        );
    }
}
