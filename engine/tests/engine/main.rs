//! The engine's integration tests, one binary: metrics, the Monte Carlo forecast, insights, the
//! executive summary and the charts, each driven through the public API with fixtures
//! from `engine::testkit`.

mod charts;
mod insights;
mod metrics;
mod montecarlo;
mod properties;
mod summary;
