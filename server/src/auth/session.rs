//! Browser sign-in and sign-out. Signing in exchanges a valid API token for a session
//! cookie (HttpOnly, SameSite=Strict, Secure behind TLS, expiring); the cookie holds a
//! random id whose hash is stored, never the token.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

use super::principal::cookie;
use super::tokens;
use super::Auth;
use crate::error::{Context, Error, Result};

pub const SESSION_COOKIE: &str = "pmr_session";

#[derive(Deserialize)]
pub struct SignInForm {
    token: String,
    #[serde(default)]
    next: String,
}

fn see_other(location: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, location.to_owned())]).into_response()
}

/// Only a path on this site (see [`app::url::safe_next`]); anything else goes home.
fn safe_next(next: &str) -> &str {
    app::url::safe_next(next).unwrap_or("/")
}

/// The client's address when the server was started with connect info (tests driving
/// the router directly have none).
pub struct ClientAddr(Option<SocketAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> std::result::Result<Self, Self::Rejection> {
        Ok(Self(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0)))
    }
}

pub async fn sign_in(
    State(auth): State<Auth>,
    ClientAddr(peer): ClientAddr,
    form: std::result::Result<Form<SignInForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let form = match form {
        Ok(Form(f)) => f,
        Err(e) => return Error::invalid("body", e.body_text()).into_response(),
    };
    let client = peer.map_or_else(|| "unknown".to_owned(), |a| a.ip().to_string());
    match open_session(&auth, &client, &form.token).await {
        Ok(cookie) => {
            let mut res = see_other(safe_next(&form.next));
            if let Ok(v) = cookie.parse() {
                res.headers_mut().insert(header::SET_COOKIE, v);
            }
            res
        }
        Err(Error::Unauthorized) => {
            let message = app::url::escape("That token is not valid.");
            let next = app::url::escape(safe_next(&form.next));
            let mut res = see_other(&format!("/sign-in?error={message}&next={next}"));
            *res.status_mut() = StatusCode::SEE_OTHER;
            res
        }
        Err(e) => e.into_response(),
    }
}

/// Exchanges a token for a session. Failures are counted per client address **and** the
/// token id tried, and only failures: a valid token always signs in, however many wrong
/// guesses others made (behind a proxy everybody shares one address), while someone
/// guessing at one token from one address is answered 429 once past the limit.
async fn open_session(auth: &Auth, client: &str, presented: &str) -> Result<String> {
    let key = format!(
        "{client} {}",
        tokens::claimed_id(presented).unwrap_or_else(|| "?".into())
    );
    let token = match tokens::verify(auth.store(), presented).await {
        Ok(t) => t,
        Err(Error::Unauthorized) => {
            auth.count_failure(&key).await?;
            return Err(Error::Unauthorized);
        }
        Err(e) => return Err(e),
    };
    let id = tokens::random_hex()?;
    let ttl = auth.config().session_ttl;
    let expires = chrono::Utc::now() + chrono::Duration::from_std(ttl).context("session lifetime")?;
    auth.store()
        .create_session(
            &tokens::sha256_hex(&id),
            token.id,
            &expires.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        )
        .await?;
    tracing::info!(token.id = token.id, token.name = %token.name, "signed in");
    Ok(session_cookie(&id, ttl.as_secs(), auth.config().behind_tls))
}

fn session_cookie(value: &str, max_age: u64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}")
}

pub async fn sign_out(State(auth): State<Auth>, headers: HeaderMap) -> Response {
    if let Some(id) = cookie(&headers, SESSION_COOKIE) {
        if let Err(e) = auth.end_session(id).await {
            return e.into_response();
        }
    }
    let mut res = see_other("/sign-in");
    if let Ok(v) = session_cookie("", 0, auth.config().behind_tls).parse() {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_has_the_hardening_flags() {
        let c = session_cookie("abc", 3600, true);
        for flag in ["HttpOnly", "SameSite=Strict", "Max-Age=3600", "Secure", "Path=/"] {
            assert!(c.contains(flag), "{c}");
        }
        assert!(!session_cookie("abc", 3600, false).contains("Secure"));
    }

    #[test]
    fn next_stays_on_site() {
        assert_eq!(safe_next("/reports/a"), "/reports/a");
        assert_eq!(safe_next("//evil.example"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
    }
}
