//! The engine's integration tests, one binary: metrics, the Monte Carlo forecast (risk
//! events, cost base, drivers, the earned-schedule comparison), insights, the executive
//! summary and the charts, each driven through the public API with fixtures
//! from `engine::testkit`.

mod charts;
mod compare;
mod cost_base;
mod drivers;
mod insights;
mod metrics;
mod montecarlo;
mod properties;
mod risk_events;
mod summary;
