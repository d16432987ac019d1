//! The hub's measurements into the monitor: how long an event took from being stored to
//! being written to a socket, and how many report sessions are open.

use std::sync::Arc;
use std::time::Duration;

use monitor::Monitor;

pub struct MonitorObserver(pub Arc<Monitor>);

impl hub::Observer for MonitorObserver {
    fn message_latency(&self, latency: Duration) {
        self.0
            .record_metric("websocket_message_latency", latency.as_secs_f64() * 1000.0);
    }

    fn concurrent_sessions(&self, sessions: usize) {
        self.0.record_metric("concurrent_sessions", sessions as f64);
    }
}
