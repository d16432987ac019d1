//! Recording from several threads at once loses nothing.

use std::sync::Arc;
use std::thread;

use monitor::MonitorConfig;

use crate::monitor_with;

const THREADS: usize = 8;
const PER_THREAD: usize = 2_000;

#[test]
fn concurrent_recording_loses_nothing() {
    let total = THREADS * PER_THREAD;
    let config = MonitorConfig {
        max_timings_per_operation: total,
        max_metric_samples: 3 * total,
        ..MonitorConfig::default()
    };
    let (m, _) = monitor_with(config);
    let m = Arc::new(m);
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let m = Arc::clone(&m);
            thread::spawn(move || {
                // Every thread hits the shared operation, a shared metric, and its own
                // operation (so first-use inserts race too).
                let own = format!("op_{t}");
                for i in 0..PER_THREAD {
                    m.record_timing("shared", i as f64);
                    m.record_timing(&own, 1.0);
                    m.record_metric("concurrent_sessions", 1.0);
                }
            })
        })
        .collect();
    for handle in handles {
        assert!(handle.join().is_ok(), "a recording thread panicked");
    }

    assert_eq!(m.operation_stats("shared").map(|s| s.count), Some(total));
    for t in 0..THREADS {
        assert_eq!(m.operation_stats(&format!("op_{t}")).map(|s| s.count), Some(PER_THREAD));
    }
    let stats = m.stats();
    assert_eq!(stats.total_timings, 2 * total);
    assert_eq!(stats.total_metric_samples, 3 * total);
    let count_line = format!(r#"pmr_operation_duration_seconds_count{{operation="shared"}} {total}"#);
    assert!(m.prometheus_text().contains(&count_line));
}
