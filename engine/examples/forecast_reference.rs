//! The engine's side of the NumPy comparison (`scripts/bench-numpy.sh`).
//!
//! - `forecast_reference export FILE [WPS RISKS]` writes the testkit's synthetic project
//!   (200 work packages and 30 risks unless told) as import JSON, so the engine and the
//!   NumPy reference read one file.
//! - `forecast_reference run FILE PERIOD ITERATIONS SEED REPEATS [no-tornado]` runs the
//!   forecast on one core (`Execution::Sequential`) REPEATS times (without its tornado when
//!   told, as the NumPy reference computes none) and prints one JSON line: the wall time of
//!   the simulation alone (parsing excluded, as on the NumPy side), min and median over the
//!   repeats, and the P50/P80 of finish (working days) and cost.

use std::io::Write;
use std::time::Instant;

use engine::montecarlo::{simulate_with, Execution, SimConfig};
use engine::testkit::synthetic_project;
use engine::{Period, Project};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["export", file] => export(file, "200", "30"),
        ["export", file, wps, risks] => export(file, wps, risks),
        ["run", file, period, iterations, seed, repeats] => run(file, period, iterations, seed, repeats, true),
        ["run", file, period, iterations, seed, repeats, "no-tornado"] => {
            run(file, period, iterations, seed, repeats, false)
        }
        _ => Err(
            "usage: forecast_reference export FILE [WPS RISKS] | run FILE PERIOD ITERATIONS SEED REPEATS [no-tornado]"
                .into(),
        ),
    }
}

fn export(file: &str, wps: &str, risks: &str) -> Result<(), Box<dyn std::error::Error>> {
    let project = synthetic_project(wps.parse()?, risks.parse()?, 1);
    std::fs::write(file, serde_json::to_vec_pretty(&project)?)?;
    Ok(())
}

fn run(
    file: &str,
    period: &str,
    iterations: &str,
    seed: &str,
    repeats: &str,
    tornado: bool,
) -> Result<(), Box<dyn std::error::Error>> {
    let project = Project::from_json(&std::fs::read(file)?)?;
    let period = Period::parse(period)?;
    let mut config = SimConfig::new(iterations.parse()?, seed.parse()?)?;
    if !tornado {
        config.tornado_size = 0;
    }
    let repeats: usize = repeats.parse::<usize>()?.max(1);
    let mut seconds = Vec::with_capacity(repeats);
    let mut last = None;
    for _ in 0..repeats {
        let started = Instant::now();
        let forecast = simulate_with(&project, period, &config, Execution::Sequential)?;
        seconds.push(started.elapsed().as_secs_f64());
        last = Some(forecast);
    }
    let f = last.ok_or("no run")?;
    seconds.sort_by(f64::total_cmp);
    let line = serde_json::json!({
        "implementation": "engine",
        "iterations": f.iterations,
        "seconds_min": seconds[0],
        "seconds_median": seconds[seconds.len() / 2],
        "finish_p50": f.finish_days.p50,
        "finish_p80": f.finish_days.p80,
        "cost_p50": f.cost.p50,
        "cost_p80": f.cost.p80,
        "mean_finish": f.mean_finish_days,
        "mean_cost": f.mean_cost,
        "cost_to_date": f.reconciliation.cost_to_date,
    });
    writeln!(std::io::stdout().lock(), "{line}")?;
    Ok(())
}
