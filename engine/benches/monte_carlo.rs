//! Monte Carlo speed targets (2-core machine): 10,000 iterations of a 200-work-package,
//! 30-risk project on one core ≤ 20 ms; 1,000,000 iterations of the same ≤ 2 s.
//!
//! Run: `cargo bench -p engine --bench monte_carlo -- --warm-up-time 1 --measurement-time 5`

use criterion::{criterion_group, criterion_main, Criterion};
use engine::montecarlo::{simulate_with, Execution, SimConfig};
use engine::testkit::{period, synthetic_project, SYNTHETIC_PERIOD};

fn monte_carlo(c: &mut Criterion) {
    let project = synthetic_project(200, 30, 1);
    let at = period(SYNTHETIC_PERIOD);
    let ten_k = SimConfig::new(10_000, 42).expect("valid config");
    c.bench_function("monte_carlo_10k_200wp_30risks_one_core", |b| {
        b.iter(|| simulate_with(&project, at, &ten_k, Execution::Sequential).expect("runs"))
    });
    let million = SimConfig::new(1_000_000, 42).expect("valid config");
    let mut group = c.benchmark_group("monte_carlo_1m");
    group.sample_size(10);
    group.bench_function("monte_carlo_1m_200wp_30risks", |b| {
        b.iter(|| simulate_with(&project, at, &million, Execution::Auto).expect("runs"))
    });
    group.finish();
}

criterion_group!(benches, monte_carlo);
criterion_main!(benches);
