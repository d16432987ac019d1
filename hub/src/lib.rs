//! The real-time collaboration hub of PMR (SPEC §5), with no web framework, database or UI in
//! it: the server adapts its WebSocket to [`Frame`]s, implements [`Backend`] over its store,
//! and calls [`Hub::serve`] per socket and [`Hub::publish`] per stored event.
//!
//! Layered like a protocol (habit 13):
//! - `protocol` — the JSON frames, both directions, strictly parsed; `frame` — the transport
//!   frame and close codes; `ids` — reports, users, roles.
//! - `backend` — the seam to the server: admission and snapshot, replay after an offset, the
//!   single durable write path.
//! - `room` (with its `sequencer`) and `gap` — one broadcast per report: events in offset
//!   order and once, gaps filled from the backend; `peer` — a connection's non-blocking
//!   outbound queue (slow consumers are cut off there); `publication` — encode once.
//! - `connection` — the per-socket loop: `select!` over the room's queue, the client, timers
//!   and shutdown; batching, heartbeat, idle close, ordered delivery with own acks.
//! - `registry` — the rooms and connections of this instance; `handle` — [`Hub`], the entry
//!   points; `stats` — counters, snapshots and the [`Observer`] hooks; `config`, `error`.
//!
//! Several instances: every instance's hub gets every stored event through
//! [`Hub::publish`] (the server subscribes to Redis); offsets make duplicates and crossings
//! harmless and gaps visible. Presence and cursors cross instances through
//! [`Backend::relay`] and [`Hub::publish_ephemeral`].

mod backend;
mod config;
mod connection;
mod error;
mod frame;
mod gap;
mod handle;
mod ids;
mod peer;
pub mod protocol;
mod publication;
mod registry;
mod room;
mod stats;

pub use backend::{Backend, Command, ErrorReply, HistoryError, Refusal, Reply, Snapshot, StoredEvent};
pub use config::HubConfig;
pub use connection::{Closed, Join};
pub use error::{ConfigError, ProtocolError};
pub use frame::{CloseCode, Frame};
pub use handle::Hub;
pub use ids::{ConnectionId, Principal, ReportId, Role, UserId};
pub use stats::{BatchInfo, Batching, Closes, HubStats, NoObserver, Observer, Refusals, SessionStats};
