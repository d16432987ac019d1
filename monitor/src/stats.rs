//! Summary statistics over a window of values: count, min, max, mean and nearest-rank
//! percentiles. Pure; the windows themselves live in `window` and `metrics`.

use serde::{Deserialize, Serialize};

/// Statistics of one operation's timing window, all in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct OperationStats {
    pub count: usize,
    pub min: f64,
    pub max: f64,
    pub mean: f64,
    pub median: f64,
    pub p95: f64,
    pub p99: f64,
}

impl OperationStats {
    /// Stats of `values` (any order), or `None` for an empty window.
    pub fn from_values(mut values: Vec<f64>) -> Option<Self> {
        if values.is_empty() {
            return None;
        }
        // Values are finite (the monitor rejects NaN/inf), so total_cmp is the plain order.
        values.sort_unstable_by(f64::total_cmp);
        let count = values.len();
        let sum: f64 = values.iter().sum();
        Some(Self {
            count,
            min: values[0],
            max: values[count - 1],
            mean: sum / count as f64,
            median: nearest_rank(&values, 50)?,
            p95: nearest_rank(&values, 95)?,
            p99: nearest_rank(&values, 99)?,
        })
    }
}

/// The value at 1-based rank ⌈p/100 · n⌉ of the ascending `sorted` slice (SPEC §3), or
/// `None` if it is empty. The rank is computed in integers: `0.95 * 20` in floating point is
/// not exactly 19, and a ceiling on it could pick the wrong element.
pub fn nearest_rank(sorted: &[f64], percent: usize) -> Option<f64> {
    let n = sorted.len();
    let rank = (percent * n).div_ceil(100).clamp(1, n.max(1));
    sorted.get(rank - 1).copied()
}

/// The `percent` percentile of unsorted `values` (used by recommendations on metric samples).
pub fn percentile(mut values: Vec<f64>, percent: usize) -> Option<f64> {
    values.sort_unstable_by(f64::total_cmp);
    nearest_rank(&values, percent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_to(n: u32) -> Vec<f64> {
        (1..=n).map(f64::from).collect()
    }

    #[test]
    fn single_value_is_every_percentile() {
        let s = OperationStats::from_values(vec![7.0]);
        let expected = OperationStats {
            count: 1,
            min: 7.0,
            max: 7.0,
            mean: 7.0,
            median: 7.0,
            p95: 7.0,
            p99: 7.0,
        };
        assert_eq!(s, Some(expected));
    }

    #[test]
    fn five_values() {
        // Shuffled on purpose: the window is in arrival order, not sorted.
        let s = OperationStats::from_values(vec![4.0, 1.0, 5.0, 3.0, 2.0]);
        let s = s.as_ref();
        assert_eq!(s.map(|s| (s.min, s.max, s.mean)), Some((1.0, 5.0, 3.0)));
        // ranks: median ⌈2.5⌉ = 3, p95 ⌈4.75⌉ = 5, p99 ⌈4.95⌉ = 5
        assert_eq!(s.map(|s| (s.median, s.p95, s.p99)), Some((3.0, 5.0, 5.0)));
    }

    #[test]
    fn twenty_values() {
        let s = OperationStats::from_values(one_to(20));
        // ranks: median 10, p95 exactly 19 (not 20), p99 ⌈19.8⌉ = 20
        assert_eq!(s.map(|s| (s.median, s.p95, s.p99)), Some((10.0, 19.0, 20.0)));
    }

    #[test]
    fn hundred_values() {
        let mut values = one_to(100);
        values.reverse();
        let s = OperationStats::from_values(values);
        assert_eq!(s.map(|s| (s.median, s.p95, s.p99)), Some((50.0, 95.0, 99.0)));
        assert_eq!(s.map(|s| (s.count, s.mean)), Some((100, 50.5)));
    }

    #[test]
    fn empty_window_has_no_stats() {
        assert_eq!(OperationStats::from_values(Vec::new()), None);
        assert_eq!(nearest_rank(&[], 95), None);
        assert_eq!(percentile(vec![3.0, 1.0, 2.0], 50), Some(2.0));
    }
}
