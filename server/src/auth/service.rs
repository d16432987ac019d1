//! The authentication service: resolving a request's principal from a bearer token or a
//! session cookie, opening and ending sessions, and managing tokens. Cheap to clone.

use std::sync::Arc;

use app::dto::Role;
use app::policy::Principal;
use tokio::sync::broadcast;

use super::cache::{CredentialCache, Kind};
use super::tokens;
use crate::config::AuthConfig;
use crate::error::{Error, Result};
use crate::store::{Store, TokenRow};

#[derive(Clone)]
pub struct Auth {
    store: Store,
    config: Arc<AuthConfig>,

    /// Users whose credentials just ended (a token revoked, a session signed out): their
    /// open sockets are closed (the collaboration hub listens).
    ended: broadcast::Sender<String>,
    /// Credentials verified in the last second (see `cache.rs`).
    verified: Arc<CredentialCache>,
}

impl Auth {
    pub fn new(store: Store, config: AuthConfig) -> Self {
        Self {
            config: Arc::new(config),
            store,
            ended: broadcast::channel(256).0,
            verified: Arc::new(CredentialCache::default()),
        }
    }

    pub fn config(&self) -> &AuthConfig {
        &self.config
    }

    pub(super) fn store(&self) -> &Store {
        &self.store
    }

    /// Counts a failed sign-in for `key` (client address and token id) in the store, so
    /// every instance counts the same failures; past the limit in a minute, `RateLimited`.
    pub(super) async fn count_failure(&self, key: &str) -> Result<()> {
        const WINDOW_MS: i64 = 60_000;
        let n = self.store.count_sign_in_failure(key, WINDOW_MS).await?;
        if n > i64::from(self.config.sign_in_per_minute) {
            return Err(Error::RateLimited { retry_after_secs: 60 });
        }
        Ok(())
    }

    /// The principal behind a bearer token (refused as a whole if it does not verify).
    pub async fn bearer(&self, presented: &str) -> Result<Principal> {
        let digest = tokens::sha256_hex(presented);
        if let Some(p) = self.verified.get(Kind::Bearer, &digest) {
            return Ok(p);
        }
        let began = self.verified.epoch();
        let p = principal(tokens::verify(&self.store, presented).await?);
        self.verified.put(Kind::Bearer, digest, p.clone(), began);
        Ok(p)
    }

    /// The principal of a live session, if the cookie names one.
    pub async fn session(&self, cookie_value: &str) -> Result<Option<Principal>> {
        let digest = tokens::sha256_hex(cookie_value);
        if let Some(p) = self.verified.get(Kind::Session, &digest) {
            return Ok(Some(p));
        }
        let began = self.verified.epoch();
        let found = self.store.session(&digest).await?.map(|s| principal(s.token));
        if let Some(p) = &found {
            self.verified.put(Kind::Session, digest, p.clone(), began);
        }
        Ok(found)
    }

    /// Another instance ended `user`'s credentials (read from the cluster log): stop
    /// trusting what was verified here.
    pub fn forget_user(&self, user: &str) {
        self.verified.forget_user(user);
    }

    /// The reader allowed in without a token, when configured.
    pub fn anonymous(&self) -> Option<Principal> {
        self.config.allow_anonymous.then(|| Principal {
            name: "anonymous".into(),
            role: Role::Viewer,
            signed_in: false,
        })
    }

    pub async fn list_tokens(&self) -> Result<Vec<TokenRow>> {
        self.store.list_tokens().await
    }

    /// Creates a token; the returned string is the only time its secret exists in clear.
    pub async fn create_token(&self, name: &str, role: Role) -> Result<(TokenRow, String)> {
        tokens::create(&self.store, name, role).await
    }

    /// Revokes a token at once, its sessions with it, and announces that its user's
    /// sockets must close.
    pub async fn revoke_token(&self, id: i64, by: &Principal) -> Result<()> {
        let name = self.store.token(id).await?.map(|(t, _)| t.name);
        if self.store.revoke_token(id).await? {
            tracing::info!(token.id = id, by = %by.name, "token revoked");
            if let Some(name) = name {
                self.announce_end(name).await;
            }
            Ok(())
        } else {
            Err(Error::NotFound(format!("token {id}")))
        }
    }

    /// Ends a browser session (sign-out) and announces it.
    pub async fn end_session(&self, cookie_value: &str) -> Result<()> {
        let hash = tokens::sha256_hex(cookie_value);
        let who = self.store.session(&hash).await?.map(|s| s.token.name);
        self.store.delete_session(&hash).await?;
        if let Some(name) = who {
            self.announce_end(name).await;
        }
        Ok(())
    }

    /// A user's credentials ended: their sockets close here at once, and on the other
    /// instances (sharing a PostgreSQL store) when they read the cluster log, within a second.
    async fn announce_end(&self, user: String) {
        self.verified.forget_user(&user);
        if self.store.dialect() == crate::store::Dialect::Postgres {
            if let Err(e) = self.store.log_append(crate::cluster::ENDED, &user).await {
                tracing::warn!(error = %e, "could not tell other instances a credential ended");
            }
        }
        let _ = self.ended.send(user);
    }

    /// Users whose credentials end from now on.
    pub fn ended(&self) -> broadcast::Receiver<String> {
        self.ended.subscribe()
    }
}

fn principal(t: TokenRow) -> Principal {
    Principal {
        name: t.name,
        role: t.role,
        signed_in: true,
    }
}
