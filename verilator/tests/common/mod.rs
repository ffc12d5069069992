//! Helpers shared by the integration tests.

use std::path::PathBuf;

/// Writes Verilog `text` to `<dir>/<file>` under Cargo's tests scratch
/// directory and returns the path. The path is stable on purpose: the cache
/// key covers it, so reruns of a test hit the cache.
pub fn verilog_file(dir: &str, file: &str, text: &str) -> std::io::Result<PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(dir);
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(file);
    std::fs::write(&path, text)?;
    Ok(path)
}
