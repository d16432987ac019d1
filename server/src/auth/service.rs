//! The authentication service: resolving a request's principal from a bearer token or a
//! session cookie, opening and ending sessions, and managing tokens. Cheap to clone.

use std::sync::Arc;

use app::dto::Role;
use app::policy::Principal;

use super::tokens;
use super::RateLimiter;
use crate::config::AuthConfig;
use crate::error::{Error, Result};
use crate::store::{Store, TokenRow};

#[derive(Clone)]
pub struct Auth {
    store: Store,
    config: Arc<AuthConfig>,
    /// Failed sign-ins per client address and token id.
    sign_in_failures: Arc<RateLimiter>,
}

impl Auth {
    pub fn new(store: Store, config: AuthConfig) -> Self {
        Self {
            sign_in_failures: Arc::new(RateLimiter::per_minute(config.sign_in_per_minute)),
            config: Arc::new(config),
            store,
        }
    }

    pub fn config(&self) -> &AuthConfig {
        &self.config
    }

    pub(super) fn store(&self) -> &Store {
        &self.store
    }

    pub(super) fn sign_in_failures(&self) -> &RateLimiter {
        &self.sign_in_failures
    }

    /// The principal behind a bearer token (refused as a whole if it does not verify).
    pub async fn bearer(&self, presented: &str) -> Result<Principal> {
        let token = tokens::verify(&self.store, presented).await?;
        Ok(principal(token))
    }

    /// The principal of a live session, if the cookie names one.
    pub async fn session(&self, cookie_value: &str) -> Result<Option<Principal>> {
        Ok(self
            .store
            .session(&tokens::sha256_hex(cookie_value))
            .await?
            .map(|s| principal(s.token)))
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

    /// Revokes a token at once, its sessions with it.
    pub async fn revoke_token(&self, id: i64, by: &Principal) -> Result<()> {
        if self.store.revoke_token(id).await? {
            tracing::info!(token.id = id, by = %by.name, "token revoked");
            Ok(())
        } else {
            Err(Error::NotFound(format!("token {id}")))
        }
    }
}

fn principal(t: TokenRow) -> Principal {
    Principal {
        name: t.name,
        role: t.role,
        signed_in: true,
    }
}
