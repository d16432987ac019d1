//! The PMR server: configuration, store, cache, report pipeline, monitor integration,
//! auth, the JSON and performance APIs, Leptos SSR, and the CLI. `main.rs` only calls
//! [`cli::run`].

pub mod api;
pub mod auth;
pub mod cache;
pub mod cli;
pub mod config;
pub mod demo;
pub mod error;
mod http_metrics;
pub mod markdown;
pub mod pipeline;
mod security;
pub mod services;
pub mod startup;
pub mod state;
pub mod store;
