//! Errors with enough context to act on.

use std::path::PathBuf;

/// Everything that can go wrong while building, loading or driving a model.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The `verilator` program could not be started.
    #[error(
        "Verilator not found: cannot run `{program}` ({source}); install it with `apt-get install verilator` \
         or point LAUBERHORN_VERILATOR at the binary"
    )]
    VerilatorMissing {
        /// The program that was tried.
        program: String,
        /// Why it could not be started.
        source: std::io::Error,
    },
    /// The C++ compiler could not be started.
    #[error(
        "C++ compiler not found: cannot run `{program}` ({source}); install it with `apt-get install g++` \
         or point CXX at a compiler"
    )]
    CompilerMissing {
        /// The program that was tried.
        program: String,
        /// Why it could not be started.
        source: std::io::Error,
    },
    /// Verilator rejected the design (errors, or warnings, which are fatal).
    #[error("Verilator failed on top `{top}` (full log: {}):\n{}", log.display(), diagnostics.join("\n"))]
    Verilator {
        /// Top module name.
        top: String,
        /// The `%Error`/`%Warning` lines, each with its `file:line:col`.
        diagnostics: Vec<String>,
        /// The build log with Verilator's whole output.
        log: PathBuf,
    },
    /// The C++ compiler rejected the generated code.
    #[error("C++ compilation failed for top `{top}` (full log: {}):\n{}", log.display(), diagnostics.join("\n"))]
    Compiler {
        /// Top module name.
        top: String,
        /// The compiler's `file:line:col: error` lines.
        diagnostics: Vec<String>,
        /// The build log with the compiler's whole output.
        log: PathBuf,
    },
    /// The source does not describe a usable design.
    #[error("invalid design source: {0}")]
    Source(String),
    /// A port has a shape the shim cannot expose.
    #[error("unsupported port `{name}`: {reason}")]
    UnsupportedPort {
        /// Port name.
        name: String,
        /// What is unsupported.
        reason: String,
    },
    /// No port of that name.
    #[error("unknown port `{name}` on model `{top}`; its ports are: {available}")]
    UnknownPort {
        /// The name asked for.
        name: String,
        /// Top module name.
        top: String,
        /// Comma-separated port names.
        available: String,
    },
    /// A value or access that does not fit the port's width.
    #[error("port `{name}` is {width} bits wide: {problem}")]
    Width {
        /// Port name.
        name: String,
        /// Port width.
        width: u32,
        /// What does not fit.
        problem: String,
    },
    /// Writing an output port.
    #[error("port `{name}` is an output; only inputs can be set")]
    NotAnInput {
        /// Port name.
        name: String,
    },
    /// Looking up an input as an output.
    #[error("port `{name}` is an input; look it up with `input` (which reads it back too)")]
    NotAnOutput {
        /// Port name.
        name: String,
    },
    /// A port handle used with a model it was not looked up on.
    #[error("port handle `{name}` was looked up on another model; call `port` on this model")]
    ForeignPort {
        /// Port name.
        name: String,
    },
    /// A clock period that cannot be split into two equal half periods.
    #[error("clock `{name}`: period {period} must be even and at least 2 time units")]
    ClockPeriod {
        /// Clock port name.
        name: String,
        /// The period given.
        period: u64,
    },
    /// Stepping without a clock.
    #[error("no clock registered on model `{top}`; call `add_clock` first")]
    NoClock {
        /// Top module name.
        top: String,
    },
    /// `run_until` ran out of cycles.
    #[error("condition not reached within {max_cycles} cycles (simulation time {time})")]
    Timeout {
        /// The cycle budget.
        max_cycles: u64,
        /// Simulation time when giving up.
        time: u64,
    },
    /// The design stopped the simulation: `$stop`, `$fatal`, a failed
    /// assertion or a Verilator runtime error ended an evaluation. The model
    /// evaluates nothing more; every later evaluation fails the same way.
    #[error("model `{top}` stopped at simulation time {time}: {message}")]
    Stopped {
        /// Top module name.
        top: String,
        /// Verilator's message, e.g. `%Error: top.v:12: Verilog $stop`.
        message: String,
        /// Simulation time of the stop.
        time: u64,
    },
    /// The shared object could not be loaded.
    #[error("cannot load model library {}: {source}; delete that directory to force a rebuild", path.display())]
    Load {
        /// Library path.
        path: PathBuf,
        /// The loader's error.
        source: libloading::Error,
    },
    /// The library was built for another ABI version.
    #[error("model library {} has ABI version {found}, expected {expected}; delete it to rebuild", path.display())]
    Abi {
        /// Library path.
        path: PathBuf,
        /// Version in the library.
        found: u32,
        /// Version this crate speaks.
        expected: u32,
    },
    /// `lhv_create` returned NULL.
    #[error("creating model `{top}` failed{}", trace.as_ref().map(|p| format!(": cannot open trace file {}", p.display())).unwrap_or_default())]
    Create {
        /// Top module name.
        top: String,
        /// The trace file that was to be opened.
        trace: Option<PathBuf>,
    },
    /// A file system operation failed.
    #[error("{what} {}: {source}", path.display())]
    Io {
        /// What was being done.
        what: &'static str,
        /// The path involved.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Attaches a path and an action to an I/O error.
pub(crate) fn io<T>(what: &'static str, path: impl Into<PathBuf>, r: std::io::Result<T>) -> Result<T> {
    r.map_err(|source| Error::Io {
        what,
        path: path.into(),
        source,
    })
}

/// The diagnostic lines of a Verilator or compiler output: `%Error...`,
/// `%Warning...` and `file:line:col: error/warning` lines.
pub(crate) fn diagnostic_lines(output: &str) -> Vec<String> {
    let mut v: Vec<String> = output
        .lines()
        .filter(|l| {
            l.starts_with("%Error")
                || l.starts_with("%Warning")
                || l.contains(": error:")
                || l.contains(": fatal error:")
                || l.contains(": warning:")
                || l.contains("undefined reference")
        })
        .map(str::to_string)
        .collect();
    if v.is_empty() {
        v = output.lines().rev().take(20).map(str::to_string).collect();
        v.reverse();
    }
    v
}

#[cfg(test)]
mod tests {
    use super::diagnostic_lines;

    #[test]
    fn keeps_located_diagnostics_only() {
        let out = "make noise\n\
                   %Warning-WIDTH: t.v:3:14: Operator ASSIGNW expects 8 bits\n\
                   \x20  3 | assign q = d;\n\
                   %Error: Exiting due to 1 warning(s)\n\
                   obj/Vlhv.cpp:12:5: error: 'x' was not declared in this scope\n\
                   In file included from a.h:1:\n";
        assert_eq!(
            diagnostic_lines(out),
            [
                "%Warning-WIDTH: t.v:3:14: Operator ASSIGNW expects 8 bits",
                "%Error: Exiting due to 1 warning(s)",
                "obj/Vlhv.cpp:12:5: error: 'x' was not declared in this scope",
            ]
        );
    }

    #[test]
    fn falls_back_to_the_last_lines() {
        assert_eq!(
            diagnostic_lines("a\nb\nsomething broke"),
            ["a", "b", "something broke"]
        );
    }
}
