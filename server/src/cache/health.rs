//! Which backend serves: Redis while it answers, the in-process cache from the first
//! failed call until the reconnect loop has Redis answering again and has replayed the
//! invalidations made meanwhile (see the module docs of `cache`).

use std::sync::atomic::Ordering;

use super::redis_backend::{RedisBackend, RedisDown};
use super::{lock, Backend, Cache, Pattern};

impl Cache {
    /// Retries a down Redis every `reconnect_interval` until `shutdown` fires.
    pub fn spawn_reconnect_loop(&self, mut shutdown: tokio::sync::watch::Receiver<bool>) {
        let Some(redis) = self.inner.redis.clone() else { return };
        let cache = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(cache.inner.config.reconnect_interval);
            loop {
                tokio::select! {
                    _ = tick.tick() => {}
                    _ = shutdown.changed() => return,
                }
                if !cache.inner.redis_up.load(Ordering::SeqCst) {
                    cache.try_recover(&redis).await;
                }
            }
        });
    }

    async fn try_recover(&self, redis: &RedisBackend) {
        if redis.connect().await.is_err() {
            return;
        }
        let missed: Vec<Pattern> = std::mem::take(&mut *lock(&self.inner.missed));
        if let Err(e) = redis.delete(&missed).await {
            lock(&self.inner.missed).extend(missed);
            tracing::debug!(error = %e, "cache: Redis answered but replaying invalidations failed");
            return;
        }
        // Values cached in memory meanwhile would go stale unseen once Redis serves again.
        self.inner.memory.clear();
        self.inner.redis_up.store(true, Ordering::SeqCst);
        tracing::info!(replayed = missed.len(), "cache: Redis is back; using it again");
    }

    pub(super) fn mark_down(&self, error: &RedisDown) {
        self.inner.counters.error();
        if self.inner.redis_up.swap(false, Ordering::SeqCst) {
            tracing::warn!(error = %error, "cache: Redis unreachable; serving from the in-process cache");
        }
    }

    /// The backend serving right now.
    pub fn backend(&self) -> Backend {
        if self.inner.redis_up.load(Ordering::SeqCst) {
            Backend::Redis
        } else {
            Backend::Memory
        }
    }
}
