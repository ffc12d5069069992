//! Verilates a design, compiles it with the shim and the Verilator runtime into
//! a shared object, and caches the result by content hash.

use crate::error::{diagnostic_lines, io, Error, Result};
use crate::runtime::{runtime_objects, write_hooks, VL_USER_HEADER, VL_USER_HOOKS};
use crate::source::{ports_from_xml, PortSpec, Source};
use crate::toolchain::{toolchain, Toolchain};
use askama::Template;
use sha2::{Digest, Sha256};
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The shim template text, part of every cache key.
const SHIM_TEMPLATE: &str = include_str!("../templates/shim.cpp");

/// How a library is compiled and linked, part of every cache key: change it
/// when `compile_model`, or the evaluation step `eval_step.rs` derives from
/// Verilator's output, changes what it produces.
const BUILD_RECIPE: &str = "lhv-build-3: one translation unit, one simulation thread, direct eval step";

/// How Verilator initialises variables that have no reset (`--x-initial`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum XInitial {
    /// `--x-initial 0`: everything starts at zero.
    Zero,
    /// `--x-initial fast`: whatever is fastest (in practice zero).
    #[default]
    Fast,
    /// `--x-initial unique`: random initial values from the runtime, to find
    /// missing resets.
    Unique,
}

impl XInitial {
    fn flag(self) -> &'static str {
        match self {
            XInitial::Zero => "0",
            XInitial::Fast => "fast",
            XInitial::Unique => "unique",
        }
    }
}

/// Waveform format compiled into a model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TraceFormat {
    /// Value change dump (`--trace`), readable by every viewer.
    Vcd,
    /// GTKWave's compressed format (`--trace-fst`), linked with zlib.
    Fst,
}

impl TraceFormat {
    /// `LHV_TRACE_*` code.
    pub(crate) fn code(fmt: Option<TraceFormat>) -> u32 {
        match fmt {
            None => 0,
            Some(TraceFormat::Vcd) => 1,
            Some(TraceFormat::Fst) => 2,
        }
    }

    /// File extension of traces in this format.
    pub fn extension(self) -> &'static str {
        match self {
            TraceFormat::Vcd => "vcd",
            TraceFormat::Fst => "fst",
        }
    }

    /// The format asked for by `LAUBERHORN_TRACE` (`1` or `vcd`: VCD; `fst`:
    /// FST; unset, empty or `0`: none).
    pub fn from_env() -> Option<TraceFormat> {
        match std::env::var("LAUBERHORN_TRACE")
            .ok()?
            .to_ascii_lowercase()
            .as_str()
        {
            "" | "0" | "off" | "no" => None,
            "fst" => Some(TraceFormat::Fst),
            _ => Some(TraceFormat::Vcd),
        }
    }
}

/// Options of one model build.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    /// `--x-initial` choice.
    pub x_initial: XInitial,
    /// Waveform support to compile in; `None` builds without tracing.
    pub trace: Option<TraceFormat>,
    /// C++ optimisation flag for the model, e.g. `-O1` (fast builds) or `-O2`.
    pub cxx_opt: String,
    /// Extra Verilator arguments (e.g. `-Ipath`, `-GWIDTH=8`).
    pub verilator_args: Vec<String>,
    /// Cache directory; `None` uses [`default_cache_dir`].
    pub cache_dir: Option<PathBuf>,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            x_initial: XInitial::Fast,
            trace: TraceFormat::from_env(),
            cxx_opt: "-O2".to_string(),
            verilator_args: Vec::new(),
            cache_dir: None,
        }
    }
}

/// What a build did.
#[derive(Clone, Debug)]
pub struct BuildInfo {
    /// True when the library came from the cache and nothing was rebuilt.
    pub cached: bool,
    /// The content hash naming the cache entry.
    pub hash: String,
    /// The cache entry's directory (sources, logs, library).
    pub dir: PathBuf,
    /// The shared object.
    pub library: PathBuf,
    /// Time spent in Verilator (zero when cached).
    pub verilate_time: Duration,
    /// Time spent compiling and linking the model's C++ (zero when cached).
    pub compile_time: Duration,
    /// Time spent compiling the Verilator runtime objects, which are shared by
    /// every model of a toolchain and trace format (zero when they were cached).
    pub runtime_time: Duration,
    /// Wall time of the whole build or cache lookup, lock waits included.
    pub total_time: Duration,
    /// Trace format compiled in.
    pub trace: Option<TraceFormat>,
    /// Verilator's non-fatal `%Warning` lines of this build (empty when cached;
    /// they stay in `build.log`). They are also printed to stderr.
    pub warnings: Vec<String>,
}

/// The cache directory: `LAUBERHORN_VERILATOR_CACHE`, else
/// `$CARGO_TARGET_DIR/verilator-cache`, else `verilator-cache` in the `target`
/// directory holding the running executable, else in the `target` directory
/// of the Cargo workspace around the working directory (doctests run from a
/// temporary directory, in the package's directory), else
/// `./target/verilator-cache`.
pub fn default_cache_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("LAUBERHORN_VERILATOR_CACHE").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    if let Some(d) = std::env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(d).join("verilator-cache");
    }
    if let Ok(exe) = std::env::current_exe() {
        if let Some(t) = exe
            .ancestors()
            .find(|a| a.file_name().is_some_and(|n| n == "target"))
        {
            return t.join("verilator-cache");
        }
    }
    if let Ok(cwd) = std::env::current_dir() {
        if let Some(ws) = cwd.ancestors().find(|a| a.join("Cargo.lock").is_file()) {
            return ws.join("target").join("verilator-cache");
        }
    }
    PathBuf::from("target/verilator-cache")
}

/// One port as the shim template sees it.
struct ShimPort {
    name: String,
    cpp_name: String,
    width: u32,
    direction: u32,
    word_bytes: u32,
    words: u32,
}

#[derive(Template)]
#[template(path = "shim.cpp", escape = "none")]
struct Shim<'a> {
    top: &'a str,
    trace: u32,
    rand_reset: u32,
    threads: u32,
    /// The body of the direct evaluation step, empty to call `eval()`
    /// (see `eval_step`).
    direct_step: String,
    ports: Vec<ShimPort>,
}

/// The C++ member name Verilator gives a Verilog identifier: `__` becomes
/// `___05F` and other non-identifier characters `__0XX`.
pub(crate) fn cpp_name(verilog: &str) -> String {
    let mut out = String::new();
    let mut prev_underscore = false;
    for c in verilog.chars() {
        if c == '_' {
            if prev_underscore {
                out.push_str("__05F");
                prev_underscore = false;
            } else {
                out.push('_');
                prev_underscore = true;
            }
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
            prev_underscore = false;
        } else {
            out.push_str(&format!("__0{:02X}", c as u32));
            prev_underscore = false;
        }
    }
    out
}

/// Storage layout of a port of `width` bits: (bytes per word, words).
pub(crate) fn layout(width: u32) -> (u32, u32) {
    match width {
        0..=8 => (1, 1),
        9..=16 => (2, 1),
        17..=32 => (4, 1),
        33..=64 => (8, 1),
        w => (4, w.div_ceil(32)),
    }
}

/// Whether Verilator arguments name a file or directory by a relative path:
/// `+incdir+`, `-I`, `-y`, `-v`, `-f`, `-F` or a source file.
fn names_relative_path(verilator_args: &[String]) -> bool {
    const TAKES_PATH: [&str; 5] = ["-I", "-y", "-v", "-f", "-F"];
    let relative = |p: &str| !p.is_empty() && !Path::new(p).is_absolute();
    verilator_args.iter().enumerate().any(|(i, a)| {
        let after_flag = i > 0 && TAKES_PATH.contains(&verilator_args[i - 1].as_str());
        if let Some(dirs) = a.strip_prefix("+incdir+") {
            dirs.split('+').any(relative)
        } else if let Some(dir) = a.strip_prefix("-I") {
            relative(dir)
        } else if after_flag {
            relative(a)
        } else {
            let source = [".v", ".sv", ".vh", ".svh"].iter().any(|e| a.ends_with(e));
            !a.starts_with('-') && !a.starts_with('+') && source && relative(a)
        }
    })
}

/// The `--threads N` among Verilator arguments (1 without).
fn model_threads(verilator_args: &[String]) -> u32 {
    let mut threads = 1;
    for (i, a) in verilator_args.iter().enumerate() {
        let n = match a.strip_prefix("--threads") {
            Some("") => verilator_args.get(i + 1).map(String::as_str),
            Some(rest) => rest.strip_prefix('='),
            None => None,
        };
        if let Some(n) = n.and_then(|n| n.parse().ok()) {
            threads = n;
        }
    }
    threads
}

fn render_shim(top: &str, opts: &BuildOptions, ports: &[PortSpec], obj: &Path) -> Result<String> {
    let mut shim_ports = Vec::new();
    for p in ports {
        if p.width == 0 {
            return Err(Error::UnsupportedPort {
                name: p.name.clone(),
                reason: "zero width".into(),
            });
        }
        let (word_bytes, words) = layout(p.width);
        shim_ports.push(ShimPort {
            name: p.name.clone(),
            cpp_name: cpp_name(&p.name),
            width: p.width,
            direction: p.direction.code(),
            word_bytes,
            words,
        });
    }
    let threads = model_threads(&opts.verilator_args);
    let read = |name: &str| io("read", obj.join(name), fs::read_to_string(obj.join(name)));
    let (model_cpp, model_h) = (read("Vlhv.cpp")?, read("Vlhv.h")?);
    Shim {
        top,
        trace: TraceFormat::code(opts.trace),
        rand_reset: if opts.x_initial == XInitial::Unique { 2 } else { 0 },
        threads,
        direct_step: crate::eval_step::direct_body(&model_cpp, &model_h, "Vlhv", threads).unwrap_or_default(),
        ports: shim_ports,
    }
    .render()
    .map_err(|e| Error::Source(format!("shim template: {e}")))
}

pub(crate) fn hex(d: impl AsRef<[u8]>) -> String {
    d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// Hashes one length-prefixed field into `h`.
pub(crate) fn field(h: &mut Sha256, tag: &str, data: &[u8]) {
    h.update(tag.as_bytes());
    h.update((data.len() as u64).to_le_bytes());
    h.update(data);
}

/// Holds an exclusive lock on a file until dropped.
pub(crate) struct Lock(File);

impl Lock {
    pub(crate) fn acquire(path: &Path) -> Result<Lock> {
        let f = io(
            "open lock file",
            path,
            File::options()
                .create(true)
                .truncate(false)
                .write(true)
                .open(path),
        )?;
        io("lock", path, f.lock())?;
        Ok(Lock(f))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

pub(crate) fn common_cxx_flags(tc: &Toolchain, trace: Option<TraceFormat>) -> Vec<String> {
    let t = TraceFormat::code(trace);
    let mut v: Vec<String> = [
        "-fPIC",
        "-fvisibility=hidden",
        "-faligned-new",
        "-fcf-protection=none",
        "-Wno-bool-operation",
        "-Wno-sign-compare",
        "-Wno-uninitialized",
        "-Wno-unused-but-set-variable",
        "-Wno-unused-parameter",
        "-Wno-unused-variable",
        "-Wno-shadow",
        "-DVM_COVERAGE=0",
        "-DVM_SC=0",
        // $finish, $stop and fatal errors go to our hooks (c/lhv_vl_user.cpp).
        "-DVL_USER_FINISH",
        "-DVL_USER_STOP",
        "-DVL_USER_FATAL",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push(format!("-DVM_TRACE={}", u32::from(t != 0)));
    v.push(format!("-DVM_TRACE_VCD={}", u32::from(t == 1)));
    v.push(format!("-DVM_TRACE_FST={}", u32::from(t == 2)));
    v.push(format!("-I{}", tc.include.display()));
    v.push(format!("-I{}", tc.include.join("vltstd").display()));
    v
}

/// Runs `cmd`, appending its output to `log`; returns (success, output).
fn run_logged(
    cmd: &mut Command,
    log: &Path,
    missing: impl FnOnce(std::io::Error) -> Error,
) -> Result<(bool, String)> {
    let out = cmd.output().map_err(missing)?;
    log_output(cmd, &out, log)
}

/// Appends `cmd` and its output `out` to `log`; returns (success, output).
pub(crate) fn log_output(cmd: &Command, out: &std::process::Output, log: &Path) -> Result<(bool, String)> {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let mut prev = fs::read_to_string(log).unwrap_or_default();
    prev.push_str(&format!("$ {cmd:?}\n{text}\n"));
    io("write", log, fs::write(log, prev))?;
    Ok((out.status.success(), text))
}

/// Compiles the model's generated C++ in `dir/obj` with `extra` sources (the
/// shim, or a C++ `main`) and the runtime objects into `output`: a shared
/// object when `shared`, else an executable. One command for both, so that a
/// C++ testbench gets exactly the model library's flags. The sources are
/// compiled as one translation unit that includes them all, as Verilator's
/// own makefile does (`Vlhv__ALL.cpp`): the Verilator headers are parsed
/// once instead of once per file, which halves the build of a small model.
#[allow(clippy::too_many_arguments)]
fn compile_model(
    tc: &Toolchain,
    opts: &BuildOptions,
    top: &str,
    dir: &Path,
    extra: &[PathBuf],
    runtime: &[PathBuf],
    output: &Path,
    shared: bool,
) -> Result<()> {
    let obj = dir.join("obj");
    let mut cpp: Vec<PathBuf> = io("list", &obj, fs::read_dir(&obj))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "cpp"))
        .collect();
    cpp.sort();
    let mut all = String::from(
        "// Generated by the lauberhorn `verilator` crate: the model in one translation unit.\n",
    );
    for f in cpp.iter().chain(extra) {
        all.push_str(&format!("#include \"{}\"\n", f.display()));
    }
    let name = output
        .file_name()
        .map_or("out".into(), |n| n.to_string_lossy().into_owned());
    let all_cpp = dir.join(format!("lhv_all-{name}.cpp"));
    io("write", &all_cpp, fs::write(&all_cpp, all))?;
    let mut cmd = Command::new(&tc.cxx);
    cmd.args(common_cxx_flags(tc, opts.trace)).arg(&opts.cxx_opt);
    if shared {
        cmd.arg("-shared");
    }
    cmd.arg(format!("-I{}", obj.display()))
        .arg(format!("-I{}", dir.display()))
        .arg(&all_cpp)
        .args(runtime)
        .arg("-o")
        .arg(output)
        .args(["-Wl,--no-undefined", "-pthread", "-latomic"]);
    if opts.trace == Some(TraceFormat::Fst) {
        cmd.arg("-lz");
    }
    let log = dir.join("build.log");
    let (ok, text) = run_logged(&mut cmd, &log, |source| Error::CompilerMissing {
        program: tc.cxx.clone(),
        source,
    })?;
    if !ok {
        return Err(Error::Compiler {
            top: top.to_string(),
            diagnostics: diagnostic_lines(&text),
            log,
        });
    }
    Ok(())
}

/// Builds (or finds in the cache) the model of `source`, then compiles the C++
/// program `main_cpp` with the model's C++ and the Verilator runtime into the
/// executable `exe`; returns the build and the time spent on `exe`.
pub(crate) fn build_executable(
    source: &Source,
    opts: &BuildOptions,
    main_cpp: &Path,
    exe: &Path,
) -> Result<(BuildInfo, Duration)> {
    // Held while compiling against the entry's files.
    let (info, _entry) = build(source, opts)?;
    let start = Instant::now();
    let cache = opts.cache_dir.clone().unwrap_or_else(default_cache_dir);
    let tc = toolchain(&cache)?;
    let (runtime, _) = runtime_objects(tc, &cache, opts.trace)?;
    let main_cpp = fs::canonicalize(main_cpp).unwrap_or_else(|_| main_cpp.to_path_buf());
    compile_model(
        tc,
        opts,
        source.top(),
        &info.dir,
        &[main_cpp],
        &runtime,
        exe,
        false,
    )?;
    Ok((info, start.elapsed()))
}

/// Builds (or finds in the cache) the shared object for `source`; returns it
/// with the entry's lock, which the caller holds until it has loaded the
/// library (else another process could rebuild the entry in between, after
/// a change to an included file).
pub(crate) fn build(source: &Source, opts: &BuildOptions) -> Result<(BuildInfo, Lock)> {
    let start = Instant::now();
    let cache = opts.cache_dir.clone().unwrap_or_else(default_cache_dir);
    io("create cache directory", &cache, fs::create_dir_all(&cache))?;
    let tc = toolchain(&cache)?;

    let mut h = Sha256::new();
    field(&mut h, "abi", &crate::sys::LHV_ABI_VERSION.to_le_bytes());
    field(&mut h, "recipe", BUILD_RECIPE.as_bytes());
    field(&mut h, "verilator", tc.verilator_version.as_bytes());
    field(&mut h, "cxx", tc.cxx_version.as_bytes());
    field(&mut h, "template", SHIM_TEMPLATE.as_bytes());
    field(&mut h, "header", crate::sys::HEADER.as_bytes());
    // The hooks are linked into the library from the runtime objects.
    field(&mut h, "hooks.h", VL_USER_HEADER.as_bytes());
    field(&mut h, "hooks", VL_USER_HOOKS.as_bytes());
    field(&mut h, "top", source.top().as_bytes());
    field(&mut h, "x", opts.x_initial.flag().as_bytes());
    field(&mut h, "trace", &TraceFormat::code(opts.trace).to_le_bytes());
    field(&mut h, "opt", opts.cxx_opt.as_bytes());
    for a in &opts.verilator_args {
        field(&mut h, "varg", a.as_bytes());
    }
    // Relative include and library paths resolve against the working
    // directory: the same arguments elsewhere may name other files.
    if names_relative_path(&opts.verilator_args) {
        let cwd = io("current directory", ".", std::env::current_dir())?;
        field(&mut h, "cwd", cwd.to_string_lossy().as_bytes());
    }
    match source {
        Source::Hdl { verilog, ports, .. } => {
            field(&mut h, "hdl", verilog.as_bytes());
            for p in ports {
                field(
                    &mut h,
                    "port",
                    format!("{}:{}:{:?}", p.name, p.width, p.direction).as_bytes(),
                );
            }
        }
        Source::Files { files, .. } => {
            for f in files {
                let text = io("read Verilog file", f, fs::read(f))?;
                field(&mut h, "file", f.to_string_lossy().as_bytes());
                field(&mut h, "text", &text);
            }
        }
    }
    let hash = hex(h.finalize());
    let name = format!("{}-{}", source.top(), &hash[..16]);
    let dir = cache.join(&name);
    // Named after the dependency record too: a rebuild for a changed
    // include gets a new file, which a process that loaded the old one
    // (Verilator's runtime cannot be unloaded) then loads instead of reusing.
    let library_in = |dir: &Path| dir.join(format!("lib{name}{}.so", crate::deps::suffix(dir)));
    let done = dir.join("done");
    let lock = Lock::acquire(&cache.join(format!("{name}.lock")))?;
    let library = library_in(&dir);
    let mut info = BuildInfo {
        cached: true,
        hash,
        dir: dir.clone(),
        library: library.clone(),
        verilate_time: Duration::ZERO,
        compile_time: Duration::ZERO,
        runtime_time: Duration::ZERO,
        total_time: Duration::ZERO,
        trace: opts.trace,
        warnings: Vec::new(),
    };
    if done.exists() && library.exists() && crate::deps::unchanged(&dir) {
        info.total_time = start.elapsed();
        return Ok((info, lock));
    }
    info.cached = false;
    let _ = fs::remove_dir_all(&dir);
    io("create", &dir, fs::create_dir_all(&dir))?;
    let log = dir.join("build.log");

    // Sources and ports.
    let (files, ports) = match source {
        Source::Hdl { top, verilog, ports } => {
            let f = dir.join(format!("{top}.v"));
            io("write", &f, fs::write(&f, verilog))?;
            (vec![f], ports.clone())
        }
        Source::Files { top, files } => {
            let files: Vec<PathBuf> = files
                .iter()
                .map(|f| fs::canonicalize(f).unwrap_or_else(|_| f.clone()))
                .collect();
            let ports = ports_from_xml(&tc.verilator, &files, top, &opts.verilator_args, &dir)?;
            (files, ports)
        }
    };

    // Verilate.
    let t0 = Instant::now();
    let obj = dir.join("obj");
    let mut cmd = Command::new(&tc.verilator);
    cmd.args([
        "--cc",
        "-O3",
        "--x-assign",
        "fast",
        "--x-initial",
        opts.x_initial.flag(),
    ])
    .args(["--prefix", "Vlhv", "--top-module", source.top()])
    .arg("--Mdir")
    .arg(&obj);
    match opts.trace {
        Some(TraceFormat::Vcd) => {
            cmd.arg("--trace");
        }
        Some(TraceFormat::Fst) => {
            cmd.arg("--trace-fst");
        }
        None => {}
    }
    cmd.args(&opts.verilator_args).args(&files);
    let (ok, text) = run_logged(&mut cmd, &log, |source| Error::VerilatorMissing {
        program: tc.verilator.clone(),
        source,
    })?;
    if !ok {
        return Err(Error::Verilator {
            top: source.top().to_string(),
            diagnostics: diagnostic_lines(&text),
            log,
        });
    }
    info.verilate_time = t0.elapsed();
    crate::deps::record(&dir, "Vlhv", &files)?;
    let library = library_in(&dir);
    info.library = library.clone();
    info.warnings = text
        .lines()
        .filter(|l| l.starts_with("%Warning"))
        .map(str::to_string)
        .collect();
    for w in &info.warnings {
        eprintln!("lauberhorn-verilator: {w}");
    }

    // Shim, runtime, compile and link.
    let t1 = Instant::now();
    let shim = dir.join("lhv_shim.cpp");
    io(
        "write",
        &shim,
        fs::write(&shim, render_shim(source.top(), opts, &ports, &obj)?),
    )?;
    io(
        "write",
        dir.join("lhv_model.h"),
        fs::write(dir.join("lhv_model.h"), crate::sys::HEADER),
    )?;
    write_hooks(&dir, false)?;
    let (runtime, runtime_time) = runtime_objects(tc, &cache, opts.trace)?;
    info.runtime_time = runtime_time;
    let tmp = dir.join("lib.so.tmp");
    compile_model(tc, opts, source.top(), &dir, &[shim], &runtime, &tmp, true)?;
    io("rename", &tmp, fs::rename(&tmp, &library))?;
    info.compile_time = t1.elapsed() - runtime_time;
    io("write", &done, fs::write(&done, format!("{info:?}\n")))?;
    info.total_time = start.elapsed();
    Ok((info, lock))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpp_names_follow_verilator() {
        assert_eq!(cpp_name("a__b"), "a___05Fb");
        assert_eq!(cpp_name("io_en"), "io_en");
    }

    #[test]
    fn threads_come_from_verilator_args() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(model_threads(&args(&[])), 1);
        assert_eq!(model_threads(&args(&["-Wall", "--threads", "4"])), 4);
        assert_eq!(model_threads(&args(&["--threads=3"])), 3);
        assert_eq!(model_threads(&args(&["--threads-dpi", "all"])), 1);
    }

    #[test]
    fn relative_paths_among_verilator_args() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(names_relative_path(&args(&["+incdir+inc"])));
        assert!(names_relative_path(&args(&["+incdir+/abs+rel"])));
        assert!(names_relative_path(&args(&["-Iinc"])));
        assert!(names_relative_path(&args(&["-y", "lib"])));
        assert!(names_relative_path(&args(&["extra.sv"])));
        assert!(!names_relative_path(&args(&[
            "+incdir+/abs",
            "-I/abs",
            "-y",
            "/lib"
        ])));
        assert!(!names_relative_path(&args(&[
            "--threads",
            "2",
            "-Wall",
            "--assert"
        ])));
    }

    #[test]
    fn layouts() {
        assert_eq!(layout(1), (1, 1));
        assert_eq!(layout(16), (2, 1));
        assert_eq!(layout(33), (8, 1));
        assert_eq!(layout(65), (4, 3));
        assert_eq!(layout(512), (4, 16));
    }
}
