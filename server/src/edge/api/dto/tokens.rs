//! API tokens over the API (admins only): the list, a new token with its secret, a
//! revocation, and the body that creates one.

use app::dto::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::store::TokenRow;

/// A new token's name and role.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTokenRequest {
    /// Who or what the token is for; shown in audit logs.
    pub name: String,
    pub role: Role,
}

/// A token as listed: never its secret.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Token)]
pub struct TokenDto {
    pub id: i64,
    pub name: String,
    pub role: Role,
    /// RFC 3339 timestamps.
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

impl From<TokenRow> for TokenDto {
    fn from(t: TokenRow) -> Self {
        Self {
            id: t.id,
            name: t.name,
            role: t.role,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
        }
    }
}

/// A new token, with its secret: shown in this response only.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = CreatedToken)]
pub struct CreatedTokenDto {
    pub id: i64,
    pub name: String,
    pub role: Role,
    /// The secret, `pmr_…`: send it as `Authorization: Bearer <token>`.
    pub token: String,
}

/// A revocation: effective at once, for the token's sessions too.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = RevokedToken)]
pub struct RevokedTokenDto {
    pub id: i64,
    pub revoked: bool,
}
