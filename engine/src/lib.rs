//! The pure PMR engine: the project model and everything computed from it — earned value
//! and RAG status, the Monte Carlo forecast, analytic insights, the executive summary and
//! chart data/SVG.
//!
//! No I/O, no async, no web types: the server loads data and times each stage; this crate
//! only computes. That keeps every formula testable on hand-worked cases and benchmarkable
//! on its own (`cargo bench -p engine`).

pub mod calendar;
pub mod charts;
pub mod error;
pub mod finite;
pub mod format;
pub mod insights;
pub mod limits;
pub mod metrics;
pub mod model;
pub mod montecarlo;
pub mod summary;
#[cfg(any(test, feature = "testkit"))]
pub mod testkit;
mod validate;

pub use error::{EngineError, FieldError, ValidationErrors};
pub use finite::{ensure_finite, NonFinite};
pub use model::*;
