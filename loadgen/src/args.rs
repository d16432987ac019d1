//! The command line: `pmr-load seed …` prepares a server, `pmr-load run …` loads it.

use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::run::RunConfig;
use crate::seed::Seed;

#[derive(Parser)]
#[command(name = "pmr-load", about = "Load generator for PMR's live collaboration (WebSocket)")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Create an editor and a viewer token and one report per room; write them to a file.
    Seed(SeedArgs),
    /// Open the connections, publish, and report the figures.
    Run(RunArgs),
}

#[derive(Args)]
pub struct SeedArgs {
    /// Any instance (or the balancer): http://host:port.
    #[arg(long)]
    pub url: String,
    #[arg(long)]
    pub admin_token: String,
    #[arg(long)]
    pub rooms: usize,
    /// The project to copy (exported from the server).
    #[arg(long, default_value = "ion")]
    pub from: String,
    #[arg(long, default_value = "2026-10")]
    pub period: String,
    /// A template with a custom section to edit.
    #[arg(long, default_value = "technical")]
    pub template: String,
    #[arg(long, default_value = "load")]
    pub prefix: String,
    #[arg(long)]
    pub out: String,
}

#[derive(Args)]
pub struct RunArgs {
    /// A server (ws:// or http://host:port); repeat for several instances.
    #[arg(long = "url", required = true)]
    pub urls: Vec<String>,
    /// The file `pmr-load seed` wrote.
    #[arg(long)]
    pub seed: String,
    #[arg(long)]
    pub conns: usize,
    #[arg(long)]
    pub rooms: usize,
    /// Edits per room per second (0: idle).
    #[arg(long, default_value_t = 0.0)]
    pub rate: f64,
    /// The measured window, seconds.
    #[arg(long, default_value_t = 20.0)]
    pub duration: f64,
    #[arg(long, default_value_t = 120.0)]
    pub ramp_timeout: f64,
    #[arg(long, default_value_t = 128)]
    pub connect_concurrency: usize,
    #[arg(long, default_value = "technical-progress")]
    pub section: String,
    /// Markdown bytes added to each edit.
    #[arg(long, default_value_t = 200)]
    pub payload: usize,
    /// Readers that stop reading (one each in rooms 0, 1, …).
    #[arg(long, default_value_t = 0)]
    pub stall: usize,
    /// Edit size in the stalled readers' rooms, so their queues fill fast.
    #[arg(long, default_value_t = 48 * 1024)]
    pub stall_payload: usize,
    /// Seconds into the measured window at which every connection drops and reconnects.
    #[arg(long)]
    pub storm_at: Option<f64>,
    /// A server process to watch (RSS, CPU); repeat.
    #[arg(long = "pid")]
    pub pids: Vec<u32>,
    #[arg(long, default_value_t = 3.0)]
    pub drain: f64,
    /// Full-jitter backoff between attempts: base and cap, milliseconds.
    #[arg(long, default_value_t = 200)]
    pub backoff_base_ms: u64,
    #[arg(long, default_value_t = 3000)]
    pub backoff_cap_ms: u64,
    #[arg(long, default_value = "run")]
    pub label: String,
    /// Also append the JSON line to this file.
    #[arg(long)]
    pub json_out: Option<String>,
    /// Read each server's `/websocket/stats` here at the end (http://host:port; repeat).
    /// Default: the `--url`s.
    #[arg(long = "stats-url")]
    pub stats_urls: Vec<String>,
    /// Create this file when publishing starts (for scripts that time drills).
    #[arg(long)]
    pub ready_file: Option<std::path::PathBuf>,
    /// Client runtime threads.
    #[arg(long, default_value_t = 2)]
    pub threads: usize,
}

impl RunArgs {
    pub fn config(&self, seed: Seed) -> RunConfig {
        RunConfig {
            label: self.label.clone(),
            servers: self.urls.clone(),
            seed,
            connections: self.conns,
            rooms: self.rooms,
            rate: self.rate,
            duration: Duration::from_secs_f64(self.duration),
            ramp_timeout: Duration::from_secs_f64(self.ramp_timeout),
            connect_concurrency: self.connect_concurrency,
            section: self.section.clone(),
            payload: self.payload,
            stall: self.stall,
            stall_payload: self.stall_payload,
            storm_at: self.storm_at.map(Duration::from_secs_f64),
            pids: self.pids.clone(),
            drain: Duration::from_secs_f64(self.drain),
            backoff_base: Duration::from_millis(self.backoff_base_ms),
            backoff_cap: Duration::from_millis(self.backoff_cap_ms),
            stats_urls: self.stats_urls.clone(),
            ready_file: self.ready_file.clone(),
        }
    }
}
