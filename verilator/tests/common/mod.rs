//! Helpers shared by the integration tests.

use std::path::PathBuf;

/// Writes Verilog `text` to `<dir>/<file>` under Cargo's tests scratch
/// directory and returns the path. The path is stable on purpose: the cache
/// key covers it, so reruns of a test hit the cache. Tests of one binary run
/// in parallel and may write the same file: it is written only when its text
/// differs, and then whole (a temporary file renamed over it), so that no
/// build reads half of it.
pub fn verilog_file(dir: &str, file: &str, text: &str) -> std::io::Result<PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(dir);
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(file);
    if std::fs::read_to_string(&path).is_ok_and(|t| t == text) {
        return Ok(path);
    }
    let tmp = dir.join(format!(
        ".{file}.{}.{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}
