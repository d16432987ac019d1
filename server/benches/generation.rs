//! Cold generation of a whole report for a 200-work-package project: load from SQLite,
//! every pipeline stage, store the report, warm the cache. Target (issue 3): ≤ 50 ms median.
//! Run: `cargo bench -p server --bench generation`.

use std::collections::HashMap;

use app::dto::Role;
use app::services::{GenerateRequest, Principal};
use criterion::{criterion_group, criterion_main, Criterion};
use server::config::Config;
use server::startup::build_state;

fn generation(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let vars: HashMap<String, String> = [
        ("DATABASE_URL", format!("sqlite://{}/bench.db", dir.path().display())),
        ("REDIS_URL", "off".into()),
        ("PMR_DEMO", "false".into()),
        ("PERFORMANCE_MONITORING_ENABLED", "true".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let (state, _) = rt
        .block_on(build_state(Config::from_vars(vars).expect("config")))
        .expect("state");
    let everest = server::demo::projects()
        .expect("demo")
        .into_iter()
        .find(|p| p.id.as_str() == "everest")
        .expect("everest");
    assert_eq!(everest.work_packages.len(), 200);
    let by = Principal {
        name: "bench".into(),
        role: Role::Editor,
        signed_in: true,
    };
    rt.block_on(state.services.import_project(&by, &everest))
        .expect("import");
    let req = GenerateRequest {
        project_id: everest.id.clone(),
        period: engine::Period::parse("2026-10").expect("period"),
        template: app::domain::Template::Technical,
        iterations: None,
    };
    c.bench_function("generate_report_cold_200wp", |b| {
        b.iter(|| {
            rt.block_on(state.services.generate_unlimited(&by, req.clone()))
                .expect("generated")
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = generation
}
criterion_main!(benches);
