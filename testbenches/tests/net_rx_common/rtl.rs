//! Lint and synthesis-readiness of generated RTL: `verilator --lint-only
//! -Wall` with zero warnings, `iverilog -g2005`, and Yosys.
//!
//! The same commands as `hdl/tests/support::check_rtl` (which lives in the
//! `hdl` crate's tests and cannot be imported from here).

use hdl::{Elaborated, VerilogOptions};
use std::path::{Path, PathBuf};
use std::process::Command;

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

/// Writes every module of `e` to its own file under `target/net-rx-rtl/<test>`.
pub fn write_verilog(e: &Elaborated, test: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../target/net-rx-rtl")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create rtl dir");
    e.verilog_files(&VerilogOptions::default())
        .into_iter()
        .map(|f| {
            let p = dir.join(&f.file_name);
            std::fs::write(&p, &f.text).expect("write verilog");
            p
        })
        .collect()
}

/// Panics unless Verilator (-Wall, zero warnings), Icarus and Yosys accept
/// the design.
pub fn check_rtl(e: &Elaborated, test: &str) {
    let files = write_verilog(e, test);
    let dir = files[0].parent().expect("dir").to_path_buf();
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
}
