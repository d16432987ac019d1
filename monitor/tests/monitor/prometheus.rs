//! The Prometheus text output parses and carries real second-based buckets.

use monitor::BUCKETS_SECONDS;
use prometheus_parse::{Sample, Scrape, Value};

use crate::monitor;

fn scrape(text: &str) -> Scrape {
    let lines = text.lines().map(|l| Ok(l.to_owned()));
    match Scrape::parse(lines) {
        Ok(scrape) => scrape,
        Err(e) => panic!("prometheus text did not parse: {e}\n{text}"),
    }
}

fn find<'a>(scrape: &'a Scrape, metric: &str, label: (&str, &str)) -> Option<&'a Sample> {
    scrape
        .samples
        .iter()
        .find(|s| s.metric == metric && s.labels.get(label.0) == Some(label.1))
}

/// (upper bound, cumulative count) pairs of a histogram sample.
fn buckets(sample: Option<&Sample>) -> Vec<(f64, f64)> {
    match sample.map(|s| &s.value) {
        Some(Value::Histogram(counts)) => counts.iter().map(|c| (c.less_than, c.count)).collect(),
        other => panic!("not a histogram: {other:?}"),
    }
}

#[test]
fn operation_histogram_has_second_buckets_with_cumulative_counts() {
    let (m, _) = monitor();
    for ms in [0.5, 3.0, 3.0, 2_000.0, 45_000.0] {
        m.record_timing("report_generation", ms);
    }
    let text = m.prometheus_text();
    let scrape = scrape(&text);
    let got = buckets(find(
        &scrape,
        "pmr_operation_duration_seconds",
        ("operation", "report_generation"),
    ));

    // 0.5 ms ≤ 1 ms; 3 ms ≤ 5 ms (twice); 2 s ≤ 2.5 s; 45 s ≤ 60 s.
    let cumulative = |le: f64| match le {
        le if le < 0.001 => 0.0,
        le if le < 0.005 => 1.0,
        le if le < 2.5 => 3.0,
        le if le < 60.0 => 4.0,
        _ => 5.0,
    };
    let mut expected: Vec<(f64, f64)> = BUCKETS_SECONDS.iter().map(|&le| (le, cumulative(le))).collect();
    expected.push((f64::INFINITY, 5.0));
    assert_eq!(got, expected);

    for le in ["0.001", "0.0025", "0.005", "0.25", "1", "2.5", "30", "60", "+Inf"] {
        assert!(text.contains(&format!("le=\"{le}\"")), "missing le=\"{le}\" in\n{text}");
    }
    assert!(text.contains("# TYPE pmr_operation_duration_seconds histogram"));
    assert!(text.contains(r#"pmr_operation_duration_seconds_count{operation="report_generation"} 5"#));
}

#[test]
fn http_histogram_uses_route_template_method_and_status_class() {
    let (m, _) = monitor();
    let route = "/api/reports/pmr/performance/stats";
    m.record_http(route, "GET", 404, 20.0);
    m.record_http(route, "GET", 410, 30.0);
    m.record_http(route, "GET", 200, 40.0);
    let scrape = scrape(&m.prometheus_text());
    let not_found = scrape
        .samples
        .iter()
        .find(|s| s.metric == "pmr_http_request_duration_seconds" && s.labels.get("status") == Some("4xx"));
    assert_eq!(not_found.map(|s| s.labels.get("route")), Some(Some(route)));
    assert_eq!(not_found.map(|s| s.labels.get("method")), Some(Some("GET")));
    assert_eq!(buckets(not_found).last(), Some(&(f64::INFINITY, 2.0)));
    // The requests are also api_response timings.
    let api = find(&scrape, "pmr_operation_duration_seconds", ("operation", "api_response"));
    assert_eq!(buckets(api).last(), Some(&(f64::INFINITY, 3.0)));
}

#[test]
fn route_templates_with_braces_are_exported_verbatim() {
    // prometheus-parse's sample regex stops at the first `}`, so axum-style `{id}` templates
    // are checked on the raw text; `}` inside a quoted label value is valid exposition format.
    let (m, _) = monitor();
    m.record_http("/api/reports/{id}", "POST", 201, 20.0);
    let text = m.prometheus_text();
    let line = r#"pmr_http_request_duration_seconds_count{method="POST",route="/api/reports/{id}",status="2xx"} 1"#;
    assert!(text.contains(line), "missing {line} in\n{text}");
}

#[test]
fn alerts_counter_by_severity_and_enabled_gauge() {
    let (m, _) = monitor();
    m.record_metric("memory_usage_mb", 1_024.0); // 2× → critical
    m.record_metric("memory_usage_mb", 1_024.0);
    m.record_metric("memory_usage_mb", 600.0); // low
    let scrape = scrape(&m.prometheus_text());
    let count = |severity| match find(&scrape, "pmr_alerts_total", ("severity", severity)).map(|s| &s.value) {
        Some(Value::Counter(v)) => *v,
        other => panic!("pmr_alerts_total{{severity={severity}}}: {other:?}"),
    };
    assert_eq!(
        [count("low"), count("medium"), count("high"), count("critical")],
        [1.0, 0.0, 0.0, 2.0]
    );
    let enabled = scrape.samples.iter().find(|s| s.metric == "pmr_monitor_enabled");
    assert_eq!(enabled.map(|s| &s.value), Some(&Value::Gauge(1.0)));
}

#[test]
fn firing_alerts_gauge_by_severity() {
    let (m, _) = monitor();
    let gauges = |m: &monitor::Monitor| {
        let scrape = scrape(&m.prometheus_text());
        ["low", "medium", "high", "critical"].map(|severity| {
            match find(&scrape, "pmr_alerts_firing", ("severity", severity)).map(|s| &s.value) {
                Some(Value::Gauge(v)) => *v,
                other => panic!("pmr_alerts_firing{{severity={severity}}}: {other:?}"),
            }
        })
    };
    assert_eq!(gauges(&m), [0.0; 4], "every severity is exported from the start");
    for _ in 0..3 {
        m.record_metric("memory_usage_mb", 1_024.0); // critical, three times: one alert
    }
    m.record_metric("concurrent_sessions", 55.0); // low
    assert_eq!(gauges(&m), [1.0, 0.0, 0.0, 1.0]);
    m.record_metric("memory_usage_mb", 100.0); // back inside
    assert_eq!(gauges(&m), [1.0, 0.0, 0.0, 0.0]);
    m.clear_older_than(0);
    assert_eq!(gauges(&m), [0.0; 4]);
}

#[test]
fn server_collectors_share_the_registry() -> Result<(), prometheus::Error> {
    let (m, _) = monitor();
    let hits = prometheus::IntCounter::new("pmr_cache_hits_total", "Cache hits.")?;
    m.registry().register(Box::new(hits.clone()))?;
    hits.inc_by(3);
    let scrape = scrape(&m.prometheus_text());
    let sample = scrape.samples.iter().find(|s| s.metric == "pmr_cache_hits_total");
    assert_eq!(sample.map(|s| &s.value), Some(&Value::Counter(3.0)));
    Ok(())
}
