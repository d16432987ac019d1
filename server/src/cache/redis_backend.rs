//! Redis through one multiplexed `ConnectionManager` (no pool: one pipelined connection
//! serves all tasks). Every call has a deadline; a failure marks Redis down and the cache
//! falls back to memory until the reconnect loop sees Redis answer again.

use std::sync::Arc;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::AsyncCommands;
use tokio::sync::RwLock;

use super::keys::Pattern;

/// A Redis error or a missed deadline: either way, Redis is not serving.
#[derive(Debug, thiserror::Error)]
pub enum RedisDown {
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    #[error("redis: no answer within {0:?}")]
    Timeout(Duration),
    #[error("redis: not connected")]
    NotConnected,
}

pub struct RedisBackend {
    client: redis::Client,
    conn: RwLock<Option<ConnectionManager>>,
    timeout: Duration,
    prefix: String,
}

impl RedisBackend {
    pub fn new(url: &str, timeout: Duration, prefix: String) -> Result<Arc<Self>, redis::RedisError> {
        Ok(Arc::new(Self {
            client: redis::Client::open(url)?,
            conn: RwLock::new(None),
            timeout,
            prefix,
        }))
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    async fn deadline<T>(&self, fut: impl std::future::Future<Output = redis::RedisResult<T>>) -> Result<T, RedisDown> {
        match tokio::time::timeout(self.timeout, fut).await {
            Ok(r) => Ok(r?),
            Err(_) => Err(RedisDown::Timeout(self.timeout)),
        }
    }

    async fn conn(&self) -> Result<ConnectionManager, RedisDown> {
        self.conn.read().await.clone().ok_or(RedisDown::NotConnected)
    }

    /// Connects (or reconnects) and checks Redis answers `PING`.
    pub async fn connect(&self) -> Result<(), RedisDown> {
        let existing = self.conn.read().await.clone();
        let mut conn = match existing {
            Some(c) => c,
            None => {
                let config = ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(self.timeout))
                    .set_response_timeout(Some(self.timeout))
                    .set_number_of_retries(1);
                let c = self
                    .deadline(ConnectionManager::new_with_config(self.client.clone(), config))
                    .await?;
                *self.conn.write().await = Some(c.clone());
                c
            }
        };
        let _: String = self.deadline(redis::cmd("PING").query_async(&mut conn)).await?;
        Ok(())
    }

    pub async fn get(&self, key: &str) -> Result<Option<String>, RedisDown> {
        let mut c = self.conn().await?;
        self.deadline(c.get(self.key(key))).await
    }

    pub async fn mget(&self, keys: &[String]) -> Result<Vec<Option<String>>, RedisDown> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let mut c = self.conn().await?;
        let full: Vec<String> = keys.iter().map(|k| self.key(k)).collect();
        // MGET with one key returns a bulk string, not an array; always ask for a list.
        self.deadline(redis::cmd("MGET").arg(&full).query_async(&mut c)).await
    }

    pub async fn set(&self, key: &str, raw: &str, ttl: Duration) -> Result<(), RedisDown> {
        let mut c = self.conn().await?;
        let ms = ttl.as_millis().max(1) as u64;
        self.deadline(
            redis::cmd("SET")
                .arg(self.key(key))
                .arg(raw)
                .arg("PX")
                .arg(ms)
                .query_async(&mut c),
        )
        .await
    }

    /// Deletes the keys under `patterns`: exact keys directly (and those a pattern knows,
    /// [`Pattern::keys`]), other globs by `SCAN` (never `KEYS`, which blocks Redis).
    /// Returns how many were deleted.
    pub async fn delete(&self, patterns: &[Pattern]) -> Result<u64, RedisDown> {
        let mut c = self.conn().await?;
        let mut deleted = 0u64;
        let mut exact: Vec<String> = Vec::new();
        let mut globs = Vec::new();
        for p in patterns {
            match p.keys() {
                Some(keys) => exact.extend(keys.iter().map(|k| self.key(k))),
                None if p.is_glob() => globs.push(p),
                None => exact.push(self.key(p.as_str())),
            }
        }
        if !exact.is_empty() {
            deleted += self
                .deadline(redis::cmd("DEL").arg(&exact).query_async::<u64>(&mut c))
                .await?;
        }
        for p in globs {
            let keys = self.scan(&mut c, &self.key(p.as_str())).await?;
            for chunk in keys.chunks(500) {
                deleted += self
                    .deadline(redis::cmd("DEL").arg(chunk).query_async::<u64>(&mut c))
                    .await?;
            }
        }
        Ok(deleted)
    }

    /// Every key matching `glob` (already prefixed), by cursor.
    async fn scan(&self, c: &mut ConnectionManager, glob: &str) -> Result<Vec<String>, RedisDown> {
        let mut cursor: u64 = 0;
        let mut keys = Vec::new();
        loop {
            let (next, batch): (u64, Vec<String>) = self
                .deadline(
                    redis::cmd("SCAN")
                        .arg(cursor)
                        .arg("MATCH")
                        .arg(glob)
                        .arg("COUNT")
                        .arg(1000)
                        .query_async(c),
                )
                .await?;
            keys.extend(batch);
            if next == 0 {
                return Ok(keys);
            }
            cursor = next;
        }
    }

    /// Our keys and Redis's `used_memory` in bytes.
    pub async fn usage(&self) -> Result<(u64, u64), RedisDown> {
        let mut c = self.conn().await?;
        let keys = self.scan(&mut c, &self.key("pmr:*")).await?.len() as u64;
        let info: String = self
            .deadline(redis::cmd("INFO").arg("memory").query_async(&mut c))
            .await?;
        let memory = info
            .lines()
            .find_map(|l| l.strip_prefix("used_memory:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        Ok((keys, memory))
    }
}
