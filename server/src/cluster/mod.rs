//! Running as several instances (SPEC §7): what each instance tells the others, and how.
//!
//! - **Events** (SPEC §5) cross instances through Redis pub/sub (`fanout.rs`): every event a
//!   write path stores here is published; every instance's subscriber hands the others' to
//!   its hub. Offsets come from the store, so a message lost in transit shows as a gap the
//!   hub fills from the store; a lost subscription is re-established and every room catches
//!   up. Without Redis, the rooms catch up from the store every second instead — late,
//!   never lost.
//! - **Presence** is shared in Redis with a time-to-live (`presence.rs`), so the users of an
//!   instance that died vanish from the others within 30 s.
//! - **Cache evictions** (each instance keeps what it read in the last second, and all of
//!   its cache while Redis is away; an edit writes its eviction in its own transaction) and
//!   **credentials that ended** go through the store's cluster log (`poller.rs`), read by
//!   every instance every half second: each applies the evictions to its in-process cache
//!   and closes the ended users' sockets; numbers that commit out of order are asked for
//!   again until they show up (`cursor.rs`).
//! - Sign-in failures and generation claims are shared in the store (see `store::cluster`).

mod cursor;
mod fanout;
mod poller;
mod presence;

use std::sync::Arc;

use tokio::sync::watch;

pub use fanout::Relay;
pub use presence::PresenceBook;

use crate::state::AppState;

/// Cluster log entry kinds.
pub const INVALIDATE: &str = "invalidate";
pub const ENDED: &str = "ended";

/// This process among the instances: a random id, so an instance skips its own messages.
pub fn instance_id() -> Arc<str> {
    let id = crate::auth::tokens::random_hex().unwrap_or_else(|_| format!("{}", std::process::id()));
    Arc::from(&id[..12.min(id.len())])
}

/// Starts what keeps this instance in step with the others, until `stop`.
pub fn spawn(state: &AppState, relay: Relay, stop: watch::Receiver<bool>) {
    poller::spawn(state, stop.clone());
    fanout::spawn(state, relay, stop);
}
