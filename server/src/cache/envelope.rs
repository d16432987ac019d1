//! What is stored under a key: the JSON value wrapped with the cache format it was written
//! in, its expiry, its TTL and how long it took to compute, so a reader can decide to
//! refresh it before it expires. A value written in another format (by an older or newer
//! deploy) is a miss, never read as the wrong shape. A reader
//! refreshes (in the background, serving the current value) when either
//! - the value is in the last tenth of its TTL (a soft TTL: a key read at least once in
//!   that window never expires under its readers), or
//! - probabilistic early expiry ("XFetch") says so: `now − δ·β·ln(u) ≥ expiry`, u uniform
//!   in (0, 1], δ the compute time — expensive values start earlier.

use serde::de::DeserializeOwned;
use serde::Deserialize;

/// An envelope and its value, read in one pass (the value is the bulk of the bytes; a
/// second pass over it would be most of the cost of a hit).
#[derive(Deserialize)]
#[serde(bound = "V: DeserializeOwned")]
pub struct Envelope<V> {
    /// The cache format ([`FORMAT`]) the value was written in.
    pub f: u32,
    /// Expiry, unix ms.
    pub x: u64,
    /// Time to live it was stored with, ms.
    pub t: u64,
    /// Compute time, ms.
    pub d: u64,
    pub v: V,
}

/// The shape of cached values. Bump it whenever a cached type changes shape (the view
/// models, the engine's results): values written before then are misses.
pub const FORMAT: u32 = 2;

/// Wraps an already-serialised value without parsing it again.
pub fn wrap(value_json: &str, expires_ms: u64, ttl_ms: u64, compute_ms: u64) -> String {
    format!("{{\"f\":{FORMAT},\"x\":{expires_ms},\"t\":{ttl_ms},\"d\":{compute_ms},\"v\":{value_json}}}")
}

/// `None` when the stored text is not an envelope of a `V` in this format (written by
/// something else, or another version): the caller treats that as a miss and overwrites it.
pub fn open<V: DeserializeOwned>(raw: &str) -> Option<Envelope<V>> {
    serde_json::from_str::<Envelope<V>>(raw).ok().filter(|e| e.f == FORMAT)
}

/// Whether this reader should refresh now; `u` is a uniform draw in (0, 1].
pub fn due_for_refresh<V>(env: &Envelope<V>, now_ms: u64, beta: f64, u: f64) -> bool {
    if now_ms >= env.x || env.x - now_ms <= env.t / 10 {
        return true;
    }
    if beta <= 0.0 {
        return false;
    }
    let head_start = (env.d as f64) * beta * -u.max(f64::MIN_POSITIVE).ln();
    now_ms as f64 + head_start >= env.x as f64
}

pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_and_opens() {
        let raw = wrap(r#"{"a":1}"#, 5_000, 1_000, 20);
        let env = open::<serde_json::Value>(&raw).expect("an envelope");
        assert_eq!(
            (env.x, env.t, env.d, env.v),
            (5_000, 1_000, 20, serde_json::json!({"a": 1}))
        );
        assert!(open::<serde_json::Value>("{\"a\":1}").is_none());
        assert!(open::<serde_json::Value>("not json").is_none());
        assert!(open::<u32>(&raw).is_none(), "a value of another shape is unreadable");
        let older = raw.replacen(&format!("\"f\":{FORMAT}"), "\"f\":1", 1);
        assert!(open::<serde_json::Value>(&older).is_none(), "another format is a miss");
    }

    #[test]
    fn refreshes_only_near_expiry() {
        // Stored at 0 with a 100 s TTL, computed in 50 ms.
        let raw = wrap("1", 100_000, 100_000, 50);
        let env = open::<u32>(&raw).expect("an envelope");
        // Far from expiry: even an unlucky draw (u = 0.001 → head start ≈ 345 ms) waits.
        assert!(!due_for_refresh(&env, 10_000, 1.0, 0.001));
        assert!(!due_for_refresh(&env, 89_000, 1.0, 0.5));
        // In the last tenth of the TTL, always.
        assert!(due_for_refresh(&env, 90_000, 0.0, 1.0));
        // XFetch: with a short TTL (soft window 50 ms), a value that took 50 ms to compute
        // may start refreshing 100 ms ahead on an unlucky draw...
        let quick = wrap("1", 100_000, 500, 50);
        let quick = open::<u32>(&quick).expect("an envelope");
        assert!(due_for_refresh(&quick, 99_900, 1.0, 0.01));
        // ...but not with β = 0.
        assert!(!due_for_refresh(&quick, 99_900, 0.0, 0.01));
        assert!(due_for_refresh(&env, 100_000, 1.0, 1.0));
    }
}
