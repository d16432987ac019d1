//! The alert log: groups breaches into [`Alert`]s, resolves them, keeps the last `capacity`
//! and counts every breach (SPEC §3 "alerts do not cry wolf").
//!
//! The rules, in one place:
//! - a breach of a metric at a severity that already has a *firing* alert is folded into it
//!   (count, last seen, latest value and message); otherwise it opens a new alert;
//! - a breach at another severity opens its own alert and leaves the others firing: the
//!   incident they describe is not over until the metric comes back, and a value flapping
//!   across a severity boundary then costs two alerts, not one per flip;
//! - a judged value back inside the threshold resolves every firing alert of that metric;
//! - the log is ordered by last breach; past `capacity` the least recently seen alert goes.
//!
//! Whether a value is a breach is `alerts`' business; what the counts mean for health and
//! Prometheus is `health`'s and `prom`'s.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

use crate::alerts::{Alert, AlertState, Breach, Severity};

/// Firing alerts per severity, lowest severity first (the order of [`Severity::ALL`]).
pub(crate) type FiringCounts = [(Severity, usize); 4];

/// Told the firing counts whenever they may have changed, under the log's lock so two
/// changes cannot be reported out of order.
pub(crate) type FiringSink = Box<dyn Fn(&FiringCounts) + Send + Sync>;

/// Whether a metric may have a firing alert, so the hot path (a healthy value) can skip the
/// log's lock. Written only under that lock; a stale `true` (the alert was dropped or cleared)
/// costs one lock and is then put right. A reader racing a new breach may miss it, which is
/// the same as its value having arrived first.
#[derive(Debug, Default)]
pub(crate) struct FiringHint(AtomicBool);

impl FiringHint {
    fn get(&self) -> bool {
        // Relaxed: the flag only decides whether to take the lock; the lock orders the data.
        self.0.load(Ordering::Relaxed)
    }

    fn set(&self, firing: bool) {
        self.0.store(firing, Ordering::Relaxed);
    }
}

pub(crate) struct AlertLog {
    inner: Mutex<Inner>,
    capacity: usize,
    sink: FiringSink,
}

struct Inner {
    /// Least recently breached first.
    alerts: VecDeque<Alert>,
    next_id: u64,
    /// Every breach ever recorded; clearing old alerts does not lower it.
    breaches: u64,
}

impl AlertLog {
    pub(crate) fn new(capacity: usize, sink: FiringSink) -> Self {
        let inner = Inner {
            alerts: VecDeque::new(),
            next_id: 1,
            breaches: 0,
        };
        Self {
            inner: Mutex::new(inner),
            capacity,
            sink,
        }
    }

    /// A poisoned lock only means a panic mid-update; the deque is still sound, and losing
    /// alerting over it would be worse than one odd count.
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records one breach: folds it into the firing alert of its metric and severity, or
    /// opens a new one. `hint` is the metric's.
    pub(crate) fn raise(&self, breach: Breach, hint: &FiringHint) {
        let mut inner = self.lock();
        inner.breaches += 1;
        if let Some(pos) = inner.alerts.iter().rposition(|a| a.groups(&breach)) {
            // Move it to the back, so the log stays ordered by last breach.
            if let Some(mut alert) = inner.alerts.remove(pos) {
                alert.repeat(breach);
                inner.alerts.push_back(alert);
            }
            return;
        }
        let id = inner.next_id;
        inner.next_id += 1;
        inner.alerts.push_back(Alert::open(id, breach));
        while inner.alerts.len() > self.capacity {
            inner.alerts.pop_front();
        }
        hint.set(true);
        (self.sink)(&inner.firing_counts());
    }

    /// `metric` has a judged value inside its threshold again: resolves its firing alerts.
    pub(crate) fn resolve(&self, metric: &str, at_ms: u64, hint: &FiringHint) {
        if !hint.get() {
            return;
        }
        let mut inner = self.lock();
        let mut resolved = false;
        for alert in inner.alerts.iter_mut().filter(|a| a.is_firing() && a.metric == metric) {
            alert.state = AlertState::Resolved { resolved_at_ms: at_ms };
            resolved = true;
        }
        hint.set(false);
        if resolved {
            (self.sink)(&inner.firing_counts());
        }
    }

    /// Every breach ever recorded, repeats included.
    pub(crate) fn breaches(&self) -> u64 {
        self.lock().breaches
    }

    /// Alerts held (groups, not breaches).
    pub(crate) fn len(&self) -> usize {
        self.lock().alerts.len()
    }

    pub(crate) fn firing(&self) -> usize {
        self.lock().alerts.iter().filter(|a| a.is_firing()).count()
    }

    /// Up to `limit` alerts, most recently breached first.
    pub(crate) fn by_recency(&self, limit: usize) -> Vec<Alert> {
        self.lock().alerts.iter().rev().take(limit).cloned().collect()
    }

    /// Up to `limit` alerts, firing ones first, each part most recently breached first.
    pub(crate) fn listed(&self, limit: usize) -> Vec<Alert> {
        let inner = self.lock();
        let newest_first = || inner.alerts.iter().rev();
        let firing = newest_first().filter(|a| a.is_firing());
        let resolved = newest_first().filter(|a| !a.is_firing());
        firing.chain(resolved).take(limit).cloned().collect()
    }

    /// Removes alerts last breached before `cutoff_ms` (all for `None`); returns how many.
    /// The breach count stays: it counts what was recorded, not what is held.
    pub(crate) fn remove_older_than(&self, cutoff_ms: Option<u64>) -> usize {
        let mut inner = self.lock();
        let before = inner.alerts.len();
        match cutoff_ms {
            None => inner.alerts.clear(),
            Some(cutoff) => inner.alerts.retain(|a| a.last_seen_ms >= cutoff),
        }
        let removed = before - inner.alerts.len();
        if removed > 0 {
            (self.sink)(&inner.firing_counts());
        }
        removed
    }
}

impl Inner {
    fn firing_counts(&self) -> FiringCounts {
        Severity::ALL.map(|severity| {
            let firing = self.alerts.iter().filter(|a| a.is_firing() && a.severity == severity);
            (severity, firing.count())
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::alerts::check;
    use crate::config::{Threshold, Unit};

    /// A log of `capacity` whose sink remembers the last firing counts it was told.
    fn log(capacity: usize) -> (AlertLog, Arc<Mutex<Option<FiringCounts>>>) {
        let seen = Arc::new(Mutex::new(None));
        let sink_seen = Arc::clone(&seen);
        let sink: FiringSink = Box::new(move |counts| {
            if let Ok(mut seen) = sink_seen.lock() {
                *seen = Some(*counts);
            }
        });
        (AlertLog::new(capacity, sink), seen)
    }

    /// A breach of `metric` (threshold 100 ms) by `value` at `at_ms`.
    fn breach(metric: &str, value: f64, at_ms: u64) -> Breach {
        match check(metric, value, &Threshold::above(100.0, Unit::Ms), at_ms) {
            Some(breach) => breach,
            None => panic!("{value} is no breach"),
        }
    }

    fn summary(alerts: &[Alert]) -> Vec<(&str, Severity, u64, bool)> {
        alerts
            .iter()
            .map(|a| (a.metric.as_str(), a.severity, a.count, a.is_firing()))
            .collect()
    }

    #[test]
    fn repeats_fold_and_the_sink_hears_only_changes() {
        let (log, seen) = log(10);
        let hint = FiringHint::default();
        log.raise(breach("a", 110.0, 1), &hint);
        *seen.lock().unwrap_or_else(|e| e.into_inner()) = None;
        log.raise(breach("a", 115.0, 2), &hint);
        assert!(
            seen.lock().is_ok_and(|s| s.is_none()),
            "a repeat changes no firing count"
        );
        assert_eq!(summary(&log.listed(10)), [("a", Severity::Low, 2, true)]);
        assert_eq!(log.breaches(), 2);
    }

    #[test]
    fn resolving_clears_the_hint_and_tells_the_sink() {
        let (log, seen) = log(10);
        let hint = FiringHint::default();
        log.raise(breach("a", 250.0, 1), &hint);
        assert!(hint.get());
        let critical = |s: &Option<FiringCounts>| s.map(|c| c[3]);
        assert!(seen.lock().is_ok_and(|s| critical(&s) == Some((Severity::Critical, 1))));
        log.resolve("a", 5, &hint);
        assert!(!hint.get());
        assert!(seen.lock().is_ok_and(|s| critical(&s) == Some((Severity::Critical, 0))));
        assert_eq!(log.listed(1).first().and_then(Alert::resolved_at_ms), Some(5));
    }

    #[test]
    fn listed_is_firing_first_then_resolved_each_newest_first() {
        let (log, _) = log(10);
        let (a, b, c) = (FiringHint::default(), FiringHint::default(), FiringHint::default());
        log.raise(breach("a", 110.0, 1), &a);
        log.raise(breach("b", 110.0, 2), &b);
        log.raise(breach("c", 110.0, 3), &c);
        log.resolve("c", 4, &c);
        log.raise(breach("a", 110.0, 5), &a); // a is now the most recently breached
        let order: Vec<String> = log.listed(10).into_iter().map(|x| x.metric).collect();
        assert_eq!(order, ["a", "b", "c"]);
        let recency: Vec<u64> = log.by_recency(10).iter().map(|x| x.last_seen_ms).collect();
        assert_eq!(recency, [5, 3, 2]);
    }

    #[test]
    fn the_least_recently_breached_alert_is_dropped_first() {
        let (log, _) = log(2);
        let hint = FiringHint::default();
        log.raise(breach("a", 110.0, 1), &hint);
        log.raise(breach("b", 110.0, 2), &hint);
        log.raise(breach("a", 110.0, 3), &hint); // a moves behind b
        log.raise(breach("c", 110.0, 4), &hint);
        let held: Vec<String> = log.by_recency(10).into_iter().map(|x| x.metric).collect();
        assert_eq!(held, ["c", "a"]);
        assert_eq!(log.breaches(), 4);
    }

    #[test]
    fn a_stale_hint_is_put_right() {
        let (log, _) = log(10);
        let hint = FiringHint::default();
        log.raise(breach("a", 110.0, 1), &hint);
        assert_eq!(log.remove_older_than(None), 1);
        assert!(hint.get(), "clearing does not know the hints");
        log.resolve("a", 2, &hint);
        assert!(!hint.get());
        assert_eq!(log.breaches(), 1, "clearing keeps the breach count");
    }
}
