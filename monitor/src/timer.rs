//! RAII timing: [`Timer`] measures from creation and records into its monitor once, on
//! [`Timer::finish`] or on drop (so an early `?` return is still timed).

use std::time::Instant;

use crate::Monitor;

/// A running timing of one operation; see [`Monitor::timer`].
#[derive(Debug)]
#[must_use = "a timer records when dropped; binding it to `_` drops it at once"]
pub struct Timer<'a> {
    monitor: &'a Monitor,
    operation: &'static str,
    started: Instant,
    recorded: bool,
}

impl<'a> Timer<'a> {
    pub(crate) fn start(monitor: &'a Monitor, operation: &'static str) -> Self {
        Self {
            monitor,
            operation,
            started: Instant::now(),
            recorded: false,
        }
    }

    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// Milliseconds since the timer started.
    pub fn elapsed_ms(&self) -> f64 {
        self.started.elapsed().as_secs_f64() * 1000.0
    }

    /// Records the timing now and returns it in milliseconds.
    pub fn finish(mut self) -> f64 {
        self.record()
    }

    fn record(&mut self) -> f64 {
        let ms = self.elapsed_ms();
        if !self.recorded {
            self.recorded = true;
            self.monitor.record_timing(self.operation, ms);
        }
        ms
    }
}

impl Drop for Timer<'_> {
    fn drop(&mut self) {
        self.record();
    }
}

#[cfg(test)]
mod tests {
    use crate::{Monitor, MonitorConfig};

    #[test]
    fn records_once_on_finish_or_drop() {
        let monitor = Monitor::new(MonitorConfig::default());
        let ms = monitor.timer("export").finish();
        assert!(ms >= 0.0);
        {
            let _timer = monitor.timer("export");
        }
        assert_eq!(monitor.operation_stats("export").map(|s| s.count), Some(2));
    }
}
