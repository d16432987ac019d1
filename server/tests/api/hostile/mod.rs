//! The hostile-input classes of the hardening issue, each proved over the real server:
//! markup in every text field, client-controlled metric labels, concurrent writes to one
//! object, expensive work without admission, connections that never finish, client
//! mistakes answered as server errors, odd paths and redirects, sign-in throttling, and the
//! smaller inconsistencies (trailing bytes, unknown fields, error shapes, caching, file
//! modes).

mod concurrency;
mod connections;
mod markup;
mod requests;
