//! Yosys `synth_xilinx -family xcup` of a design: cell counts and the
//! longest combinational path between registers (or ports) in LUT levels.
//!
//! Three mappings are reported, because Yosys 0.23's differ a lot on XOR
//! trees: the default one (ABC, LUTs plus MUXF7/8/9), `-nowidelut` (ABC
//! with LUTs only: depth-oriented, the closest to what Vivado does with a
//! CRC) and `-abc9` (ABC9 with Yosys' Xilinx delay model, which favours
//! chains of small LUTs, so its LUT levels overstate the depth).
//!
//! A local estimator until the one in `generators/src/cli/synth.rs` (branch
//! `cli`) lands: the netlist from `write_json` is walked from sources
//! (ports, flip-flop outputs, constants) to sinks (flip-flop inputs but the
//! clock, output ports). LUT levels count LUT cells only; logic levels also
//! count MUXF7/8/9 and each CARRY cell, as Vivado's "logic levels" do.

use hdl::{Elaborated, VerilogOptions};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

/// What synthesis made of a design.
#[derive(Clone, Debug, Default)]
pub struct Synth {
    /// LUT1..LUT6.
    pub luts: u64,
    /// Flip-flops (FDRE, FDSE, FDCE, FDPE).
    pub ffs: u64,
    /// CARRY4 / CARRY8 cells.
    pub carries: u64,
    /// MUXF7 / MUXF8 / MUXF9 cells.
    pub muxes: u64,
    /// Longest register-to-register path in LUTs.
    pub lut_levels: u32,
    /// The same path length counting LUT, MUXF and CARRY cells.
    pub logic_levels: u32,
}

/// The `synth_xilinx` options of the mappings reported.
pub const FLOWS: [&str; 3] = ["", "-nowidelut", "-abc9"];

/// Synthesises `e` (top module `e.top_name()`) in `dir` with the extra
/// `synth_xilinx` options `flow`.
pub fn synth(e: &Elaborated, dir: &Path, flow: &str) -> Synth {
    std::fs::create_dir_all(dir).expect("synth dir");
    let mut reads = String::new();
    for f in e.verilog_files(&VerilogOptions::default()) {
        let p = dir.join(&f.file_name);
        std::fs::write(&p, &f.text).expect("write verilog");
        reads.push_str(&format!("read_verilog {}; ", p.display()));
    }
    let json = dir.join(format!("netlist{}.json", flow.trim_start_matches('-')));
    let script = format!(
        "{reads} synth_xilinx -family xcup {flow} -flatten -top {}; write_json {}",
        e.top_name(),
        json.display()
    );
    let out = Command::new("yosys")
        .args(["-q", "-p", &script])
        .output()
        .expect("yosys (scripts/setup.sh installs it)");
    assert!(
        out.status.success(),
        "yosys failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&json).expect("netlist");
    let v: Value = serde_json::from_str(&text).expect("yosys json");
    analyse(&v["modules"][e.top_name()])
}

fn bits(v: &Value) -> Vec<Option<u64>> {
    v.as_array()
        .map(|a| a.iter().map(Value::as_u64).collect())
        .unwrap_or_default()
}

fn is_seq(t: &str) -> bool {
    t.starts_with("FD") || t.starts_with("SRL") || t.starts_with("RAM") || t.starts_with("DSP")
}

/// Counts cells and finds the longest paths of a flattened module.
pub fn analyse(module: &Value) -> Synth {
    let mut s = Synth::default();
    let cells: Vec<&Value> = module["cells"]
        .as_object()
        .map(|m| m.values().collect())
        .unwrap_or_default();
    let mut driver: HashMap<u64, usize> = HashMap::new();
    for (i, c) in cells.iter().enumerate() {
        let t = c["type"].as_str().unwrap_or("");
        match t {
            _ if t.starts_with("LUT") => s.luts += 1,
            _ if t.starts_with("FD") => s.ffs += 1,
            _ if t.starts_with("CARRY") => s.carries += 1,
            _ if t.starts_with("MUXF") => s.muxes += 1,
            _ => {}
        }
        for (port, dir) in c["port_directions"].as_object().into_iter().flatten() {
            if dir == "output" {
                for b in bits(&c["connections"][port]).into_iter().flatten() {
                    driver.insert(b, i);
                }
            }
        }
    }
    // Levels per cell output, memoised; an explicit stack keeps long carry
    // chains off the call stack.
    let weight = |t: &str| -> (u32, u32) {
        if t.starts_with("LUT") {
            (1, 1)
        } else if t.starts_with("MUXF") || t.starts_with("CARRY") {
            (0, 1)
        } else {
            (0, 0)
        }
    };
    let inputs = |c: &Value| -> Vec<u64> {
        c["port_directions"]
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(_, d)| *d == "input")
            .flat_map(|(p, _)| bits(&c["connections"][p]).into_iter().flatten())
            .collect()
    };
    let mut level: HashMap<usize, (u32, u32)> = HashMap::new();
    let level_of = |bit: u64, level: &mut HashMap<usize, (u32, u32)>| -> (u32, u32) {
        let Some(&root) = driver.get(&bit) else {
            return (0, 0);
        };
        let mut stack = vec![root];
        while let Some(&c) = stack.last() {
            if level.contains_key(&c) {
                stack.pop();
                continue;
            }
            let t = cells[c]["type"].as_str().unwrap_or("");
            if is_seq(t) {
                level.insert(c, (0, 0));
                stack.pop();
                continue;
            }
            let mut pending = false;
            let mut best = (0, 0);
            for b in inputs(cells[c]) {
                if let Some(&d) = driver.get(&b) {
                    match level.get(&d) {
                        Some(&(l, g)) => best = (best.0.max(l), best.1.max(g)),
                        None => {
                            pending = true;
                            stack.push(d);
                        }
                    }
                }
            }
            if !pending {
                let (wl, wg) = weight(t);
                level.insert(c, (best.0 + wl, best.1 + wg));
                stack.pop();
            }
        }
        level[&root]
    };
    let mut worst = (0, 0);
    for c in &cells {
        let t = c["type"].as_str().unwrap_or("");
        if !is_seq(t) {
            continue;
        }
        for (p, d) in c["port_directions"].as_object().into_iter().flatten() {
            if d != "input" || p == "C" || p == "CLK" {
                continue;
            }
            for b in bits(&c["connections"][p]).into_iter().flatten() {
                let l = level_of(b, &mut level);
                worst = (worst.0.max(l.0), worst.1.max(l.1));
            }
        }
    }
    for (_, p) in module["ports"].as_object().into_iter().flatten() {
        if p["direction"] == "output" {
            for b in bits(&p["bits"]).into_iter().flatten() {
                let l = level_of(b, &mut level);
                worst = (worst.0.max(l.0), worst.1.max(l.1));
            }
        }
    }
    s.lut_levels = worst.0;
    s.logic_levels = worst.1;
    s
}
