//! The outcome of a run: every figure as one serialisable struct, printed as a human summary
//! and as one JSON line (for scripts and BENCHMARKS.md).

use std::fmt::Write as _;

use hdrhistogram::Histogram;
use serde::Serialize;

/// Latency percentiles in milliseconds.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Percentiles {
    pub count: u64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

impl Percentiles {
    pub fn of(h: &Histogram<u64>) -> Self {
        let ms = |micros: u64| (micros as f64 / 1000.0 * 100.0).round() / 100.0;
        Self {
            count: h.len(),
            p50_ms: ms(h.value_at_quantile(0.50)),
            p95_ms: ms(h.value_at_quantile(0.95)),
            p99_ms: ms(h.value_at_quantile(0.99)),
            max_ms: ms(h.max()),
        }
    }
}

/// One server process over the run.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Process {
    pub pid: u32,
    pub rss_before_kib: Option<u64>,
    pub rss_held_kib: Option<u64>,
    pub rss_end_kib: Option<u64>,
    /// CPU seconds used during the measured window, and as a share of one core.
    pub cpu_measured_s: Option<f64>,
    pub cpu_percent: Option<f64>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Outcome {
    pub label: String,
    pub servers: usize,
    pub rooms: usize,
    pub connections: usize,
    pub rate_per_room: f64,
    pub duration_s: f64,
    /// Connections open when the ramp ended, and how long the ramp took.
    pub held_after_ramp: i64,
    pub ramp_s: f64,
    /// Connections open at the end of the measured window.
    pub held_at_end: i64,
    pub edits_sent: u64,
    pub acks: u64,
    pub edits_skipped: u64,
    pub conflicts: u64,
    pub errors: u64,
    pub delivered: u64,
    pub events_per_s: f64,
    pub lost: u64,
    pub duplicated: u64,
    pub out_of_order: u64,
    pub resyncs: u64,
    pub refused: u64,
    pub connect_errors: u64,
    pub closed_slow_4001: u64,
    pub closed_other: u64,
    pub reconnects: u64,
    pub latency: Percentiles,
    pub latency_same: Percentiles,
    pub latency_cross: Percentiles,
    pub ack_latency: Percentiles,
    /// Times the open connections fell below the target, and the longest such dip
    /// (a storm or a failover: the time until everyone had resumed).
    pub dips: u64,
    pub longest_dip_ms: f64,
    pub processes: Vec<Process>,
    /// Server RSS growth (held − before, all processes) per connection.
    pub rss_per_connection_kib: Option<f64>,
    /// Server CPU per connection: microseconds of CPU per second per connection.
    pub cpu_us_per_connection_s: Option<f64>,
    pub client_cpu_percent: Option<f64>,
    /// Slow-consumer closes as the servers counted them, and their `/websocket/stats`.
    pub server_slow_consumer_closes: u64,
    pub server_stats: Vec<serde_json::Value>,
    pub load_average: Option<f64>,
}

impl Outcome {
    pub fn json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    pub fn summary(&self) -> String {
        let mut s = String::new();
        let o = self;
        let _ = writeln!(
            s,
            "== {}: {} connections over {} rooms on {} server(s), {} edits/room/s, {:.0} s",
            o.label, o.connections, o.rooms, o.servers, o.rate_per_room, o.duration_s
        );
        let _ = writeln!(
            s,
            "connections  held {} after a {:.1} s ramp, {} at the end; refused {}, connect errors {}, reconnects {}",
            o.held_after_ramp, o.ramp_s, o.held_at_end, o.refused, o.connect_errors, o.reconnects
        );
        let _ = writeln!(
            s,
            "closes       slow consumer (4001) {} seen by clients, {} counted by the servers; other {}; dips {} (longest {:.0} ms)",
            o.closed_slow_4001, o.server_slow_consumer_closes, o.closed_other, o.dips, o.longest_dip_ms
        );
        let _ = writeln!(
            s,
            "edits        sent {}, acked {}, skipped ticks {}, conflicts {}, errors {}",
            o.edits_sent, o.acks, o.edits_skipped, o.conflicts, o.errors
        );
        let _ = writeln!(
            s,
            "events       delivered {} ({:.0}/s); lost {}, duplicated {}, out of order {}, resyncs {}",
            o.delivered, o.events_per_s, o.lost, o.duplicated, o.out_of_order, o.resyncs
        );
        for (name, p) in [
            ("latency", &o.latency),
            ("  same", &o.latency_same),
            ("  cross", &o.latency_cross),
            ("ack", &o.ack_latency),
        ] {
            if p.count > 0 {
                let _ = writeln!(
                    s,
                    "{name:<12} p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} samples)",
                    p.p50_ms, p.p95_ms, p.p99_ms, p.max_ms, p.count
                );
            }
        }
        for p in &o.processes {
            let kib = |v: Option<u64>| v.map_or("-".to_owned(), |k| format!("{:.1} MiB", k as f64 / 1024.0));
            let _ = writeln!(
                s,
                "server {:<6} RSS {} → {} held → {} end; CPU {}",
                p.pid,
                kib(p.rss_before_kib),
                kib(p.rss_held_kib),
                kib(p.rss_end_kib),
                p.cpu_percent.map_or("-".to_owned(), |c| format!("{c:.1} % of a core")),
            );
        }
        if let Some(k) = o.rss_per_connection_kib {
            let _ = writeln!(s, "per connection  {k:.2} KiB RSS");
        }
        if let Some(c) = o.cpu_us_per_connection_s {
            let _ = writeln!(s, "per connection  {c:.2} µs CPU per second");
        }
        let _ = writeln!(
            s,
            "machine      load average {}; this client {}",
            o.load_average.map_or("-".into(), |l| format!("{l:.2}")),
            o.client_cpu_percent
                .map_or("-".into(), |c| format!("{c:.0} % of a core"))
        );
        s
    }
}
