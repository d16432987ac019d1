//! The `pmr` binary: everything happens in [`server::cli::run`].

fn main() -> std::process::ExitCode {
    server::cli::run()
}
