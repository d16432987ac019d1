//! Several instances (SPEC §7), spawned in the test on one PostgreSQL cluster of the test's
//! own and, where the test says so, one `redis-server`: what one instance learns — an edit,
//! a comment, a revoked token, an import, a generation claim — reaches the others; an
//! instance that dies, a lost subscription and a Redis restart lose no event.

mod crossing;
mod failures;
mod polling;

use app::dto::Role;
use serde_json::Value;

use crate::collab::client::{connect, Client, Connect};
use crate::helpers::{sample_project, spawn_with, Options, RedisServer, TestApp};
use crate::pg_server::PgServer;

pub use crate::collab::client::edit;
pub use crate::collab::NOTES;

/// One database (and maybe one Redis) that every instance of the test shares.
pub struct Cluster {
    pub pg: PgServer,
    pub redis: Option<RedisServer>,
    pub database: String,
}

impl Cluster {
    pub fn start(with_redis: bool) -> Self {
        let pg = PgServer::start();
        let database = pg.database();
        Self {
            pg,
            redis: with_redis.then(RedisServer::start),
            database,
        }
    }

    /// A new instance on the shared database and Redis.
    pub async fn instance(&self) -> TestApp {
        let mut vars = vec![("DATABASE_URL", self.database.clone())];
        if let Some(r) = &self.redis {
            vars.push(("REDIS_URL", r.url()));
        }
        spawn_with(Options {
            vars,
            ..Options::default()
        })
        .await
    }

    /// Two instances, a project imported through the first and a technical report of it.
    pub async fn pair_with_report(&self) -> (TestApp, TestApp, String) {
        let a = self.instance().await;
        let b = self.instance().await;
        a.import(&sample_project("atlas")).await;
        let id = a.generate("atlas", "2026-10", "technical").await;
        (a, b, id)
    }
}

/// A fresh socket of `token` to `report` on `app`, past its `session_state` (returned).
pub async fn join(app: &TestApp, report: &str, token: &str) -> (Client, Value) {
    let mut c = connect(
        app,
        report,
        Connect {
            token: Some(token),
            ..Connect::default()
        },
    )
    .await;
    let (state, _) = c.until("session_state").await;
    (c, state)
}

/// A token named `name` (presence shows names), made on `app`: valid on every instance.
pub async fn token(app: &TestApp, name: &str, role: Role) -> String {
    crate::collab::token_named(app, name, role).await
}
