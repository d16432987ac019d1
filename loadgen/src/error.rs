//! The generator's errors: what went wrong setting up a run (seeding over HTTP, reading the
//! seed file, a bad address). Trouble during a run is not an error — it is counted
//! (refusals, closes, losses) and reported.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum Error {
    #[error("HTTP request to {url} failed: {source}")]
    Http {
        url: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("{url} answered {status}: {body}")]
    Status { url: String, status: u16, body: String },
    #[error("unexpected answer from {url}: {what}")]
    Answer { url: String, what: String },
    #[error("seed file {path}: {source}")]
    SeedFile {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("seed file {path} is not valid: {source}")]
    SeedJson {
        path: String,
        #[source]
        source: serde_json::Error,
    },
    #[error("cannot write {path}: {source}")]
    Output {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("bad address {0:?}: expected ws://host:port or http://host:port")]
    Address(String),
    #[error("the run needs {needed} reports but the seed has {have}")]
    TooFewReports { needed: usize, have: usize },
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
}

pub type Result<T> = std::result::Result<T, Error>;
