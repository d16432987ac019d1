//! Retention overflow: each window keeps only its newest entries.

use monitor::MonitorConfig;

use crate::monitor_with;

fn small_windows() -> MonitorConfig {
    MonitorConfig {
        max_metric_samples: 4,
        max_timings_per_operation: 3,
        max_alerts: 2,
        ..MonitorConfig::default()
    }
}

#[test]
fn timings_window_is_per_operation() {
    let (m, _) = monitor_with(small_windows());
    for v in 1..=5 {
        m.record_timing("a", f64::from(v));
    }
    m.record_timing("b", 100.0);
    let a = m.operation_stats("a");
    assert_eq!(
        a.map(|s| (s.count, s.min, s.max)),
        Some((3, 3.0, 5.0)),
        "1 and 2 dropped"
    );
    assert_eq!(m.operation_stats("b").map(|s| s.count), Some(1), "b has its own window");
}

#[test]
fn metric_samples_window_is_shared_by_all_metrics() {
    let (m, _) = monitor_with(small_windows());
    for v in 1..=3 {
        m.record_metric("x", f64::from(v));
        m.record_metric("y", f64::from(v) * 10.0);
    }
    let recent: Vec<(String, f64)> = m.recent_metrics(100).into_iter().map(|s| (s.name, s.value)).collect();
    let expected = [("y", 30.0), ("x", 3.0), ("y", 20.0), ("x", 2.0)];
    assert_eq!(recent, expected.map(|(n, v)| (n.to_owned(), v)));
    assert_eq!(m.stats().total_metric_samples, 4);
}

#[test]
fn alerts_window_keeps_the_newest() {
    let (m, _) = monitor_with(small_windows());
    for v in [600.0, 700.0, 800.0] {
        m.record_metric("memory_usage_mb", v);
    }
    let values: Vec<f64> = m.alerts().iter().map(|a| a.value).collect();
    assert_eq!(values, [800.0, 700.0]);
}

#[test]
fn default_windows_hold_a_thousand() {
    let (m, _) = monitor_with(MonitorConfig::default());
    for v in 0..1_500 {
        m.record_timing("op", f64::from(v));
    }
    assert_eq!(m.operation_stats("op").map(|s| (s.count, s.min)), Some((1_000, 500.0)));
    assert_eq!(m.recent_metrics(usize::MAX).len(), 1_000);
}
