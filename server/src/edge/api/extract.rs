//! Request extractors with the house error shape: the caller's principal, and JSON bodies
//! whose errors name the field (`work_packages[3].duration`) with a 422.

use app::services::Principal;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::Error;

/// The principal the auth layer attached; none → 401.
pub struct Caller(pub Principal);

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Error> {
        parts
            .extensions
            .get::<Principal>()
            .cloned()
            .map(Caller)
            .ok_or(Error::Unauthorized)
    }
}

/// The body as bytes; over the size limit → 413 with the JSON error body.
pub struct RawBody(pub Bytes);

/// Matches the router's `DefaultBodyLimit`.
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Error> {
        Bytes::from_request(req, state).await.map(RawBody).map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Error::TooLarge {
                    limit_bytes: BODY_LIMIT,
                }
            } else {
                Error::invalid("body", e.body_text())
            }
        })
    }
}

/// A JSON body; malformed JSON or a wrong field is a 422 naming where.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Error> {
        let RawBody(bytes) = RawBody::from_request(req, state).await?;
        parse(&bytes).map(JsonBody)
    }
}

/// Parses a whole JSON document: bytes after the value (other than whitespace) are
/// refused, so `{…}garbage` is not half-read.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let f = engine::FieldError::from_serde(&e.path().to_string(), &e.inner().to_string(), "body");
        Error::invalid(f.field, f.rule)
    })?;
    de.end()
        .map_err(|_| Error::invalid("body", "must hold one JSON value and nothing after it"))?;
    Ok(value)
}
