//! Health flips to degraded when more than 5 of the last 20 alerts are critical.

use monitor::HealthStatus;

use crate::monitor;

/// Records `n` critical (2.5×) and then `m` low alerts on memory usage.
fn record(monitor: &monitor::Monitor, critical: usize, low: usize) {
    for _ in 0..critical {
        monitor.record_metric("memory_usage_mb", 1_280.0);
    }
    for _ in 0..low {
        monitor.record_metric("memory_usage_mb", 520.0);
    }
}

#[test]
fn no_alerts_is_healthy() {
    let (m, _) = monitor();
    let health = m.health();
    assert_eq!(health.status, HealthStatus::Healthy);
    assert_eq!((health.critical_alerts_recent, health.recent_alerts_considered), (0, 0));
    assert!(health.enabled);
}

#[test]
fn five_critical_of_twenty_is_healthy() {
    let (m, _) = monitor();
    record(&m, 5, 15);
    let health = m.health();
    assert_eq!(health.status, HealthStatus::Healthy);
    assert_eq!(
        (health.critical_alerts_recent, health.recent_alerts_considered),
        (5, 20)
    );
}

#[test]
fn six_critical_of_twenty_is_degraded() {
    let (m, _) = monitor();
    record(&m, 6, 14);
    let health = m.health();
    assert_eq!(health.status, HealthStatus::Degraded);
    assert_eq!(health.critical_alerts_recent, 6);
    assert_eq!(m.stats().health.status, HealthStatus::Degraded);
}

#[test]
fn six_critical_alone_is_degraded() {
    let (m, _) = monitor();
    record(&m, 6, 0);
    assert_eq!(m.health().status, HealthStatus::Degraded);
}

#[test]
fn criticals_older_than_the_last_twenty_do_not_count() {
    let (m, _) = monitor();
    // 10 criticals, then 15 lows: the last 20 hold only 5 criticals.
    record(&m, 10, 15);
    let health = m.health();
    assert_eq!(health.status, HealthStatus::Healthy);
    assert_eq!(
        (health.critical_alerts_recent, health.recent_alerts_considered),
        (5, 20)
    );
    assert_eq!(m.alerts().len(), 25, "all ten criticals are still in the alert window");
    // Five more lows push the remaining criticals out of the last 20.
    record(&m, 0, 5);
    assert_eq!(m.health().critical_alerts_recent, 0);
}

#[test]
fn health_serialises_lowercase() -> Result<(), serde_json::Error> {
    let (m, _) = monitor();
    let json = serde_json::to_value(m.health())?;
    assert_eq!(json["status"], "healthy");
    Ok(())
}
