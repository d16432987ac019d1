//! The PMR server, in layers: the edge (`edge`: HTTP router, middleware, the guard that
//! asks the policy, the JSON API, Leptos SSR; `auth`: who is asking), the services
//! (`services`: every operation, one write path), and below them the store, the cache, the
//! pipeline over the pure engine, and the event bus. `main.rs` only calls [`cli::run`].

pub mod admission;
pub mod auth;
pub mod cache;
pub mod cli;
pub mod cluster;
pub mod collab;
pub mod config;
pub mod demo;
pub mod edge;
pub mod error;
pub mod events;
mod flight;
pub mod markdown;
pub mod pipeline;
pub mod services;
pub mod startup;
pub mod state;
pub mod store;
