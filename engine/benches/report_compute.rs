//! A whole report's computation against project size: metrics history, Monte Carlo
//! (10,000 iterations, on the calling thread as the server runs it), the earned-schedule
//! comparison (with its performance-adjusted run when the two forecasts disagree, as they do
//! on these projects), insights, summary and charts. Synthetic projects of 200, 1,000 and
//! 5,000 work packages with 15 risks per 100 work packages and twelve months of snapshots.
//! The time should grow about linearly with size; 200 work packages ≤ 50 ms.
//!
//! Run: `cargo bench -p engine --bench report_compute -- --warm-up-time 1 --measurement-time 5`

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use engine::insights::{generate, InsightConfig};
use engine::metrics::{compute, history, RagThresholds};
use engine::montecarlo::{compare, simulate, Execution, SimConfig};
use engine::testkit::{period, synthetic_project, SYNTHETIC_PERIOD};
use engine::Project;

fn report(project: &Project, sim: &SimConfig) -> impl Sized {
    let at = period(SYNTHETIC_PERIOD);
    let thresholds = RagThresholds::default();
    let hist = history(project, at, &thresholds);
    let forecast = simulate(project, at, sim).expect("runs");
    let metrics = compute(project, at, &thresholds)
        .expect("metrics")
        .with_forecast(forecast.p_finish_by_baseline, &thresholds);
    let comparison = compare(project, at, &metrics, &forecast, Execution::Sequential).expect("runs");
    let insights = generate(project, &hist, Some(&forecast), &InsightConfig::default());
    let summary = engine::summary::build(&metrics, &insights, Some(&forecast));
    let charts = engine::charts::build(project, &hist, Some(&forecast));
    (comparison, summary, charts)
}

fn report_compute(c: &mut Criterion) {
    let sim = SimConfig::new(10_000, 42).expect("valid config");
    let mut group = c.benchmark_group("report_compute");
    for (wps, risks) in [(200, 30), (1_000, 150), (5_000, 750)] {
        let project = synthetic_project(wps, risks, 1);
        if wps > 200 {
            group.sample_size(10);
        }
        group.bench_with_input(
            BenchmarkId::from_parameter(format!("{wps}wp_{risks}risks")),
            &project,
            |b, p| b.iter(|| report(p, &sim)),
        );
    }
    group.finish();
}

criterion_group!(benches, report_compute);
criterion_main!(benches);
