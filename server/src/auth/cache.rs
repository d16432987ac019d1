//! Verified credentials, remembered for a moment so a busy reader does not cost a store
//! round trip (and a `last_used` write) per request. Entries live at most [`TTL`]; ending a
//! credential forgets every entry of its user here at once, and the other instances forget
//! theirs when they read the cluster log (SPEC §7) — inside the same second either way.
//! Only successes are kept: a refused credential is checked again every time.
//!
//! Keys are SHA-256 digests of what was presented, never the secret itself.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use app::policy::Principal;

/// How long a verified credential is trusted without asking the store.
pub const TTL: Duration = Duration::from_secs(1);
/// Entries kept at most; beyond, the expired go first and then everything (a burst of new
/// credentials costs a few store lookups, never unbounded memory).
const CAPACITY: usize = 10_000;

/// What a credential was presented as (a token and a cookie never share an entry).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Bearer,
    Session,
}

pub struct CredentialCache {
    entries: Mutex<HashMap<(Kind, String), (Principal, Instant)>>,
    ttl: Duration,
    /// Bumped by every [`Self::forget_user`]: a lookup that began before a credential ended
    /// must not put what it read back in (it may have read the credential still valid).
    epoch: AtomicU64,
}

/// When a store lookup began, for [`CredentialCache::put`].
#[derive(Clone, Copy)]
pub struct Epoch(u64);

impl Default for CredentialCache {
    fn default() -> Self {
        Self::with_ttl(TTL)
    }
}

impl CredentialCache {
    pub fn with_ttl(ttl: Duration) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            ttl,
            epoch: AtomicU64::new(0),
        }
    }

    /// Taken before asking the store.
    pub fn epoch(&self) -> Epoch {
        Epoch(self.epoch.load(Ordering::SeqCst))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(Kind, String), (Principal, Instant)>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The principal verified for `digest` less than the TTL ago.
    pub fn get(&self, kind: Kind, digest: &str) -> Option<Principal> {
        let now = Instant::now();
        let mut entries = self.lock();
        let key = (kind, digest.to_owned());
        match entries.get(&key) {
            Some((p, until)) if *until > now => Some(p.clone()),
            Some(_) => {
                entries.remove(&key);
                None
            }
            None => None,
        }
    }

    /// Remembers a credential the store verified in a lookup that began at `since`, unless
    /// some credential ended meanwhile.
    pub fn put(&self, kind: Kind, digest: String, principal: Principal, since: Epoch) {
        let now = Instant::now();
        let mut entries = self.lock();
        if self.epoch.load(Ordering::SeqCst) != since.0 {
            return;
        }
        if entries.len() >= CAPACITY {
            entries.retain(|_, (_, until)| *until > now);
            if entries.len() >= CAPACITY {
                entries.clear();
            }
        }
        entries.insert((kind, digest), (principal, now + self.ttl));
    }

    /// Forgets every credential of `user` (a token revoked, a session ended).
    pub fn forget_user(&self, user: &str) {
        let mut entries = self.lock();
        self.epoch.fetch_add(1, Ordering::SeqCst);
        entries.retain(|_, (p, _)| p.name != user);
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.lock().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::dto::Role;

    fn who(name: &str) -> Principal {
        Principal {
            name: name.into(),
            role: Role::Editor,
            signed_in: true,
        }
    }

    #[test]
    fn a_verified_credential_is_kept_until_its_ttl_and_no_longer() {
        let c = CredentialCache::with_ttl(Duration::from_millis(50));
        c.put(Kind::Bearer, "d1".into(), who("ann"), c.epoch());
        assert_eq!(c.get(Kind::Bearer, "d1").map(|p| p.name), Some("ann".into()));
        assert!(c.get(Kind::Session, "d1").is_none(), "kinds do not mix");
        std::thread::sleep(Duration::from_millis(60));
        assert!(c.get(Kind::Bearer, "d1").is_none());
        assert_eq!(c.len(), 0, "an expired entry is dropped when met");
    }

    #[test]
    fn ending_a_user_forgets_all_their_credentials_and_only_theirs() {
        let c = CredentialCache::default();
        c.put(Kind::Bearer, "t".into(), who("ann"), c.epoch());
        c.put(Kind::Session, "s".into(), who("ann"), c.epoch());
        c.put(Kind::Bearer, "u".into(), who("bob"), c.epoch());
        c.forget_user("ann");
        assert!(c.get(Kind::Bearer, "t").is_none() && c.get(Kind::Session, "s").is_none());
        assert!(c.get(Kind::Bearer, "u").is_some());
    }

    #[test]
    fn a_lookup_that_raced_an_ending_does_not_put_its_answer_back() {
        let c = CredentialCache::default();
        let began = c.epoch();
        // The store answered "valid"; meanwhile the token was revoked.
        c.forget_user("ann");
        c.put(Kind::Bearer, "t".into(), who("ann"), began);
        assert!(c.get(Kind::Bearer, "t").is_none());
    }

    #[test]
    fn it_never_holds_more_than_its_capacity() {
        let c = CredentialCache::default();
        for i in 0..CAPACITY + 5 {
            c.put(Kind::Bearer, format!("d{i}"), who("ann"), c.epoch());
        }
        assert!(c.len() <= CAPACITY);
        assert!(
            c.get(Kind::Bearer, &format!("d{}", CAPACITY + 4)).is_some(),
            "the newest is kept"
        );
    }
}
