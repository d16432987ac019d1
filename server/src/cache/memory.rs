//! The in-process fallback (moka): the same keys, values and TTLs as Redis, used while
//! Redis is unreachable.

use std::sync::Arc;
use std::time::{Duration, Instant};

use moka::future::Cache as Moka;
use moka::Expiry;

use super::keys::Pattern;

#[derive(Clone)]
struct Entry {
    raw: Arc<str>,
    ttl: Duration,
}

struct PerEntryTtl;

impl Expiry<String, Entry> for PerEntryTtl {
    fn expire_after_create(&self, _key: &String, value: &Entry, _now: Instant) -> Option<Duration> {
        Some(value.ttl)
    }
}

#[derive(Clone)]
pub struct Memory {
    inner: Moka<String, Entry>,
}

impl Memory {
    pub fn new(capacity_entries: u64) -> Self {
        let inner = Moka::builder()
            .max_capacity(capacity_entries)
            .expire_after(PerEntryTtl)
            .support_invalidation_closures()
            .build();
        Self { inner }
    }

    pub async fn get(&self, key: &str) -> Option<Arc<str>> {
        self.inner.get(key).await.map(|e| e.raw)
    }

    pub async fn set(&self, key: &str, raw: Arc<str>, ttl: Duration) {
        self.inner.insert(key.to_owned(), Entry { raw, ttl }).await;
    }

    /// Evicts every key under any of `patterns` (keys here carry no prefix).
    pub fn invalidate(&self, patterns: &[Pattern]) {
        let patterns = patterns.to_vec();
        // Only fails when closures are not enabled, which the builder above does.
        let _ = self
            .inner
            .invalidate_entries_if(move |k, _| patterns.iter().any(|p| p.matches(k)));
    }

    pub fn clear(&self) {
        self.inner.invalidate_all();
    }

    pub async fn entry_count(&self) -> u64 {
        self.inner.run_pending_tasks().await;
        self.inner.entry_count()
    }

    /// Approximate bytes held (the values' lengths).
    pub fn bytes(&self) -> u64 {
        self.inner.iter().map(|(_, e)| e.raw.len() as u64).sum()
    }
}
