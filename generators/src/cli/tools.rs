//! Running the external tools (Verilator, Verible, Icarus, Yosys): a missing
//! tool is an error that says how to install it, never a silent skip.

use super::Failure;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// An external tool: what it is called and the environment variable that may
/// name another binary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tool {
    /// Short name used in tables (`verilator`).
    pub name: &'static str,
    /// Default program.
    pub program: &'static str,
    /// Environment variable overriding the program (e.g. `LAUBERHORN_YOSYS`).
    pub env: &'static str,
}

/// `verilator`.
pub const VERILATOR: Tool = Tool {
    name: "verilator",
    program: "verilator",
    env: "LAUBERHORN_VERILATOR",
};
/// `verible-verilog-lint`.
pub const VERIBLE: Tool = Tool {
    name: "verible",
    program: "verible-verilog-lint",
    env: "LAUBERHORN_VERIBLE_LINT",
};
/// `iverilog`.
pub const IVERILOG: Tool = Tool {
    name: "iverilog",
    program: "iverilog",
    env: "LAUBERHORN_IVERILOG",
};
/// `yosys`.
pub const YOSYS: Tool = Tool {
    name: "yosys",
    program: "yosys",
    env: "LAUBERHORN_YOSYS",
};

impl Tool {
    /// The program to run: `$env` when set, else the default.
    pub fn program(&self) -> String {
        std::env::var(self.env)
            .ok()
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| self.program.to_string())
    }

    /// What to tell the user when the program cannot be found.
    pub fn missing_hint(&self) -> String {
        format!(
            "`{}` not found: run scripts/setup.sh (installs verilator, yosys, iverilog and verible), \
             or set {} to the program",
            self.program(),
            self.env
        )
    }
}

/// What a tool run gave.
#[derive(Clone, Debug)]
pub struct ToolRun {
    /// Exit code (`None` when killed by a signal).
    pub code: Option<i32>,
    /// Standard output and standard error, in that order.
    pub output: String,
    /// Wall time.
    pub elapsed: Duration,
}

/// Why a tool could not be run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunError {
    /// Not installed (or not on `PATH`): the install hint.
    Missing(String),
    /// Could not be started for another reason.
    Failed(String),
}

impl From<RunError> for Failure {
    fn from(e: RunError) -> Failure {
        match e {
            RunError::Missing(m) | RunError::Failed(m) => Failure::tool(m),
        }
    }
}

/// Runs `tool` with `args` in `cwd` and waits for it.
pub fn run(tool: &Tool, args: &[String], cwd: &Path) -> Result<ToolRun, RunError> {
    let start = Instant::now();
    let program = tool.program();
    let out = Command::new(&program)
        .args(args)
        .current_dir(cwd)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => RunError::Missing(tool.missing_hint()),
            _ => RunError::Failed(format!("cannot run `{program}`: {e}")),
        })?;
    Ok(ToolRun {
        code: out.status.code(),
        output: format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        elapsed: start.elapsed(),
    })
}

/// The last `n` lines of `text`, for crash reports.
pub fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// A fresh temporary directory, removed when dropped.
#[derive(Debug)]
pub struct TempDir {
    path: std::path::PathBuf,
}

impl TempDir {
    /// Creates `<tmp>/lauberhorn-<what>-<pid>-<n>`.
    pub fn new(what: &str) -> Result<TempDir, Failure> {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "lauberhorn-{what}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).map_err(|e| Failure::io("create", &path, e))?;
        Ok(TempDir { path })
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
