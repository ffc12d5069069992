//! The C++ peer: a plain `main` loop driving the same verilated model class,
//! compiled with the model library's compiler, flags and runtime objects.

use super::{result_field, Design, Rate};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use verilator::ModelBuilder;

/// One run of the C++ driver.
pub struct CppRun {
    /// Cycles per second inside the timed loop.
    pub rate: Rate,
    /// The output checksum.
    pub checksum: u64,
}

/// Writes the design's C++ `main` into `dir` and compiles it against the
/// model; returns the executable and its compile time.
pub fn build(
    builder: &ModelBuilder,
    design: &dyn Design,
    top: &str,
    dir: &Path,
) -> Result<(PathBuf, Duration), String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let main = dir.join(format!("{top}_main.cpp"));
    std::fs::write(&main, design.cpp_main()).map_err(|e| e.to_string())?;
    let exe = dir.join(format!("{top}_cpp"));
    let (_, time) = builder.cpp_executable(&main, &exe).map_err(|e| e.to_string())?;
    Ok((exe, time))
}

/// Runs the C++ driver for `n` cycles.
pub fn run(exe: &Path, n: u64) -> Result<CppRun, String> {
    let out = Command::new(exe)
        .arg(n.to_string())
        .output()
        .map_err(|e| format!("{}: {e}", exe.display()))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().find(|l| l.starts_with("LHV-CPP ")).ok_or_else(|| {
        format!(
            "{} printed no result: {text}{}",
            exe.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    })?;
    Ok(CppRun {
        rate: Rate::parse(line)?,
        checksum: result_field(line, "checksum")?,
    })
}
