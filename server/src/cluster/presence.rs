//! Presence shared between instances with a time-to-live. Each instance keeps, in a Redis
//! hash per report (`pmr:presence:{report}`), an entry per user connected to it, refreshed
//! every 5 s and good for 20 s. A joiner on any instance sees the others' participants from
//! it; and every second each instance compares the users it announced as present elsewhere with
//! the live entries, announcing as gone those whose instance stopped refreshing (crashed):
//! they vanish within 30 s. Without Redis, presence is this instance's own.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use hub::protocol::{Ephemeral, Participant, Presence};
use redis::AsyncCommands;
use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use crate::collab::Collab;
use crate::events::now_ms;

// A crashed instance's users vanish at most TTL + SWEEP after its last refresh: 22 s,
// inside SPEC §7's 30 s even when a refresh is late.
const REFRESH: Duration = Duration::from_secs(5);
const SWEEP: Duration = Duration::from_secs(1);
const TTL_MS: u64 = 20_000;

#[derive(Serialize, Deserialize)]
struct Entry {
    participant: Participant,
    expires_ms: u64,
}

#[derive(Default)]
struct Book {
    /// Reports with users connected here.
    local: HashSet<hub::ReportId>,
    /// Users on other instances announced as present here, per report.
    announced: HashMap<hub::ReportId, HashSet<hub::UserId>>,
}

/// Cheap to clone.
#[derive(Clone)]
pub struct PresenceBook {
    inner: Arc<Inner>,
}

struct Inner {
    instance: Arc<str>,
    client: Option<redis::Client>,
    prefix: String,
    book: Mutex<Book>,
    hub: OnceLock<Collab>,
}

impl PresenceBook {
    pub fn new(instance: Arc<str>, redis_url: Option<&str>, prefix: String) -> Self {
        Self {
            inner: Arc::new(Inner {
                instance,
                client: redis_url.and_then(|u| redis::Client::open(u).ok()),
                prefix,
                book: Mutex::new(Book::default()),
                hub: OnceLock::new(),
            }),
        }
    }

    fn book(&self) -> std::sync::MutexGuard<'_, Book> {
        self.inner.book.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn key(&self, report: &hub::ReportId) -> String {
        format!("{}pmr:presence:{report}", self.inner.prefix)
    }

    /// A user came to `report` on this instance (the hub relays it): their entry is written
    /// at once, so a joiner elsewhere sees them now rather than at the next refresh.
    pub fn local(&self, report: &hub::ReportId) {
        self.book().local.insert(report.clone());
        let (Some(client), Some(hub)) = (self.inner.client.clone(), self.inner.hub.get().cloned()) else {
            return;
        };
        let (me, report) = (self.clone(), report.clone());
        tokio::spawn(async move {
            if let Ok(Ok(mut c)) =
                tokio::time::timeout(Duration::from_secs(1), client.get_multiplexed_async_connection()).await
            {
                me.write(&mut c, &hub, &report, now_ms() + TTL_MS).await;
            }
        });
    }

    /// A user's last socket here closed: their entry goes at once (not at its expiry).
    pub fn left(&self, report: &hub::ReportId, user: &hub::UserId) {
        let Some(client) = self.inner.client.clone() else {
            return;
        };
        let (key, field) = (self.key(report), format!("{}|{user}", self.inner.instance));
        tokio::spawn(async move {
            if let Ok(Ok(mut c)) =
                tokio::time::timeout(Duration::from_secs(1), client.get_multiplexed_async_connection()).await
            {
                let _: redis::RedisResult<()> = c.hdel(key, field).await;
            }
        });
    }

    /// A message from another instance: remember who it announced, to notice when they go.
    pub fn heard(&self, report: &hub::ReportId, message: &Ephemeral) {
        if let Ephemeral::Presence(p) = message {
            let mut b = self.book();
            let users = b.announced.entry(report.clone()).or_default();
            if p.online {
                users.insert(p.user.clone());
            } else {
                users.remove(&p.user);
            }
        }
    }

    /// Participants connected to other instances, for a joiner's `session_state`; they are
    /// remembered as shown here, so their going is announced even if their instance dies.
    pub async fn remote(&self, report: &hub::ReportId) -> Vec<Participant> {
        let entries = self.entries(report).await;
        let mut by_user: HashMap<hub::UserId, Participant> = HashMap::new();
        for (field, entry) in entries {
            if field.starts_with(&format!("{}|", self.inner.instance)) {
                continue;
            }
            by_user
                .entry(entry.participant.user.clone())
                .or_insert(entry.participant);
        }
        if !by_user.is_empty() {
            let mut b = self.book();
            let shown = b.announced.entry(report.clone()).or_default();
            shown.extend(by_user.keys().cloned());
        }
        by_user.into_values().collect()
    }

    async fn entries(&self, report: &hub::ReportId) -> Vec<(String, Entry)> {
        let Some(client) = &self.inner.client else {
            return Vec::new();
        };
        let read = async {
            let mut c = client.get_multiplexed_async_connection().await?;
            let all: HashMap<String, String> = c.hgetall(self.key(report)).await?;
            Ok::<_, redis::RedisError>(all)
        };
        let now = now_ms();
        match tokio::time::timeout(Duration::from_millis(500), read).await {
            Ok(Ok(all)) => all
                .into_iter()
                .filter_map(|(f, v)| serde_json::from_str::<Entry>(&v).ok().map(|e| (f, e)))
                .filter(|(_, e)| e.expires_ms > now)
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Keeps this instance's entries fresh and announces users who vanished elsewhere.
    pub fn spawn(&self, hub: Collab, mut stop: watch::Receiver<bool>) {
        let _ = self.inner.hub.set(hub.clone());
        if self.inner.client.is_none() {
            return;
        }
        let me = self.clone();
        tokio::spawn(async move {
            let mut sweep = tokio::time::interval(SWEEP);
            let mut rounds = 0u32;
            loop {
                tokio::select! {
                    _ = sweep.tick() => {}
                    _ = stop.changed() => return,
                }
                rounds += 1;
                if rounds % (REFRESH.as_secs() / SWEEP.as_secs()).max(1) as u32 == 1 {
                    me.refresh(&hub).await;
                }
                me.sweep(&hub).await;
            }
        });
    }

    async fn refresh(&self, hub: &Collab) {
        let Some(client) = &self.inner.client else { return };
        let reports: Vec<hub::ReportId> = self.book().local.iter().cloned().collect();
        let Ok(Ok(mut c)) =
            tokio::time::timeout(Duration::from_secs(1), client.get_multiplexed_async_connection()).await
        else {
            return;
        };
        let expires_ms = now_ms() + TTL_MS;
        for report in reports {
            self.write(&mut c, hub, &report, expires_ms).await;
        }
    }

    /// Writes this instance's participants of `report`, good until `expires_ms`.
    async fn write(
        &self,
        c: &mut redis::aio::MultiplexedConnection,
        hub: &Collab,
        report: &hub::ReportId,
        expires_ms: u64,
    ) {
        let Some(session) = hub.session(report) else {
            self.book().local.remove(report);
            return;
        };
        let key = self.key(report);
        for p in session.participants {
            let field = format!("{}|{}", self.inner.instance, p.user);
            let entry = Entry {
                participant: p,
                expires_ms,
            };
            if let Ok(json) = serde_json::to_string(&entry) {
                let _: redis::RedisResult<()> = c.hset(&key, field, json).await;
            }
        }
        let _: redis::RedisResult<()> = c.expire(&key, (TTL_MS / 1000 * 2) as i64).await;
    }

    async fn sweep(&self, hub: &Collab) {
        let watched: Vec<(hub::ReportId, HashSet<hub::UserId>)> = self
            .book()
            .announced
            .iter()
            .map(|(r, u)| (r.clone(), u.clone()))
            .collect();
        for (report, users) in watched {
            let live: HashSet<hub::UserId> = self
                .entries(&report)
                .await
                .into_iter()
                .filter(|(f, _)| !f.starts_with(&format!("{}|", self.inner.instance)))
                .map(|(_, e)| e.participant.user)
                .collect();
            // A user who is also connected here stays present.
            let here: HashSet<hub::UserId> = hub
                .session(&report)
                .map(|s| s.participants.into_iter().map(|p| p.user).collect())
                .unwrap_or_default();
            for user in users.difference(&live) {
                if here.contains(user) {
                    if let Some(set) = self.book().announced.get_mut(&report) {
                        set.remove(user);
                    }
                    continue;
                }
                hub.publish_ephemeral(
                    &report,
                    &Ephemeral::Presence(Presence {
                        user: user.clone(),
                        online: false,
                    }),
                );
                if let Some(set) = self.book().announced.get_mut(&report) {
                    set.remove(user);
                }
            }
        }
    }
}
