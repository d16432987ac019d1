//! The near cache: what this process read from Redis in the last [`NEAR_TTL`], so a value
//! read many times a second costs one Redis round trip per second, not one per request.
//! Every eviction empties it of its patterns and moves an epoch on; a Redis read records the
//! epoch before it starts and keeps its value only if the epoch has not moved, so a read
//! that raced an eviction cannot put the evicted value back.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use super::keys::Pattern;
use super::memory::Memory;

/// How long a value read from Redis is served from this process's memory.
pub const NEAR_TTL: Duration = Duration::from_secs(1);
/// Entries held: the hot keys, not the whole cache.
const CAPACITY: u64 = 4_096;

pub struct Near {
    values: Memory,
    epoch: AtomicU64,
}

impl Default for Near {
    fn default() -> Self {
        Self {
            values: Memory::new(CAPACITY),
            epoch: AtomicU64::new(0),
        }
    }
}

impl Near {
    pub async fn get(&self, key: &str) -> Option<Arc<str>> {
        self.values.get(key).await
    }

    /// To be read before a Redis read whose value may be kept (see [`Near::keep`]).
    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::SeqCst)
    }

    /// Keeps a value read from Redis, unless an eviction happened since `epoch` was read.
    pub async fn keep(&self, key: &str, raw: &Arc<str>, epoch: u64) {
        if self.epoch() == epoch {
            self.values.set(key, Arc::clone(raw), NEAR_TTL).await;
        }
    }

    /// Forgets `patterns` and invalidates the reads in flight.
    pub fn evict(&self, patterns: &[Pattern]) {
        self.epoch.fetch_add(1, Ordering::SeqCst);
        self.values.invalidate(patterns);
    }

    pub fn clear(&self) {
        self.epoch.fetch_add(1, Ordering::SeqCst);
        self.values.clear();
    }
}
