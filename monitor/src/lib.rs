//! In-process performance monitor for the PMR server (SPEC §3).
//!
//! [`Monitor`] records timings per operation and samples per metric into bounded windows,
//! checks each value against its [`Threshold`], groups breaches into [`Alert`]s, and
//! mirrors timings into Prometheus histograms. Reading back (stats, recommendations, health,
//! clearing) is in `query`. It is synchronous and never holds a lock across anything slow, so
//! async handlers can call it directly; serving `/metrics` and the JSON API is the server's job.
//!
//! Map of the crate: `config` (what to watch), `window` (bounded rings and the name map),
//! `ops` / `metrics` (what the windows hold), `stats` (percentiles), `alerts` (threshold
//! checks, the minimum sample for rates), `alert_log` (grouping breaches into firing and
//! resolved alerts), `recommendations` and `health` (rules over the figures), `prom`
//! (export), `timer` (RAII timing), `query` (the read side of [`Monitor`]), `timeline` (the
//! same, over time, for charts).

mod alert_log;
mod alerts;
mod config;
mod error;
mod health;
mod metrics;
mod ops;
mod prom;
mod query;
mod recommendations;
mod stats;
mod timeline;
mod timer;
mod window;

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

pub use alerts::{Alert, AlertState, Comparison, Severity, MIN_RATE_EVENTS};
pub use config::{Direction, MonitorConfig, Threshold, Thresholds, Unit};
pub use error::{Error, Result};
pub use health::{Health, HealthStatus, HEALTH_MAX_CRITICAL, HEALTH_RECENT_ALERTS};
pub use metrics::MetricSample;
pub use prom::{status_class, BUCKETS_SECONDS};
pub use query::{MonitorStats, STATS_RECENT_ALERTS};
pub use recommendations::{Priority, Recommendation, NOISY_ALERT_COUNT};
pub use stats::OperationStats;
pub use timeline::{TimingPoint, ValuePoint, MAX_SERIES_POINTS};
pub use timer::Timer;

use alert_log::AlertLog;
use metrics::{Sample, Series};
use ops::{OpWindow, Timing};
use prom::Prom;
use window::{Interner, Ring};

/// Current time in unix milliseconds. Injectable so tests can record "old" data.
pub type Clock = Arc<dyn Fn() -> u64 + Send + Sync>;

/// The wall clock.
pub fn system_clock() -> Clock {
    Arc::new(|| {
        let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        u64::try_from(since_epoch.as_millis()).unwrap_or(u64::MAX)
    })
}

/// The operation [`Monitor::record_http`] also records a timing under (threshold
/// `api_response_time`).
pub const API_RESPONSE_OPERATION: &str = "api_response";

/// The performance monitor. `Send + Sync`; share it as `Arc<Monitor>`.
pub struct Monitor {
    config: MonitorConfig,
    enabled: AtomicBool,
    clock: Clock,
    started_ms: u64,
    /// Per-operation windows; see `window` for why each has its own lock.
    operations: Interner<OpWindow>,
    /// Per-metric-name facts (unit, threshold), resolved once.
    series: Interner<Series>,
    /// The last `max_metric_samples` samples, all metrics together.
    samples: Ring<Sample>,
    /// The last `max_alerts` alerts, grouped from breaches.
    alerts: AlertLog,
    prom: Prom,
}

impl fmt::Debug for Monitor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Monitor")
            .field("enabled", &self.is_enabled())
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Monitor {
    /// A monitor on the wall clock.
    pub fn new(config: MonitorConfig) -> Self {
        Self::with_clock(config, system_clock())
    }

    /// A monitor reading time from `clock` (unix ms). If the Prometheus instruments cannot be
    /// registered (not possible with the built-in names) it still monitors, without export;
    /// use [`Monitor::try_new`] to fail instead.
    pub fn with_clock(config: MonitorConfig, clock: Clock) -> Self {
        let prom = Prom::new(config.enabled);
        Self::build(config, clock, prom)
    }

    /// Like [`Monitor::with_clock`] but fails if Prometheus setup fails.
    pub fn try_new(config: MonitorConfig, clock: Clock) -> Result<Self> {
        let prom = Prom::try_new(config.enabled)?;
        Ok(Self::build(config, clock, prom))
    }

    fn build(config: MonitorConfig, clock: Clock, prom: Prom) -> Self {
        let started_ms = clock();
        Self {
            enabled: AtomicBool::new(config.enabled),
            samples: Ring::new(config.max_metric_samples),
            alerts: AlertLog::new(config.max_alerts, prom.firing_sink()),
            operations: Interner::default(),
            series: Interner::default(),
            started_ms,
            clock,
            prom,
            config,
        }
    }

    pub fn config(&self) -> &MonitorConfig {
        &self.config
    }

    pub fn is_enabled(&self) -> bool {
        // Relaxed: the flag guards no other data; a record racing a toggle may go either way.
        self.enabled.load(Ordering::Relaxed)
    }

    /// Switches recording on or off. Off, every `record_*` is a no-op; data already recorded
    /// stays readable.
    pub fn set_enabled(&self, on: bool) {
        self.enabled.store(on, Ordering::Relaxed);
        self.prom.set_enabled(on);
    }

    /// Records a timing of `operation` in its window and the Prometheus histogram, and a
    /// `"{operation}_time"` sample, checked against the threshold of that name.
    /// Non-finite values are ignored: one NaN would poison every mean and percentile.
    pub fn record_timing(&self, operation: &str, ms: f64) {
        if !self.is_enabled() || !ms.is_finite() {
            return;
        }
        let at_ms = self.now_ms();
        let record = |window: &OpWindow| {
            window.timings.push(Timing { ms, at_ms });
            if let Some(histogram) = &window.histogram {
                histogram.observe(ms / 1000.0);
            }
            self.record_sample(&window.series, ms, None, at_ms);
        };
        // Under the operations read lock: only short pushes happen inside, and it saves the
        // Arc reference-count traffic that dominates when threads record the same operation.
        self.operations.with(operation, |name| self.new_window(name), record);
    }

    /// Records a sample of metric `name` and checks it against the threshold of that name.
    /// A rate (a below-threshold metric such as `cache_hit_rate`) is sampled but not judged
    /// here: without its event count a 0 % over three reads looks like an outage. Use
    /// [`Monitor::record_rate`] for rates.
    pub fn record_metric(&self, name: &str, value: f64) {
        self.record_value(name, value, None);
    }

    /// Records rate `name` (in percent) computed over `events` events, e.g. the cache hit
    /// rate over the reads of the last minute. It is always sampled, but checked against its
    /// threshold only when `events` reaches [`MIN_RATE_EVENTS`] (SPEC §3).
    pub fn record_rate(&self, name: &str, percent: f64, events: u64) {
        self.record_value(name, percent, Some(events));
    }

    /// Records one HTTP request: the Prometheus request histogram (by route *template*,
    /// method and status class) and an [`API_RESPONSE_OPERATION`] timing.
    pub fn record_http(&self, route: &str, method: &str, status: u16, ms: f64) {
        if !self.is_enabled() || !ms.is_finite() {
            return;
        }
        self.prom.observe_http(route, method, status, ms);
        self.record_timing(API_RESPONSE_OPERATION, ms);
    }

    /// Starts timing `operation`; the timing is recorded when the [`Timer`] is dropped or
    /// [`Timer::finish`]ed.
    pub fn timer(&self, operation: &'static str) -> Timer<'_> {
        Timer::start(self, operation)
    }

    /// The Prometheus registry, so the server can register its own collectors beside ours.
    pub fn registry(&self) -> &prometheus::Registry {
        self.prom.registry()
    }

    /// Everything in [`Monitor::registry`] in the Prometheus text exposition format.
    pub fn prometheus_text(&self) -> String {
        self.prom.text()
    }

    fn now_ms(&self) -> u64 {
        (self.clock)()
    }

    fn series_for(&self, name: &str) -> Arc<Series> {
        let history = self.config.max_metric_samples;
        self.series
            .get_or_insert_with(name, |name| Series::new(name, &self.config.thresholds, history))
    }

    /// Runs once per operation name, under the operations write lock (lock order:
    /// operations, then series; nothing takes them the other way round).
    fn new_window(&self, operation: &str) -> OpWindow {
        let series = self.series_for(&ops::metric_name(operation));
        let histogram = self.prom.operation_histogram(operation);
        OpWindow::new(self.config.max_timings_per_operation, series, histogram)
    }

    /// A metric value (not a timing): also kept in the metric's own history for
    /// [`Monitor::metric_series`].
    fn record_value(&self, name: &str, value: f64, events: Option<u64>) {
        if !self.is_enabled() || !value.is_finite() {
            return;
        }
        let series = self.series_for(name);
        let at_ms = self.now_ms();
        series.history.push(metrics::Point { value, at_ms });
        self.record_sample(&series, value, events, at_ms);
    }

    fn record_sample(&self, series: &Arc<Series>, value: f64, events: Option<u64>, at_ms: u64) {
        self.samples.push(Sample {
            series: Arc::clone(series),
            value,
            events,
            at_ms,
        });
        let Some(threshold) = &series.threshold else {
            return;
        };
        if !alerts::judgeable(threshold, events) {
            return;
        }
        match alerts::check(&series.name, value, threshold, at_ms) {
            Some(breach) => {
                self.prom.count_alert(breach.severity);
                self.alerts.raise(breach, &series.firing);
            }
            // Cheap unless the metric has a firing alert: the hint spares the log's lock.
            None => self.alerts.resolve(&series.name, at_ms, &series.firing),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monitor_can_be_shared_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Monitor>();
        assert_send_sync::<Arc<Monitor>>();
    }

    #[test]
    fn strict_construction_succeeds_with_the_built_in_instruments() {
        let monitor = Monitor::try_new(MonitorConfig::default(), system_clock());
        assert!(monitor.is_ok_and(|m| m.prometheus_text().contains("pmr_monitor_enabled 1")));
    }
}
