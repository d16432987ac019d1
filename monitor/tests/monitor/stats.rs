//! Operation stats (nearest-rank percentiles) and recent samples through the public API.

use monitor::Unit;

use crate::monitor;

fn stats_of(values: impl IntoIterator<Item = f64>) -> Option<monitor::OperationStats> {
    let (m, _) = monitor();
    for v in values {
        m.record_timing("op", v);
    }
    m.operation_stats("op")
}

#[test]
fn one_value() {
    let s = stats_of([42.0]);
    assert_eq!(s.map(|s| (s.count, s.min, s.max, s.mean)), Some((1, 42.0, 42.0, 42.0)));
    assert_eq!(s.map(|s| (s.median, s.p95, s.p99)), Some((42.0, 42.0, 42.0)));
}

#[test]
fn five_values() {
    let s = stats_of([5.0, 3.0, 1.0, 4.0, 2.0]);
    assert_eq!(s.map(|s| (s.count, s.min, s.max, s.mean)), Some((5, 1.0, 5.0, 3.0)));
    assert_eq!(s.map(|s| (s.median, s.p95, s.p99)), Some((3.0, 5.0, 5.0)));
}

#[test]
fn twenty_values() {
    // Ranks: median ⌈10⌉ = 10, p95 ⌈19⌉ = 19, p99 ⌈19.8⌉ = 20; values are 10× the rank.
    let s = stats_of((1..=20).rev().map(|i| f64::from(i) * 10.0));
    assert_eq!(s.map(|s| (s.median, s.p95, s.p99)), Some((100.0, 190.0, 200.0)));
}

#[test]
fn hundred_values() {
    let s = stats_of((1..=100).map(f64::from));
    assert_eq!(s.map(|s| (s.median, s.p95, s.p99)), Some((50.0, 95.0, 99.0)));
    assert_eq!(
        s.map(|s| (s.count, s.min, s.max, s.mean)),
        Some((100, 1.0, 100.0, 50.5))
    );
}

#[test]
fn unknown_operation_has_no_stats() {
    let (m, _) = monitor();
    assert_eq!(m.operation_stats("never"), None);
    assert!(m.all_operation_stats().is_empty());
}

#[test]
fn all_operation_stats_by_name() {
    let (m, _) = monitor();
    m.record_timing("b", 1.0);
    m.record_timing("a", 2.0);
    m.record_timing("a", 4.0);
    let all = m.all_operation_stats();
    let summary: Vec<(&str, usize, f64)> = all.iter().map(|(name, s)| (name.as_str(), s.count, s.mean)).collect();
    assert_eq!(summary, [("a", 2, 3.0), ("b", 1, 1.0)]);
}

#[test]
fn recent_metrics_are_newest_first_with_units_and_limit() {
    let (m, clock) = monitor();
    m.record_timing("report_generation", 100.0);
    clock.advance(5);
    m.record_metric("cache_hit_rate", 90.0);
    clock.advance(5);
    m.record_metric("memory_usage_mb", 300.0);
    let recent = m.recent_metrics(2);
    let summary: Vec<(&str, f64, Unit, u64)> = recent
        .iter()
        .map(|s| (s.name.as_str(), s.value, s.unit, s.at_ms))
        .collect();
    assert_eq!(
        summary,
        [
            ("memory_usage_mb", 300.0, Unit::Mb, crate::T0_MS + 10),
            ("cache_hit_rate", 90.0, Unit::Percent, crate::T0_MS + 5),
        ]
    );
    let oldest = m.recent_metrics(10).pop();
    assert_eq!(
        oldest.map(|s| (s.name, s.unit)),
        Some(("report_generation_time".into(), Unit::Ms))
    );
}
