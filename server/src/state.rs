//! The one cheap, cloneable application state; handlers and middleware take only the part
//! they use (`State<PmrServices>`, `State<Auth>`, …) via `FromRef`.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use monitor::Monitor;

use crate::auth::Auth;
use crate::collab::Collab;
use crate::config::Config;
use crate::services::PmrServices;

#[derive(Clone)]
pub struct AppState {
    /// The operations every entry point shares: reads, the one write path, the dashboard.
    pub services: PmrServices,
    /// Tokens, sessions and sign-in.
    pub auth: Auth,
    /// Live collaboration: the report rooms of this instance.
    pub collab: Collab,
    /// This instance's id among the instances (its own fan-out messages are skipped).
    pub instance: Arc<str>,
    /// Presence shared with the other instances.
    pub presence: crate::cluster::PresenceBook,
    /// Whether events arrive live from the other instances (Redis fan-out subscribed);
    /// when not, rooms catch up from the store.
    pub fanout_live: Arc<std::sync::atomic::AtomicBool>,
    /// Presence changes and cursors on their way to the other instances.
    pub relay: crate::cluster::Relay,
    /// The parsed configuration.
    pub config: Arc<Config>,
    /// Where the site's assets are and what the bundle is called (for Leptos).
    pub leptos: LeptosOptions,
}

impl FromRef<AppState> for PmrServices {
    fn from_ref(s: &AppState) -> Self {
        s.services.clone()
    }
}

impl FromRef<AppState> for Auth {
    fn from_ref(s: &AppState) -> Self {
        s.auth.clone()
    }
}

impl FromRef<AppState> for Collab {
    fn from_ref(s: &AppState) -> Self {
        s.collab.clone()
    }
}

impl FromRef<AppState> for Arc<Config> {
    fn from_ref(s: &AppState) -> Self {
        s.config.clone()
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos.clone()
    }
}

impl FromRef<AppState> for Arc<Monitor> {
    fn from_ref(s: &AppState) -> Self {
        s.services.monitor().clone()
    }
}
