//! The engine's integration tests, one binary: the Monte Carlo forecast, insights, the
//! executive summary and the charts, each driven through the public API with fixtures
//! from `engine::testkit`; the input bounds at the import boundary; and property tests
//! over random and extreme inputs.

mod bounds;
mod charts;
mod extremes;
mod insights;
mod montecarlo;
mod properties;
mod summary;
