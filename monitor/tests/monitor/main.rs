//! Integration tests of the public `Monitor` API, one binary; each module covers one rule of
//! SPEC §3. Shared helpers (a manual clock, configs) live here.

mod alerts;
mod concurrency;
mod grouping;
mod health;
mod lifecycle;
mod prometheus;
mod rates;
mod recommendations;
mod retention;
mod series;
mod stats;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use monitor::{Monitor, MonitorConfig, Thresholds};

/// 2026-01-01T00:00:00Z; any fixed instant will do.
pub const T0_MS: u64 = 1_767_225_600_000;
pub const HOUR_MS: u64 = 3_600_000;

/// A clock tests move by hand.
#[derive(Clone)]
pub struct ManualClock(Arc<AtomicU64>);

impl ManualClock {
    pub fn set(&self, ms: u64) {
        self.0.store(ms, Ordering::SeqCst);
    }

    pub fn advance(&self, ms: u64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
}

/// A monitor on a manual clock starting at [`T0_MS`].
pub fn monitor_with(config: MonitorConfig) -> (Monitor, ManualClock) {
    let clock = ManualClock(Arc::new(AtomicU64::new(T0_MS)));
    let reader = clock.clone();
    let monitor = Monitor::with_clock(config, Arc::new(move || reader.0.load(Ordering::SeqCst)));
    (monitor, clock)
}

/// Default config (SPEC thresholds) on a manual clock.
pub fn monitor() -> (Monitor, ManualClock) {
    monitor_with(MonitorConfig::default())
}

/// Default windows, but only the given thresholds.
pub fn monitor_with_thresholds(thresholds: Thresholds) -> Monitor {
    monitor_with(MonitorConfig {
        thresholds,
        ..MonitorConfig::default()
    })
    .0
}
