//! The model cache across processes: this test binary runs itself again (the
//! ignored `probe_child` test) to load a model in a fresh process, with
//! wrapper scripts in place of Verilator and the C++ compiler that log every
//! call. A cache hit must spawn no tool at all; a Verilator or compiler whose
//! version output changed must rebuild.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;
use verilator::{Model, Source};

const DESIGN: &str = "module probe(input clk, input [15:0] d, output reg [15:0] q);\n\
                      \x20 always @(posedge clk) q <= d + 16'd3;\nendmodule\n";

/// Run in a child process only: builds or loads `LHV_PROBE_FILE` and reports.
#[test]
#[ignore = "run by the other tests of this file in a child process"]
fn probe_child() -> Result<(), Box<dyn std::error::Error>> {
    let file = std::env::var("LHV_PROBE_FILE")?;
    let cache = std::env::var("LHV_PROBE_CACHE")?;
    let mut m = Model::builder(Source::from_files([&file], "probe"))
        .cxx_opt("-O1")
        .trace(None)
        .cache_dir(&cache)
        .build()?;
    let (d, q) = (m.port("d")?, m.port("q")?);
    m.add_clock("clk", 2)?;
    m.set_u64(d, 0x1234)?;
    m.step()?;
    assert_eq!(m.get_u64(q)?, 0x1237, "the loaded model computes");
    let info = m.build_info();
    println!("LHV-PROBE cached={} hash={}", info.cached, info.hash);
    Ok(())
}

/// What one child reported, and the tool calls it made.
#[derive(Debug)]
struct Probe {
    cached: bool,
    hash: String,
    tool_calls: Vec<String>,
}

/// A scratch directory with the design (unique to this run) and the
/// wrappers, and the cache directory used.
struct Scratch {
    dir: PathBuf,
    cache: PathBuf,
    /// Whether `cache` is ours to delete (else only our entry is removed).
    own_cache: bool,
    hashes: Vec<String>,
}

impl Scratch {
    /// With `cache` (shared, e.g. the default one, so the Verilator runtime
    /// objects are there already), or a fresh cache inside the scratch
    /// directory.
    fn new(name: &str, cache: Option<PathBuf>) -> Scratch {
        let stamp = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .expect("clock")
            .as_nanos();
        let dir = std::env::temp_dir().join(format!("lhv-{name}-{}-{stamp}", std::process::id()));
        fs::create_dir_all(&dir).expect("scratch");
        fs::write(dir.join("probe.v"), format!("// run {stamp}\n{DESIGN}")).expect("design");
        let own_cache = cache.is_none();
        let cache = cache.unwrap_or_else(|| dir.join("cache"));
        Scratch {
            dir,
            cache,
            own_cache,
            hashes: Vec::new(),
        }
    }

    fn log(&self) -> PathBuf {
        self.dir.join("tools.log")
    }

    /// (Re)writes the Verilator wrapper; `version` replaces `--version`'s output.
    fn verilator(&self, version: Option<&str>) {
        let real = which(&std::env::var("LAUBERHORN_VERILATOR").unwrap_or_else(|_| "verilator".into()));
        let fake = version.map_or(String::new(), |v| {
            format!("if [ \"$1\" = --version ]; then echo '{v}'; exit 0; fi\n")
        });
        self.script(
            "verilator",
            &format!(
                "#!/bin/sh\necho \"verilator $*\" >> '{}'\n{fake}exec '{}' \"$@\"\n",
                self.log().display(),
                real.display()
            ),
        );
    }

    /// (Re)writes the compiler wrapper; `version` replaces `--version`'s output;
    /// `note` changes the file without changing what it does.
    fn cxx(&self, version: Option<&str>, note: &str) {
        let real = which(&std::env::var("CXX").unwrap_or_else(|_| "c++".into()));
        let fake = version.map_or(String::new(), |v| {
            format!("if [ \"$1\" = --version ]; then echo '{v}'; exit 0; fi\n")
        });
        self.script(
            "cxx",
            &format!(
                "#!/bin/sh\n# {note}\necho \"c++ $*\" >> '{}'\n{fake}exec '{}' \"$@\"\n",
                self.log().display(),
                real.display()
            ),
        );
    }

    fn script(&self, name: &str, text: &str) {
        let path = self.dir.join(name);
        fs::write(&path, text).expect("wrapper");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).expect("chmod");
    }

    /// Runs `probe_child` in a fresh process with the wrappers as the tools.
    fn probe(&mut self) -> Probe {
        let before = fs::read_to_string(self.log()).unwrap_or_default().lines().count();
        let out = Command::new(std::env::current_exe().expect("test binary"))
            .args([
                "--exact",
                "probe_child",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("LHV_PROBE_FILE", self.dir.join("probe.v"))
            .env("LHV_PROBE_CACHE", &self.cache)
            .env("LAUBERHORN_VERILATOR", self.dir.join("verilator"))
            .env("CXX", self.dir.join("cxx"))
            .env_remove("LAUBERHORN_TRACE")
            .output()
            .expect("run the test binary");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "child failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // libtest prints `test probe_child ... ` before the child's output.
        let line = stdout
            .lines()
            .find_map(|l| l.split_once("LHV-PROBE ").map(|(_, r)| r))
            .unwrap_or_else(|| panic!("no probe line in:\n{stdout}"));
        let field = |k: &str| {
            line.split_whitespace()
                .find_map(|kv| kv.strip_prefix(k)?.strip_prefix('='))
                .unwrap_or_else(|| panic!("no {k} in {line}"))
                .to_string()
        };
        self.hashes.push(field("hash"));
        Probe {
            cached: field("cached") == "true",
            hash: field("hash"),
            tool_calls: fs::read_to_string(self.log())
                .unwrap_or_default()
                .lines()
                .skip(before)
                .map(str::to_string)
                .collect(),
        }
    }

    /// The model's cache entry.
    fn entry(&self, hash: &str) -> PathBuf {
        self.cache.join(format!("probe-{}", &hash[..16]))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if !self.own_cache {
            for h in &self.hashes {
                let _ = fs::remove_dir_all(self.entry(h));
                let _ = fs::remove_file(self.cache.join(format!("probe-{}.lock", &h[..16])));
            }
            // The toolchain records of our wrappers name the scratch directory.
            let scratch = self.dir.to_string_lossy().into_owned();
            for r in fs::read_dir(self.cache.join("toolchain"))
                .into_iter()
                .flatten()
                .flatten()
            {
                if fs::read_to_string(r.path()).is_ok_and(|t| t.contains(&scratch)) {
                    let _ = fs::remove_file(r.path());
                }
            }
        }
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// `program` as a spawn finds it.
fn which(program: &str) -> PathBuf {
    if program.contains('/') {
        return PathBuf::from(program);
    }
    std::env::split_paths(&std::env::var_os("PATH").expect("PATH"))
        .map(|d| d.join(program))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{program} not on PATH"))
}

fn mtime(p: &Path) -> SystemTime {
    fs::metadata(p)
        .and_then(|m| m.modified())
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn a_second_process_loads_the_model_without_running_any_tool() {
    // The default cache, whose Verilator runtime objects the wrappers (which
    // answer as the real tools) share; the design is unique to this run.
    let mut s = Scratch::new("cache-hit", Some(verilator::default_cache_dir()));
    s.verilator(None);
    s.cxx(None, "passthrough");
    let first = s.probe();
    assert!(!first.cached, "a fresh cache builds: {first:?}");
    assert!(
        first
            .tool_calls
            .iter()
            .any(|c| c.starts_with("verilator --version"))
            && first.tool_calls.iter().any(|c| c.starts_with("c++ --version"))
            && first.tool_calls.iter().any(|c| c.contains("--cc"))
            && first.tool_calls.iter().any(|c| c.contains("-shared")),
        "the first process asks the tools and builds: {first:?}"
    );
    let entry = s.entry(&first.hash);
    let library = entry.join(format!("libprobe-{}.so", &first.hash[..16]));
    let (lib_time, log_time) = (mtime(&library), mtime(&entry.join("build.log")));
    let log_text = fs::read_to_string(entry.join("build.log")).expect("build log");

    let second = s.probe();
    assert!(second.cached, "the second process finds the model: {second:?}");
    assert_eq!(second.hash, first.hash);
    assert_eq!(
        second.tool_calls,
        Vec::<String>::new(),
        "a cache hit spawns no process"
    );
    assert_eq!(mtime(&library), lib_time, "library rewritten");
    assert_eq!(mtime(&entry.join("build.log")), log_time, "build log rewritten");
    assert_eq!(
        fs::read_to_string(entry.join("build.log")).expect("build log"),
        log_text
    );
}

#[test]
fn a_changed_verilator_or_compiler_rebuilds_and_an_equivalent_one_does_not() {
    // A cache of its own: every toolchain here builds its runtime objects.
    let mut s = Scratch::new("tool-change", None);
    s.verilator(Some("Verilator 5.006 (lauberhorn test build A)"));
    s.cxx(None, "passthrough");
    let a = s.probe();
    assert!(!a.cached, "{a:?}");

    // The compiler wrapper is rewritten but answers the same: the tools are
    // asked again (its identity changed), and the model is still cached.
    s.cxx(None, "passthrough, rewritten");
    let same = s.probe();
    assert!(same.cached, "an equivalent compiler keeps the cache: {same:?}");
    assert_eq!(same.hash, a.hash);
    assert!(
        same.tool_calls.iter().any(|c| c == "c++ --version"),
        "a changed compiler file is asked again: {same:?}"
    );
    assert!(
        !same
            .tool_calls
            .iter()
            .any(|c| c.contains("-shared") || c.contains("--cc")),
        "{same:?}"
    );

    // A Verilator whose version output changed rebuilds.
    s.verilator(Some("Verilator 5.006 (lauberhorn test build B)"));
    let b = s.probe();
    assert!(!b.cached, "a changed Verilator rebuilds: {b:?}");
    assert_ne!(b.hash, a.hash);
    assert!(b.tool_calls.iter().any(|c| c == "verilator --version"), "{b:?}");

    // So does a compiler whose version output changed.
    s.cxx(Some("c++ (lauberhorn test build) 99.0"), "new version");
    let c = s.probe();
    assert!(!c.cached, "a changed compiler rebuilds: {c:?}");
    assert_ne!(c.hash, b.hash);

    // And the last one is found by the next process without any tool.
    let again = s.probe();
    assert!(again.cached && again.hash == c.hash, "{again:?}");
    assert_eq!(again.tool_calls, Vec::<String>::new());
}
