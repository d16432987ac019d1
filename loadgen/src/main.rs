//! `pmr-load`: parse the command line, run it on a Tokio runtime, print the outcome (a
//! summary, then one JSON line). The work is in the library.
#![allow(clippy::print_stdout)]

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser;
use pmr_load::args::{Cli, Command, RunArgs, SeedArgs};
use pmr_load::{seed, Error, Result};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let threads = match &cli.command {
        Command::Run(r) => r.threads.max(1),
        Command::Seed(_) => 2,
    };
    let outcome = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()
        .map_err(Error::Runtime)
        .and_then(|rt| {
            rt.block_on(async move {
                match cli.command {
                    Command::Seed(a) => seed_command(a).await,
                    Command::Run(a) => run_command(a).await,
                }
            })
        });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pmr-load: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn seed_command(a: SeedArgs) -> Result<()> {
    let project = seed::export(&a.url, &a.admin_token, &a.from).await?;
    let plan = seed::Plan {
        base: a.url,
        admin_token: a.admin_token,
        rooms: a.rooms,
        project,
        period: a.period,
        template: a.template,
        prefix: a.prefix,
    };
    let seeded = seed::seed(&plan).await?;
    seeded.save(&a.out)?;
    println!("seeded {} reports into {}", seeded.reports.len(), a.out);
    Ok(())
}

async fn run_command(a: RunArgs) -> Result<()> {
    let seeded = pmr_load::Seed::load(&a.seed)?;
    let outcome = pmr_load::run(a.config(seeded)).await?;
    let json = outcome.json();
    print!("{}", outcome.summary());
    println!("{json}");
    if let Some(path) = &a.json_out {
        let line = format!("{json}\n");
        let appended = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .and_then(|mut f| f.write_all(line.as_bytes()));
        if let Err(source) = appended {
            return Err(Error::Output {
                path: path.clone(),
                source,
            });
        }
    }
    Ok(())
}
