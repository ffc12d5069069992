//! The Verilator and C++ compiler a model is built with, and what they say
//! about themselves (versions, Verilator's runtime directory), which names
//! every cache entry.
//!
//! Asking costs three process spawns (`verilator` is a Perl script that starts
//! `verilator_bin`), about 75 ms, which would dominate loading a cached model.
//! So the answers are kept in the cache directory under a *fingerprint* of
//! everything that could change them: the resolved and canonical paths, size,
//! modification and change times, inode and device of the `verilator` program,
//! of the `verilator_bin` it execs and of the compiler, and the environment
//! variables that choose them (`LAUBERHORN_VERILATOR`, `CXX`, `VERILATOR_ROOT`,
//! `VERILATOR_BIN`). A process that finds its fingerprint's record stats a
//! dozen files and spawns nothing; a replaced or modified tool changes the
//! fingerprint, and the tools are asked again. The tools run by the resolved
//! absolute paths that were fingerprinted.

use crate::builder::hex;
use crate::error::{Error, Result};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// Bump when the fingerprint or the record changes meaning.
const RECORD_VERSION: &str = "lhv-toolchain-1";

/// The tools of this process and their answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Toolchain {
    /// The Verilator program to run (an absolute path when it was found).
    pub verilator: String,
    /// `verilator --version`.
    pub verilator_version: String,
    /// `$VERILATOR_ROOT/include`, holding the runtime sources.
    pub include: PathBuf,
    /// The C++ compiler to run (an absolute path when it was found).
    pub cxx: String,
    /// `c++ --version`.
    pub cxx_version: String,
}

/// The toolchain of this process: from the record in `cache` when its
/// fingerprint still matches, else by asking the tools (and recording the
/// answers). Settled once per process.
pub(crate) fn toolchain(cache: &Path) -> Result<&'static Toolchain> {
    static TC: OnceLock<Toolchain> = OnceLock::new();
    if let Some(t) = TC.get() {
        return Ok(t);
    }
    let t = find(cache)?;
    Ok(TC.get_or_init(|| t))
}

fn env_program(var: &str, default: &str) -> String {
    std::env::var(var)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_string())
}

fn find(cache: &Path) -> Result<Toolchain> {
    let verilator = env_program("LAUBERHORN_VERILATOR", "verilator");
    let cxx = env_program("CXX", "c++");
    let (Some(vpath), Some(cpath)) = (resolve(&verilator), resolve(&cxx)) else {
        // Not found the way a spawn would find it: spawning gives the real error.
        return query(&verilator, &cxx);
    };
    let fp = fingerprint(&verilator, &vpath, &cxx, &cpath);
    let record = cache
        .join("toolchain")
        .join(format!("{}.json", &hex(Sha256::digest(fp.as_bytes()))[..16]));
    if let Some(tc) = read_record(&record, &fp) {
        return Ok(tc);
    }
    let tc = query(&vpath.to_string_lossy(), &cpath.to_string_lossy())?;
    // Best effort: without a record the next process asks again.
    let _ = write_record(&record, &fp, &tc);
    Ok(tc)
}

/// Where a spawn of `program` finds it: a path with a `/` as it is (made
/// absolute), a bare name through `PATH`.
pub(crate) fn resolve(program: &str) -> Option<PathBuf> {
    let absolute = |p: PathBuf| {
        if p.is_absolute() {
            Some(p)
        } else {
            std::env::current_dir().ok().map(|d| d.join(p))
        }
    };
    if program.contains('/') {
        return absolute(PathBuf::from(program)).filter(|p| is_executable(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .filter_map(|d| absolute(d.join(program)))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// One line naming `path` and the identity of the file it leads to.
fn identity(path: &Path) -> String {
    let real = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    match fs::metadata(&real) {
        Ok(m) => format!(
            "{} -> {} size={} mtime={}.{:09} ctime={}.{:09} ino={} dev={}",
            path.display(),
            real.display(),
            m.size(),
            m.mtime(),
            m.mtime_nsec(),
            m.ctime(),
            m.ctime_nsec(),
            m.ino(),
            m.dev()
        ),
        Err(_) => format!("{} missing", path.display()),
    }
}

/// Everything that can change the tools' answers, one fact per line.
fn fingerprint(verilator: &str, vpath: &Path, cxx: &str, cpath: &Path) -> String {
    let var = |n: &str| std::env::var_os(n).map(|v| v.to_string_lossy().into_owned());
    let mut lines = vec![
        RECORD_VERSION.to_string(),
        format!("verilator {verilator}: {}", identity(vpath)),
        format!(
            "VERILATOR_ROOT={:?} VERILATOR_BIN={:?}",
            var("VERILATOR_ROOT"),
            var("VERILATOR_BIN")
        ),
    ];
    // The binaries the `verilator` script may exec, as the script chooses them.
    let bin = var("VERILATOR_BIN").unwrap_or_else(|| "verilator_bin".to_string());
    let candidates: Vec<PathBuf> = match var("VERILATOR_ROOT") {
        Some(root) => vec![
            Path::new(&root).join("bin").join(&bin),
            Path::new(&root).join(&bin),
        ],
        None => {
            let real = fs::canonicalize(vpath).unwrap_or_else(|_| vpath.to_path_buf());
            let beside = real.with_file_name(&bin);
            match resolve(&bin) {
                Some(on_path) if !beside.exists() => vec![beside, on_path],
                _ => vec![beside],
            }
        }
    };
    for c in &candidates {
        lines.push(format!("verilator binary: {}", identity(c)));
    }
    lines.push(format!("cxx {cxx}: {}", identity(cpath)));
    lines.join("\n")
}

/// The identity of the runtime sources under `include`, checked on every read
/// of a record (a Verilator reinstalled elsewhere keeps its script's identity).
fn runtime_identity(include: &Path) -> String {
    identity(&include.join("verilated.cpp"))
}

fn read_record(path: &Path, fp: &str) -> Option<Toolchain> {
    let v: Value = serde_json::from_slice(&fs::read(path).ok()?).ok()?;
    let s = |k: &str| v.get(k)?.as_str().map(str::to_string);
    if s("fingerprint")? != fp {
        return None;
    }
    let tc = Toolchain {
        verilator: s("verilator")?,
        verilator_version: s("verilator_version")?,
        include: PathBuf::from(s("include")?),
        cxx: s("cxx")?,
        cxx_version: s("cxx_version")?,
    };
    (s("runtime")? == runtime_identity(&tc.include)).then_some(tc)
}

fn write_record(path: &Path, fp: &str, tc: &Toolchain) -> std::io::Result<()> {
    let dir = path.parent().expect("record in a directory");
    fs::create_dir_all(dir)?;
    let v = json!({
        "fingerprint": fp,
        "verilator": tc.verilator,
        "verilator_version": tc.verilator_version,
        "include": tc.include.to_string_lossy(),
        "runtime": runtime_identity(&tc.include),
        "cxx": tc.cxx,
        "cxx_version": tc.cxx_version,
    });
    // Written aside (a name unique to this process and call) and renamed, so
    // that a concurrent reader sees all or nothing.
    static WRITES: AtomicU64 = AtomicU64::new(0);
    let tmp = dir.join(format!(
        ".{}.{}.{}",
        std::process::id(),
        WRITES.fetch_add(1, Ordering::Relaxed),
        path.file_name().unwrap().to_string_lossy()
    ));
    fs::write(&tmp, serde_json::to_vec_pretty(&v).expect("JSON"))?;
    fs::rename(&tmp, path)
}

fn run_version(program: &str, args: &[&str]) -> std::io::Result<String> {
    let out = Command::new(program).args(args).output()?;
    if !out.status.success() {
        return Err(std::io::Error::other(format!(
            "`{program} {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Asks the tools.
fn query(verilator: &str, cxx: &str) -> Result<Toolchain> {
    let missing = |source| Error::VerilatorMissing {
        program: verilator.to_string(),
        source,
    };
    let verilator_version = run_version(verilator, &["--version"]).map_err(missing)?;
    let root = run_version(verilator, &["--getenv", "VERILATOR_ROOT"]).map_err(missing)?;
    let include = PathBuf::from(root).join("include");
    if !include.join("verilated.cpp").exists() {
        return Err(missing(std::io::Error::other(format!(
            "runtime sources missing in {}",
            include.display()
        ))));
    }
    let cxx_version = run_version(cxx, &["--version"]).map_err(|source| Error::CompilerMissing {
        program: cxx.to_string(),
        source,
    })?;
    Ok(Toolchain {
        verilator: verilator.to_string(),
        verilator_version,
        include,
        cxx: cxx.to_string(),
        cxx_version,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_bare_names_through_path_and_paths_as_they_are() {
        let sh = resolve("sh").expect("sh on PATH");
        assert!(sh.is_absolute() && sh.ends_with("sh"), "{}", sh.display());
        assert_eq!(resolve(&sh.to_string_lossy()), Some(sh));
        assert_eq!(resolve("/nonexistent/verilator"), None);
        assert_eq!(resolve("no-such-program-lhv"), None);
    }

    #[test]
    fn identity_changes_when_the_file_changes() {
        let dir = std::env::temp_dir().join(format!("lhv-identity-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let f = dir.join("tool");
        fs::write(&f, "one").unwrap();
        let a = identity(&f);
        assert_eq!(a, identity(&f));
        fs::write(&f, "two!").unwrap();
        assert_ne!(a, identity(&f));
        fs::remove_dir_all(&dir).unwrap();
        assert!(identity(&f).ends_with("missing"));
    }

    #[test]
    fn records_round_trip_and_reject_other_fingerprints() {
        let dir = std::env::temp_dir().join(format!("lhv-record-{}", std::process::id()));
        let include = dir.join("include");
        fs::create_dir_all(&include).unwrap();
        fs::write(include.join("verilated.cpp"), "// runtime").unwrap();
        let tc = Toolchain {
            verilator: "/usr/bin/verilator".into(),
            verilator_version: "Verilator 5.006".into(),
            include: include.clone(),
            cxx: "/usr/bin/c++".into(),
            cxx_version: "c++ 12".into(),
        };
        let rec = dir.join("toolchain").join("x.json");
        write_record(&rec, "fp", &tc).unwrap();
        assert_eq!(read_record(&rec, "fp"), Some(tc));
        assert_eq!(read_record(&rec, "other fp"), None);
        // A changed runtime invalidates the record.
        fs::write(include.join("verilated.cpp"), "// runtime, newer").unwrap();
        assert_eq!(read_record(&rec, "fp"), None);
        fs::remove_dir_all(&dir).unwrap();
    }
}
