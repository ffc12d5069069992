//! `lauberhorn`: generate, lint, diff and synthesise the Lauberhorn NIC's Verilog.
//! See `lauberhorn --help` and `generators::cli`.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = generators::cli::args::Cli::parse();
    std::process::ExitCode::from(generators::cli::run(cli))
}
