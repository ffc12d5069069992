//! `net_rx` at 64 and 512 bits: throughput at minimum and maximum frames,
//! latency, and Yosys `synth_xilinx -family xcup` resources per module.
//!
//! Throughput: frames back to back at the input (a beat every cycle) with
//! every output always ready. The steady-state rate is measured at the
//! output: frame bytes per cycle between the ends of the first and the last
//! frame out. The input cannot be stalled, so a block slower than the line
//! shows up as frames lost to overflow. "Bound" is what a beat every cycle
//! carries at that frame size (the last beat of a frame is partly empty).
//! Latency: one frame into an idle design.
//!
//! LUT depth: the cli branch's estimator (`generators/src/cli/synth.rs`) has
//! not landed here, so the depth is Yosys' own `ltp` after `synth_xilinx`,
//! with flip-flops and block RAMs taken out of the graph: the longest chain
//! of cells (LUTs, CARRY8 segments, wide muxes each count one) inside one
//! module. A child instance counts as one cell in its parent, so a path
//! through a checker is split between the two rows.

#[path = "../tests/net_rx_common/mod.rs"]
mod net_rx_common;

use generators::net::rx::net_rx::NetRx;
use net_rx_common::frames::{self, Addrs};
use net_rx_common::harness::{model, Paces, Rx};
use net_rx_common::model::Config;
use std::process::Command;
use testbenches::Rng;

const PEER: Addrs = Addrs {
    src_mac: [0x02, 0x11, 0x22, 0x33, 0x44, 0x55],
    dst_mac: [0x02, 0, 0, 0, 0, 0x01],
    src_ip: [10, 0, 0, 2],
    dst_ip: [10, 0, 0, 1],
};

fn config() -> Config {
    let mut cfg = Config::new(16);
    cfg.listen[0] = Some((4000, false));
    cfg
}

/// Sends `n` frames of `frame_len` bytes (to port 4000: RPC, else host),
/// returns (bytes per cycle, frames dropped).
fn throughput(bytes: u32, frame_len: usize, n: usize, rpc: bool) -> (f64, u64) {
    let mut rng = Rng::new(frame_len as u64);
    let paces = Paces {
        input: 100,
        output: 100,
    };
    let mut rx = Rx::new(
        model(bytes),
        config(),
        1,
        paces,
        &format!("bench_net_rx_{}_{frame_len}", 8 * bytes),
    )
    .expect("bench");
    let port = if rpc { 4000 } else { 4001 };
    for _ in 0..n {
        let p = rng.bytes(frame_len - 42);
        rx.send(frames::udp(&PEER, 1, port, &p, &mut rng), false);
    }
    rx.run(50_000_000).expect("run");
    let ends: Vec<u64> = if rpc {
        rx.rpc_timing().1.iter().map(|f| f.1).collect()
    } else {
        rx.bypass_timing().iter().map(|f| f.1).collect()
    };
    let dropped = rx.pulses().get("stat_rx_overflow").copied().unwrap_or(0);
    let cycles = ends[ends.len() - 1] - ends[0];
    (((ends.len() - 1) * frame_len) as f64 / cycles as f64, dropped)
}

/// One 1518-byte RPC datagram into an idle design: cycles from its first
/// input beat to its metadata and to its first payload byte.
fn latency(bytes: u32, frame_len: usize) -> (u64, u64) {
    let mut rng = Rng::new(5);
    let paces = Paces {
        input: 100,
        output: 100,
    };
    let mut rx = Rx::new(model(bytes), config(), 1, paces, "bench_net_rx_latency").expect("bench");
    rx.tb.run("clk", 10).expect("idle");
    let p = rng.bytes(frame_len - 42);
    rx.send(frames::udp(&PEER, 1, 4000, &p, &mut rng), false);
    // The source offers its first beat right after the next edge; the
    // design takes it at the edge after that.
    let first_in = rx.tb.cycles("clk") + 1;
    rx.run(1_000_000).expect("run");
    let (meta, frames) = rx.rpc_timing();
    (meta[0] - first_in, frames[0].0 - first_in)
}

struct Synth {
    module: String,
    luts: u64,
    ffs: u64,
    brams: f64,
    depth: u64,
}

/// Yosys synth_xilinx (UltraScale+) of `net_rx` with hierarchy kept.
fn synth(bytes: u32) -> Vec<Synth> {
    let e = hdl::elaborate(&NetRx::new(bytes)).expect("elaborate");
    let dir = std::env::temp_dir().join(format!("net_rx_synth_{}", 8 * bytes));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let mut reads = String::new();
    for f in e.verilog_files(&hdl::VerilogOptions::default()) {
        let p = dir.join(&f.file_name);
        std::fs::write(&p, &f.text).expect("write");
        reads += &format!("read_verilog {}; ", p.display());
    }
    let top = e.top_name().to_string();
    let script = format!("{reads} synth_xilinx -family xcup -top {top}; tee -o {}/stat.txt stat; tee -o {}/ltp.txt ltp -noff * t:FD* t:RAMB* %u %d", dir.display(), dir.display());
    let out = Command::new("yosys")
        .args(["-q", "-p", &script])
        .output()
        .expect("yosys");
    assert!(
        out.status.success(),
        "yosys: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stat = std::fs::read_to_string(dir.join("stat.txt")).expect("stat");
    let ltp = std::fs::read_to_string(dir.join("ltp.txt")).expect("ltp");
    parse_stat(&stat, &ltp)
}

fn parse_stat(stat: &str, ltp: &str) -> Vec<Synth> {
    let mut out: Vec<Synth> = Vec::new();
    for line in stat.lines() {
        let t = line.trim();
        if let Some(name) = t.strip_prefix("=== ").and_then(|s| s.strip_suffix(" ===")) {
            out.push(Synth {
                module: name.to_string(),
                luts: 0,
                ffs: 0,
                brams: 0.0,
                depth: 0,
            });
            continue;
        }
        let Some(cur) = out.last_mut() else { continue };
        let mut parts = t.split_whitespace();
        let (Some(cell), Some(count)) = (parts.next(), parts.next()) else {
            continue;
        };
        let Ok(count) = count.parse::<u64>() else { continue };
        if cell.starts_with("LUT") {
            cur.luts += count;
        } else if ["FDRE", "FDSE", "FDCE", "FDPE"].contains(&cell) {
            cur.ffs += count;
        } else if cell.starts_with("RAMB36") {
            cur.brams += count as f64;
        } else if cell.starts_with("RAMB18") {
            cur.brams += 0.5 * count as f64;
        }
    }
    // `ltp -noff` prints "Longest topological path in <module> (length=N):".
    for line in ltp.lines() {
        if let Some(rest) = line.trim().strip_prefix("Longest topological path in ") {
            let name = rest.split(' ').next().unwrap_or("");
            let len = rest
                .split("length=")
                .nth(1)
                .and_then(|s| s.trim_end_matches("):").parse().ok())
                .unwrap_or(0);
            if let Some(s) = out.iter_mut().find(|s| s.module == name) {
                s.depth = len;
            }
        }
    }
    out
}

fn main() {
    println!("## net_rx throughput (frames back to back, outputs always ready)\n");
    println!("| width | frame | path | bytes/cycle | bound | of full width | frames dropped |");
    println!("|---|---|---|---|---|---|---|");
    for bytes in [8u32, 64] {
        for (len, n) in [(60usize, 2000usize), (1518, 300), (9018, 40)] {
            for rpc in [true, false] {
                let (bpc, dropped) = throughput(bytes, len, n, rpc);
                let bound = len as f64 / len.div_ceil(bytes as usize) as f64;
                println!(
                    "| {} | {len} B | {} | {bpc:.2} | {bound:.2} | {:.1} % | {dropped} of {n} |",
                    8 * bytes,
                    if rpc { "rpc" } else { "bypass" },
                    100.0 * bpc / f64::from(bytes)
                );
            }
        }
    }
    println!("\n## net_rx latency (one frame into an idle design, cycles)\n");
    println!("| width | frame | first beat in -> metadata out | first byte in -> first payload byte out |");
    println!("|---|---|---|---|");
    for bytes in [8u32, 64] {
        for len in [60usize, 1518] {
            let (meta, payload) = latency(bytes, len);
            println!("| {} | {len} B | {meta} | {payload} |", 8 * bytes);
        }
    }
    println!("\n## Yosys synth_xilinx -family xcup (per module, hierarchy kept)\n");
    println!("| module | LUT | FF | BRAM36 | depth (cells, ltp) |");
    println!("|---|---|---|---|---|");
    for bytes in [8u32, 64] {
        for s in synth(bytes) {
            println!(
                "| {} | {} | {} | {} | {} |",
                s.module, s.luts, s.ffs, s.brams, s.depth
            );
        }
    }
}
