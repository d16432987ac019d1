//! Bytes → `Project::from_json`. A refusal must name a field; an accepted project must go
//! through the report pipeline — metrics and their history, a 1,000-iteration forecast,
//! insights, summary, charts — without panicking, and every figure must be finite. The
//! only refusal allowed for a valid project is a forecast past the calendar.
#![no_main]

use engine::insights::{self, InsightConfig};
use engine::metrics::{self, RagThresholds};
use engine::montecarlo::{simulate, SimConfig};
use engine::{charts, ensure_finite, summary, EngineError, Project};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let project = match Project::from_json(data) {
        Ok(p) => p,
        Err(errs) => {
            assert!(!errs.0.is_empty(), "a refusal without a reason");
            assert!(
                errs.0.iter().all(|e| !e.field.is_empty() && !e.rule.is_empty()),
                "{errs}"
            );
            return;
        }
    };
    pipeline(&project);
});

fn finite<T: serde::Serialize>(what: &str, v: &T) {
    if let Err(e) = ensure_finite(v) {
        panic!("{what}: {e}");
    }
}

fn pipeline(p: &Project) {
    let period = p.snapshots.last().map_or_else(|| p.start_period(), |s| s.period);
    let t = RagThresholds::default();
    let current = metrics::compute(p, period, &t).unwrap_or_else(|e| panic!("metrics refused a valid project: {e}"));
    let history = metrics::history(p, period, &t);
    finite("history", &history);
    let config = SimConfig::new(1_000, 42).unwrap_or_else(|e| panic!("{e}"));
    let forecast = match simulate(p, period, &config) {
        Ok(f) => Some(f),
        Err(EngineError::OutOfRange { .. }) => None,
        Err(e) => panic!("forecast refused a valid project: {e}"),
    };
    finite("forecast", &forecast);
    let current = match &forecast {
        Some(f) => current.with_forecast(f.p_finish_by_baseline, &t),
        None => current,
    };
    let all = InsightConfig { min_confidence: 0.0 };
    let found = insights::generate_with(p, &history, forecast.as_ref(), &all, &t);
    finite("insights", &found);
    finite("summary", &summary::build(&current, &found, forecast.as_ref()));
    finite("charts", &charts::build(p, &history, forecast.as_ref()));
}
