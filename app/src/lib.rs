//! The Leptos UI shared by the server and the browser.
//!
//! In islands mode only the `#[island]` components (module [`islands`]) are compiled into
//! the WASM bundle and hydrated; pages and section renderers are server components that
//! exist only with the `ssr` feature and reach the server's services through one context
//! value ([`services::Services`]). Server functions sit next to the island that calls them.

// Deeply nested view types need more than the default 128 levels to lay out.
#![recursion_limit = "256"]

#[cfg(feature = "bench")]
pub mod bench;
pub mod domain;
pub mod dto;
pub mod error;
pub mod islands;
pub mod policy;
pub mod url;

#[cfg(feature = "ssr")]
pub mod components;
#[cfg(feature = "ssr")]
mod openapi;
#[cfg(feature = "ssr")]
pub mod pages;
#[cfg(feature = "ssr")]
pub mod sections;
#[cfg(feature = "ssr")]
pub mod services;
#[cfg(feature = "ssr")]
mod shell;

#[cfg(feature = "ssr")]
pub use shell::{shell, App, AssetNames, CspNonce};
