//! All integration tests in one binary (one build, one link): each test starts the real
//! server on a free port with its own database (and Redis, where the test needs one).

mod helpers;
mod pg_server;
mod redis_server;

mod assets;
mod auth;
mod cache;
mod cli;
mod cluster;
mod collab;
mod edit_cost;
mod hostile;
mod import;
mod matrix;
mod openapi;
mod pages;
mod performance;
mod reports;
mod store_contract;
mod upgrade;
