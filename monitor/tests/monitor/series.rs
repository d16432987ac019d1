//! Time series for the dashboard: clock-aligned buckets over the last minutes, with the
//! injectable clock deciding which bucket each entry lands in.

use std::time::Duration;

use monitor::{Error, MonitorConfig, TimingPoint, ValuePoint};

use crate::{monitor, monitor_with, HOUR_MS, T0_MS};

const MIN_MS: u64 = 60_000;
const MIN: Duration = Duration::from_secs(60);
const FIFTEEN_MIN: Duration = Duration::from_secs(15 * 60);

/// The non-empty points as `(minutes after T0, count, p50, p95)`.
fn timing_summary(points: &[TimingPoint]) -> Vec<(u64, usize, Option<f64>, Option<f64>)> {
    points
        .iter()
        .filter(|p| p.count > 0)
        .map(|p| (minutes_after_t0(p.at_ms), p.count, p.p50, p.p95))
        .collect()
}

fn value_summary(points: &[ValuePoint]) -> Vec<(u64, usize, Option<f64>)> {
    points
        .iter()
        .filter(|p| p.count > 0)
        .map(|p| (minutes_after_t0(p.at_ms), p.count, p.mean))
        .collect()
}

/// Non-empty buckets in these tests all start at or after T0 (an earlier one would underflow
/// and fail the test, which is what it should do).
fn minutes_after_t0(at_ms: u64) -> u64 {
    (at_ms - T0_MS) / MIN_MS
}

#[test]
fn timings_fall_into_minute_buckets_with_p50_and_p95() -> Result<(), Error> {
    let (m, clock) = monitor();
    clock.set(T0_MS + 2 * MIN_MS + 5_000);
    for ms in [30.0, 10.0, 20.0] {
        m.record_timing("report_generation", ms);
    }
    clock.set(T0_MS + 6 * MIN_MS + 59_999);
    for ms in 1..=20 {
        m.record_timing("report_generation", f64::from(ms) * 100.0);
    }
    clock.set(T0_MS + 10 * MIN_MS + 30_000);
    m.record_timing("report_generation", 5.0);

    let points = m.timing_series("report_generation", FIFTEEN_MIN, MIN)?;
    assert_eq!(points.len(), 15, "one point per minute, empty ones included");
    assert_eq!(points.first().map(|p| p.at_ms), Some(T0_MS - 4 * MIN_MS));
    assert_eq!(
        points.last().map(|p| p.at_ms),
        Some(T0_MS + 10 * MIN_MS),
        "the minute now is in"
    );
    assert!(points.windows(2).all(|w| w[1].at_ms - w[0].at_ms == MIN_MS));
    assert_eq!(
        timing_summary(&points),
        [
            (2, 3, Some(20.0), Some(30.0)),
            (6, 20, Some(1_000.0), Some(1_900.0)), // nearest rank: 10th and 19th of 20
            (10, 1, Some(5.0), Some(5.0)),
        ]
    );
    assert_eq!(points[6].max, Some(30.0));
    let empty = points[0];
    assert_eq!((empty.count, empty.p50, empty.p95, empty.max), (0, None, None, None));
    Ok(())
}

#[test]
fn timings_older_than_the_window_are_left_out() -> Result<(), Error> {
    let (m, clock) = monitor();
    m.record_timing("database_query", 40.0);
    clock.advance(20 * MIN_MS);
    m.record_timing("database_query", 60.0);
    let points = m.timing_series("database_query", FIFTEEN_MIN, Duration::from_secs(30))?;
    assert_eq!(points.len(), 30, "30 s buckets");
    assert_eq!(timing_summary(&points), [(20, 1, Some(60.0), Some(60.0))]);
    Ok(())
}

#[test]
fn api_response_time_comes_from_http_requests() -> Result<(), Error> {
    let (m, clock) = monitor();
    m.record_http("/api/reports/{id}", "GET", 200, 12.0);
    clock.advance(MIN_MS);
    m.record_http("/api/reports/{id}", "GET", 500, 80.0);
    let points = m.timing_series(monitor::API_RESPONSE_OPERATION, FIFTEEN_MIN, MIN)?;
    assert_eq!(
        timing_summary(&points),
        [(0, 1, Some(12.0), Some(12.0)), (1, 1, Some(80.0), Some(80.0))]
    );
    Ok(())
}

#[test]
fn an_operation_never_timed_has_only_empty_buckets() -> Result<(), Error> {
    let (m, _) = monitor();
    let points = m.timing_series("never", FIFTEEN_MIN, MIN)?;
    assert_eq!(points.len(), 15);
    assert!(points.iter().all(|p| p.count == 0));
    Ok(())
}

#[test]
fn sparklines_for_every_operation_timed_in_the_window() -> Result<(), Error> {
    let (m, clock) = monitor();
    m.record_timing("old", 1.0);
    clock.advance(HOUR_MS);
    m.record_timing("b", 2.0);
    m.record_timing("a", 3.0);
    let all = m.all_timing_series(FIFTEEN_MIN, MIN)?;
    assert_eq!(all.keys().collect::<Vec<_>>(), ["a", "b"], "`old` has nothing to draw");
    assert!(all.values().all(|points| points.len() == 15));
    Ok(())
}

#[test]
fn cache_hit_rate_over_time_every_value_counted() -> Result<(), Error> {
    let (m, clock) = monitor();
    // The server samples every 10 s; the first minute includes a cold start.
    for (i, (rate, reads)) in [(0.0, 3), (60.0, 30), (90.0, 30)].into_iter().enumerate() {
        clock.set(T0_MS + 10_000 * i as u64);
        m.record_rate("cache_hit_rate", rate, reads);
    }
    clock.set(T0_MS + MIN_MS);
    m.record_rate("cache_hit_rate", 80.0, 50);
    let points = m.metric_series("cache_hit_rate", FIFTEEN_MIN, MIN)?;
    assert_eq!(value_summary(&points), [(0, 3, Some(50.0)), (1, 1, Some(80.0))]);
    let first = points.iter().find(|p| p.count == 3);
    assert_eq!(first.map(|p| (p.min, p.max)), Some((Some(0.0), Some(90.0))));
    Ok(())
}

#[test]
fn a_metric_sampled_every_10_s_outlives_a_flood_of_timings() -> Result<(), Error> {
    let (m, clock) = monitor_with(MonitorConfig {
        max_metric_samples: 50,
        ..MonitorConfig::default()
    });
    for _ in 0..6 {
        m.record_metric("concurrent_sessions", 12.0);
        for _ in 0..100 {
            m.record_timing("api_response", 5.0); // each also a shared-window sample
        }
        clock.advance(10_000);
    }
    assert!(m.recent_metrics(50).iter().all(|s| s.name == "api_response_time"));
    let points = m.metric_series("concurrent_sessions", FIFTEEN_MIN, MIN)?;
    assert_eq!(value_summary(&points), [(0, 6, Some(12.0))]);
    Ok(())
}

#[test]
fn clearing_clears_the_series_too() -> Result<(), Error> {
    let (m, _) = monitor();
    m.record_metric("memory_usage_mb", 100.0);
    m.clear_older_than(0);
    let points = m.metric_series("memory_usage_mb", FIFTEEN_MIN, MIN)?;
    assert!(points.iter().all(|p| p.count == 0));
    Ok(())
}

#[test]
fn impossible_shapes_are_typed_errors() {
    let (m, _) = monitor();
    let zero = m.metric_series("x", FIFTEEN_MIN, Duration::ZERO);
    assert!(matches!(zero, Err(Error::ZeroBucket)));
    let too_many = m.timing_series("x", Duration::from_secs(86_400), Duration::from_secs(1));
    assert!(matches!(
        too_many,
        Err(Error::TooManyPoints {
            window_ms: 86_400_000,
            bucket_ms: 1_000,
            max: monitor::MAX_SERIES_POINTS
        })
    ));
}

#[test]
fn point_json_has_nulls_for_empty_buckets() -> Result<(), Box<dyn std::error::Error>> {
    let (m, _) = monitor();
    m.record_timing("op", 7.0);
    let points = m.timing_series("op", Duration::from_secs(120), MIN)?;
    let json = serde_json::to_value(points)?;
    let expected = serde_json::json!([
        {"at_ms": T0_MS - MIN_MS, "count": 0, "p50": null, "p95": null, "max": null},
        {"at_ms": T0_MS, "count": 1, "p50": 7.0, "p95": 7.0, "max": 7.0},
    ]);
    assert_eq!(json, expected);
    Ok(())
}
