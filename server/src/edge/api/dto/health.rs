//! The probes' answers. Their fields are fixed words, so a load balancer can match them.

use serde::Serialize;
use utoipa::ToSchema;

use crate::cache::Backend;

/// `/livez`: the process answers.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Live)]
pub struct LiveDto {
    /// Always `ok`.
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// `/readyz` when ready: the store answers; the cache may be the in-process fallback.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Ready)]
pub struct ReadyDto {
    /// Always `ready`.
    #[schema(example = "ready")]
    pub status: &'static str,
    pub cache: CacheBackendDto,
}

/// `/readyz` when not ready (503): the store does not answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = NotReady)]
pub struct NotReadyDto {
    /// Always `unavailable`.
    #[schema(example = "unavailable")]
    pub status: &'static str,
    /// Always `unreachable`.
    #[schema(example = "unreachable")]
    pub store: &'static str,
}

/// Where cached values live: a Redis server, or this process's memory.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = CacheBackend)]
pub enum CacheBackendDto {
    Redis,
    Memory,
}

impl From<Backend> for CacheBackendDto {
    fn from(b: Backend) -> Self {
        match b {
            Backend::Redis => Self::Redis,
            Backend::Memory => Self::Memory,
        }
    }
}
