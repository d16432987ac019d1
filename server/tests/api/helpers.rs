//! Test harness: the real server on a free port with its own temporary SQLite file and,
//! when asked, its own `redis-server` on another free port. Typed request helpers with a
//! token per role.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;

use app::dto::Role;
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;
use server::config::Config;
use server::startup::Application;
use server::state::AppState;
use tempfile::TempDir;

pub use crate::redis_server::RedisServer;
use tokio::sync::oneshot;

#[derive(Default)]
pub struct Options {
    pub redis: bool,
    pub demo: bool,
    pub vars: Vec<(&'static str, String)>,
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: Client,
    pub state: AppState,
    pub tokens: HashMap<Role, String>,
    pub redis: Option<RedisServer>,
    /// Kept so the database outlives the test.
    _db_dir: TempDir,
    stop: Option<oneshot::Sender<()>>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

/// The built asset's URL path, `/pkg/pmr.<hash>.<kind>` (from `target/site/pkg/hash.txt`).
pub fn asset(kind: &str) -> String {
    let hashes = std::fs::read_to_string(workspace_root().join("target/site/pkg/hash.txt"))
        .expect("the site is built (scripts/build-site.sh)");
    let hash = hashes
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{kind}:")))
        .expect("a hash for the kind")
        .trim();
    format!("/pkg/pmr.{hash}.{kind}")
}

pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn base_vars(db_dir: &TempDir) -> HashMap<String, String> {
    let mut vars = HashMap::new();
    vars.insert("PMR_LISTEN".into(), "127.0.0.1:0".into());
    vars.insert(
        "DATABASE_URL".into(),
        format!("sqlite://{}/pmr.db", db_dir.path().display()),
    );
    vars.insert("REDIS_URL".into(), "off".into());
    vars.insert("PMR_DEMO".into(), "false".into());
    vars.insert(
        "PMR_SITE_ROOT".into(),
        workspace_root().join("target/site").display().to_string(),
    );
    vars.insert("CACHE_RECONNECT_INTERVAL_MS".into(), "100".into());
    vars
}

pub async fn spawn_app() -> TestApp {
    spawn_with(Options::default()).await
}

pub async fn spawn_with(opts: Options) -> TestApp {
    let db_dir = tempfile::tempdir().expect("temp dir");
    let redis = opts.redis.then(RedisServer::start);
    let mut vars = base_vars(&db_dir);
    if let Some(r) = &redis {
        vars.insert("REDIS_URL".into(), r.url());
    }
    if opts.demo {
        vars.insert("PMR_DEMO".into(), "true".into());
    }
    for (k, v) in opts.vars {
        vars.insert(k.into(), v);
    }
    let config = Config::from_vars(vars).expect("valid test config");
    let app = Application::build(config).await.expect("app builds");
    let addr = app.local_addr().expect("bound");
    let state = app.state().clone();
    let mut tokens = HashMap::new();
    for role in [Role::Viewer, Role::Editor, Role::Admin] {
        let (_, t) = state.auth.create_token(role.as_str(), role).await.expect("token");
        tokens.insert(role, t);
    }
    let (tx, rx) = oneshot::channel::<()>();
    // The server gets its own runtime with roomy stacks, as `pmr serve` does: rendering
    // pages in a debug build needs more than a test thread's stack.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_stack_size(8 * 1024 * 1024)
        .enable_all()
        .build()
        .expect("server runtime");
    runtime.spawn(app.run_until(async {
        let _ = rx.await;
    }));
    let client = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    TestApp {
        addr,
        client,
        state,
        tokens,
        redis,
        _db_dir: db_dir,
        stop: Some(tx),
        runtime: Some(runtime),
    }
}

impl TestApp {
    /// Stops this instance as a crash would: every task and socket dropped at once, no
    /// graceful shutdown, no goodbye to clients.
    pub fn kill(mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn token(&self, role: Role) -> &str {
        &self.tokens[&role]
    }

    pub async fn get(&self, path: &str, role: Option<Role>) -> Response {
        let mut req = self.client.get(self.url(path));
        if let Some(r) = role {
            req = req.bearer_auth(self.token(r));
        }
        req.send().await.expect("request")
    }

    pub async fn get_json(&self, path: &str, role: Role) -> (StatusCode, Value) {
        let res = self.get(path, Some(role)).await;
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    pub async fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        role: Option<Role>,
        body: &Value,
    ) -> (StatusCode, Value) {
        let mut req = self.client.request(method, self.url(path)).json(body);
        if let Some(r) = role {
            req = req.bearer_auth(self.token(r));
        }
        let res = req.send().await.expect("request");
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    pub async fn post_json(&self, path: &str, role: Role, body: &Value) -> (StatusCode, Value) {
        self.send_json(reqwest::Method::POST, path, Some(role), body).await
    }

    /// Calls a server function the way the browser does (form-encoded POST).
    pub async fn server_fn(&self, name: &str, role: Option<Role>, form: &[(&str, &str)]) -> Response {
        let mut req = self.client.post(self.url(&format!("/api/fn/{name}"))).form(form);
        if let Some(r) = role {
            req = req.bearer_auth(self.token(r));
        }
        req.send().await.expect("request")
    }

    /// The lazy-section server function, called as a viewer the way the island calls it.
    pub async fn lazy_section(&self, report: &str, section: &str) -> Response {
        self.server_fn(
            "report_section",
            Some(Role::Viewer),
            &[("report_id", report), ("section_id", section)],
        )
        .await
    }

    /// Imports a project document through the API as an editor.
    pub async fn import(&self, project: &Value) -> (StatusCode, Value) {
        self.post_json("/api/v1/projects", Role::Editor, project).await
    }

    /// Generates a report and returns its id.
    pub async fn generate(&self, project: &str, period: &str, template: &str) -> String {
        let (status, body) = self
            .post_json(
                "/api/v1/reports",
                Role::Editor,
                &serde_json::json!({ "project_id": project, "period": period, "template": template }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["id"].as_str().expect("report id").to_owned()
    }

    /// Operation count in the monitor (how many times a pipeline stage ran).
    pub fn runs(&self, operation: &str) -> usize {
        self.state
            .services
            .monitor()
            .operation_stats(operation)
            .map_or(0, |s| s.count)
    }
}

/// A demo project as an import document: valid, realistic, 20+ work packages.
pub fn sample_project(id: &str) -> Value {
    let mut p = server::demo::projects()
        .expect("demo builds")
        .into_iter()
        .find(|p| p.id.as_str() == "ion")
        .expect("ion is in the demo");
    p.id = engine::ProjectId::parse(id).expect("slug");
    serde_json::to_value(&p).expect("serialises")
}
