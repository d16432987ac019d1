//! Each recommendation rule fires when its figure is over (or under) the threshold, and is
//! absent otherwise.

use monitor::{Monitor, Priority, Recommendation};

use crate::monitor;

fn find<'a>(recs: &'a [Recommendation], category: &str) -> Option<&'a Recommendation> {
    recs.iter().find(|r| r.category == category)
}

fn categories(m: &Monitor) -> Vec<String> {
    m.recommendations().into_iter().map(|r| r.category).collect()
}

#[test]
fn nothing_recorded_nothing_recommended() {
    let (m, _) = monitor();
    assert!(m.recommendations().is_empty());
}

#[test]
fn slow_report_generation_p95_recommends_caching() {
    let (m, _) = monitor();
    // 20 timings, one slow: p95 is rank 19 = 1 000 ms, so the rule stays quiet.
    for _ in 0..19 {
        m.record_timing("report_generation", 1_000.0);
    }
    m.record_timing("report_generation", 40_000.0);
    assert!(categories(&m).is_empty(), "a single outlier above p95 does not count");

    // A second slow one makes rank 19 slow: p95 = 40 000 ms (ratio 1.33 → medium).
    m.record_timing("report_generation", 40_000.0);
    let recs = m.recommendations();
    let rec = find(&recs, "caching");
    assert_eq!(rec.map(|r| r.priority), Some(Priority::Medium));
    let rec = rec.map(|r| (r.issue.as_str(), r.recommendation.as_str()));
    let (issue, advice) = rec.unwrap_or_default();
    assert!(issue.contains("40000.0 ms") && issue.contains("30000.0 ms"), "{issue}");
    assert!(
        advice.contains("insights") && advice.contains("Monte Carlo"),
        "{advice}"
    );
}

#[test]
fn websocket_latency_p95_recommends_batching() {
    let (m, _) = monitor();
    for _ in 0..10 {
        m.record_metric("websocket_message_latency", 90.0);
    }
    assert!(find(&m.recommendations(), "websocket").is_none());
    for _ in 0..10 {
        m.record_metric("websocket_message_latency", 250.0);
    }
    let recs = m.recommendations();
    let rec = find(&recs, "websocket");
    assert_eq!(rec.map(|r| r.priority), Some(Priority::Critical), "250 / 100 = 2.5");
    assert!(rec.is_some_and(|r| r.recommendation.contains("Batch")));
    assert!(rec.is_some_and(|r| r.issue.contains("250.0 ms")));
}

#[test]
fn slow_database_queries_recommend_indexes() {
    let (m, _) = monitor();
    m.record_timing("database_query", 900.0);
    assert!(find(&m.recommendations(), "database").is_none());
    let (m, _) = monitor();
    m.record_timing("database_query", 1_600.0);
    let recs = m.recommendations();
    let rec = find(&recs, "database");
    assert_eq!(rec.map(|r| r.priority), Some(Priority::High), "1 600 / 1 000 = 1.6");
    assert!(rec.is_some_and(|r| r.recommendation.contains("indexes")));
    assert!(rec.is_some_and(|r| !r.expected_improvement.is_empty()));
}

#[test]
fn low_mean_cache_hit_rate_recommends_ttls_and_warm_up() {
    let (m, _) = monitor();
    m.record_rate("cache_hit_rate", 60.0, 100);
    m.record_rate("cache_hit_rate", 90.0, 100);
    // One sample alerted, but the mean (75 %) is fine.
    assert!(find(&m.recommendations(), "cache").is_none());
    m.record_rate("cache_hit_rate", 30.0, 100);
    let recs = m.recommendations();
    let rec = find(&recs, "cache");
    assert!(rec.is_some_and(|r| r.issue.contains("60.0 %") && r.issue.contains("70.0 %")));
    assert!(rec.is_some_and(|r| r.recommendation.contains("TTL")));
    assert!(rec.is_some_and(|r| r.recommendation.contains("warm")));
    assert_eq!(rec.map(|r| r.priority), Some(Priority::Low), "70 / 60 = 1.17");
}

#[test]
fn rates_over_too_few_events_do_not_drag_the_mean_down() {
    let (m, _) = monitor();
    m.record_rate("cache_hit_rate", 90.0, 100);
    // After a cache clear: three misses, a 0 % rate that says nothing yet.
    m.record_rate("cache_hit_rate", 0.0, 3);
    m.record_metric("cache_hit_rate", 0.0);
    assert!(find(&m.recommendations(), "cache").is_none());
}

#[test]
fn more_than_ten_alerts_recommends_reviewing_them() {
    let (m, _) = monitor();
    // Ten separate incidents: each breach is resolved before the next.
    for _ in 0..10 {
        m.record_metric("memory_usage_mb", 600.0);
        m.record_metric("memory_usage_mb", 100.0);
    }
    assert!(categories(&m).is_empty(), "exactly 10 alerts is not more than 10");
    m.record_metric("memory_usage_mb", 600.0);
    let recs = m.recommendations();
    let rec = find(&recs, "monitoring");
    assert!(rec.is_some_and(|r| r.issue.starts_with("11 alerts")));
    assert_eq!(rec.map(|r| r.priority), Some(Priority::Low));
    assert_eq!(categories(&m), ["monitoring"]);
}

#[test]
fn repeats_of_one_alert_are_not_many_alerts() {
    let (m, _) = monitor();
    for _ in 0..30 {
        m.record_metric("memory_usage_mb", 600.0);
    }
    assert!(categories(&m).is_empty(), "one alert seen 30 times");
}
