//! API tokens (kept as a hash of their secret) and the browser sessions opened with them.

use app::dto::Role;
use serde::Serialize;
use sqlx::{any::AnyRow, Row};

use super::corrupt;
use super::{now_text, Store};
use crate::error::Result;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// A live session: the token it was opened with.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: TokenRow,
    pub expires_at: String,
}

impl Store {
    pub async fn insert_token(&self, name: &str, role: Role, secret_hash: &str) -> Result<TokenRow> {
        self.timed(async {
            let now = now_text();
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO api_tokens (name, role, secret_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(name)
            .bind(role.as_str())
            .bind(secret_hash)
            .bind(&now)
            .fetch_one(&self.pool)
            .await?;
            Ok(TokenRow {
                id,
                name: name.to_owned(),
                role,
                created_at: now,
                last_used_at: None,
                revoked_at: None,
            })
        })
        .await
    }

    /// The token and its secret's hash, revoked or not.
    pub async fn token(&self, id: i64) -> Result<Option<(TokenRow, String)>> {
        self.timed(async {
            let row = sqlx::query(&format!(
                "SELECT {TOKEN_COLUMNS}, secret_hash FROM api_tokens WHERE id = $1"
            ))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
            row.map(|r| Ok((token_row(&r)?, r.try_get("secret_hash")?))).transpose()
        })
        .await
    }

    pub async fn list_tokens(&self) -> Result<Vec<TokenRow>> {
        self.timed(async {
            let rows = sqlx::query(&format!("SELECT {TOKEN_COLUMNS} FROM api_tokens ORDER BY id"))
                .fetch_all(&self.pool)
                .await?;
            rows.iter().map(token_row).collect()
        })
        .await
    }

    pub async fn count_tokens(&self) -> Result<i64> {
        self.timed(async {
            Ok(sqlx::query_scalar("SELECT COUNT(*) FROM api_tokens")
                .fetch_one(&self.pool)
                .await?)
        })
        .await
    }

    /// Revokes a token and ends its sessions at once. False when there is no such live token.
    pub async fn revoke_token(&self, id: i64) -> Result<bool> {
        self.timed(async {
            let (_turn, mut tx) = self.write_tx().await?;
            let done = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
                .bind(now_text())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM sessions WHERE token_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(done.rows_affected() > 0)
        })
        .await
    }

    /// Records use, at most once a minute per token (a write per request would be waste).
    pub async fn touch_token(&self, id: i64) -> Result<()> {
        self.timed(async {
            let now = chrono::Utc::now();
            let stale = (now - chrono::Duration::minutes(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            sqlx::query(
                "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $3)",
            )
            .bind(now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .bind(id)
            .bind(stale)
            .execute(&self.pool)
            .await?;
            Ok(())
        })
        .await
    }

    pub async fn create_session(&self, id_hash: &str, token_id: i64, expires_at: &str) -> Result<()> {
        self.timed(async {
            sqlx::query("INSERT INTO sessions (id_hash, token_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
                .bind(id_hash)
                .bind(token_id)
                .bind(now_text())
                .bind(expires_at)
                .execute(&self.pool)
                .await?;
            Ok(())
        })
        .await
    }

    /// The session if it has not expired and its token is not revoked.
    pub async fn session(&self, id_hash: &str) -> Result<Option<Session>> {
        self.timed(async {
            let row = sqlx::query(
                "SELECT t.id, t.name, t.role, t.created_at, t.last_used_at, t.revoked_at, s.expires_at AS session_expires \
                 FROM sessions s JOIN api_tokens t ON t.id = s.token_id \
                 WHERE s.id_hash = $1 AND s.expires_at > $2 AND t.revoked_at IS NULL",
            )
            .bind(id_hash)
            .bind(now_text())
            .fetch_optional(&self.pool)
            .await?;
            row.map(|r| {
                Ok(Session {
                    token: token_row(&r)?,
                    expires_at: r.try_get("session_expires")?,
                })
            })
            .transpose()
        })
        .await
    }

    pub async fn delete_session(&self, id_hash: &str) -> Result<()> {
        self.timed(async {
            sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
                .bind(id_hash)
                .execute(&self.pool)
                .await?;
            Ok(())
        })
        .await
    }
}

const TOKEN_COLUMNS: &str = "id, name, role, created_at, last_used_at, revoked_at";

fn token_row(r: &AnyRow) -> Result<TokenRow> {
    let role: String = r.try_get("role")?;
    Ok(TokenRow {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        role: Role::parse(&role).ok_or_else(|| corrupt(role))?,
        created_at: r.try_get("created_at")?,
        last_used_at: r.try_get("last_used_at")?,
        revoked_at: r.try_get("revoked_at")?,
    })
}
