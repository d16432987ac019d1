//! Live collaboration over the real server with real WebSocket clients: joining, presence,
//! edits and their acks and conflicts, comments, events from the other write paths, bad
//! frames, limits and close codes, revocation, resume by offset, and durability across a
//! restart.

pub mod client;
mod limits;
mod protocol;
mod resume;

use app::dto::Role;

use crate::helpers::{sample_project, spawn_with, Options, TestApp};

/// A server with one technical report (it has a custom section, `technical-progress`).
pub async fn report_app(vars: Vec<(&'static str, String)>) -> (TestApp, String) {
    let app = spawn_with(Options {
        vars,
        ..Options::default()
    })
    .await;
    app.import(&sample_project("atlas")).await;
    let id = app.generate("atlas", "2026-10", "technical").await;
    (app, id)
}

pub const NOTES: &str = "technical-progress";

/// A token of `role` named `name` (presence shows names).
pub async fn token_named(app: &TestApp, name: &str, role: Role) -> String {
    app.state.auth.create_token(name, role).await.expect("token").1
}
