//! Switching the monitor off and on, clearing old data, and the combined stats snapshot.

use monitor::{HealthStatus, MonitorConfig};

use crate::{monitor, monitor_with, HOUR_MS, T0_MS};

/// Records one of everything: a thresholded timing that alerts, a metric, an HTTP request
/// and a timer.
fn record_everything(m: &monitor::Monitor) {
    m.record_timing("report_generation", 90_000.0);
    m.record_metric("memory_usage_mb", 2_048.0);
    m.record_http("/api/reports", "GET", 200, 12.0);
    drop(m.timer("render"));
}

fn is_empty(m: &monitor::Monitor) -> bool {
    m.all_operation_stats().is_empty() && m.recent_metrics(usize::MAX).is_empty() && m.alerts().is_empty()
}

#[test]
fn disabled_recording_is_a_no_op_and_enable_resumes() {
    let (m, _) = monitor();
    m.set_enabled(false);
    assert!(!m.is_enabled());
    record_everything(&m);
    assert!(is_empty(&m));
    let text = m.prometheus_text();
    assert!(
        !text.contains("report_generation"),
        "no Prometheus observation while off"
    );
    assert!(!text.contains("pmr_http_request_duration_seconds_count"));
    assert!(text.contains("pmr_monitor_enabled 0"));
    assert!(!m.health().enabled);

    m.set_enabled(true);
    record_everything(&m);
    let ops: Vec<String> = m.all_operation_stats().into_keys().collect();
    assert_eq!(ops, ["api_response", "render", "report_generation"]);
    assert_eq!(m.alerts().len(), 2);
    assert!(m.prometheus_text().contains("pmr_monitor_enabled 1"));
}

#[test]
fn config_can_start_disabled() {
    let (m, _) = monitor_with(MonitorConfig {
        enabled: false,
        ..MonitorConfig::default()
    });
    record_everything(&m);
    assert!(is_empty(&m));
    assert!(!m.stats().enabled);
}

#[test]
fn clear_older_than_removes_only_old_entries() {
    let (m, clock) = monitor();
    m.record_timing("report_generation", 40_000.0); // timing + sample + alert
    m.record_metric("cache_hit_rate", 90.0); // sample
    clock.set(T0_MS + 2 * HOUR_MS);
    m.record_timing("report_generation", 100.0); // timing + sample

    assert_eq!(m.clear_older_than(3), 0, "everything is younger than 3 h");
    assert_eq!(
        m.clear_older_than(2),
        0,
        "recorded exactly 2 h ago is not older than 2 h"
    );
    assert_eq!(m.clear_older_than(1), 4);
    assert_eq!(
        m.operation_stats("report_generation").map(|s| (s.count, s.max)),
        Some((1, 100.0))
    );
    assert_eq!(m.recent_metrics(10).len(), 1);
    assert!(m.alerts().is_empty());
}

#[test]
fn clear_with_zero_hours_clears_everything() {
    let (m, _) = monitor();
    record_everything(&m);
    // 3 timings + 4 samples (3 timing samples + 1 metric) + 2 alerts
    assert_eq!(m.clear_older_than(0), 9);
    assert!(is_empty(&m));
    assert_eq!(m.operation_stats("render"), None);
    // Recording afterwards works as before.
    m.record_timing("render", 1.0);
    assert_eq!(m.operation_stats("render").map(|s| s.count), Some(1));
}

#[test]
fn stats_snapshot_has_uptime_totals_and_recent_alerts() {
    let (m, clock) = monitor();
    for _ in 0..12 {
        m.record_metric("concurrent_sessions", 200.0); // critical
    }
    m.record_timing("database_query", 10.0);
    m.record_timing("database_query", 20.0);
    clock.advance(2 * HOUR_MS + 999);
    let stats = m.stats();
    assert_eq!(stats.uptime_seconds, 7_200);
    assert!(stats.enabled);
    assert_eq!(stats.total_timings, 2);
    assert_eq!(stats.total_metric_samples, 14);
    assert_eq!(stats.total_alerts, 12, "every breach counts");
    assert_eq!(stats.firing_alerts, 1);
    let grouped = stats.recent_alerts.iter().map(|a| (a.metric.as_str(), a.count));
    assert_eq!(grouped.collect::<Vec<_>>(), [("concurrent_sessions", 12)]);
    assert_eq!(stats.operations.get("database_query").map(|s| s.mean), Some(15.0));
    assert_eq!(
        stats.health.status,
        HealthStatus::Healthy,
        "one metric stuck in breach is one alert"
    );
}
