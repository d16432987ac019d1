//! Assembling and serving the application: build the parts from the configuration, the
//! router from the state (no socket needed, so tests can drive it directly), and serve on
//! an already-bound listener until shutdown.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::dto::Role;
use app::services::SharedServices;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{any, post};
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use monitor::Monitor;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use crate::auth::{self, RateLimiter};
use crate::cache::Cache;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::pipeline::Pipeline;
use crate::services::PmrServices;
use crate::state::AppState;
use crate::store::Store;
use crate::{api, demo, fn_errors, http_metrics, request_guard, security};

/// A built application bound to its port, not yet serving.
pub struct Application {
    listener: TcpListener,
    state: AppState,
    /// The admin token created on first start with an empty store (printed once by `serve`).
    pub bootstrap_token: Option<String>,
}

impl Application {
    pub async fn build(config: Config) -> Result<Self> {
        let state = build_state(config).await?;
        let bootstrap_token = bootstrap_admin(&state).await?;
        if state.config.demo && state.services.store.count_projects().await? == 0 {
            demo::load(&state.services).await?;
        }
        let listener = TcpListener::bind(state.config.listen)
            .await
            .map_err(|e| Error::Internal(format!("cannot listen on {}: {e}", state.config.listen)))?;
        Ok(Self {
            listener,
            state,
            bootstrap_token,
        })
    }

    pub fn local_addr(&self) -> Result<SocketAddr> {
        self.listener.local_addr().map_err(|e| Error::Internal(e.to_string()))
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` resolves, then lets in-flight requests finish.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> Result<()> {
        let (stop_tx, stop_rx) = watch::channel(false);
        self.state.services.cache.spawn_reconnect_loop(stop_rx.clone());
        spawn_samplers(&self.state, stop_rx.clone());
        let limits = self.state.config.http.limits.clone();
        tokio::spawn(async move {
            shutdown.await;
            let _ = stop_tx.send(true);
        });
        crate::serve::serve(self.listener, router(self.state), limits, stop_rx)
            .await
            .map_err(|e| Error::Internal(format!("server failed: {e}")))
    }
}

pub async fn build_state(config: Config) -> Result<AppState> {
    let monitor = Arc::new(Monitor::new(config.monitor.clone()));
    let store = Store::connect(&config.database_url, monitor.clone()).await?;
    let cache = Cache::start(config.cache.clone(), config.redis_url.as_deref(), monitor.registry()).await;
    let admission = Arc::new(crate::admission::Admission::new(config.generation.clone()));
    let pipeline = Pipeline::new(config.report.clone(), monitor.clone(), admission);
    let leptos = LeptosOptions::builder()
        .output_name("pmr")
        .site_root(config.site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(config.listen)
        .build();
    Ok(AppState {
        leptos,
        services: PmrServices {
            store,
            cache,
            pipeline,
            generate_limit: Arc::new(RateLimiter::per_minute(config.auth.generate_per_minute)),
            generations: Arc::default(),
            monitor: monitor.clone(),
            started: Instant::now(),
        },
        monitor,
        sign_in_limit: Arc::new(RateLimiter::per_minute(config.auth.sign_in_per_minute)),
        config: Arc::new(config),
        started: Instant::now(),
    })
}

/// With no token at all, creates the first admin token so someone can sign in.
async fn bootstrap_admin(state: &AppState) -> Result<Option<String>> {
    if state.services.store.count_tokens().await? > 0 {
        return Ok(None);
    }
    let (_, token) = auth::tokens::create(&state.services.store, "admin", Role::Admin).await?;
    Ok(Some(token))
}

pub fn router(state: AppState) -> Router {
    let services: SharedServices = Arc::new(state.services.clone());
    let leptos = state.leptos.clone();
    let routes = generate_route_list(app::App);
    let request_timeout = state.config.http.request_timeout;
    Router::new()
        .route("/auth/sign-in", post(auth::sign_in))
        .route("/auth/sign-out", post(auth::sign_out))
        .merge(api::router())
        .route("/api/{*rest}", any(request_guard::api_not_found))
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(services.clone()),
            move || app::shell(leptos.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(app::shell))
        .layer(from_fn(fn_errors::status_from_body))
        .layer(from_fn(auth::refuse_cross_site))
        .layer(from_fn(auth::require_principal))
        .layer(from_fn_with_state(state.clone(), auth::attach_principal))
        .layer(DefaultBodyLimit::max(api::BODY_LIMIT))
        .layer(from_fn_with_state(request_timeout, request_guard::deadline))
        .layer(from_fn(request_guard::clean_path))
        .layer(from_fn_with_state(state.clone(), http_metrics::record))
        .layer(from_fn_with_state(state.clone(), security::harden))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Periodic samples for the monitor: the cache hit rate over the last minute and the
/// process's resident memory.
fn spawn_samplers(state: &AppState, mut stop: watch::Receiver<bool>) {
    let state = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(10));
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stop.changed() => return,
            }
            if let Some((rate, reads)) = state.services.cache.recent_reads() {
                state.monitor.record_rate("cache_hit_rate", rate, reads);
            }
            if let Some(mb) = resident_mb() {
                state.monitor.record_metric("memory_usage_mb", mb);
            }
        }
    });
}

/// Resident set size in MB, from `/proc/self/statm` (Linux; `None` elsewhere).
fn resident_mb() -> Option<f64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: f64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096.0 / (1024.0 * 1024.0))
}
