//! Who is asking, and may they? API tokens (hashed at rest), browser sessions opened with
//! a token, the principal attached to each request, the gate that turns "nobody" into a
//! 401 or a redirect to sign-in, the cross-site check on state-changing requests, and rate
//! limits.

mod csrf;
mod gate;
mod principal;
mod rate_limit;
mod session;
pub mod tokens;

pub use csrf::refuse_cross_site;
pub use gate::{is_public_asset, require_principal};
pub use principal::attach_principal;
pub use rate_limit::RateLimiter;
pub use session::{sign_in, sign_out, SESSION_COOKIE};
