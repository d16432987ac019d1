//! Repeats are one firing alert (SPEC §3 "alerts do not cry wolf"): count, first and last
//! seen, resolved when the value comes back; `total_alerts` still counts every breach.

use monitor::{Alert, AlertState, MonitorConfig, Severity};

use crate::{monitor, monitor_with, T0_MS};

const TEN_S: u64 = 10_000;

#[test]
fn six_breaches_in_a_row_are_one_alert() {
    let (m, clock) = monitor();
    for _ in 0..6 {
        m.record_rate("cache_hit_rate", 61.54, 26);
        clock.advance(TEN_S);
    }
    m.record_rate("cache_hit_rate", 62.0, 50); // the latest value is kept
    let alerts = m.alerts();
    assert_eq!(alerts.len(), 1);
    let alert = &alerts[0];
    assert_eq!((alert.count, alert.severity), (7, Severity::Low));
    assert_eq!((alert.first_seen_ms, alert.last_seen_ms), (T0_MS, T0_MS + 6 * TEN_S));
    assert_eq!(alert.value, 62.0);
    assert_eq!(alert.message, "cache_hit_rate 62.0 % < threshold 70.0 %");
    assert_eq!(alert.state, AlertState::Firing);
    assert_eq!(m.stats().total_alerts, 7, "every breach still counts");
}

#[test]
fn a_value_back_inside_resolves_and_a_new_breach_opens_a_new_alert() {
    let (m, clock) = monitor();
    m.record_metric("memory_usage_mb", 600.0);
    clock.advance(TEN_S);
    m.record_metric("memory_usage_mb", 300.0);
    let resolved = m.alerts();
    assert_eq!(resolved.first().and_then(Alert::resolved_at_ms), Some(T0_MS + TEN_S));
    assert!(!resolved[0].is_firing());

    clock.advance(TEN_S);
    m.record_metric("memory_usage_mb", 600.0);
    let alerts = m.alerts();
    assert_eq!(alerts.len(), 2);
    assert!(alerts[0].is_firing() && alerts[0].first_seen_ms == T0_MS + 2 * TEN_S);
    assert!(alerts[0].id > alerts[1].id);
    assert_eq!(m.stats().firing_alerts, 1);
}

#[test]
fn equal_to_the_threshold_is_back_inside() {
    let (m, _) = monitor();
    m.record_metric("concurrent_sessions", 60.0);
    m.record_metric("concurrent_sessions", 50.0);
    assert_eq!(m.stats().firing_alerts, 0);
}

#[test]
fn a_rate_over_too_few_events_neither_raises_nor_resolves() {
    let (m, _) = monitor();
    m.record_rate("cache_hit_rate", 40.0, 100);
    m.record_rate("cache_hit_rate", 95.0, 4); // four lucky hits after a clear
    assert_eq!(m.stats().firing_alerts, 1);
    m.record_rate("cache_hit_rate", 95.0, 20);
    assert_eq!(m.stats().firing_alerts, 0);
}

#[test]
fn another_severity_is_another_alert_and_both_fire_until_the_value_returns() {
    let (m, clock) = monitor();
    m.record_timing("database_query", 1_100.0); // low
    clock.advance(TEN_S);
    m.record_timing("database_query", 2_500.0); // critical
    clock.advance(TEN_S);
    m.record_timing("database_query", 1_150.0); // low again: the low alert, seen again
                                                // Newest first: the low alert was breached last.
    let got: Vec<_> = m
        .alerts()
        .iter()
        .map(|a| (a.severity, a.count, a.is_firing()))
        .collect();
    assert_eq!(got, [(Severity::Low, 2, true), (Severity::Critical, 1, true)]);
    assert_eq!(m.health().firing_critical_alerts, 1, "the critical is not over yet");

    clock.advance(TEN_S);
    m.record_timing("database_query", 200.0);
    let alerts = m.alerts();
    assert!(alerts.iter().all(|a| a.resolved_at_ms() == Some(T0_MS + 3 * TEN_S)));
    assert_eq!(m.stats().total_alerts, 3);
}

#[test]
fn only_the_metric_that_came_back_is_resolved() {
    let (m, _) = monitor();
    m.record_metric("memory_usage_mb", 600.0);
    m.record_metric("concurrent_sessions", 60.0);
    m.record_metric("memory_usage_mb", 100.0);
    let alerts = m.alerts();
    let state: Vec<(&str, bool)> = alerts.iter().map(|a| (a.metric.as_str(), a.is_firing())).collect();
    assert_eq!(state, [("concurrent_sessions", true), ("memory_usage_mb", false)]);
}

#[test]
fn firing_alerts_are_listed_first_then_resolved_each_newest_first() {
    let (m, clock) = monitor();
    for metric in ["memory_usage_mb", "concurrent_sessions", "websocket_message_latency"] {
        m.record_metric(metric, 1_000.0);
        clock.advance(TEN_S);
    }
    m.record_metric("concurrent_sessions", 1.0); // resolves the middle one
    m.record_metric("memory_usage_mb", 1_000.0); // the oldest is seen again
    let order: Vec<(bool, String)> = m.alerts().into_iter().map(|a| (a.is_firing(), a.metric)).collect();
    let expected = [
        (true, "memory_usage_mb"),
        (true, "websocket_message_latency"),
        (false, "concurrent_sessions"),
    ];
    assert_eq!(order, expected.map(|(f, n)| (f, n.to_owned())));
}

#[test]
fn the_list_keeps_the_last_hundred_alerts_and_total_counts_every_breach() {
    let (m, clock) = monitor();
    // 150 separate incidents: breach, recover, breach again…
    for _ in 0..150 {
        m.record_metric("memory_usage_mb", 600.0);
        m.record_metric("memory_usage_mb", 600.0);
        clock.advance(TEN_S);
        m.record_metric("memory_usage_mb", 100.0);
    }
    let alerts = m.alerts();
    assert_eq!(alerts.len(), 100, "default max_alerts");
    assert_eq!(alerts.first().map(|a| a.first_seen_ms), Some(T0_MS + 149 * TEN_S));
    assert_eq!(
        alerts.last().map(|a| a.first_seen_ms),
        Some(T0_MS + 50 * TEN_S),
        "oldest dropped"
    );
    assert!(alerts.iter().all(|a| a.count == 2));
    assert_eq!(m.stats().total_alerts, 300);
}

#[test]
fn the_cap_is_configurable() {
    let (m, _) = monitor_with(MonitorConfig {
        max_alerts: 3,
        ..MonitorConfig::default()
    });
    for _ in 0..5 {
        m.record_metric("concurrent_sessions", 60.0);
        m.record_metric("concurrent_sessions", 10.0);
    }
    assert_eq!(m.alerts().len(), 3);
    assert_eq!(m.stats().total_alerts, 5);
}

#[test]
fn clearing_old_alerts_goes_by_last_breach_and_keeps_the_total() {
    let (m, clock) = monitor();
    m.record_metric("memory_usage_mb", 600.0); // first seen at T0…
    m.record_metric("concurrent_sessions", 60.0); // …and this one only then
    clock.advance(2 * crate::HOUR_MS);
    m.record_metric("memory_usage_mb", 600.0); // …last seen now
    assert_eq!(m.clear_older_than(1), 3, "the stale alert and the two old samples");
    let left: Vec<String> = m.alerts().into_iter().map(|a| a.metric).collect();
    assert_eq!(left, ["memory_usage_mb"]);
    assert_eq!(m.stats().total_alerts, 3);
}

#[test]
fn alert_json_shape() -> Result<(), serde_json::Error> {
    let (m, clock) = monitor();
    m.record_metric("memory_usage_mb", 1_024.0);
    clock.advance(TEN_S);
    m.record_metric("memory_usage_mb", 1_100.0);
    let firing = serde_json::to_value(m.alerts())?;
    let expected = serde_json::json!([{
        "id": 1,
        "metric": "memory_usage_mb",
        "severity": "critical",
        "state": "firing",
        "count": 2,
        "first_seen_ms": T0_MS,
        "last_seen_ms": T0_MS + TEN_S,
        "value": 1_100.0,
        "threshold": 512.0,
        "unit": "mb",
        "comparison": ">",
        "message": "memory_usage_mb 1100.0 MB > threshold 512.0 MB",
    }]);
    assert_eq!(firing, expected);
    m.record_metric("memory_usage_mb", 100.0);
    let resolved = serde_json::to_value(m.alerts())?;
    assert_eq!(resolved[0]["state"], "resolved");
    assert_eq!(resolved[0]["resolved_at_ms"], T0_MS + TEN_S);
    Ok(())
}
