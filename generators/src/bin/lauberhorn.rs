//! `lauberhorn`: generate, lint, diff and synthesise the Lauberhorn NIC's Verilog.
//! See `lauberhorn --help` and `generators::cli`.

use clap::Parser;

fn main() -> std::process::ExitCode {
    // `lauberhorn diff ... | head` must end quietly when the reader goes, as
    // other Unix tools do, not panic on the broken pipe (Rust ignores SIGPIPE).
    #[cfg(unix)]
    // SAFETY: restoring the default action of one signal before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = generators::cli::args::Cli::parse();
    std::process::ExitCode::from(generators::cli::run(cli))
}
