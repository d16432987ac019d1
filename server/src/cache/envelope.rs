//! What is stored under a key: the JSON value wrapped with its expiry and how long it took
//! to compute, so a reader can decide to refresh it early (probabilistic early expiry,
//! "XFetch": refresh when `now − δ·β·ln(u) ≥ expiry`, u uniform in (0, 1]).

use serde::Deserialize;
use serde_json::value::RawValue;

#[derive(Deserialize)]
pub struct Envelope<'a> {
    /// Expiry, unix ms.
    pub x: u64,
    /// Compute time, ms.
    pub d: u64,
    #[serde(borrow)]
    pub v: &'a RawValue,
}

/// Wraps an already-serialised value without parsing it again.
pub fn wrap(value_json: &str, expires_ms: u64, compute_ms: u64) -> String {
    format!("{{\"x\":{expires_ms},\"d\":{compute_ms},\"v\":{value_json}}}")
}

/// `None` when the stored text is not an envelope (written by something else, or an older
/// version): the caller treats that as a miss and overwrites it.
pub fn open(raw: &str) -> Option<Envelope<'_>> {
    serde_json::from_str(raw).ok()
}

/// Whether this reader should refresh now; `u` is a uniform draw in (0, 1].
pub fn due_for_refresh(env: &Envelope<'_>, now_ms: u64, beta: f64, u: f64) -> bool {
    if now_ms >= env.x {
        return true;
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
        let raw = wrap(r#"{"a":1}"#, 5_000, 20);
        let env = open(&raw).expect("an envelope");
        assert_eq!((env.x, env.d, env.v.get()), (5_000, 20, r#"{"a":1}"#));
        assert!(open("{\"a\":1}").is_none());
        assert!(open("not json").is_none());
    }

    #[test]
    fn refreshes_only_near_expiry() {
        let raw = wrap("1", 100_000, 50);
        let env = open(&raw).expect("an envelope");
        // Far from expiry: even an unlucky draw (u = 0.001 → head start ≈ 345 ms) waits.
        assert!(!due_for_refresh(&env, 10_000, 1.0, 0.001));
        // Within the compute time of expiry, a typical draw refreshes.
        assert!(due_for_refresh(&env, 99_990, 1.0, 0.5));
        assert!(due_for_refresh(&env, 100_000, 1.0, 1.0));
        // β = 0 turns early refresh off.
        assert!(!due_for_refresh(&env, 99_990, 0.0, 0.001));
    }
}
