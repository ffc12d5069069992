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

/// A source Verilator read: its path, and its size and modification time as
/// Verilator saw them.
#[derive(Debug, PartialEq, Eq)]
struct SourceRead {
    path: PathBuf,
    size: u64,
    mtime: (i64, i64),
}

/// The sources Verilator read, from the `S` lines of its `__verFiles.dat`
/// (`S <size> <inode> <mtime s> <mtime ns> <ctime s> <ctime ns> "path"`).
fn sources_read(ver_files: &str) -> Vec<SourceRead> {
    ver_files
        .lines()
        .filter_map(|l| l.strip_prefix("S "))
        .filter_map(|l| {
            let start = l.find('"')?;
            let path = l[start + 1..].strip_suffix('"')?;
            let nums: Vec<i64> = l[..start]
                .split_whitespace()
                .filter_map(|n| n.parse().ok())
                .collect();
            let [size, _inode, mtime_s, mtime_ns, ..] = nums[..] else {
                return None;
            };
            Some(SourceRead {
                path: PathBuf::from(path),
                size: size as u64,
                mtime: (mtime_s, mtime_ns),
            })
        })
        .collect()
}

/// Never the hash of a file: recorded for one that changed while the model
/// was built, so that the next build rebuilds.
const CHANGED_DURING_BUILD: &str = "changed-during-build";

/// Whether the file is still as Verilator saw it (size and modification time).
fn as_read(src: &SourceRead) -> bool {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(&src.path).is_ok_and(|m| m.size() == src.size && (m.mtime(), m.mtime_nsec()) == src.mtime)
}

/// The hash recorded for a file's contents.
fn digest(data: &[u8]) -> String {
    hex(Sha256::digest(data))
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
        let path = canonical(&src.path);
        let tool = path
            .file_name()
            .is_some_and(|n| n == "verilator_bin" || n == "verilator_bin_dbg");
        if tool || covered.contains(&path) {
            continue;
        }
        let data = io("read a file Verilator read", &path, fs::read(&path))?;
        let hash = if as_read(&src) {
            digest(&data)
        } else {
            CHANGED_DURING_BUILD.to_string()
        };
        out.push_str(&format!("{hash} {}\n", path.display()));
    }
    let path = dir.join(DEPS);
    io("write", &path, fs::write(&path, out))
}

/// The part of the library's file name that names the recorded
/// dependencies: empty without any, else `-` and a hash of the record.
pub(crate) fn suffix(dir: &Path) -> String {
    match fs::read(dir.join(DEPS)) {
        Ok(rec) if !rec.is_empty() => format!("-{}", &digest(&rec)[..12]),
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
        Some((hash, path)) => fs::read(path).is_ok_and(|d| digest(&d) == hash),
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
        let paths: Vec<PathBuf> = sources_read(dat).into_iter().map(|s| s.path).collect();
        assert_eq!(
            paths,
            [
                PathBuf::from("/usr/bin/verilator_bin"),
                PathBuf::from("/src/a dir/top.v")
            ]
        );
        assert_eq!(sources_read(dat)[1].size, 727);
        assert_eq!(sources_read(dat)[1].mtime, (1796545373, 641076094));
    }

    #[test]
    fn records_only_uncovered_files_and_notices_changes() {
        let dir = std::env::temp_dir().join(format!("lhv-deps-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("obj")).unwrap();
        let (top, inc) = (dir.join("top.v"), dir.join("defs.vh"));
        fs::write(&top, "module top; endmodule\n").unwrap();
        fs::write(&inc, "`define W 8\n").unwrap();
        // `S` lines as Verilator writes them, with each file's size and time.
        let line = |p: &Path| {
            use std::os::unix::fs::MetadataExt;
            let m = fs::metadata(p).map_or((0, 0, 0), |m| (m.size(), m.mtime(), m.mtime_nsec()));
            format!("S {} 2 {} {} 5 6 \"{}\"\n", m.0, m.1, m.2, p.display())
        };
        // What a Verilator run that read the files now writes.
        let verilate = || {
            let dat = format!(
                "C \"x\"\n{}{}{}",
                line(Path::new("/usr/bin/verilator_bin")),
                line(&top),
                line(&inc)
            );
            fs::write(dir.join("obj/Vlhv__verFiles.dat"), dat).unwrap();
        };
        verilate();
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
        // Changed after Verilator read it, before the record: rebuild next time.
        record(&dir, "Vlhv", std::slice::from_ref(&top)).unwrap();
        assert!(fs::read_to_string(dir.join(DEPS))
            .unwrap()
            .starts_with(CHANGED_DURING_BUILD));
        assert!(!unchanged(&dir));
        verilate();
        record(&dir, "Vlhv", std::slice::from_ref(&top)).unwrap();
        assert!(unchanged(&dir));
        assert_ne!(suffix(&dir), named, "a new record, a new library name");
        fs::remove_file(&inc).unwrap();
        assert!(!unchanged(&dir), "a missing include");
        // A file Verilator read that cannot be read any more fails the build.
        assert!(record(&dir, "Vlhv", std::slice::from_ref(&top)).is_err());
        fs::remove_dir_all(&dir).unwrap();
    }
}
