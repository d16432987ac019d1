//! Preparing a server for a run through its JSON API with an admin token: an editor and a
//! viewer token, and one report per room — a source project copied under new ids
//! (`<prefix>-0001`, …) and a report generated for each. The result is saved as a small JSON
//! file so several runs can share one seeding.

use std::time::Duration;

use reqwest::{Client, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::error::{Error, Result};

/// What a run needs from the server.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Seed {
    pub editor_token: String,
    pub viewer_token: String,
    pub reports: Vec<String>,
}

impl Seed {
    pub fn load(path: &str) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::SeedFile {
            path: path.to_owned(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|source| Error::SeedJson {
            path: path.to_owned(),
            source,
        })
    }

    pub fn save(&self, path: &str) -> Result<()> {
        let text = serde_json::to_string(self).map_err(|source| Error::SeedJson {
            path: path.to_owned(),
            source,
        })?;
        std::fs::write(path, text).map_err(|source| Error::SeedFile {
            path: path.to_owned(),
            source,
        })
    }
}

/// What to seed.
pub struct Plan {
    /// `http://host:port` of any instance (or the balancer).
    pub base: String,
    pub admin_token: String,
    pub rooms: usize,
    /// The project document to copy (an export, or the import format).
    pub project: Value,
    pub period: String,
    pub template: String,
    pub prefix: String,
}

/// A source document: the export of an existing project.
pub async fn export(base: &str, admin_token: &str, project: &str) -> Result<Value> {
    let api = Api::new(base, admin_token)?;
    api.call(
        reqwest::Method::GET,
        &format!("/api/v1/projects/{project}/export"),
        None,
    )
    .await
}

pub async fn seed(plan: &Plan) -> Result<Seed> {
    let api = Api::new(&plan.base, &plan.admin_token)?;
    let editor_token = api.token("load-editor", "editor").await?;
    let viewer_token = api.token("load-viewer", "viewer").await?;
    let mut reports = Vec::with_capacity(plan.rooms);
    for i in 1..=plan.rooms {
        let mut project = plan.project.clone();
        let id = format!("{}-{i:04}", plan.prefix);
        project["id"] = Value::String(id.clone());
        if let Some(name) = project.get("name").and_then(Value::as_str) {
            project["name"] = Value::String(format!("{name} {i}"));
        }
        api.call(reqwest::Method::POST, "/api/v1/projects", Some(&project))
            .await?;
        let body = json!({ "project_id": id, "period": plan.period, "template": plan.template, "iterations": 1000 });
        let generated = api.call(reqwest::Method::POST, "/api/v1/reports", Some(&body)).await?;
        let report = generated["id"].as_str().ok_or_else(|| Error::Answer {
            url: "/api/v1/reports".into(),
            what: format!("no report id in {generated}"),
        })?;
        reports.push(report.to_owned());
    }
    Ok(Seed {
        editor_token,
        viewer_token,
        reports,
    })
}

struct Api {
    client: Client,
    base: String,
    token: String,
}

impl Api {
    fn new(base: &str, token: &str) -> Result<Self> {
        let client = Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|source| Error::Http {
                url: base.to_owned(),
                source,
            })?;
        Ok(Self {
            client,
            base: base.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
        })
    }

    async fn token(&self, name: &str, role: &str) -> Result<String> {
        let body = json!({ "name": name, "role": role });
        let created = self.call(reqwest::Method::POST, "/api/v1/tokens", Some(&body)).await?;
        created["token"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| Error::Answer {
                url: "/api/v1/tokens".into(),
                what: "no token in the answer".into(),
            })
    }

    /// One call; busy (503) and rate-limited (429) answers are retried after a pause, and a
    /// conflict (409: the project exists from an earlier seeding) counts as done.
    async fn call(&self, method: reqwest::Method, path: &str, body: Option<&Value>) -> Result<Value> {
        let url = format!("{}{path}", self.base);
        for _ in 0..100 {
            let mut request = self.client.request(method.clone(), &url).bearer_auth(&self.token);
            if let Some(b) = body {
                request = request.json(b);
            }
            let response = request.send().await.map_err(|source| Error::Http {
                url: url.clone(),
                source,
            })?;
            let status = response.status();
            if status == StatusCode::SERVICE_UNAVAILABLE || status == StatusCode::TOO_MANY_REQUESTS {
                tokio::time::sleep(Duration::from_millis(200)).await;
                continue;
            }
            let text = response.text().await.unwrap_or_default();
            if status.is_success() || status == StatusCode::CONFLICT {
                return Ok(serde_json::from_str(&text).unwrap_or(Value::Null));
            }
            return Err(Error::Status {
                url,
                status: status.as_u16(),
                body: text,
            });
        }
        Err(Error::Answer {
            url,
            what: "still busy after 100 tries".into(),
        })
    }
}
