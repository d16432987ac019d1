//! Assembling and serving the application: build the parts from the configuration, the
//! router from the state (no socket needed, so tests can drive it directly — see
//! [`crate::edge::router`]), and serve on an already-bound listener until shutdown.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use app::dto::Role;
use leptos::config::LeptosOptions;
use monitor::Monitor;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::admission::Admission;
use crate::auth::Auth;
use crate::cache::Cache;
use crate::config::Config;
use crate::edge::{router, serve};
use crate::error::{Context, Result};
use crate::events::EventBus;
use crate::pipeline::Pipeline;
use crate::services::{Parts, PmrServices};
use crate::state::AppState;
use crate::store::Store;
use crate::{collab, demo};

/// A built application bound to its port, not yet serving.
pub struct Application {
    listener: TcpListener,
    state: AppState,
    /// The admin token created on first start with an empty store (printed once by `serve`).
    pub bootstrap_token: Option<String>,
}

impl Application {
    pub async fn build(config: Config) -> Result<Self> {
        let (state, store) = build_state(config).await?;
        let bootstrap_token = bootstrap_admin(&state, &store).await?;
        if state.config.demo && store.count_projects().await? == 0 {
            demo::load(&state.services).await?;
        }
        let listener = TcpListener::bind(state.config.listen)
            .await
            .context(format!("listening on {}", state.config.listen))?;
        Ok(Self {
            listener,
            state,
            bootstrap_token,
        })
    }

    pub fn local_addr(&self) -> Result<SocketAddr> {
        self.listener.local_addr().context("reading the bound address")
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` resolves, then lets in-flight requests finish.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> Result<()> {
        let (stop_tx, stop_rx) = watch::channel(false);
        self.state.services.spawn_background(stop_rx.clone());
        spawn_samplers(&self.state, stop_rx.clone());
        collab::spawn_bridge(self.state.services.events(), self.state.collab.clone(), stop_rx.clone());
        crate::cluster::spawn(&self.state, self.state.relay.clone(), stop_rx.clone());
        self.state.presence.spawn(self.state.collab.clone(), stop_rx.clone());
        spawn_disconnects(&self.state, stop_rx.clone());
        let limits = self.state.config.http.limits.clone();
        let collab = self.state.collab.clone();
        tokio::spawn(async move {
            shutdown.await;
            // Sockets first (1001 after what is queued), then the HTTP connections.
            collab.shutdown().await;
            let _ = stop_tx.send(true);
        });
        serve::serve(self.listener, router(self.state), limits, stop_rx)
            .await
            .context("serving HTTP")
    }
}

/// Builds every part from the configuration; the store is handed back for start-up chores
/// (the first admin token, the demo) that happen before serving.
pub async fn build_state(config: Config) -> Result<(AppState, Store)> {
    let monitor = Arc::new(Monitor::new(config.monitor.clone()));
    let store = Store::connect(&config.database_url, monitor.clone()).await?;
    let cache = Cache::start(config.cache.clone(), config.redis_url.as_deref(), monitor.registry()).await;
    let admission = Arc::new(Admission::new(config.generation.clone()));
    let pipeline = Pipeline::new(config.report.clone(), monitor.clone(), admission);
    // Built assets carry content hashes; Leptos's hydration scripts find the script's and
    // the WebAssembly's in this file (an absolute path, so it need not sit by the binary).
    let hash_file = config.site_root.join("pkg/hash.txt");
    let leptos = LeptosOptions::builder()
        .output_name("pmr")
        .site_root(config.site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(config.listen)
        .hash_files(hash_file.exists())
        .hash_file(Arc::from(
            std::path::absolute(&hash_file).unwrap_or(hash_file).to_string_lossy(),
        ))
        .build();
    let services = PmrServices::new(Parts {
        store: store.clone(),
        cache,
        pipeline,
        monitor,
        events: EventBus::default(),
        generate_per_minute: config.auth.generate_per_minute,
    });
    let auth = Auth::new(store.clone(), config.auth.clone());
    let instance = crate::cluster::instance_id();
    let relay = crate::cluster::Relay::default();
    let presence = crate::cluster::PresenceBook::new(
        instance.clone(),
        config.redis_url.as_deref(),
        config.cache.key_prefix.clone(),
    );
    let collab = hub::Hub::with_observer(
        collab::hub_config(&config.ws),
        collab::ServicesBackend::new(services.clone(), relay.clone(), presence.clone()),
        Arc::new(collab::MonitorObserver(services.monitor().clone())),
    )
    .map_err(|e| crate::error::Error::internal(format!("WS settings: {e}")))?;
    let state = AppState {
        services,
        auth,
        collab,
        instance,
        presence,
        fanout_live: Arc::default(),
        relay,
        config: Arc::new(config),
        leptos,
    };
    Ok((state, store))
}

/// With no token at all, creates the first admin token so someone can sign in.
async fn bootstrap_admin(state: &AppState, store: &Store) -> Result<Option<String>> {
    if store.count_tokens().await? > 0 {
        return Ok(None);
    }
    let (_, token) = state.auth.create_token("admin", Role::Admin).await?;
    Ok(Some(token))
}

/// A revoked token or a signed-out session closes that user's sockets (1008).
fn spawn_disconnects(state: &AppState, mut stop: watch::Receiver<bool>) {
    let mut ended = state.auth.ended();
    let collab = state.collab.clone();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                got = ended.recv() => match got {
                    Ok(user) => {
                        let closed = collab.disconnect_user(&hub::UserId::new(user.as_str()), hub::CloseCode::POLICY);
                        tracing::info!(user = %user, closed, "credentials ended; sockets closed");
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                },
                _ = stop.changed() => return,
            }
        }
    });
}

/// Periodic samples for the monitor: the cache hit rate over the last minute (with the
/// number of reads it rests on), the process's resident memory, and the hub's figures.
fn spawn_samplers(state: &AppState, mut stop: watch::Receiver<bool>) {
    let services = state.services.clone();
    let collab = state.collab.clone();
    let hub_metrics = collab::HubMetrics::new(services.monitor().registry());
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(10));
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stop.changed() => return,
            }
            services.sample();
            hub_metrics.sample(&collab, services.monitor());
        }
    });
}
