//! Live collaboration (SPEC §5): the pure [`hub`] crate wired to this server. The hub owns
//! rooms, presence, batching, heartbeats and slow consumers; here it gets
//! - a [`Backend`](hub::Backend) over the services (`backend.rs`): who may join, the state a
//!   joiner starts from, replay by offset, and every edit or comment through the services'
//!   one write path;
//! - the events every write path publishes (`bridge.rs`: the event bus → `Hub::publish`),
//!   so an edit made through the JSON API or a form reaches the room too;
//! - the WebSocket route (`socket.rs`): authentication like the pages, the Origin check,
//!   small buffers, axum's messages adapted to the hub's frames;
//! - the monitor (`observer.rs`): `websocket_message_latency` and `concurrent_sessions`.

mod backend;
mod bridge;
mod metrics;
mod observer;
mod socket;

pub use backend::ServicesBackend;
pub use socket::upgrade;

use hub::Hub;

/// The hub as this server runs it.
pub type Collab = Hub<ServicesBackend>;

pub use bridge::{spawn_bridge, to_hub};
pub use metrics::HubMetrics;
pub use observer::MonitorObserver;

/// The hub's settings from the `WS_*` configuration.
pub fn hub_config(ws: &crate::config::WsConfig) -> hub::HubConfig {
    hub::HubConfig {
        batch_max_size: ws.batch_max_size,
        batch_max_wait: ws.batch_max_wait,
        enable_batching: ws.enable_batching,
        flush_when_idle: ws.batch_flush_when_idle,
        idle_timeout: ws.idle_timeout,
        max_participants: ws.max_participants,
        max_connections: ws.max_connections,
        max_queue_bytes: ws.max_queue_bytes,
        ..hub::HubConfig::default()
    }
}
