//! Generated RTL must satisfy every tool we promise: `verilator --lint-only
//! -Wall` with zero warnings, Icarus (`iverilog -g2005`) and Yosys. Every test
//! that builds a design passes it through [`check_rtl`]; [`icarus_sim`] runs a
//! Verilog testbench under Icarus.
//!
//! Files go to `target/hdl-tests/<test>/`, one Verilog file per module.

use hdl::{Elaborated, VerilogOptions};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// A fresh directory for one test's files under `target/hdl-tests/` (tests
/// running in parallel need different names).
pub fn out_dir(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../target/hdl-tests")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create test dir");
    dir
}

/// Writes every module to its own file; returns the paths in order.
pub fn write_verilog(e: &Elaborated, dir: &Path) -> Vec<PathBuf> {
    e.verilog_files(&VerilogOptions::default())
        .into_iter()
        .map(|f| {
            let p = dir.join(&f.file_name);
            std::fs::write(&p, &f.text).expect("write verilog");
            p
        })
        .collect()
}

fn run(cmd: &mut Command) -> (bool, String) {
    let out = cmd.output().unwrap_or_else(|e| {
        panic!(
            "cannot run {:?}: {e} (scripts/setup.sh installs it)",
            cmd.get_program()
        )
    });
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// `verilator --lint-only -Wall` with zero warnings, Icarus and Yosys accept
/// the design; panics with the tool's output otherwise. Returns the files.
pub fn check_rtl(e: &Elaborated, test: &str) -> Vec<PathBuf> {
    check_rtl_with_models(e, test, &[])
}

/// Like [`check_rtl`], with hand-written Verilog models `(file name, text)`
/// of black boxes. Verilator's `-Wall` applies to the generated files only;
/// the models are library files (`-v`), whose style is not what is checked.
pub fn check_rtl_with_models(e: &Elaborated, test: &str, models: &[(&str, &str)]) -> Vec<PathBuf> {
    let dir = out_dir(test);
    let mut files = write_verilog(e, &dir);
    let mut model_files: Vec<PathBuf> = Vec::new();
    for (name, text) in models {
        let p = dir.join(name);
        std::fs::write(&p, text).expect("write model");
        model_files.push(p);
    }
    let top = e.top_name();
    let mut cmd = Command::new("verilator");
    cmd.args(["--lint-only", "-Wall", "--top-module", top])
        .args(&files);
    for m in &model_files {
        cmd.arg("-v").arg(m);
    }
    let (ok, text) = run(&mut cmd);
    assert!(ok && text.trim().is_empty(), "verilator -Wall on {test}:\n{text}");
    files.extend(model_files);
    let (ok, text) = run(Command::new("iverilog")
        .args(["-g2005", "-o"])
        .arg(dir.join("lint.vvp"))
        .args(["-s", top])
        .args(&files));
    assert!(ok && text.trim().is_empty(), "iverilog on {test}:\n{text}");
    let reads: Vec<String> = files
        .iter()
        .map(|f| format!("read_verilog {};", f.display()))
        .collect();
    let script = format!(
        "{} hierarchy -check -top {top}; proc; check -assert",
        reads.join(" ")
    );
    let (ok, text) = run(Command::new("yosys").args(["-q", "-p", &script]));
    assert!(ok, "yosys on {test}:\n{text}");
    files
}

/// Simulates the design with a Verilog testbench (`tb_top` is its module name)
/// under Icarus and returns what it printed. The testbench should `$finish`.
pub fn icarus_sim(e: &Elaborated, test: &str, tb: &str, tb_top: &str) -> String {
    let dir = out_dir(test);
    let mut files = write_verilog(e, &dir);
    let tb_path = dir.join(format!("{tb_top}.v"));
    std::fs::write(&tb_path, tb).expect("write testbench");
    files.push(tb_path);
    let vvp = dir.join("sim.vvp");
    let (ok, text) = run(Command::new("iverilog")
        .args(["-g2005", "-o"])
        .arg(&vvp)
        .args(["-s", tb_top])
        .args(&files));
    assert!(ok, "iverilog compile of {test}:\n{text}");
    let (ok, text) = run(Command::new("vvp").arg("-n").arg(&vvp));
    assert!(ok, "vvp {test}:\n{text}");
    text
}

/// Elaborates `c`, passes it through [`check_rtl`] (files under
/// `target/hdl-tests/<test>/`; once per design and test process, as the
/// tools take seconds on large designs) and builds its Verilator model with
/// `-O1` (quick to compile; cached by content). Panics with the diagnostics or
/// the tool output when something fails.
pub fn checked_model<C: hdl::Component>(c: &C, test: &str) -> verilator::Model {
    static CHECKED: Mutex<Vec<u64>> = Mutex::new(Vec::new());
    let e = hdl::elaborate(c).unwrap_or_else(|d| panic!("{d}"));
    let mut h = DefaultHasher::new();
    e.verilog().hash(&mut h);
    let key = h.finish();
    {
        // Held while checking: a test wanting the same design waits for the verdict.
        let mut checked = CHECKED.lock().unwrap_or_else(|p| p.into_inner());
        if !checked.contains(&key) {
            check_rtl(&e, test);
            checked.push(key);
        }
    }
    let source = verilator::Source::from_hdl(&e).unwrap_or_else(|err| panic!("{test}: {err}"));
    verilator::Model::builder(source)
        .cxx_opt("-O1")
        .build()
        .unwrap_or_else(|err| panic!("{test}: Verilator model: {err}"))
}
