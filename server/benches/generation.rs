//! Report generation and the cold report page against project size (issues 3 and 12): the
//! demo's `everest` project grown to 200, 1,000 and 5,000 work packages (its risks,
//! snapshots and milestones kept), 10,000 iterations.
//! - `generate_report_cold/<n>`: load from SQLite, every pipeline stage, store the report,
//!   render and cache its sections. Target: ≤ 50 ms median at 200; roughly linear.
//! - `report_page_cold/<n>`: `GET /reports/{id}` over HTTP from the real server with its
//!   cache just emptied (the high sections are computed again). Targets: ≤ 150 ms at 1,000
//!   and ≤ 500 ms at 5,000.
//!
//! Run: `cargo bench -p server --bench generation`.

use std::collections::HashMap;
use std::time::Duration;

use app::dto::Role;
use app::services::{GenerateRequest, Principal};
use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use server::config::Config;
use server::startup::Application;

const SIZES: [usize; 3] = [200, 1_000, 5_000];

fn editor() -> Principal {
    Principal {
        name: "bench".into(),
        role: Role::Admin,
        signed_in: true,
    }
}

fn generation(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_stack_size(8 * 1024 * 1024)
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let site = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/site");
    let vars: HashMap<String, String> = [
        ("PMR_LISTEN", "127.0.0.1:0".to_owned()),
        ("DATABASE_URL", format!("sqlite://{}/bench.db", dir.path().display())),
        ("REDIS_URL", "off".into()),
        ("PMR_DEMO", "false".into()),
        ("PMR_SITE_ROOT", site.display().to_string()),
        ("PERFORMANCE_MONITORING_ENABLED", "true".into()),
        ("PMR_GENERATE_PER_MINUTE", "100000".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let app = rt
        .block_on(Application::build(Config::from_vars(vars).expect("config")))
        .expect("app");
    let addr = app.local_addr().expect("bound");
    let state = app.state().clone();
    rt.spawn(app.run_until(std::future::pending()));
    let token = rt
        .block_on(state.auth.create_token("bench", Role::Viewer))
        .expect("token")
        .1;
    let client = reqwest::Client::new();
    let by = editor();

    let mut generate = c.benchmark_group("generate_report_cold");
    generate.sample_size(10).measurement_time(Duration::from_secs(10));
    let mut reports = Vec::new();
    for n in SIZES {
        let project = server::demo::everest_with(n).expect("project");
        rt.block_on(state.services.import_project(&by, &project))
            .expect("import");
        let req = GenerateRequest {
            project_id: project.id.clone(),
            period: engine::Period::parse("2026-10").expect("period"),
            template: app::domain::Template::Technical,
            iterations: Some(10_000),
        };
        let mut last = None;
        generate.bench_with_input(BenchmarkId::from_parameter(n), &req, |b, req| {
            b.iter(|| {
                last = Some(
                    rt.block_on(state.services.generate_unlimited(&by, req.clone()))
                        .expect("generated"),
                );
            })
        });
        reports.push((n, last.expect("a report")));
    }
    generate.finish();

    let mut page = c.benchmark_group("report_page_cold");
    page.sample_size(10).measurement_time(Duration::from_secs(10));
    for (n, id) in &reports {
        let url = format!("http://{addr}/reports/{id}");
        page.bench_with_input(BenchmarkId::from_parameter(n), &url, |b, url| {
            b.iter_batched(
                || rt.block_on(state.services.clear_cache(&by)),
                |()| {
                    rt.block_on(async {
                        let res = client.get(url).bearer_auth(&token).send().await.expect("request");
                        assert!(res.status().is_success(), "{}", res.status());
                        res.bytes().await.expect("body").len()
                    })
                },
                BatchSize::PerIteration,
            )
        });
    }
    page.finish();
}

criterion_group!(benches, generation);
criterion_main!(benches);
