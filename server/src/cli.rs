//! The command line: `pmr serve` (the default), `pmr import FILE.json`, and token
//! management. Output meant for the operator goes to stdout; logs go to stderr.
#![allow(clippy::print_stdout)]

use std::path::PathBuf;
use std::process::ExitCode;

use app::dto::Role;
use app::services::Principal;
use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::startup::{build_state, Application};

#[derive(Parser)]
#[command(name = "pmr", about = "Project Monthly Reports: server and admin commands")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app (the default).
    Serve,
    /// Import a project from a JSON file; refused whole if any rule is broken.
    Import { file: PathBuf },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
}

#[derive(Subcommand)]
enum TokenAction {
    /// Create a token; its secret is printed once.
    Create {
        #[arg(long, value_parser = parse_role)]
        role: Role,
        #[arg(long)]
        name: String,
    },
    /// List tokens (never their secrets).
    List,
    /// Revoke a token at once, ending its sessions.
    Revoke { id: i64 },
}

fn parse_role(s: &str) -> std::result::Result<Role, String> {
    Role::parse(s).ok_or_else(|| "must be viewer, editor or admin".to_owned())
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let serving = matches!(cli.command, None | Some(Command::Serve));
    init_logging(serving);
    // Rendering deeply nested views is stack-hungry in unoptimised builds; give the workers
    // room rather than crash on a big page.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(8 * 1024 * 1024)
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(async move {
        match cli.command {
            None | Some(Command::Serve) => serve(config).await,
            Some(Command::Import { file }) => import(config, file).await,
            Some(Command::Token { action }) => token(config, action).await,
        }
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error::Invalid(v)) => {
            eprintln!("refused; nothing was imported:");
            for e in v.0 {
                eprintln!("  {}: {}", e.field, e.rule);
            }
            ExitCode::from(65)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(serving: bool) {
    let default = if serving { "info,sqlx=warn" } else { "warn" };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

async fn serve(config: Config) -> Result<()> {
    let app = Application::build(config).await?;
    if let Some(token) = &app.bootstrap_token {
        println!("First start: an admin token was created. It is shown only this once:");
        println!("PMR_ADMIN_TOKEN={token}");
    }
    let addr = app.local_addr()?;
    println!("PMR listening on http://{addr}");
    tracing::info!(%addr, "listening");
    app.run_until(shutdown_signal()).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}

async fn import(config: Config, file: PathBuf) -> Result<()> {
    let bytes =
        std::fs::read(&file).map_err(|e| Error::invalid("file", format!("cannot read {}: {e}", file.display())))?;
    let (state, _) = build_state(config).await?;
    let by = Principal {
        name: "cli".into(),
        role: Role::Admin,
        signed_in: true,
    };
    let outcome = state.services.import(&by, &bytes).await?;
    println!(
        "imported project {} (data version {}, {} work packages, {} snapshots)",
        outcome.id, outcome.data_version, outcome.work_packages, outcome.snapshots
    );
    Ok(())
}

async fn token(config: Config, action: TokenAction) -> Result<()> {
    let (_, store) = build_state(config).await?;
    let store = &store;
    match action {
        TokenAction::Create { role, name } => {
            let (row, secret) = crate::auth::tokens::create(store, &name, role).await?;
            println!(
                "created token {} ({}, {}); it is shown only this once:",
                row.id,
                row.name,
                row.role.as_str()
            );
            println!("{secret}");
        }
        TokenAction::List => {
            println!(
                "{:>4}  {:<24} {:<7} {:<21} {:<21} revoked",
                "id", "name", "role", "created", "last used"
            );
            for t in store.list_tokens().await? {
                println!(
                    "{:>4}  {:<24} {:<7} {:<21} {:<21} {}",
                    t.id,
                    t.name,
                    t.role.as_str(),
                    t.created_at,
                    t.last_used_at.as_deref().unwrap_or("-"),
                    t.revoked_at.as_deref().unwrap_or("-")
                );
            }
        }
        TokenAction::Revoke { id } => {
            if store.revoke_token(id).await? {
                println!("revoked token {id}");
            } else {
                return Err(Error::NotFound(format!("live token {id}")));
            }
        }
    }
    Ok(())
}
