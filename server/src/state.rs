//! The one cheap, cloneable application state; handlers take what they use via `FromRef`.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use monitor::Monitor;

use crate::auth::RateLimiter;
use crate::config::Config;
use crate::services::PmrServices;

#[derive(Clone)]
pub struct AppState {
    /// Where the site's assets are and what the bundle is called (for Leptos).
    pub leptos: LeptosOptions,
    /// Store, cache and pipeline, behind the operations the UI and API share.
    pub services: PmrServices,
    /// Timings, alerts and the Prometheus registry.
    pub monitor: Arc<Monitor>,
    /// The parsed configuration.
    pub config: Arc<Config>,
    /// Sign-in attempts per client address.
    pub sign_in_limit: Arc<RateLimiter>,
    /// When this process started serving.
    pub started: Instant,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos.clone()
    }
}
