//! The crate's error type. Recording never fails (a monitor must not break the request it
//! measures); only strict construction ([`crate::Monitor::try_new`]) can.

/// What can go wrong building a monitor.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The Prometheus instruments could not be created or registered.
    #[error("prometheus setup failed: {0}")]
    Prometheus(#[from] prometheus::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
