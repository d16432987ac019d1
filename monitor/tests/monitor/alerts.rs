//! Threshold checks through the public API: boundaries, rates, messages, what never alerts.

use monitor::{Comparison, Severity, Thresholds, Unit};

use crate::{monitor, monitor_with_thresholds};

/// Records `value` for `metric` on a fresh default monitor and returns the alert, if any.
fn alert_for(metric: &str, value: f64) -> Option<monitor::Alert> {
    let (m, _) = monitor();
    m.record_metric(metric, value);
    let mut alerts = m.alerts();
    assert!(alerts.len() <= 1);
    alerts.pop()
}

/// Records `percent` for `cache_hit_rate` over plenty of reads and returns the alert, if any.
fn rate_alert(percent: f64) -> Option<monitor::Alert> {
    let (m, _) = monitor();
    m.record_rate("cache_hit_rate", percent, 100);
    m.alerts().pop()
}

fn severity(metric: &str, value: f64) -> Option<Severity> {
    alert_for(metric, value).map(|a| a.severity)
}

#[test]
fn above_threshold_severity_boundaries() {
    let m = "report_generation_time"; // threshold 30 000 ms
    assert_eq!(severity(m, 29_999.0), None);
    assert_eq!(severity(m, 30_000.0), None, "equal to the threshold is not an alert");
    assert_eq!(severity(m, 30_000.001), Some(Severity::Low));
    assert_eq!(severity(m, 35_999.0), Some(Severity::Low));
    assert_eq!(severity(m, 36_000.0), Some(Severity::Medium), "r = 1.2 exactly");
    assert_eq!(severity(m, 44_999.0), Some(Severity::Medium));
    assert_eq!(severity(m, 45_000.0), Some(Severity::High), "r = 1.5 exactly");
    assert_eq!(severity(m, 59_999.0), Some(Severity::High));
    assert_eq!(severity(m, 60_000.0), Some(Severity::Critical), "r = 2 exactly");
    assert_eq!(severity(m, 1e9), Some(Severity::Critical));
}

#[test]
fn alert_names_metric_value_unit_comparison_and_threshold() {
    let alert = alert_for("report_generation_time", 45_000.0);
    let alert = alert.as_ref();
    assert_eq!(
        alert.map(|a| a.message.as_str()),
        Some("report_generation_time 45000.0 ms > threshold 30000.0 ms")
    );
    assert_eq!(alert.map(|a| a.metric.as_str()), Some("report_generation_time"));
    assert_eq!(alert.map(|a| (a.value, a.threshold)), Some((45_000.0, 30_000.0)));
    assert_eq!(
        alert.map(|a| (a.unit, a.comparison)),
        Some((Unit::Ms, Comparison::Above))
    );
    assert_eq!(
        alert.map(|a| (a.first_seen_ms, a.last_seen_ms, a.count)),
        Some((crate::T0_MS, crate::T0_MS, 1))
    );
}

#[test]
fn rate_alerts_below_with_inverted_ratio() {
    let mut thresholds = Thresholds::default();
    thresholds.set("cache_hit_rate", 60.0); // keeps Percent / Below; 60 makes exact ratios
    let sev = |value| {
        let m = monitor_with_thresholds(thresholds.clone());
        m.record_rate("cache_hit_rate", value, 100);
        m.alerts().pop().map(|a| a.severity)
    };
    assert_eq!(sev(61.0), None);
    assert_eq!(sev(60.0), None, "equal to the threshold is not an alert");
    assert_eq!(sev(59.9), Some(Severity::Low));
    assert_eq!(sev(50.0), Some(Severity::Medium), "60 / 50 = 1.2");
    assert_eq!(sev(40.0), Some(Severity::High), "60 / 40 = 1.5");
    assert_eq!(sev(30.0), Some(Severity::Critical), "60 / 30 = 2");
    assert_eq!(sev(0.0), Some(Severity::Critical), "zero rate: infinite ratio");
}

#[test]
fn rate_message_uses_less_than() {
    let alert = rate_alert(50.0); // default 70 %: ratio 1.4
    assert_eq!(
        alert.as_ref().map(|a| a.message.as_str()),
        Some("cache_hit_rate 50.0 % < threshold 70.0 %")
    );
    assert_eq!(alert.as_ref().map(|a| a.comparison), Some(Comparison::Below));
    assert_eq!(alert.map(|a| a.severity), Some(Severity::Medium));
}

#[test]
fn timing_is_checked_against_the_operation_time_threshold() {
    let (m, _) = monitor();
    m.record_timing("report_generation", 61_000.0);
    m.record_timing("unthresholded_operation", 1e9);
    let alerts = m.alerts();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].metric, "report_generation_time");
    assert_eq!(alerts[0].severity, Severity::Critical);
}

#[test]
fn http_is_checked_against_api_response_time() {
    let (m, _) = monitor();
    m.record_http("/api/reports/{id}", "GET", 200, 2_500.0); // 2 000 ms threshold: 1.25
    let alerts = m.alerts();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].metric, "api_response_time");
    assert_eq!(alerts[0].severity, Severity::Medium);
    assert_eq!(m.operation_stats("api_response").map(|s| s.count), Some(1));
}

#[test]
fn other_default_thresholds_alert_with_their_units() {
    let units = |metric, value| alert_for(metric, value).map(|a| (a.unit, a.message));
    assert_eq!(
        units("memory_usage_mb", 1024.0),
        Some((Unit::Mb, "memory_usage_mb 1024.0 MB > threshold 512.0 MB".into()))
    );
    assert_eq!(units("concurrent_sessions", 51.0).map(|u| u.0), Some(Unit::Count));
    assert_eq!(units("websocket_message_latency", 150.0).map(|u| u.0), Some(Unit::Ms));
}

#[test]
fn alerts_are_newest_first_and_non_finite_values_are_ignored() {
    let (m, clock) = monitor();
    m.record_metric("memory_usage_mb", 600.0);
    clock.advance(1);
    m.record_metric("memory_usage_mb", 700.0);
    m.record_metric("memory_usage_mb", f64::NAN);
    m.record_timing("report_generation", f64::INFINITY);
    let values: Vec<f64> = m.alerts().iter().map(|a| a.value).collect();
    assert_eq!(values, [700.0, 600.0]);
    assert_eq!(m.recent_metrics(10).len(), 2);
}

#[test]
fn alert_serialises_with_lowercase_enums_and_symbol() -> Result<(), serde_json::Error> {
    let alert = rate_alert(30.0);
    let json = serde_json::to_value(alert)?;
    assert_eq!(json["severity"], "critical");
    assert_eq!(json["comparison"], "<");
    assert_eq!(json["unit"], "percent");
    Ok(())
}
