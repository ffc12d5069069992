//! `lauberhorn synth`: real Yosys runs on small hand-written designs (counts
//! checked against what the hardware must need), and the depth estimator and
//! cell counting on hand-made netlists.

mod support;

use generators::cli::synth::carry::carry8_equivalents;
use generators::cli::synth::cells::{classify, count, Kind};
use generators::cli::synth::depth::{analyse, measure};
use generators::cli::synth::netlist::Netlist;
use serde_json::{json, Value};
use support::{arg, lauberhorn, scratch};

const COUNTER: &str = "\
module counter32 (
  input  wire        clk,
  input  wire        rst,
  input  wire        en,
  output reg  [31:0] count
);
  always @(posedge clk) begin
    if (rst) count <= 32'd0;
    else if (en) count <= count + 32'd1;
  end
endmodule
";

const MEMORY: &str = "\
module ram512x36 (
  input  wire        clk,
  input  wire        we,
  input  wire [8:0]  waddr,
  input  wire [35:0] wdata,
  input  wire [8:0]  raddr,
  output reg  [35:0] rdata
);
  reg [35:0] mem [0:511];
  always @(posedge clk) begin
    if (we) mem[waddr] <= wdata;
    rdata <= mem[raddr];
  end
endmodule
";

fn synth_json(dir: &std::path::Path, module: &str) -> Value {
    let json = dir.join(format!("{module}.json"));
    let r = lauberhorn(&["synth", arg(dir), "--module", module, "--json", arg(&json)]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stdout
            .contains("each module synthesised as top with its children"),
        "{}",
        r.stdout
    );
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert!(v["yosys"].as_str().unwrap().starts_with("Yosys"), "{v}");
    assert_eq!(v["modules"].as_array().unwrap().len(), 1);
    v["modules"][0].clone()
}

#[test]
fn a_32_bit_counter_has_32_flip_flops_and_a_carry_chain() {
    let dir = scratch("synth_counter");
    std::fs::write(dir.join("counter32.v"), COUNTER).unwrap();
    std::fs::write(dir.join("ram512x36.v"), MEMORY).unwrap();
    let m = synth_json(&dir, "counter32");
    let r = &m["resources"];
    assert_eq!(r["ff"], 32, "{m}");
    // 32 bits of carry: 8 CARRY4 from Yosys 0.23, 4 CARRY8 on UltraScale+.
    assert_eq!(r["carry4"], 8, "{m}");
    assert_eq!(r["carry8"], 4, "{m}");
    let lut = r["lut"].as_u64().unwrap();
    assert!(lut <= 40, "about a LUT per bit at most: {m}");
    for k in ["bram36", "uram", "dsp", "lutram_luts", "latch"] {
        assert_eq!(r[k].as_f64(), Some(0.0), "{k}: {m}");
    }
    // The longest path runs from the count through the 4-CARRY8 chain back
    // into the count: at least the chain, and a LUT or two around it.
    let levels = m["depth"]["levels"].as_u64().unwrap();
    assert!((4..=7).contains(&levels), "{m}");
    assert!(m["depth"]["from"].as_str().unwrap().starts_with("count"), "{m}");
}

#[test]
fn a_512_by_36_memory_is_one_ramb18() {
    let dir = scratch("synth_memory");
    std::fs::write(dir.join("ram512x36.v"), MEMORY).unwrap();
    let m = synth_json(&dir, "ram512x36");
    let r = &m["resources"];
    assert_eq!(r["bram36"], 0.5, "{m}");
    assert_eq!(r["lut"], 0, "{m}");
    assert_eq!(m["depth"]["levels"], 0, "ports straight into the RAMB18: {m}");
}

#[test]
fn an_unknown_module_is_a_usage_error() {
    let dir = scratch("synth_unknown");
    std::fs::write(dir.join("counter32.v"), COUNTER).unwrap();
    let r = lauberhorn(&["synth", arg(&dir), "--module", "nope"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("modules: counter32"), "{}", r.all());
}

#[test]
fn a_missing_yosys_is_exit_3() {
    let dir = scratch("synth_missing");
    std::fs::write(dir.join("counter32.v"), COUNTER).unwrap();
    let r = support::lauberhorn_env(
        &["synth", arg(&dir)],
        &[("LAUBERHORN_YOSYS", "/nonexistent/yosys")],
    );
    assert_eq!(r.code, 3, "{}", r.all());
    assert!(r.stderr.contains("scripts/setup.sh"), "{}", r.all());
}

// ---- Hand-made netlists: the depth rules and the counting rules. ----

/// A cell: type, inputs and outputs as (port, bits).
fn cell(ty: &str, ins: &[(&str, Value)], outs: &[(&str, Value)]) -> Value {
    let mut dirs = serde_json::Map::new();
    let mut conns = serde_json::Map::new();
    for (p, b) in ins {
        dirs.insert(p.to_string(), json!("input"));
        conns.insert(p.to_string(), b.clone());
    }
    for (p, b) in outs {
        dirs.insert(p.to_string(), json!("output"));
        conns.insert(p.to_string(), b.clone());
    }
    json!({"type": ty, "port_directions": dirs, "connections": conns})
}

fn netlist(ports: Value, cells: Vec<(&str, Value)>, names: Value) -> Netlist {
    let cells: serde_json::Map<String, Value> = cells.into_iter().map(|(n, c)| (n.to_string(), c)).collect();
    let text = json!({
        "creator": "hand",
        "modules": {
            "t": {"attributes": {"top": "1"}, "ports": ports, "cells": cells, "netnames": names},
            "LUT2": {"attributes": {"blackbox": "1"}, "ports": {}, "cells": {"inner": {"type": "$specify2"}}}
        }
    })
    .to_string();
    Netlist::from_json(&text).unwrap()
}

/// A chain of `n` CARRY4 fed from net `src`, nets from `first`; returns the
/// cells and the net of the last CO[3].
fn carry_chain(prefix: &str, n: usize, src: u64, first: u64) -> (Vec<(String, Value)>, u64) {
    let mut cells = Vec::new();
    let mut ci = json!(["0"]);
    let mut next = first;
    let mut last = 0;
    for i in 0..n {
        let o: Vec<u64> = (next..next + 4).collect();
        let co: Vec<u64> = (next + 4..next + 8).collect();
        next += 8;
        last = co[3];
        cells.push((
            format!("{prefix}{i}"),
            cell(
                "CARRY4",
                &[
                    ("CI", ci.clone()),
                    ("CYINIT", json!(["0"])),
                    ("DI", json!([src, src, src, src])),
                    ("S", json!([src, src, src, src])),
                ],
                &[("O", json!(o)), ("CO", json!(co))],
            ),
        ));
        ci = json!([last]);
    }
    (cells, last)
}

#[test]
fn depth_counts_luts_and_every_other_carry4_of_a_chain() {
    // a -> LUT2 -> LUT2 -> FF (2 levels); FF -> 5 CARRY4 (3 CARRY8) -> LUT1 -> y (4 levels).
    let (chain, co) = carry_chain("c", 5, 6, 100);
    let mut cells: Vec<(String, Value)> = vec![
        (
            "l1".into(),
            cell(
                "LUT2",
                &[("I0", json!([2])), ("I1", json!([2]))],
                &[("O", json!([4]))],
            ),
        ),
        (
            "l2".into(),
            cell(
                "LUT2",
                &[("I0", json!([4])), ("I1", json!([2]))],
                &[("O", json!([5]))],
            ),
        ),
        (
            "ff".into(),
            cell(
                "FDRE",
                &[
                    ("C", json!([3])),
                    ("CE", json!(["1"])),
                    ("R", json!(["0"])),
                    ("D", json!([5])),
                ],
                &[("Q", json!([6]))],
            ),
        ),
        (
            "l3".into(),
            cell("LUT1", &[("I0", json!([co]))], &[("O", json!([7]))]),
        ),
    ];
    cells.extend(chain);
    let n = netlist(
        json!({"a": {"direction": "input", "bits": [2]}, "clk": {"direction": "input", "bits": [3]},
               "y": {"direction": "output", "bits": [7]}}),
        cells.iter().map(|(k, v)| (k.as_str(), v.clone())).collect(),
        json!({"a": {"bits": [2]}, "count_q": {"bits": [6]}, "y": {"bits": [7]},
               "$auto$hidden": {"bits": [6], "hide_name": 1}}),
    );
    let d = measure(&n, "t").unwrap();
    assert_eq!(
        (d.levels, d.from.as_str(), d.to.as_str(), d.loops),
        (4, "count_q", "output y", 0)
    );
    // LUTs alone: the two in front of the flip-flop outnumber the one after
    // the carries.
    assert_eq!((d.lut_levels, d.lut_from.as_str()), (2, "a"));
    let m = &n.modules["t"];
    assert_eq!(carry8_equivalents(m), 3);
    // Counting: 3 LUTs, 1 FF, 5 CARRY4 = 3 CARRY8; the blackbox LUT2 model is not counted through.
    let r = count(&n, "t");
    assert_eq!((r.lut, r.ff, r.carry4, r.carry8), (3, 1, 5, 3));
    assert!(r.other.is_empty(), "{:?}", r.other);
}

#[test]
fn depth_ends_at_flip_flop_inputs_and_starts_at_their_outputs() {
    // A path through 3 LUTs into a FF, then 1 LUT from the FF to the output: 3.
    let cells = vec![
        ("a1", cell("LUT1", &[("I0", json!([2]))], &[("O", json!([10]))])),
        ("a2", cell("LUT1", &[("I0", json!([10]))], &[("O", json!([11]))])),
        ("a3", cell("LUT1", &[("I0", json!([11]))], &[("O", json!([12]))])),
        (
            "r",
            cell(
                "FDCE",
                &[
                    ("C", json!([3])),
                    ("D", json!([12])),
                    ("CLR", json!(["0"])),
                    ("CE", json!(["1"])),
                ],
                &[("Q", json!([13]))],
            ),
        ),
        ("b1", cell("LUT1", &[("I0", json!([13]))], &[("O", json!([14]))])),
    ];
    let n = netlist(
        json!({"i": {"direction": "input", "bits": [2]}, "clk": {"direction": "input", "bits": [3]},
               "o": {"direction": "output", "bits": [14]}}),
        cells,
        json!({"i": {"bits": [2]}, "state": {"bits": [13]}}),
    );
    let d = measure(&n, "t").unwrap();
    assert_eq!(
        (d.levels, d.from.as_str(), d.to.as_str()),
        (3, "i", "state (FDCE D)")
    );
}

#[test]
fn deepest_end_points_count_a_bus_once() {
    // i -> 3 LUTs -> state[0]; i -> 1 LUT -> state[1]; i -> 2 LUTs -> other;
    // the registers drive the outputs directly (0 levels).
    let ff = |d: u64, q: u64| {
        cell(
            "FDRE",
            &[
                ("C", json!([3])),
                ("CE", json!(["1"])),
                ("R", json!(["0"])),
                ("D", json!([d])),
            ],
            &[("Q", json!([q]))],
        )
    };
    let cells = vec![
        ("a1", cell("LUT1", &[("I0", json!([2]))], &[("O", json!([10]))])),
        ("a2", cell("LUT1", &[("I0", json!([10]))], &[("O", json!([11]))])),
        ("a3", cell("LUT1", &[("I0", json!([11]))], &[("O", json!([12]))])),
        ("b1", cell("LUT1", &[("I0", json!([2]))], &[("O", json!([20]))])),
        ("c1", cell("LUT1", &[("I0", json!([2]))], &[("O", json!([30]))])),
        ("c2", cell("LUT1", &[("I0", json!([30]))], &[("O", json!([31]))])),
        ("r0", ff(12, 13)),
        ("r1", ff(20, 21)),
        ("r2", ff(31, 32)),
    ];
    let n = netlist(
        json!({"i": {"direction": "input", "bits": [2]}, "clk": {"direction": "input", "bits": [3]},
               "o": {"direction": "output", "bits": [13, 21, 32]}}),
        cells,
        json!({"i": {"bits": [2]}, "state": {"bits": [13, 21]}, "other": {"bits": [32]}}),
    );
    let ends = analyse(&n, "t", 2).unwrap().1;
    let got: Vec<(u32, &str, &str)> = ends
        .iter()
        .map(|e| (e.levels, e.from.as_str(), e.to.as_str()))
        .collect();
    assert_eq!(got, [(3, "i", "state[0] (FDRE D)"), (2, "i", "other (FDRE D)")]);
    // state[1] (1 level) is the bus state, already listed at its deepest bit.
    let all = analyse(&n, "t", 100).unwrap().1;
    assert!(
        !all.iter().any(|e| e.to.starts_with("state[1] (FDRE D)")),
        "{all:?}"
    );
    assert_eq!(
        all.iter().filter(|e| e.to.starts_with("output o")).count(),
        1,
        "{all:?}"
    );
    assert_eq!(analyse(&n, "t", 1).unwrap().1.len(), 1);
    assert_eq!(measure(&n, "t").unwrap().levels, 3);
}

#[test]
fn distributed_ram_reads_are_one_level_and_writes_end_paths() {
    // raddr -> LUT -> DPRA -> DPO -> LUT -> out: 3 levels. wdata -> 4 LUTs -> D: 4, but
    // D ends the path there, so the deepest path is the write data (4).
    let cells = vec![
        ("ra", cell("LUT1", &[("I0", json!([2]))], &[("O", json!([20]))])),
        (
            "m",
            cell(
                "RAM64X1D",
                &[
                    ("A0", json!([3])),
                    ("A1", json!([3])),
                    ("A2", json!([3])),
                    ("A3", json!([3])),
                    ("A4", json!([3])),
                    ("A5", json!([3])),
                    ("DPRA0", json!([20])),
                    ("DPRA1", json!([2])),
                    ("DPRA2", json!([2])),
                    ("DPRA3", json!([2])),
                    ("DPRA4", json!([2])),
                    ("DPRA5", json!([2])),
                    ("D", json!([33])),
                    ("WE", json!([3])),
                    ("WCLK", json!([4])),
                ],
                &[("SPO", json!([21])), ("DPO", json!([22]))],
            ),
        ),
        ("out", cell("LUT1", &[("I0", json!([22]))], &[("O", json!([23]))])),
        ("w1", cell("LUT1", &[("I0", json!([5]))], &[("O", json!([30]))])),
        ("w2", cell("LUT1", &[("I0", json!([30]))], &[("O", json!([31]))])),
        ("w3", cell("LUT1", &[("I0", json!([31]))], &[("O", json!([32]))])),
        ("w4", cell("LUT1", &[("I0", json!([32]))], &[("O", json!([33]))])),
    ];
    let ports = json!({"raddr": {"direction": "input", "bits": [2]}, "waddr": {"direction": "input", "bits": [3]},
                       "clk": {"direction": "input", "bits": [4]}, "wdata": {"direction": "input", "bits": [5]},
                       "q": {"direction": "output", "bits": [23]}});
    let n = netlist(ports.clone(), cells.clone(), json!({"wdata": {"bits": [5]}}));
    let d = measure(&n, "t").unwrap();
    assert_eq!((d.levels, d.from.as_str()), (4, "wdata"));
    assert!(d.to.contains("RAM64X1D D"), "{d:?}");
    // Without the write-data LUTs the read path (3) is the deepest.
    let short: Vec<(&str, Value)> = cells.into_iter().filter(|(n, _)| !n.starts_with('w')).collect();
    let n = netlist(ports, short, json!({"raddr": {"bits": [2]}}));
    let d = measure(&n, "t").unwrap();
    assert_eq!(
        (d.levels, d.from.as_str(), d.to.as_str()),
        (3, "raddr", "output q")
    );
    assert_eq!(count(&n, "t").lutram_luts, 2);
}

#[test]
fn a_combinational_loop_is_cut_and_counted() {
    let cells = vec![
        (
            "x",
            cell(
                "LUT2",
                &[("I0", json!([2])), ("I1", json!([6]))],
                &[("O", json!([5]))],
            ),
        ),
        ("z", cell("LUT1", &[("I0", json!([5]))], &[("O", json!([6]))])),
    ];
    let n = netlist(
        json!({"a": {"direction": "input", "bits": [2]}, "y": {"direction": "output", "bits": [6]}}),
        cells,
        json!({}),
    );
    let d = measure(&n, "t").unwrap();
    assert!(d.loops >= 1, "{d:?}");
    assert_eq!(d.levels, 2);
}

#[test]
fn cells_are_classified_by_resource() {
    assert_eq!(classify("LUT6"), Kind::Lut);
    assert_eq!(classify("LUT6_2"), Kind::Lut);
    assert_eq!(classify("FDSE"), Kind::Ff);
    assert_eq!(classify("LDCE"), Kind::Latch);
    assert_eq!(classify("CARRY8"), Kind::Carry);
    assert_eq!(classify("RAMB36E2"), Kind::Bram(2));
    assert_eq!(classify("RAMB18E2"), Kind::Bram(1));
    assert_eq!(classify("RAM32M"), Kind::LutRam(4));
    assert_eq!(classify("RAM64X1D"), Kind::LutRam(2));
    assert_eq!(classify("SRLC32E"), Kind::Srl);
    assert_eq!(classify("URAM288"), Kind::Uram);
    assert_eq!(classify("DSP48E2"), Kind::Dsp);
    assert_eq!(classify("MUXF8"), Kind::MuxF);
    assert_eq!(classify("BUFG"), Kind::Buffer);
    assert_eq!(classify("IBUF"), Kind::Buffer);
    assert_eq!(classify("GTYE4_CHANNEL"), Kind::Other);
}
