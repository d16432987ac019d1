//! Health flips to degraded when more than 5 of the last 20 alerts are firing criticals.
//! Repeats of one breach are one alert, so they count once; resolved criticals not at all.

use monitor::{HealthStatus, Monitor, Thresholds};

use crate::{monitor, monitor_with_thresholds};

/// A monitor with 40 metrics `m0`…`m39`, each alerting above 100.
fn many_metrics() -> Monitor {
    let mut thresholds = Thresholds::empty();
    for i in 0..40 {
        thresholds.set(&format!("m{i}"), 100.0);
    }
    monitor_with_thresholds(thresholds)
}

/// Records a critical (2.5×) breach on each metric in `critical`, then a low one on each in
/// `low`.
fn record(m: &Monitor, critical: std::ops::Range<usize>, low: std::ops::Range<usize>) {
    for i in critical {
        m.record_metric(&format!("m{i}"), 250.0);
    }
    for i in low {
        m.record_metric(&format!("m{i}"), 110.0);
    }
}

#[test]
fn no_alerts_is_healthy() {
    let (m, _) = monitor();
    let health = m.health();
    assert_eq!(health.status, HealthStatus::Healthy);
    assert_eq!((health.firing_critical_alerts, health.recent_alerts_considered), (0, 0));
    assert!(health.enabled);
}

#[test]
fn repeats_of_one_critical_alert_do_not_degrade() {
    let (m, _) = monitor();
    for _ in 0..30 {
        m.record_metric("memory_usage_mb", 1_280.0); // 2.5× → critical
    }
    let health = m.health();
    assert_eq!(health.status, HealthStatus::Healthy);
    assert_eq!((health.firing_critical_alerts, health.recent_alerts_considered), (1, 1));
}

#[test]
fn five_firing_criticals_of_twenty_is_healthy() {
    let m = many_metrics();
    record(&m, 0..5, 5..20);
    let health = m.health();
    assert_eq!(health.status, HealthStatus::Healthy);
    assert_eq!(
        (health.firing_critical_alerts, health.recent_alerts_considered),
        (5, 20)
    );
}

#[test]
fn six_firing_criticals_of_twenty_is_degraded() {
    let m = many_metrics();
    record(&m, 0..6, 6..20);
    let health = m.health();
    assert_eq!(health.status, HealthStatus::Degraded);
    assert_eq!(health.firing_critical_alerts, 6);
    assert_eq!(m.stats().health.status, HealthStatus::Degraded);
}

#[test]
fn six_firing_criticals_alone_are_degraded() {
    let m = many_metrics();
    record(&m, 0..6, 0..0);
    assert_eq!(m.health().status, HealthStatus::Degraded);
}

#[test]
fn resolved_criticals_do_not_count() {
    let m = many_metrics();
    record(&m, 0..6, 0..0);
    m.record_metric("m0", 50.0); // back inside: its critical is resolved
    let health = m.health();
    assert_eq!(health.status, HealthStatus::Healthy);
    assert_eq!((health.firing_critical_alerts, health.recent_alerts_considered), (5, 6));
}

#[test]
fn criticals_older_than_the_last_twenty_alerts_do_not_count() {
    let m = many_metrics();
    // 10 criticals, then 15 lows on other metrics: the last 20 hold only 5 criticals.
    record(&m, 0..10, 10..25);
    let health = m.health();
    assert_eq!(health.status, HealthStatus::Healthy);
    assert_eq!(
        (health.firing_critical_alerts, health.recent_alerts_considered),
        (5, 20)
    );
    assert_eq!(m.alerts().len(), 25, "all ten criticals are still held");
    // Five more lows push the remaining criticals out of the last 20.
    record(&m, 0..0, 25..30);
    assert_eq!(m.health().firing_critical_alerts, 0);
}

#[test]
fn a_repeat_brings_a_critical_back_among_the_last_twenty() {
    let m = many_metrics();
    record(&m, 0..6, 6..30);
    assert_eq!(
        m.health().firing_critical_alerts,
        0,
        "the criticals are not among the last 20"
    );
    record(&m, 0..6, 0..0); // still in breach: the same six alerts, seen again
    assert_eq!(m.health().status, HealthStatus::Degraded);
    assert_eq!(m.alerts().len(), 30, "no new alerts");
}

#[test]
fn health_serialises_lowercase() -> Result<(), serde_json::Error> {
    let (m, _) = monitor();
    let json = serde_json::to_value(m.health())?;
    assert_eq!(json["status"], "healthy");
    assert_eq!(json["firing_critical_alerts"], 0);
    Ok(())
}
