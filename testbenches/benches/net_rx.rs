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
//! Area and depth: `lauberhorn synth`'s library, each module synthesised
//! with its children (a parent's row includes them).

#[path = "../tests/net_rx_common/mod.rs"]
mod net_rx_common;
#[path = "common/synth_table.rs"]
mod synth_table;

use generators::net::rx::net_rx::NetRx;
use net_rx_common::frames::{self, Addrs};
use net_rx_common::harness::{model, Paces, Rx};
use net_rx_common::model::Config;
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
    for bytes in [8u32, 64] {
        println!(
            "\n## net_rx at {} bits: Yosys synth_xilinx -family xcup (per module, with its children)\n",
            8 * bytes
        );
        let e = hdl::elaborate(&NetRx::new(bytes)).expect("elaborate");
        let rows = synth_table::synth(&e, &[], "");
        println!("{}", synth_table::table(rows.iter().map(|m| (m, ""))));
    }
}
