//! Time series for the dashboard's charts: what the windows hold, grouped into fixed buckets
//! over the last few minutes — p50/p95 of an operation's timings, or the mean of a metric.
//!
//! Buckets are aligned to multiples of their width since the epoch, so a chart polled every
//! few seconds keeps its points in place instead of sliding them; the last bucket is the one
//! still filling. Every bucket is returned, empty ones with `count` 0 and no figures, so the
//! x axis has no holes. Like every read in `query`, entries are copied out under the window's
//! lock and bucketed after it is released. The series cover what the windows still hold (the
//! last `max_timings_per_operation` timings, the last `max_metric_samples` values of a
//! metric), so a busy operation's older buckets can come back empty. Drawing is the
//! dashboard's job.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::stats::nearest_rank;
use crate::window::{Ring, Stamped};
use crate::Monitor;

/// The most points one series may have, so a query cannot allocate without bound.
pub const MAX_SERIES_POINTS: usize = 1_000;

/// One bucket of an operation's timings, in ms.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TimingPoint {
    /// Start of the bucket, unix milliseconds.
    pub at_ms: u64,
    /// Timings in the bucket.
    pub count: usize,
    /// Nearest-rank median, p95 and maximum; `None` for an empty bucket.
    pub p50: Option<f64>,
    pub p95: Option<f64>,
    pub max: Option<f64>,
}

/// One bucket of a metric's values.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ValuePoint {
    /// Start of the bucket, unix milliseconds.
    pub at_ms: u64,
    /// Values in the bucket.
    pub count: usize,
    /// `None` for an empty bucket.
    pub mean: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

impl Monitor {
    /// `operation`'s timings over the last `window`, in `bucket`-wide buckets, oldest first:
    /// e.g. `timing_series("api_response", 15 min, 1 min)` gives 15 points of p50/p95. An
    /// operation never timed gives empty buckets. Fails for a bucket under 1 ms or more than
    /// [`MAX_SERIES_POINTS`] buckets.
    pub fn timing_series(&self, operation: &str, window: Duration, bucket: Duration) -> Result<Vec<TimingPoint>> {
        let buckets = Buckets::new(self.now_ms(), window, bucket)?;
        let entries = match self.operations.get(operation) {
            Some(ops) => buckets.entries(&ops.timings, |t| t.ms),
            None => Vec::new(),
        };
        Ok(buckets.timing_points(entries))
    }

    /// [`Monitor::timing_series`] of every operation timed within `window`, by name: one
    /// sparkline per operation.
    pub fn all_timing_series(&self, window: Duration, bucket: Duration) -> Result<BTreeMap<String, Vec<TimingPoint>>> {
        let buckets = Buckets::new(self.now_ms(), window, bucket)?;
        let series = self.operations.snapshot().into_iter().filter_map(|(name, ops)| {
            let entries = buckets.entries(&ops.timings, |t| t.ms);
            (!entries.is_empty()).then(|| (name, buckets.timing_points(entries)))
        });
        Ok(series.collect())
    }

    /// The values of metric `name` recorded with [`Monitor::record_metric`] or
    /// [`Monitor::record_rate`] over the last `window`, in `bucket`-wide buckets, oldest first
    /// (e.g. `cache_hit_rate` or `concurrent_sessions` over 15 minutes). Every recorded value
    /// counts, rates over too few events included: a chart shows what was measured. Timings
    /// are charted with [`Monitor::timing_series`]. Fails like it.
    pub fn metric_series(&self, name: &str, window: Duration, bucket: Duration) -> Result<Vec<ValuePoint>> {
        let buckets = Buckets::new(self.now_ms(), window, bucket)?;
        let entries = match self.series.get(name) {
            Some(series) => buckets.entries(&series.history, |p| p.value),
            None => Vec::new(),
        };
        Ok(buckets.value_points(entries))
    }
}

/// `len` buckets of `width_ms`, the first starting at `first_ms`; the last holds "now".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Buckets {
    first_ms: u64,
    width_ms: u64,
    len: usize,
}

impl Buckets {
    fn new(now_ms: u64, window: Duration, bucket: Duration) -> Result<Self> {
        let (window_ms, width_ms) = (millis(window), millis(bucket));
        if width_ms == 0 {
            return Err(Error::ZeroBucket);
        }
        // A window narrower than a bucket still gets the bucket "now" falls in.
        let len = window_ms.div_ceil(width_ms).max(1);
        if len > MAX_SERIES_POINTS as u64 {
            return Err(Error::TooManyPoints {
                window_ms,
                bucket_ms: width_ms,
                max: MAX_SERIES_POINTS,
            });
        }
        let last_ms = now_ms - now_ms % width_ms;
        // (len − 1) · width < window, so the product cannot overflow; len ≤ MAX_SERIES_POINTS,
        // so the cast cannot truncate.
        let first_ms = last_ms.saturating_sub((len - 1) * width_ms);
        Ok(Self {
            first_ms,
            width_ms,
            len: len as usize,
        })
    }

    /// Which bucket `at_ms` falls in, if any (entries stamped in the future fall in none).
    fn index(&self, at_ms: u64) -> Option<usize> {
        let offset = at_ms.checked_sub(self.first_ms)?;
        let i = usize::try_from(offset / self.width_ms).ok()?;
        (i < self.len).then_some(i)
    }

    /// `(bucket, value)` of every entry of `ring` inside the buckets, copied out under its lock.
    fn entries<T: Stamped>(&self, ring: &Ring<T>, value: impl Fn(&T) -> f64) -> Vec<(usize, f64)> {
        ring.read(|items| {
            let indexed = items.iter().map(|item| Some((self.index(item.at_ms())?, value(item))));
            indexed.flatten().collect()
        })
    }

    /// The values of each bucket, sorted ascending, with the bucket's start.
    fn grouped(&self, entries: Vec<(usize, f64)>) -> impl Iterator<Item = (u64, Vec<f64>)> + '_ {
        let mut groups = vec![Vec::new(); self.len];
        for (i, value) in entries {
            groups[i].push(value);
        }
        groups.into_iter().zip(0u64..).map(|(mut values, i)| {
            values.sort_unstable_by(f64::total_cmp);
            (self.first_ms + i * self.width_ms, values)
        })
    }

    fn timing_points(&self, entries: Vec<(usize, f64)>) -> Vec<TimingPoint> {
        let point = |(at_ms, sorted): (u64, Vec<f64>)| TimingPoint {
            at_ms,
            count: sorted.len(),
            p50: nearest_rank(&sorted, 50),
            p95: nearest_rank(&sorted, 95),
            max: sorted.last().copied(),
        };
        self.grouped(entries).map(point).collect()
    }

    fn value_points(&self, entries: Vec<(usize, f64)>) -> Vec<ValuePoint> {
        let point = |(at_ms, sorted): (u64, Vec<f64>)| ValuePoint {
            at_ms,
            count: sorted.len(),
            mean: (!sorted.is_empty()).then(|| sorted.iter().sum::<f64>() / sorted.len() as f64),
            min: sorted.first().copied(),
            max: sorted.last().copied(),
        };
        self.grouped(entries).map(point).collect()
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_secs(60);

    #[test]
    fn buckets_are_aligned_and_the_last_holds_now() -> Result<()> {
        let b = Buckets::new(10 * 60_000 + 5_000, 3 * MIN, MIN)?;
        assert_eq!((b.first_ms, b.width_ms, b.len), (8 * 60_000, 60_000, 3));
        assert_eq!(b.index(8 * 60_000 - 1), None, "before the window");
        assert_eq!(b.index(8 * 60_000), Some(0));
        assert_eq!(b.index(10 * 60_000 + 5_000), Some(2));
        assert_eq!(b.index(11 * 60_000), None, "in the future");
        Ok(())
    }

    #[test]
    fn a_partial_bucket_rounds_up_and_a_tiny_window_gets_one() -> Result<()> {
        assert_eq!(Buckets::new(0, Duration::from_secs(90), MIN)?.len, 2);
        assert_eq!(Buckets::new(0, Duration::ZERO, MIN)?.len, 1);
        Ok(())
    }

    #[test]
    fn shapes_that_cannot_be_drawn_are_refused() {
        assert!(matches!(
            Buckets::new(0, MIN, Duration::from_micros(500)),
            Err(Error::ZeroBucket)
        ));
        let too_fine = Buckets::new(0, Duration::from_secs(3_600), Duration::from_secs(1));
        assert!(matches!(too_fine, Err(Error::TooManyPoints { max: 1_000, .. })));
        assert!(Buckets::new(0, Duration::MAX, MIN).is_err());
    }
}
