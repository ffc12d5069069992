//! The `lauberhorn` command-line tool: one file per command ([`generate`],
//! [`lint`], [`diff`], [`synth`], [`config_cmd`]), the argument definitions
//! ([`args`]) and shared helpers (terminal output, external tools, Verilog
//! headers).
//!
//! Exit codes (also in `--help` and the README): [`exit::OK`] 0,
//! [`exit::FINDINGS`] 1 (lint findings, differences), [`exit::USAGE`] 2 (usage
//! or configuration error), [`exit::TOOL`] 3 (a tool is missing or crashed,
//! or an internal error).

pub mod args;
pub mod c_header;
pub mod config_cmd;
pub mod core_file;
pub mod csr_map;
pub mod diff;
pub mod generate;
pub mod lint;
pub mod rtl_dir;
pub mod summary;
pub mod synth;
pub mod term;
pub mod tools;
pub mod verilog_headers;

use std::fmt;

/// Process exit codes.
pub mod exit {
    /// Success: generated, lint-clean, identical.
    pub const OK: u8 = 0;
    /// Findings (lint) or differences (diff).
    pub const FINDINGS: u8 = 1;
    /// Usage or configuration error.
    pub const USAGE: u8 = 2;
    /// A tool is missing or crashed, or lauberhorn itself failed internally.
    pub const TOOL: u8 = 3;
}

/// Why a command could not do its job: the exit code and what to tell the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// One of [`exit`]'s codes.
    pub code: u8,
    /// The message (may span lines).
    pub message: String,
}

impl Failure {
    /// A usage or configuration error (exit 2).
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            code: exit::USAGE,
            message: message.into(),
        }
    }

    /// A missing or crashed tool, or an internal error (exit 3).
    pub fn tool(message: impl Into<String>) -> Failure {
        Failure {
            code: exit::TOOL,
            message: message.into(),
        }
    }

    /// An I/O error on `path` (exit 2: usually a wrong path or permissions).
    pub fn io(what: &str, path: &std::path::Path, e: std::io::Error) -> Failure {
        Failure::usage(format!("cannot {what} {}: {e}", path.display()))
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

/// What a command returns: an exit code ([`exit::OK`] or [`exit::FINDINGS`]) or a failure.
pub type Outcome = Result<u8, Failure>;

/// Runs the parsed command line and returns the process exit code. Failures
/// are printed to stderr.
pub fn run(cli: args::Cli) -> u8 {
    let result = match cli.command {
        args::Command::Generate(a) => generate::run(&a),
        args::Command::Lint(a) => lint::run(&a),
        args::Command::Diff(a) => diff::run(&a),
        args::Command::Synth(a) => synth::run(&a),
        args::Command::Config(a) => config_cmd::run(&a),
    };
    match result {
        Ok(code) => code,
        Err(f) => {
            let t = term::Term::stderr();
            eprintln!("{} {}", t.paint(term::Style::Bad, "error:"), f.message);
            f.code
        }
    }
}
