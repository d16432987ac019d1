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
//! [`Backend::relay`] and [`Hub::publish_ephemeral`]; after a lost subscription,
//! [`Hub::catch_up_rooms`].
//!
//! Wiring, in the server (a sketch; axum 0.8):
//!
//! ```text
//! state:    hub: Hub<StoreBackend> = Hub::with_observer(config_from_ws_settings, backend, monitor_observer)?
//! route:    GET /ws/reports/{id}?since=N → authenticate like the pages; then
//!           ws.max_message_size(128 KiB)            // above 64 KiB so the hub answers 1009 itself
//!             .read_buffer_size(4 KiB).write_buffer_size(4 KiB)   // small per-socket buffers
//!             .on_upgrade(|socket| async move {
//!                 let (sink, stream) = socket.split();
//!                 let sink = sink.with(|f: Frame| ready(Ok::<_, axum::Error>(message_of(f))));
//!                 let stream = stream.map(|m| m.map(frame_of));
//!                 if bad origin or no principal { hub.reject(sink, CloseCode::POLICY, "…").await }
//!                 else { let closed = hub.serve(Join { report, principal, since }, sink, stream).await; log it }
//!             })
//! frames:   Message::Text(t) ↔ Frame::Text(Bytes::from(t) / Utf8Bytes::try_from(bytes)),
//!           Binary, Ping, Pong alike, Close(Some(cf)) ↔ Frame::Close { code, reason },
//!           Close(None) → Frame::Close { code: CloseCode::NO_STATUS, .. }
//! writes:   every route that stores an event (JSON API, forms, generation) → hub.publish(report, event)
//!           and the Redis subscriber → hub.publish / hub.publish_ephemeral; on resubscribe → hub.catch_up_rooms()
//! revoke:   token revoked or signed out → hub.disconnect_user(user, CloseCode::POLICY) (on every instance)
//! stats:    /websocket/stats → hub.stats(); /websocket/sessions/{id} → hub.session(id)
//! monitor:  Observer::message_latency → record_metric("websocket_message_latency", ms);
//!           Observer::concurrent_sessions → record_metric("concurrent_sessions", n)
//! shutdown: before the listener's graceful shutdown completes → hub.shutdown().await
//! ```

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
