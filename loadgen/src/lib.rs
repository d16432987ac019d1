//! `pmr-load`: a load generator for PMR's live collaboration (SPEC §5, issue 15).
//!
//! It opens many WebSocket connections over many reports (rooms), one publisher per room
//! sending edits at a set rate and the rest reading, and reports what the readers saw:
//! connections held, events delivered per second, latency from the edit's send time to its
//! delivery (HDR histogram; same-instance and cross-instance apart), events lost, duplicated
//! or out of order by offset, slow-consumer closes and refusals, and the servers' RSS and CPU
//! from `/proc`. Readers reconnect with `?since=` after any break, so a drill (a killed
//! instance, a lost Redis) shows up as counted losses or duplicates, not as noise.
//!
//! - [`seed`] — tokens and one report per room, through the JSON API.
//! - [`run`] — the phases of a run; [`ctx`] — what its tasks share; [`conn`] — opening a
//!   socket and the backoff; [`publisher`] and [`subscriber`] — the two kinds of connection;
//!   [`track`] — counting by offset; [`tally`] — counters and histograms; [`procs`] —
//!   `/proc` sampling; [`report`] — the outcome, as a summary and a JSON line.
//!
//! The scenarios of BENCHMARKS.md run it through `scripts/load.sh`.

pub mod args;
pub mod conn;
pub mod ctx;
pub mod error;
pub mod procs;
pub mod publisher;
pub mod report;
pub mod run;
pub mod seed;
pub mod subscriber;
pub mod tally;
pub mod track;

pub use error::{Error, Result};
pub use report::Outcome;
pub use run::{run, RunConfig};
pub use seed::Seed;
