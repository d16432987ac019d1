//! Prometheus export: the registry the monitor owns and the `pmr_*` instruments in it.
//!
//! The monitor decides *when* to observe (only while enabled); this module only knows the
//! metric names, their low-cardinality labels and the seconds-based buckets. The server may
//! register its own collectors (cache hits/misses) in the same registry via
//! [`crate::Monitor::registry`].

use prometheus::{
    Encoder as _, Histogram, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry,
    TextEncoder,
};

use crate::alert_log::FiringSink;
use crate::alerts::Severity;

/// Upper bounds in seconds: from a 1 ms cache hit to a report generation well past its 30 s
/// threshold, so the critical (≥ 2×) region still lands in a real bucket.
pub const BUCKETS_SECONDS: [f64; 15] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
];

/// The registry plus its instruments. `instruments` is `None` only if creating them failed,
/// which the constant names and buckets make impossible in practice (a test proves they
/// register); the monitor then keeps working without exporting.
pub(crate) struct Prom {
    registry: Registry,
    instruments: Option<Instruments>,
}

struct Instruments {
    operation: HistogramVec,
    http: HistogramVec,
    alerts: IntCounterVec,
    firing: IntGaugeVec,
    enabled: IntGauge,
}

impl Prom {
    /// Builds and registers every instrument, or says why it could not.
    pub(crate) fn try_new(enabled: bool) -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let instruments = Instruments::register(&registry)?;
        instruments.enabled.set(i64::from(enabled));
        Ok(Self {
            registry,
            instruments: Some(instruments),
        })
    }

    /// Like [`Prom::try_new`] but degrades to an empty registry instead of failing.
    pub(crate) fn new(enabled: bool) -> Self {
        Self::try_new(enabled).unwrap_or_else(|_| Self {
            registry: Registry::new(),
            instruments: None,
        })
    }

    pub(crate) fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The histogram child for one operation, looked up once and cached by the caller so the
    /// hot path skips the label hashing.
    pub(crate) fn operation_histogram(&self, operation: &str) -> Option<Histogram> {
        let instruments = self.instruments.as_ref()?;
        instruments.operation.get_metric_with_label_values(&[operation]).ok()
    }

    pub(crate) fn observe_http(&self, route: &str, method: &str, status: u16, ms: f64) {
        let Some(instruments) = &self.instruments else {
            return;
        };
        let labels = [route, method, status_class(status)];
        if let Ok(histogram) = instruments.http.get_metric_with_label_values(&labels) {
            histogram.observe(ms / 1000.0);
        }
    }

    pub(crate) fn count_alert(&self, severity: Severity) {
        let Some(instruments) = &self.instruments else {
            return;
        };
        if let Ok(counter) = instruments.alerts.get_metric_with_label_values(&[severity.as_str()]) {
            counter.inc();
        }
    }

    /// Where the alert log reports firing counts: the `pmr_alerts_firing` gauges. A clone of
    /// the gauge vector, so the log needs no reference back to the monitor.
    pub(crate) fn firing_sink(&self) -> FiringSink {
        let Some(firing) = self.instruments.as_ref().map(|i| i.firing.clone()) else {
            return Box::new(|_| {});
        };
        Box::new(move |counts| {
            for (severity, count) in counts {
                if let Ok(gauge) = firing.get_metric_with_label_values(&[severity.as_str()]) {
                    gauge.set(i64::try_from(*count).unwrap_or(i64::MAX));
                }
            }
        })
    }

    pub(crate) fn set_enabled(&self, on: bool) {
        if let Some(instruments) = &self.instruments {
            instruments.enabled.set(i64::from(on));
        }
    }

    /// Text exposition format of everything in the registry (the server's own collectors
    /// included). Encoding only fails on malformed families, reported as a comment line so a
    /// scrape shows the problem rather than an empty body.
    pub(crate) fn text(&self) -> String {
        let mut buf = Vec::new();
        match TextEncoder::new().encode(&self.registry.gather(), &mut buf) {
            Ok(()) => String::from_utf8_lossy(&buf).into_owned(),
            Err(e) => format!("# pmr_monitor: encoding failed: {e}\n"),
        }
    }
}

impl Instruments {
    fn register(registry: &Registry) -> Result<Self, prometheus::Error> {
        let operation = HistogramVec::new(
            HistogramOpts::new("pmr_operation_duration_seconds", "Duration of monitored operations.")
                .buckets(BUCKETS_SECONDS.to_vec()),
            &["operation"],
        )?;
        let http = HistogramVec::new(
            HistogramOpts::new("pmr_http_request_duration_seconds", "Duration of HTTP requests.")
                .buckets(BUCKETS_SECONDS.to_vec()),
            &["route", "method", "status"],
        )?;
        let alerts = IntCounterVec::new(
            Opts::new(
                "pmr_alerts_total",
                "Threshold breaches recorded, repeats included, by severity.",
            ),
            &["severity"],
        )?;
        let firing = IntGaugeVec::new(
            Opts::new("pmr_alerts_firing", "Alerts currently firing, by severity."),
            &["severity"],
        )?;
        let enabled = IntGauge::new("pmr_monitor_enabled", "1 while the monitor is recording.")?;
        // Pre-create every severity so dashboards see 0 rather than a missing series.
        for severity in Severity::ALL {
            alerts.get_metric_with_label_values(&[severity.as_str()])?;
            firing.get_metric_with_label_values(&[severity.as_str()])?;
        }
        registry.register(Box::new(operation.clone()))?;
        registry.register(Box::new(http.clone()))?;
        registry.register(Box::new(alerts.clone()))?;
        registry.register(Box::new(firing.clone()))?;
        registry.register(Box::new(enabled.clone()))?;
        Ok(Self {
            operation,
            http,
            alerts,
            firing,
            enabled,
        })
    }
}

/// `"2xx"` etc.: one series per class instead of per code keeps cardinality low.
pub fn status_class(status: u16) -> &'static str {
    match status {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        500..=599 => "5xx",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instruments_register() {
        let prom = Prom::try_new(true);
        assert!(prom.is_ok_and(|p| p.instruments.is_some()));
    }

    #[test]
    fn status_classes() {
        assert_eq!(status_class(200), "2xx");
        assert_eq!(status_class(304), "3xx");
        assert_eq!(status_class(404), "4xx");
        assert_eq!(status_class(503), "5xx");
        assert_eq!(status_class(42), "other");
    }
}
