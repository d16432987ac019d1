//! The engine's integration tests, one binary: metrics, the Monte Carlo forecast (risk
//! events, cost base, drivers, the earned-schedule comparison), insights, the executive
//! summary and the charts, each driven through the public API with fixtures from
//! `engine::testkit`; the input bounds at the import boundary; and property tests over
//! random and extreme inputs.

mod bounds;
mod charts;
mod compare;
mod cost_base;
mod drivers;
mod extremes;
mod insights;
mod metrics;
mod montecarlo;
mod properties;
mod risk_events;
mod summary;
