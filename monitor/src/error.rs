//! The crate's error type. Recording never fails (a monitor must not break the request it
//! measures); only strict construction ([`crate::Monitor::try_new`]) and asking for a time
//! series of an impossible shape can.

/// What can go wrong building a monitor.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The Prometheus instruments could not be created or registered.
    #[error("prometheus setup failed: {0}")]
    Prometheus(#[from] prometheus::Error),
    /// A time series was asked for with buckets narrower than a millisecond.
    #[error("series bucket must be at least 1 ms")]
    ZeroBucket,
    /// A time series would have more points than [`crate::MAX_SERIES_POINTS`].
    #[error("series of {window_ms} ms in {bucket_ms} ms buckets has more than {max} points")]
    TooManyPoints { window_ms: u64, bucket_ms: u64, max: usize },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
