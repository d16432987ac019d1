//! Rates are judged only over enough events (SPEC §3 "alerts do not cry wolf"): a cache hit
//! rate of 0 % over three reads after a clear is recorded, but raises nothing.

use monitor::{Severity, MIN_RATE_EVENTS};

use crate::monitor;

#[test]
fn three_misses_after_a_clear_never_alert() {
    let (m, clock) = monitor();
    for misses in 1..=3 {
        m.record_rate("cache_hit_rate", 0.0, misses);
        clock.advance(10_000);
    }
    assert!(m.alerts().is_empty());
    assert_eq!(m.stats().total_alerts, 0);
    let samples = m.recent_metrics(10);
    assert_eq!(samples.len(), 3, "the rate is still recorded as a sample");
    assert_eq!(samples[0].events, Some(3));
}

#[test]
fn nineteen_events_are_not_enough_twenty_are() {
    let (m, _) = monitor();
    m.record_rate("cache_hit_rate", 61.0, MIN_RATE_EVENTS - 1);
    assert!(m.alerts().is_empty());
    m.record_rate("cache_hit_rate", 61.0, MIN_RATE_EVENTS);
    let alerts = m.alerts();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].severity, Severity::Low, "70 / 61 = 1.15");
    assert_eq!(alerts[0].message, "cache_hit_rate 61.0 % < threshold 70.0 %");
}

#[test]
fn a_rate_without_its_event_count_is_sampled_but_not_judged() {
    let (m, _) = monitor();
    m.record_metric("cache_hit_rate", 0.0);
    assert!(m.alerts().is_empty());
    assert_eq!(
        m.recent_metrics(1).first().map(|s| (s.value, s.events)),
        Some((0.0, None))
    );
}

#[test]
fn plain_metrics_still_alert_through_record_metric() {
    let (m, _) = monitor();
    m.record_metric("concurrent_sessions", 120.0);
    assert_eq!(m.alerts().first().map(|a| a.severity), Some(Severity::Critical));
}

#[test]
fn a_rate_with_an_above_threshold_needs_the_minimum_sample_too() {
    let mut thresholds = monitor::Thresholds::empty();
    thresholds.insert("error_rate", monitor::Threshold::above(5.0, monitor::Unit::Percent));
    let m = crate::monitor_with_thresholds(thresholds);
    m.record_rate("error_rate", 50.0, 2);
    assert!(m.alerts().is_empty(), "one failure in two requests is not an outage");
    m.record_rate("error_rate", 50.0, 40);
    assert_eq!(m.alerts().len(), 1);
}

#[test]
fn sample_json_carries_events_only_for_rates() -> Result<(), serde_json::Error> {
    let (m, _) = monitor();
    m.record_rate("cache_hit_rate", 90.0, 42);
    m.record_metric("memory_usage_mb", 100.0);
    let json = serde_json::to_value(m.recent_metrics(2))?;
    assert!(json[0].get("events").is_none());
    assert_eq!(json[1]["events"], 42);
    Ok(())
}
