//! Cost of recording on the hot path. Target (SPEC §3 / monitor brief): `record_timing` on a
//! warm operation, median ≤ 1 µs. Windows are pre-filled so every push also evicts, as in a
//! long-running server.

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;

use criterion::{criterion_group, criterion_main, Criterion};
use monitor::{Monitor, MonitorConfig};

const ROUTE: &str = "/api/reports/{id}";

/// A monitor whose operation, metric and HTTP windows are already full.
fn warm_monitor() -> Arc<Monitor> {
    let monitor = Monitor::new(MonitorConfig::default());
    for i in 0..2_000 {
        monitor.record_timing("report_generation", f64::from(i % 500));
        monitor.record_metric("memory_usage_mb", 300.0);
        monitor.record_rate("cache_hit_rate", 90.0, 100);
        monitor.record_http(ROUTE, "GET", 200, 12.0);
    }
    // A full alert log: a hundred past incidents, each breached and resolved.
    for _ in 0..MonitorConfig::default().max_alerts {
        monitor.record_metric("memory_usage_mb", 600.0);
        monitor.record_metric("memory_usage_mb", 300.0);
    }
    Arc::new(monitor)
}

fn record(c: &mut Criterion) {
    let monitor = warm_monitor();
    let mut group = c.benchmark_group("record");

    group.bench_function("record_timing/warm", |b| {
        b.iter(|| monitor.record_timing(black_box("report_generation"), black_box(250.0)));
    });
    // Judged against its threshold and inside it: the common case.
    group.bench_function("record_metric/warm", |b| {
        b.iter(|| monitor.record_metric(black_box("memory_usage_mb"), black_box(300.0)));
    });
    group.bench_function("record_rate/warm", |b| {
        b.iter(|| monitor.record_rate(black_box("cache_hit_rate"), black_box(90.0), black_box(100)));
    });
    // A metric stuck in breach: every value is folded into its one firing alert.
    group.bench_function("record_metric/breach_repeat", |b| {
        b.iter(|| monitor.record_metric(black_box("concurrent_sessions"), black_box(80.0)));
    });
    group.bench_function("record_http/warm", |b| {
        b.iter(|| monitor.record_http(black_box(ROUTE), black_box("GET"), black_box(200), black_box(12.0)));
    });

    // The same operation recorded from a second thread at full speed: the worst case for the
    // per-operation and sample-window locks.
    let stop = Arc::new(AtomicBool::new(false));
    let rival = {
        let (monitor, stop) = (Arc::clone(&monitor), Arc::clone(&stop));
        thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                monitor.record_timing("report_generation", 100.0);
            }
        })
    };
    group.bench_function("record_timing/contended", |b| {
        b.iter(|| monitor.record_timing(black_box("report_generation"), black_box(250.0)));
    });
    stop.store(true, Ordering::Relaxed);
    // A panicking rival would already have shown up as a skewed result; nothing to report.
    let _ = rival.join();

    group.finish();
}

criterion_group!(benches, record);
criterion_main!(benches);
