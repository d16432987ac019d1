//! The section cache (SPEC §2): cache-aside through Redis with a TTL per key kind, single
//! flight for concurrent misses, early refresh near expiry, exact invalidation, and an
//! in-process fallback that keeps serving while Redis is down.
//!
//! Backend choice is one flag: `redis_up`. Any failed Redis call clears it (logged once) and
//! the memory cache serves; a background loop retries Redis and, before setting the flag
//! again, replays the invalidations made meanwhile, so Redis never serves a value that was
//! invalidated while it was away.
//!
//! Whether Redis serves, and getting it back, is `health.rs`; the figures the cache
//! reports about itself are `stats.rs`.
//!
//! In front of Redis sits a *near cache* (`near.rs`, one second), and beside it the rendered
//! report pages (`pages.rs`, one second per reader); every eviction empties both here at
//! once, and other instances' evictions arrive through the cluster log.

mod envelope;
mod health;
mod keys;
mod memory;
mod near;
mod pages;
mod redis_backend;
mod stats;

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{de::DeserializeOwned, Serialize};

/// What can be cached: stored as JSON, shared between the waiters of one computation.
pub trait Cacheable: Serialize + DeserializeOwned + Clone + Send + Sync + 'static {}
impl<T: Serialize + DeserializeOwned + Clone + Send + Sync + 'static> Cacheable for T {}

/// A computed value shared by the callers of one single flight.
type Shared = Arc<dyn std::any::Any + Send + Sync>;

pub use keys::{Key, Kind, Pattern};
pub use near::NEAR_TTL;
pub use pages::{Page, Pages, PAGE_TTL};
pub use stats::{Backend, CacheStats};

use self::memory::Memory;
use self::near::Near;
use self::redis_backend::RedisBackend;
use self::stats::Counters;
use crate::config::CacheConfig;
use crate::error::{Context, Error, Result};
use crate::flight::Flights;

#[derive(Clone)]
pub struct Cache {
    inner: Arc<Inner>,
}

struct Inner {
    config: CacheConfig,
    redis: Option<Arc<RedisBackend>>,
    redis_up: AtomicBool,
    memory: Memory,
    /// What was read from Redis lately (see the module docs).
    near: Near,
    /// Rendered report pages (`pages.rs`), forgotten on every eviction.
    pages: Pages,
    flights: Flights<Shared>,
    /// Invalidations made while Redis was down, replayed before it is used again.
    missed: Mutex<Vec<Pattern>>,
    counters: Counters,
    /// The last key count and memory read from Redis, and when.
    usage: Mutex<Option<(Instant, (u64, u64))>>,
}

impl Cache {
    /// Builds the cache and, when a Redis URL is configured, tries it once; never fails —
    /// an unreachable Redis means the memory cache serves until it comes back.
    pub async fn start(config: CacheConfig, redis_url: Option<&str>, registry: &prometheus::Registry) -> Self {
        let redis = redis_url.and_then(|url| {
            RedisBackend::new(url, config.redis_timeout, config.key_prefix.clone())
                .map_err(|e| tracing::warn!(error = %e, "REDIS_URL is not usable; using the in-process cache"))
                .ok()
        });
        let cache = Self {
            inner: Arc::new(Inner {
                memory: Memory::new(config.memory_capacity),
                near: Near::default(),
                pages: Pages::default(),
                config,
                redis,
                redis_up: AtomicBool::new(false),
                flights: Flights::default(),
                missed: Mutex::new(Vec::new()),
                counters: Counters::new(registry),
                usage: Mutex::new(None),
            }),
        };
        if let Some(redis) = &cache.inner.redis {
            match redis.connect().await {
                Ok(()) => {
                    cache.inner.redis_up.store(true, Ordering::SeqCst);
                    tracing::info!("cache: using Redis");
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cache: Redis unreachable at start; serving from the in-process cache")
                }
            }
        }
        cache
    }

    pub fn ttl(&self, kind: Kind) -> Duration {
        let c = &self.inner.config;
        match kind {
            Kind::Report => c.ttl_report,
            Kind::Insights => c.ttl_insights,
            Kind::MonteCarlo => c.ttl_monte_carlo,
            Kind::Metrics => c.ttl_metrics,
            Kind::Template => c.ttl_template,
            Kind::Section => c.ttl_section,
        }
    }

    async fn get_raw(&self, key: &str) -> Option<Arc<str>> {
        if self.backend() == Backend::Redis {
            if let Some(redis) = &self.inner.redis {
                if let Some(v) = self.inner.near.get(key).await {
                    return Some(v);
                }
                let epoch = self.inner.near.epoch();
                match redis.get(key).await {
                    Ok(v) => {
                        let v = v.map(Arc::<str>::from);
                        if let Some(raw) = &v {
                            self.inner.near.keep(key, raw, epoch).await;
                        }
                        return v;
                    }
                    Err(e) => self.mark_down(&e),
                }
            }
        }
        self.inner.memory.get(key).await
    }

    /// Empties the near cache of `patterns` and invalidates reads in flight; rendered pages
    /// may show anything, so they all go.
    fn evict_near(&self, patterns: &[Pattern]) {
        self.inner.near.evict(patterns);
        self.inner.pages.forget_all();
    }

    /// Rendered report pages (see `pages.rs`).
    pub fn pages(&self) -> &Pages {
        &self.inner.pages
    }

    async fn set_raw(&self, key: &str, raw: Arc<str>, ttl: Duration) {
        if self.backend() == Backend::Redis {
            if let Some(redis) = &self.inner.redis {
                match redis.set(key, &raw, ttl).await {
                    Ok(()) => return,
                    Err(e) => self.mark_down(&e),
                }
            }
        }
        self.inner.memory.set(key, raw, ttl).await;
    }

    /// Cache-aside read. A hit returns at once (and, near expiry, starts one background
    /// refresh); concurrent misses for one key run `compute` once and share its value. A
    /// stored value that does not parse (another format, written by something else) is a
    /// miss and is overwritten.
    pub async fn get_or_compute<T, F, Fut>(&self, key: &Key, compute: F) -> Result<T>
    where
        T: Cacheable,
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = Result<T>> + Send + 'static,
    {
        let name = key.to_string();
        if let Some(raw) = self.get_raw(&name).await {
            if let Some(env) = envelope::open::<T>(&raw) {
                self.inner.counters.hit();
                let u: f64 = 1.0 - rand_unit();
                if envelope::due_for_refresh(&env, envelope::now_ms(), self.inner.config.early_refresh_beta, u) {
                    self.refresh_in_background(key, compute);
                }
                return Ok(env.v);
            }
            tracing::debug!(key = %name, "cache: unreadable value; recomputing");
        }
        self.inner.counters.miss();
        self.fill(key, compute).await
    }

    /// Computes and stores a value known to be missing (e.g. after a [`get_many`] miss),
    /// without reading the key again; single flight like [`get_or_compute`]. The computed
    /// value is handed back as it is, not parsed back from what was stored.
    ///
    /// [`get_many`]: Self::get_many
    /// [`get_or_compute`]: Self::get_or_compute
    pub async fn fill<T, F, Fut>(&self, key: &Key, compute: F) -> Result<T>
    where
        T: Cacheable,
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = Result<T>> + Send + 'static,
    {
        let shared = self.compute_once(key, compute).await?;
        shared
            .downcast_ref::<T>()
            .cloned()
            .ok_or_else(|| Error::internal(format!("cache: {key} was computed as another type")))
    }

    /// Single flight: the first caller computes and stores; the others wait for it and
    /// share its value.
    async fn compute_once<T, F, Fut>(&self, key: &Key, compute: F) -> Result<Shared>
    where
        T: Cacheable,
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = Result<T>> + Send + 'static,
    {
        let name = key.to_string();
        let ttl = self.ttl(key.kind());
        let cache = self.clone();
        let key_name = name.clone();
        self.inner
            .flights
            .run(&name, async move {
                let started = Instant::now();
                let value = compute().await?;
                finite(&key_name, &value)?;
                let json = serde_json::to_string(&value).context(format!("serialising {key_name}"))?;
                let elapsed = started.elapsed().as_millis() as u64;
                let ttl_ms = ttl.as_millis() as u64;
                let raw: Arc<str> = envelope::wrap(&json, envelope::now_ms() + ttl_ms, ttl_ms, elapsed).into();
                cache.set_raw(&key_name, raw, ttl).await;
                Ok(Arc::new(value) as Shared)
            })
            .await
    }

    fn refresh_in_background<T, F, Fut>(&self, key: &Key, compute: F)
    where
        T: Cacheable,
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = Result<T>> + Send + 'static,
    {
        if self.inner.flights.is_running(&key.to_string()) {
            return;
        }
        let cache = self.clone();
        let key = key.clone();
        tokio::spawn(async move {
            if let Err(e) = cache.compute_once(&key, compute).await {
                tracing::warn!(key = %key, error = %e, "cache: early refresh failed; the current value stays");
            }
        });
    }

    /// Reads several keys in one round trip (MGET); `None` for a miss or unreadable value.
    /// Counts hits and misses like single reads.
    pub async fn get_many<T: DeserializeOwned>(&self, keys: &[Key]) -> Vec<Option<T>> {
        let names: Vec<String> = keys.iter().map(ToString::to_string).collect();
        let mut raws: Option<Vec<Option<Arc<str>>>> = None;
        if self.backend() == Backend::Redis {
            if let Some(redis) = &self.inner.redis {
                let mut near = Vec::with_capacity(names.len());
                for n in &names {
                    near.push(self.inner.near.get(n).await);
                }
                if near.iter().all(Option::is_some) {
                    raws = Some(near);
                } else {
                    let epoch = self.inner.near.epoch();
                    match redis.mget(&names).await {
                        Ok(v) => {
                            let v: Vec<Option<Arc<str>>> = v.into_iter().map(|o| o.map(Arc::<str>::from)).collect();
                            for (n, raw) in names.iter().zip(&v) {
                                if let Some(raw) = raw {
                                    self.inner.near.keep(n, raw, epoch).await;
                                }
                            }
                            raws = Some(v);
                        }
                        Err(e) => self.mark_down(&e),
                    }
                }
            }
        }
        let raws = match raws {
            Some(v) => v,
            None => {
                let mut v = Vec::with_capacity(names.len());
                for n in &names {
                    v.push(self.inner.memory.get(n).await);
                }
                v
            }
        };
        raws.into_iter()
            .map(|raw| {
                let value = raw.as_deref().and_then(envelope::open::<T>).map(|e| e.v);
                match value {
                    Some(v) => {
                        self.inner.counters.hit();
                        Some(v)
                    }
                    None => {
                        self.inner.counters.miss();
                        None
                    }
                }
            })
            .collect()
    }

    /// Stores a value computed elsewhere (e.g. while generating a report).
    pub async fn put<T: Serialize>(&self, key: &Key, value: &T) -> Result<()> {
        finite(&key.to_string(), value)?;
        let json = serde_json::to_string(value).context(format!("serialising {key}"))?;
        let ttl = self.ttl(key.kind());
        let ttl_ms = ttl.as_millis() as u64;
        let raw = envelope::wrap(&json, envelope::now_ms() + ttl_ms, ttl_ms, 0);
        self.set_raw(&key.to_string(), raw.into(), ttl).await;
        Ok(())
    }

    /// Evicts every key under `patterns`, in both backends; while Redis is down the
    /// patterns are kept and replayed when it returns.
    pub async fn invalidate(&self, patterns: &[Pattern]) {
        self.inner.memory.invalidate(patterns);
        self.evict_near(patterns);
        if let Some(redis) = &self.inner.redis {
            if self.backend() == Backend::Redis {
                let deleted = redis.delete(patterns).await;
                // A read that began before the delete may have fetched the old value and
                // not stored it near yet: bump the epoch again so it never does.
                self.evict_near(patterns);
                match deleted {
                    Ok(_) => return,
                    Err(e) => self.mark_down(&e),
                }
            }
            lock(&self.inner.missed).extend_from_slice(patterns);
        }
    }

    /// Evicts from this process's memory only (the fallback and the near cache): another
    /// instance's invalidation, read from the cluster log.
    pub fn invalidate_local(&self, patterns: &[Pattern]) {
        self.inner.memory.invalidate(patterns);
        self.evict_near(patterns);
    }

    /// Removes all of PMR's keys (SCAN, never KEYS).
    pub async fn clear_all(&self) {
        self.invalidate(&[Pattern::all()]).await;
        self.inner.memory.clear();
        self.inner.near.clear();
        self.inner.pages.forget_all();
        *lock(&self.inner.usage) = None;
    }
}

/// A value with a NaN or infinity in it is never cached: JSON would write it as `null`,
/// and every later read of the key would fail to parse until it expired. From validated
/// input the engine never produces one, so meeting one here is a server fault.
fn finite<T: Serialize + ?Sized>(key: &str, value: &T) -> Result<()> {
    engine::ensure_finite(value).map_err(|e| Error::internal(format!("not caching {key}: {e}")))
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A uniform draw in [0, 1) for early refresh; quality needs are modest.
fn rand_unit() -> f64 {
    use rand::Rng;
    rand::rng().random::<f64>()
}
