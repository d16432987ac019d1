//! Events and presence across instances through Redis pub/sub. The publisher sends every
//! event stored here (from the local event bus) and every presence change or cursor of this
//! instance's sockets (from the hub's relay); the subscriber hands the other instances' to
//! this hub. A message lost on the way is a gap in offsets the hub fills from the store; a
//! lost subscription is re-established (with backoff) and then every room catches up.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, mpsc, watch};

use crate::collab::Collab;
use crate::events::StoredEvent;
use crate::state::AppState;

/// One presence change or cursor of a room, as relayed.
type Relayed = (hub::ReportId, hub::protocol::Ephemeral);

/// Presence changes and cursors of this instance's sockets, on their way to the others.
#[derive(Clone)]
pub struct Relay {
    tx: mpsc::UnboundedSender<Relayed>,
    rx: Arc<Mutex<Option<mpsc::UnboundedReceiver<Relayed>>>>,
}

impl Default for Relay {
    fn default() -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        Self {
            tx,
            rx: Arc::new(Mutex::new(Some(rx))),
        }
    }
}

impl Relay {
    /// Queues a message for the other instances (never blocks; dropped without Redis).
    pub fn send(&self, report: &hub::ReportId, message: &hub::protocol::Ephemeral) {
        let _ = self.tx.send((report.clone(), message.clone()));
    }

    fn take_receiver(&self) -> Option<mpsc::UnboundedReceiver<Relayed>> {
        self.rx.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

#[derive(Serialize, Deserialize)]
struct EventMessage {
    from: String,
    event: StoredEvent,
}

#[derive(Serialize, Deserialize)]
struct EphemeralMessage {
    from: String,
    report: String,
    message: hub::protocol::Ephemeral,
}

struct Channels {
    events: String,
    ephemeral: String,
}

pub fn spawn(state: &AppState, relay: Relay, stop: watch::Receiver<bool>) {
    let Some(url) = state.config.redis_url.clone() else {
        return;
    };
    let client = match redis::Client::open(url.as_str()) {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!(error = %e, "REDIS_URL unusable for fan-out; other instances hear of events from the store");
            return;
        }
    };
    let prefix = state.config.cache.key_prefix.clone();
    let channels = Arc::new(Channels {
        events: format!("{prefix}pmr:events"),
        ephemeral: format!("{prefix}pmr:ephemeral"),
    });
    let instance = state.instance.to_string();
    let events = state.services.events().subscribe();
    if let Some(relayed) = relay.take_receiver() {
        tokio::spawn(publish(
            client.clone(),
            channels.clone(),
            instance.clone(),
            events,
            relayed,
            stop.clone(),
        ));
    }
    tokio::spawn(subscribe(
        client,
        channels,
        instance,
        state.collab.clone(),
        state.presence.clone(),
        state.fanout_live.clone(),
        stop,
    ));
}

/// At most this many messages go to Redis in one round trip.
const MAX_PIPELINE: usize = 256;

/// Sends this instance's events and relayed messages; reconnects when Redis goes away (what
/// is sent meanwhile is lost in transit and recovered by the others from the store).
///
/// Whatever is already waiting when a message comes goes in the same round trip (one
/// pipeline): one `PUBLISH` awaited at a time caps the fan-out at one message per Redis
/// round trip, and on a busy machine that was below a few hundred events a second — the
/// other instances' readers then lagged by hundreds of milliseconds (BENCHMARKS.md, issue 14).
async fn publish(
    client: redis::Client,
    channels: Arc<Channels>,
    instance: String,
    mut events: broadcast::Receiver<Arc<StoredEvent>>,
    mut relayed: mpsc::UnboundedReceiver<Relayed>,
    mut stop: watch::Receiver<bool>,
) {
    let mut conn: Option<redis::aio::MultiplexedConnection> = None;
    let mut batch: Vec<(&str, String)> = Vec::new();
    loop {
        let first = tokio::select! {
            got = events.recv() => match got {
                Ok(e) => event_message(&channels, &instance, &e),
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return,
            },
            got = relayed.recv() => match got {
                Some((report, message)) => ephemeral_message(&channels, &instance, &report, message),
                None => return,
            },
            _ = stop.changed() => return,
        };
        batch.clear();
        batch.extend(first);
        while batch.len() < MAX_PIPELINE {
            match events.try_recv() {
                Ok(e) => batch.extend(event_message(&channels, &instance, &e)),
                Err(broadcast::error::TryRecvError::Lagged(_)) => {}
                Err(_) => break,
            }
        }
        while batch.len() < MAX_PIPELINE {
            match relayed.try_recv() {
                Ok((report, message)) => batch.extend(ephemeral_message(&channels, &instance, &report, message)),
                Err(_) => break,
            }
        }
        if batch.is_empty() {
            continue;
        }
        if conn.is_none() {
            conn = tokio::time::timeout(Duration::from_secs(1), client.get_multiplexed_async_connection())
                .await
                .ok()
                .and_then(Result::ok);
        }
        if let Some(c) = conn.as_mut() {
            let mut pipe = redis::pipe();
            for (channel, payload) in &batch {
                pipe.publish(*channel, payload).ignore();
            }
            let sent: redis::RedisResult<()> = pipe.query_async(c).await;
            if sent.is_err() {
                conn = None;
            }
        }
    }
}

fn event_message<'c>(channels: &'c Channels, instance: &str, e: &StoredEvent) -> Option<(&'c str, String)> {
    let message = EventMessage {
        from: instance.to_owned(),
        event: e.clone(),
    };
    serde_json::to_string(&message)
        .ok()
        .map(|p| (channels.events.as_str(), p))
}

fn ephemeral_message<'c>(
    channels: &'c Channels,
    instance: &str,
    report: &hub::ReportId,
    message: hub::protocol::Ephemeral,
) -> Option<(&'c str, String)> {
    let message = EphemeralMessage {
        from: instance.to_owned(),
        report: report.to_string(),
        message,
    };
    serde_json::to_string(&message)
        .ok()
        .map(|p| (channels.ephemeral.as_str(), p))
}

/// Receives the other instances' events and messages; on every (re)subscription the rooms
/// catch up from the store, since whatever was published meanwhile never arrived.
async fn subscribe(
    client: redis::Client,
    channels: Arc<Channels>,
    instance: String,
    collab: Collab,
    presence: super::PresenceBook,
    live: Arc<AtomicBool>,
    mut stop: watch::Receiver<bool>,
) {
    let mut backoff = Duration::from_millis(100);
    loop {
        match client.get_async_pubsub().await {
            Ok(mut ps) => {
                let subscribed = ps.subscribe(channels.events.as_str()).await.is_ok()
                    && ps.subscribe(channels.ephemeral.as_str()).await.is_ok();
                if subscribed {
                    live.store(true, Ordering::Relaxed);
                    backoff = Duration::from_millis(100);
                    let rooms = collab.catch_up_rooms();
                    tracing::info!(rooms, "fan-out subscribed; rooms caught up from the store");
                    let mut messages = ps.on_message();
                    loop {
                        tokio::select! {
                            m = messages.next() => match m {
                                Some(m) => handle(&m, &channels, &instance, &collab, &presence),
                                None => break,
                            },
                            _ = stop.changed() => return,
                        }
                    }
                    live.store(false, Ordering::Relaxed);
                    tracing::warn!("fan-out subscription lost; re-subscribing");
                }
            }
            Err(e) => tracing::debug!(error = %e, "fan-out: Redis unreachable"),
        }
        tokio::select! {
            _ = tokio::time::sleep(backoff) => {}
            _ = stop.changed() => return,
        }
        backoff = (backoff * 2).min(Duration::from_secs(2));
    }
}

fn handle(m: &redis::Msg, channels: &Channels, instance: &str, collab: &Collab, presence: &super::PresenceBook) {
    let Ok(payload) = m.get_payload::<String>() else { return };
    if m.get_channel_name() == channels.events {
        match serde_json::from_str::<EventMessage>(&payload) {
            Ok(msg) if msg.from != instance => {
                collab.publish(
                    &hub::ReportId::new(msg.event.report.as_str()),
                    crate::collab::to_hub(&msg.event),
                );
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "unreadable event from another instance"),
        }
    } else if m.get_channel_name() == channels.ephemeral {
        match serde_json::from_str::<EphemeralMessage>(&payload) {
            Ok(msg) if msg.from != instance => {
                let report = hub::ReportId::new(msg.report.as_str());
                presence.heard(&report, &msg.message);
                collab.publish_ephemeral(&report, &msg.message);
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "unreadable message from another instance"),
        }
    }
}
