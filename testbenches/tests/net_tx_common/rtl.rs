//! Building models and checking RTL with the external tools.
//!
//! `check_rtl` is a local copy of `hdl/tests/support/mod.rs::check_rtl` (the
//! same three commands), kept here until a shared one lands in `testbenches`.

use hdl::{Component, Elaborated, VerilogOptions};
use std::path::{Path, PathBuf};
use std::process::Command;
use verilator::{Model, Source};

/// Elaborates `c`, failing the test with every diagnostic.
pub fn elaborate<C: Component>(c: &C) -> Elaborated {
    hdl::elaborate(c).unwrap_or_else(|d| panic!("{d}"))
}

/// A Verilator model of `c` (cached by content hash).
pub fn model_of<C: Component>(c: &C) -> Model {
    let e = elaborate(c);
    Model::builder(Source::from_hdl(&e).expect("source"))
        .cxx_opt("-O1")
        .build()
        .expect("model")
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

/// Writes the Verilog of `e` under `target/net-tx-rtl/<test>/` and checks it:
/// `verilator --lint-only -Wall` with zero warnings, `iverilog -g2005` and
/// Yosys (`hierarchy -check; proc; check -assert`) accept it.
pub fn check_rtl(e: &Elaborated, test: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../target/net-tx-rtl")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create rtl dir");
    let files: Vec<PathBuf> = e
        .verilog_files(&VerilogOptions::default())
        .into_iter()
        .map(|f| {
            let p = dir.join(&f.file_name);
            std::fs::write(&p, &f.text).expect("write verilog");
            p
        })
        .collect();
    let top = e.top_name();
    let (ok, text) = run(Command::new("verilator")
        .args(["--lint-only", "-Wall", "--top-module", top])
        .args(&files));
    assert!(ok && text.trim().is_empty(), "verilator -Wall on {test}:\n{text}");
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
