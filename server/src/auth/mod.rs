//! Who is asking: API tokens (hashed at rest), browser sessions opened with a token, the
//! principal attached to each request, the cross-site check on state-changing requests,
//! and the rate limits of sign-in. What a principal may do is not decided here but by the
//! policy (`app::policy`), asked by the edge's guard.

mod cache;
mod csrf;
mod principal;
mod rate_limit;
mod service;
mod session;
pub mod tokens;

pub use csrf::refuse_cross_site;
pub use principal::attach_principal;
pub use rate_limit::RateLimiter;
pub use service::Auth;
pub use session::{sign_in, sign_out, SESSION_COOKIE};

/// Static files: the same for everyone, so nobody's session is looked up for them.
/// Paths reaching here are normalised (see `edge::request_guard`), so a prefix means what
/// it says.
pub fn is_public_asset(path: &str) -> bool {
    matches!(path, "/favicon.svg" | "/robots.txt") || path.starts_with("/pkg/")
}
