//! The PMR server: configuration, store, cache, report pipeline, monitor integration,
//! auth, the JSON and performance APIs, Leptos SSR, and the CLI. `main.rs` only calls
//! [`cli::run`].

pub mod admission;
pub mod api;
pub mod auth;
pub mod cache;
pub mod cli;
pub mod config;
pub mod demo;
pub mod error;
mod flight;
mod fn_errors;
mod http_metrics;
pub mod markdown;
pub mod pipeline;
mod request_guard;
mod security;
pub mod serve;
pub mod services;
pub mod startup;
pub mod state;
pub mod store;
