//! Cache statistics: lifetime hits, misses and errors, a one-minute sliding window for
//! the monitor's `cache_hit_rate`, and Prometheus counters in the monitor's registry.
//! `Cache::stats` puts them together with the key count and memory of the serving backend.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::redis_backend::{RedisBackend, RedisDown};
use super::{lock, Cache};

/// How long a key count from Redis is good for.
const USAGE_FRESH: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Redis,
    Memory,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CacheStats {
    pub backend: Backend,
    /// `degraded` while the in-process fallback serves instead of a configured Redis.
    pub status: &'static str,
    pub hits: u64,
    pub misses: u64,
    /// Percent of reads that hit, over the process's life (0 when nothing was read).
    pub hit_rate: f64,
    /// Percent over the last minute, when there were reads.
    pub recent_hit_rate: Option<f64>,
    pub keys: u64,
    pub memory_bytes: u64,
    pub errors: u64,
}

const WINDOW: Duration = Duration::from_secs(60);
const BUCKET: Duration = Duration::from_secs(5);

pub struct Counters {
    hits: AtomicU64,
    misses: AtomicU64,
    errors: AtomicU64,
    /// (bucket start, hits, misses), newest last.
    window: Mutex<VecDeque<(Instant, u64, u64)>>,
    prom_hits: Option<prometheus::IntCounter>,
    prom_misses: Option<prometheus::IntCounter>,
    prom_errors: Option<prometheus::IntCounter>,
}

impl Counters {
    pub fn new(registry: &prometheus::Registry) -> Self {
        let requests = prometheus::IntCounterVec::new(
            prometheus::Opts::new("pmr_cache_requests_total", "Cache reads by result"),
            &["result"],
        )
        .ok()
        .filter(|c| registry.register(Box::new(c.clone())).is_ok());
        let errors = prometheus::IntCounter::new("pmr_cache_errors_total", "Failed Redis calls")
            .ok()
            .filter(|c| registry.register(Box::new(c.clone())).is_ok());
        Self {
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            errors: AtomicU64::new(0),
            window: Mutex::new(VecDeque::new()),
            prom_hits: requests.as_ref().map(|r| r.with_label_values(&["hit"])),
            prom_misses: requests.as_ref().map(|r| r.with_label_values(&["miss"])),
            prom_errors: errors,
        }
    }

    pub fn hit(&self) {
        self.hits.fetch_add(1, Ordering::Relaxed);
        if let Some(c) = &self.prom_hits {
            c.inc();
        }
        self.window_add(1, 0);
    }

    pub fn miss(&self) {
        self.misses.fetch_add(1, Ordering::Relaxed);
        if let Some(c) = &self.prom_misses {
            c.inc();
        }
        self.window_add(0, 1);
    }

    pub fn error(&self) {
        self.errors.fetch_add(1, Ordering::Relaxed);
        if let Some(c) = &self.prom_errors {
            c.inc();
        }
    }

    fn window_add(&self, hits: u64, misses: u64) {
        let now = Instant::now();
        let mut w = self.window.lock().unwrap_or_else(|e| e.into_inner());
        match w.back_mut() {
            Some((start, h, m)) if now.duration_since(*start) < BUCKET => {
                *h += hits;
                *m += misses;
            }
            _ => w.push_back((now, hits, misses)),
        }
        while w
            .front()
            .is_some_and(|(start, _, _)| now.duration_since(*start) > WINDOW)
        {
            w.pop_front();
        }
    }

    pub fn recent_hit_rate(&self) -> Option<f64> {
        self.recent_reads().map(|(rate, _)| rate)
    }

    /// Hit rate (%) over the last minute and the number of reads it rests on, when there
    /// were any: the monitor judges a rate only over enough reads.
    pub fn recent_reads(&self) -> Option<(f64, u64)> {
        let now = Instant::now();
        let w = self.window.lock().unwrap_or_else(|e| e.into_inner());
        let (h, m) = w
            .iter()
            .filter(|(start, _, _)| now.duration_since(*start) <= WINDOW)
            .fold((0u64, 0u64), |(h, m), (_, bh, bm)| (h + bh, m + bm));
        (h + m > 0).then(|| (100.0 * h as f64 / (h + m) as f64, h + m))
    }

    /// `redis_configured`: whether memory is a fallback (degraded) or the chosen backend.
    pub fn snapshot(&self, backend: Backend, redis_configured: bool, keys: u64, memory_bytes: u64) -> CacheStats {
        let hits = self.hits.load(Ordering::Relaxed);
        let misses = self.misses.load(Ordering::Relaxed);
        CacheStats {
            backend,
            status: if backend == Backend::Memory && redis_configured {
                "degraded"
            } else {
                "ok"
            },
            hits,
            misses,
            hit_rate: if hits + misses == 0 {
                0.0
            } else {
                100.0 * hits as f64 / (hits + misses) as f64
            },
            recent_hit_rate: self.recent_hit_rate(),
            keys,
            memory_bytes,
            errors: self.errors.load(Ordering::Relaxed),
        }
    }
}

/// What the cache reports about itself: the dashboard's and `/api/cache/stats`' figures.
impl Cache {
    pub async fn stats(&self) -> CacheStats {
        let backend = self.backend();
        let (keys, memory_bytes) = match (&self.inner.redis, backend) {
            (Some(redis), Backend::Redis) => match self.redis_usage(redis).await {
                Ok(u) => u,
                Err(e) => {
                    self.mark_down(&e);
                    (self.inner.memory.entry_count().await, self.inner.memory.bytes())
                }
            },
            _ => (self.inner.memory.entry_count().await, self.inner.memory.bytes()),
        };
        let configured = self.inner.redis.is_some();
        self.inner
            .counters
            .snapshot(self.backend(), configured, keys, memory_bytes)
    }

    /// Key count and memory in Redis. Counting PMR's keys takes a SCAN over them, so the
    /// answer is kept for [`USAGE_FRESH`]: a dashboard polling every few seconds costs one
    /// SCAN per half minute, not one per poll.
    async fn redis_usage(&self, redis: &RedisBackend) -> Result<(u64, u64), RedisDown> {
        if let Some((at, usage)) = *lock(&self.inner.usage) {
            if at.elapsed() < USAGE_FRESH {
                return Ok(usage);
            }
        }
        let usage = redis.usage().await?;
        *lock(&self.inner.usage) = Some((Instant::now(), usage));
        Ok(usage)
    }

    /// Hit rate (%) over the last minute and how many reads it rests on, if there were any.
    pub fn recent_reads(&self) -> Option<(f64, u64)> {
        self.inner.counters.recent_reads()
    }
}
