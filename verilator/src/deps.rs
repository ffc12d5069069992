//! Files a build read besides those its cache key covers: `` `include``d
//! files and library modules found through `-y`/`-v`. Verilator lists every
//! source it read in `<prefix>__verFiles.dat`; the build records the content
//! hash of each such file in `deps`, and a cached build is used only while
//! they all still hash the same.

use crate::builder::hex;
use crate::error::{io, Result};
use sha2::{Digest, Sha256};
use std::fs;
use std::path::{Path, PathBuf};

/// The record in a build directory.
const DEPS: &str = "deps";

/// The sources Verilator read, from the `S` lines of its `__verFiles.dat`
/// (`S <size> <inode> <mtime> <ns> <ctime> <ns> "path"`).
fn sources_read(ver_files: &str) -> Vec<PathBuf> {
    ver_files
        .lines()
        .filter(|l| l.starts_with("S "))
        .filter_map(|l| {
            let start = l.find('"')?;
            let path = l[start + 1..].strip_suffix('"')?;
            Some(PathBuf::from(path))
        })
        .collect()
}

fn content_hash(path: &Path) -> Option<String> {
    fs::read(path).ok().map(|d| hex(Sha256::digest(d)))
}

/// Records in `dir/deps` the content hash of every source Verilator read for
/// the build in `dir` (`obj/<prefix>__verFiles.dat`) that the cache key does
/// not cover already: neither one of the `covered` files nor Verilator's
/// own binary (its version is in the key).
pub(crate) fn record(dir: &Path, prefix: &str, covered: &[PathBuf]) -> Result<()> {
    let list = dir.join("obj").join(format!("{prefix}__verFiles.dat"));
    let text = io("read", &list, fs::read_to_string(&list))?;
    let canonical = |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let covered: Vec<PathBuf> = covered.iter().map(|p| canonical(p)).collect();
    let mut out = String::new();
    for src in sources_read(&text) {
        let src = canonical(&src);
        let tool = src
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("verilator_bin"));
        if tool || covered.contains(&src) {
            continue;
        }
        let hash = content_hash(&src).unwrap_or_default();
        out.push_str(&format!("{hash} {}\n", src.display()));
    }
    let path = dir.join(DEPS);
    io("write", &path, fs::write(&path, out))
}

/// The part of the library's file name that names the recorded
/// dependencies: empty without any, else `-` and a hash of the record.
pub(crate) fn suffix(dir: &Path) -> String {
    match fs::read(dir.join(DEPS)) {
        Ok(rec) if !rec.is_empty() => format!("-{}", &hex(Sha256::digest(rec))[..12]),
        _ => String::new(),
    }
}

/// Whether every file recorded in `dir/deps` still has its recorded content;
/// true when nothing is recorded.
pub(crate) fn unchanged(dir: &Path) -> bool {
    let Ok(text) = fs::read_to_string(dir.join(DEPS)) else {
        return true;
    };
    text.lines().all(|l| match l.split_once(' ') {
        Some((hash, path)) => content_hash(Path::new(path)).as_deref() == Some(hash),
        None => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_source_lines_only() {
        let dat = "# DESCRIPTION: Verilator output\n\
                   C \"--cc top.v\"\n\
                   S  12244816 10199116  1796536455   340545964  1680199511           0 \"/usr/bin/verilator_bin\"\n\
                   S       727  5455933  1796545373   641076094  1796545373   641076094 \"/src/a dir/top.v\"\n\
                   T      3131  5455938  1796545373   697613007  1796545373   697613007 \"/obj/Vlhv.cpp\"\n";
        assert_eq!(
            sources_read(dat),
            [
                PathBuf::from("/usr/bin/verilator_bin"),
                PathBuf::from("/src/a dir/top.v")
            ]
        );
    }

    #[test]
    fn records_only_uncovered_files_and_notices_changes() {
        let dir = std::env::temp_dir().join(format!("lhv-deps-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("obj")).unwrap();
        let (top, inc) = (dir.join("top.v"), dir.join("defs.vh"));
        fs::write(&top, "module top; endmodule\n").unwrap();
        fs::write(&inc, "`define W 8\n").unwrap();
        let line = |p: &Path| format!("S 1 2 3 4 5 6 \"{}\"\n", p.display());
        let dat = format!(
            "C \"x\"\n{}{}{}",
            line(Path::new("/usr/bin/verilator_bin")),
            line(&top),
            line(&inc)
        );
        fs::write(dir.join("obj/Vlhv__verFiles.dat"), dat).unwrap();
        record(&dir, "Vlhv", std::slice::from_ref(&top)).unwrap();
        let rec = fs::read_to_string(dir.join(DEPS)).unwrap();
        assert_eq!(rec.lines().count(), 1, "only the include: {rec}");
        assert!(rec.contains("defs.vh"));
        assert!(unchanged(&dir));
        let named = suffix(&dir);
        assert_eq!(named.len(), 13);
        // The covered file is the key's business, not the record's.
        fs::write(&top, "module top; wire w; endmodule\n").unwrap();
        assert!(unchanged(&dir));
        fs::write(&inc, "`define W 16\n").unwrap();
        assert!(!unchanged(&dir), "a changed include");
        record(&dir, "Vlhv", std::slice::from_ref(&top)).unwrap();
        assert!(unchanged(&dir));
        assert_ne!(suffix(&dir), named, "a new record, a new library name");
        fs::remove_file(&inc).unwrap();
        assert!(!unchanged(&dir), "a missing include");
        fs::remove_dir_all(&dir).unwrap();
    }
}
