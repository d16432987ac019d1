//! The hub's settings. The server fills them from its `WS_*` variables (SPEC §6) — the hub
//! never reads the environment — and [`HubConfig::validate`] refuses values that cannot work,
//! naming the field, so start-up stops instead of a connection misbehaving later.

use std::time::Duration;

use crate::error::ConfigError;

/// Limits and timings of the hub. `Default` is SPEC §5/§6.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HubConfig {
    /// `WS_BATCH_MAX_SIZE` (10): a batch is flushed when it holds this many messages.
    pub batch_max_size: usize,
    /// `WS_BATCH_MAX_WAIT_MS` (50): …or when this long has passed since its first message.
    pub batch_max_wait: Duration,
    /// `WS_ENABLE_BATCHING` (true); off: one frame per message.
    pub enable_batching: bool,
    /// `WS_BATCH_FLUSH_WHEN_IDLE`: send what the batch holds as soon as the connection's
    /// queue is empty, instead of holding it for the rest of `batch_max_wait` (SPEC §5: "no
    /// waiting when nothing more is coming is fine too"). Messages that arrive while a
    /// write is under way still go out together, so batches form exactly when there is a
    /// backlog; a lone message is not delayed. `Default` keeps the plain window (false);
    /// the server turns this on unless told otherwise.
    pub flush_when_idle: bool,
    /// `WS_IDLE_TIMEOUT_MINUTES` (30): no client message for this long → close 4000.
    pub idle_timeout: Duration,
    /// `WS_MAX_PARTICIPANTS` (50): distinct users per room; beyond → close 1013.
    pub max_participants: usize,
    /// `WS_MAX_CONNECTIONS` (10,000): sockets on this instance; beyond → close 1013.
    pub max_connections: usize,
    /// `WS_MAX_QUEUE_BYTES` (1 MiB): undelivered bytes per connection; beyond → close 4001.
    pub max_queue_bytes: usize,
    /// Largest inbound frame (64 KiB); beyond → close 1009.
    pub max_frame_bytes: usize,
    /// A write blocked longer than this (1 s) → close 4001.
    pub write_timeout: Duration,
    /// Heartbeat ping period (25 s).
    pub ping_interval: Duration,
    /// No pong (or any frame) this long after a ping (10 s) → close 4002.
    pub pong_timeout: Duration,
    /// How long a room waits for a missing offset to arrive by itself (publications from
    /// several instances may cross) before asking the backend for it (100 ms).
    pub gap_fill_delay: Duration,
}

impl Default for HubConfig {
    fn default() -> Self {
        Self {
            batch_max_size: 10,
            batch_max_wait: Duration::from_millis(50),
            enable_batching: true,
            flush_when_idle: false,
            idle_timeout: Duration::from_secs(30 * 60),
            max_participants: 50,
            max_connections: 10_000,
            max_queue_bytes: 1024 * 1024,
            max_frame_bytes: 64 * 1024,
            write_timeout: Duration::from_secs(1),
            ping_interval: Duration::from_secs(25),
            pong_timeout: Duration::from_secs(10),
            gap_fill_delay: Duration::from_millis(100),
        }
    }
}

impl HubConfig {
    /// Every count at least one and every duration above zero; the pong timeout shorter than
    /// the ping period (otherwise a ping would be sent while the previous one is unanswered).
    pub fn validate(&self) -> Result<(), ConfigError> {
        let counts = [
            ("batch_max_size", self.batch_max_size),
            ("max_participants", self.max_participants),
            ("max_connections", self.max_connections),
            ("max_queue_bytes", self.max_queue_bytes),
            ("max_frame_bytes", self.max_frame_bytes),
        ];
        if let Some((field, _)) = counts.iter().find(|(_, n)| *n == 0) {
            return Err(ConfigError::new(field, "must be at least 1"));
        }
        let durations = [
            ("batch_max_wait", self.batch_max_wait),
            ("idle_timeout", self.idle_timeout),
            ("write_timeout", self.write_timeout),
            ("ping_interval", self.ping_interval),
            ("pong_timeout", self.pong_timeout),
        ];
        if let Some((field, _)) = durations.iter().find(|(_, d)| d.is_zero()) {
            return Err(ConfigError::new(field, "must be longer than zero"));
        }
        if self.pong_timeout >= self.ping_interval {
            return Err(ConfigError::new("pong_timeout", "must be shorter than ping_interval"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_spec_and_valid() {
        let c = HubConfig::default();
        assert_eq!((c.batch_max_size, c.batch_max_wait.as_millis()), (10, 50));
        assert_eq!(
            (c.max_participants, c.max_connections, c.max_queue_bytes),
            (50, 10_000, 1 << 20)
        );
        assert_eq!(c.idle_timeout, Duration::from_secs(1800));
        assert!(c.validate().is_ok());
    }

    #[test]
    fn invalid_values_name_the_field() {
        let zero_batch = HubConfig {
            batch_max_size: 0,
            ..HubConfig::default()
        };
        assert_eq!(zero_batch.validate().map_err(|e| e.field), Err("batch_max_size"));
        let pong_too_long = HubConfig {
            pong_timeout: Duration::from_secs(30),
            ..HubConfig::default()
        };
        assert_eq!(pong_too_long.validate().map_err(|e| e.field), Err("pong_timeout"));
        let no_wait = HubConfig {
            batch_max_wait: Duration::ZERO,
            ..HubConfig::default()
        };
        assert_eq!(no_wait.validate().map_err(|e| e.field), Err("batch_max_wait"));
    }
}
