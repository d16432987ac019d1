//! A whole report's computation for a 200-work-package, 30-risk project with twelve months
//! of snapshots: metrics history, Monte Carlo (10,000 iterations), insights, summary and
//! charts. Target ≤ 50 ms.
//!
//! Run: `cargo bench -p engine --bench report_compute -- --warm-up-time 1 --measurement-time 5`

use criterion::{criterion_group, criterion_main, Criterion};
use engine::insights::{generate, InsightConfig};
use engine::metrics::{compute, history, RagThresholds};
use engine::montecarlo::{simulate, SimConfig};
use engine::testkit::{period, synthetic_project, SYNTHETIC_PERIOD};

fn report_compute(c: &mut Criterion) {
    let project = synthetic_project(200, 30, 1);
    let at = period(SYNTHETIC_PERIOD);
    let thresholds = RagThresholds::default();
    let sim = SimConfig::new(10_000, 42).expect("valid config");
    let insight_config = InsightConfig::default();
    c.bench_function("report_compute_200wp", |b| {
        b.iter(|| {
            let hist = history(&project, at, &thresholds);
            let forecast = simulate(&project, at, &sim).expect("runs");
            let metrics = compute(&project, at, &thresholds)
                .expect("metrics")
                .with_forecast(forecast.p_finish_by_baseline, &thresholds);
            let insights = generate(&project, &hist, Some(&forecast), &insight_config);
            let summary = engine::summary::build(&metrics, &insights, Some(&forecast));
            let charts = engine::charts::build(&project, &hist, Some(&forecast));
            (summary, charts)
        })
    });
}

criterion_group!(benches, report_compute);
criterion_main!(benches);
