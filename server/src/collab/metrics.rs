//! The hub's figures for Prometheus and the monitor, sampled with the other samplers:
//! connections and sessions as gauges, the hub's running totals as counters (advanced by
//! what grew since the last sample), and `websocket_connections` as a monitor metric for
//! the dashboard's chart.

use std::sync::Mutex;

use monitor::Monitor;
use prometheus::{IntCounterVec, IntGauge, Opts, Registry};

use super::Collab;

pub struct HubMetrics {
    connections: Option<IntGauge>,
    sessions: Option<IntGauge>,
    totals: Option<IntCounterVec>,
    last: Mutex<[u64; 8]>,
}

/// The running totals exported, in `last`'s order.
const TOTALS: [&str; 8] = [
    "messages_in",
    "messages_out",
    "batches_sent",
    "slow_consumer_closes",
    "idle_closes",
    "heartbeat_closes",
    "refused_connection_limit",
    "refused_participant_limit",
];

impl HubMetrics {
    pub fn new(registry: &Registry) -> Self {
        let gauge = |name: &str, help: &str| {
            IntGauge::new(name, help)
                .ok()
                .filter(|g| registry.register(Box::new(g.clone())).is_ok())
        };
        let totals = IntCounterVec::new(
            Opts::new("pmr_websocket_events_total", "WebSocket totals by kind"),
            &["kind"],
        )
        .ok()
        .filter(|c| registry.register(Box::new(c.clone())).is_ok());
        Self {
            connections: gauge("pmr_websocket_connections", "Open WebSocket connections"),
            sessions: gauge("pmr_websocket_sessions", "Report sessions with a member here"),
            totals,
            last: Mutex::new([0; 8]),
        }
    }

    /// One sample of the hub into the gauges, the counters and the monitor.
    pub fn sample(&self, hub: &Collab, monitor: &Monitor) {
        let s = hub.stats();
        if let Some(g) = &self.connections {
            g.set(s.connections as i64);
        }
        if let Some(g) = &self.sessions {
            g.set(s.active_sessions as i64);
        }
        monitor.record_metric("websocket_connections", s.connections as f64);
        let now = [
            s.messages_in,
            s.messages_out,
            s.batches_sent,
            s.closes.slow_consumer,
            s.closes.idle,
            s.closes.heartbeat,
            s.refusals.connection_limit,
            s.refusals.participant_limit,
        ];
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = &self.totals {
            for (i, kind) in TOTALS.iter().enumerate() {
                c.with_label_values(&[kind]).inc_by(now[i].saturating_sub(last[i]));
            }
        }
        *last = now;
    }
}
