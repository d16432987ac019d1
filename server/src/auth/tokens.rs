//! API tokens: `pmr_<id>_<secret>` with a 256-bit random secret. Only the secret's SHA-256
//! is stored; verification looks the token up by id and compares hashes in constant time.
//! Any malformed, unknown, wrong or revoked token is the same `Unauthorized`.

use app::dto::Role;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::error::{Error, Result};
use crate::store::{Store, TokenRow};

/// 32 random bytes as lowercase hex.
pub fn random_hex() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| Error::internal(format!("no randomness: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

pub fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Creates a token; the returned string is the only time the secret exists in clear.
pub async fn create(store: &Store, name: &str, role: Role) -> Result<(TokenRow, String)> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 64 {
        return Err(Error::invalid("name", "must be 1-64 characters"));
    }
    let secret = random_hex()?;
    let row = store.insert_token(name, role, &sha256_hex(&secret)).await?;
    let token = format!("pmr_{}_{}", row.id, secret);
    Ok((row, token))
}

/// The live token behind a presented string.
pub async fn verify(store: &Store, presented: &str) -> Result<TokenRow> {
    let (id, secret) = parse(presented).ok_or(Error::Unauthorized)?;
    let (row, stored_hash) = store.token(id).await?.ok_or(Error::Unauthorized)?;
    let matches: bool = sha256_hex(secret).as_bytes().ct_eq(stored_hash.as_bytes()).into();
    if !matches || row.revoked_at.is_some() {
        return Err(Error::Unauthorized);
    }
    if let Err(e) = store.touch_token(row.id).await {
        tracing::warn!(error = %e, "could not record token use");
    }
    Ok(row)
}

/// The token id a presented string claims, for keying sign-in failures (the secret is
/// never part of a key).
pub fn claimed_id(presented: &str) -> Option<String> {
    let rest = presented.trim().strip_prefix("pmr_")?;
    let id = rest.split('_').next()?;
    (!id.is_empty() && id.len() <= 19 && id.bytes().all(|b| b.is_ascii_digit())).then(|| id.to_owned())
}

fn parse(presented: &str) -> Option<(i64, &str)> {
    let rest = presented.trim().strip_prefix("pmr_")?;
    let (id, secret) = rest.split_once('_')?;
    let id: i64 = id.parse().ok()?;
    (secret.len() == 64 && secret.bytes().all(|b| b.is_ascii_hexdigit())).then_some((id, secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_well_formed_tokens() {
        let secret = "a".repeat(64);
        assert_eq!(parse(&format!("pmr_12_{secret}")), Some((12, secret.as_str())));
        for bad in [
            "",
            "pmr_",
            "pmr_x_abc",
            "pmr_1_short",
            "bearer",
            &format!("pmr_1_{}", "z".repeat(64)),
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn hashes_are_hex_sha256() {
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(random_hex().expect("random").len(), 64);
    }
}
