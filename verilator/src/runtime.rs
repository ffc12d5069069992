//! The Verilator runtime a model links: Verilator's own sources
//! (`verilated.cpp`, `verilated_threads.cpp`, the VCD or FST writer) and our
//! `$finish`/`$stop`/fatal-error hooks (`c/lhv_vl_user.cpp`), compiled once
//! per toolchain, flags and trace format into `runtime-<hash>/` of the cache.

use crate::builder::{common_cxx_flags, field, hex, log_output, Lock, TraceFormat};
use crate::error::{diagnostic_lines, io, Error, Result};
use crate::toolchain::Toolchain;
use sha2::{Digest, Sha256};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The runtime hooks for `$finish`, `$stop` and fatal errors, compiled with
/// the runtime, and the header of what they throw, which the shim includes.
pub(crate) const VL_USER_HOOKS: &str = include_str!("../c/lhv_vl_user.cpp");
const VL_USER_HOOKS_FILE: &str = "lhv_vl_user.cpp";
pub(crate) const VL_USER_HEADER: &str = include_str!("../c/lhv_vl_user.h");
const VL_USER_HEADER_FILE: &str = "lhv_vl_user.h";

/// Writes the hooks' header into `dir`, and their source when `source`.
pub(crate) fn write_hooks(dir: &Path, source: bool) -> Result<()> {
    let header = [(VL_USER_HEADER_FILE, VL_USER_HEADER)];
    let both = [header[0], (VL_USER_HOOKS_FILE, VL_USER_HOOKS)];
    for (name, text) in if source { &both[..] } else { &header[..] } {
        let path = dir.join(name);
        io("write", &path, fs::write(&path, text))?;
    }
    Ok(())
}

/// The Verilator runtime objects for `trace`, compiled once per toolchain into
/// the cache (with -O2, -fPIC and hidden visibility), and the time spent
/// compiling them now (zero when they were there).
pub(crate) fn runtime_objects(
    tc: &'static Toolchain,
    cache: &Path,
    trace: Option<TraceFormat>,
) -> Result<(Vec<PathBuf>, Duration)> {
    // Verilator's sources from its include directory, then our hooks.
    let mut sources = vec!["verilated.cpp", "verilated_threads.cpp"];
    match trace {
        Some(TraceFormat::Vcd) => sources.push("verilated_vcd_c.cpp"),
        Some(TraceFormat::Fst) => sources.push("verilated_fst_c.cpp"),
        None => {}
    }
    let flags = common_cxx_flags(tc, trace);
    let mut h = Sha256::new();
    field(&mut h, "verilator", tc.verilator_version.as_bytes());
    field(&mut h, "cxx", tc.cxx_version.as_bytes());
    field(&mut h, "flags", flags.join(" ").as_bytes());
    for s in &sources {
        field(&mut h, "src", s.as_bytes());
    }
    field(&mut h, "hooks", VL_USER_HOOKS.as_bytes());
    field(&mut h, "hooks.h", VL_USER_HEADER.as_bytes());
    let dir = cache.join(format!("runtime-{}", &hex(h.finalize())[..16]));
    let _lock = Lock::acquire(&cache.join(format!("{}.lock", dir.file_name().unwrap().to_string_lossy())))?;
    let srcs: Vec<PathBuf> = sources
        .iter()
        .map(|s| tc.include.join(s))
        .chain([dir.join(VL_USER_HOOKS_FILE)])
        .collect();
    let objs: Vec<PathBuf> = srcs
        .iter()
        .map(|s| s.with_extension("o"))
        .map(|o| dir.join(o.file_name().unwrap()))
        .collect();
    if dir.join("done").exists() {
        return Ok((objs, Duration::ZERO));
    }
    let start = Instant::now();
    let _ = fs::remove_dir_all(&dir);
    io("create", &dir, fs::create_dir_all(&dir))?;
    let log = dir.join("build.log");
    write_hooks(&dir, true)?;
    // The sources compile in parallel, each in its own compiler process.
    let mut cmds: Vec<Command> = srcs
        .iter()
        .zip(&objs)
        .map(|(src, obj)| {
            let mut cmd = Command::new(&tc.cxx);
            cmd.args(&flags)
                .arg(format!("-I{}", dir.display()))
                .arg("-O2")
                .arg("-c")
                .arg(src)
                .arg("-o")
                .arg(obj);
            cmd
        })
        .collect();
    let outputs: Vec<std::io::Result<std::process::Output>> = std::thread::scope(|s| {
        let running: Vec<_> = cmds.iter_mut().map(|c| s.spawn(move || c.output())).collect();
        running
            .into_iter()
            .map(|t| t.join().expect("compiler thread"))
            .collect()
    });
    for ((src, cmd), out) in srcs.iter().zip(&cmds).zip(outputs) {
        let out = out.map_err(|source| Error::CompilerMissing {
            program: tc.cxx.clone(),
            source,
        })?;
        let (ok, text) = log_output(cmd, &out, &log)?;
        if !ok {
            return Err(Error::Compiler {
                top: format!("Verilator runtime ({})", src.display()),
                diagnostics: diagnostic_lines(&text),
                log,
            });
        }
    }
    io("write", dir.join("done"), fs::write(dir.join("done"), ""))?;
    Ok((objs, start.elapsed()))
}
