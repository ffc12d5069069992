//! AXI-Stream plumbing in the configurations the NIC uses: throughput and
//! latency under Verilator, resources from Yosys `synth_xilinx -family xcup`.
//!
//! Throughput: frames back to back at the input (a beat offered every
//! cycle) and an always-ready output; beats per cycle on each side = beats
//! moved / cycles from that side's first beat to its last (in that side's
//! clock). Latency: cycles from the first input beat of the first frame to
//! the first output beat, in an idle design (for the dual-clock FIFO also in
//! ns, from input edge to output edge).
//!
//! `cargo bench -p testbenches --bench axis_plumbing`

#[path = "../tests/axis_common/mod.rs"]
mod axis_common;

use axis_common::{model_of, FrameSource, Probe, TestFrame};
use hdl::stdlib::axis_adapter::AxisAdapter;
use hdl::stdlib::axis_async_fifo::AxisAsyncFifo;
use hdl::stdlib::axis_frame_fifo::{AxisFrameFifo, FrameMeta};
use hdl::stdlib::axis_frame_writer::FrameOptions;
use hdl::Component;
use std::process::Command;
use testbenches::axis::{AxisSink, Pace};
use testbenches::{Agent, Rng, Testbench};

const ALL_DROPS: FrameOptions = FrameOptions {
    frame_mode: true,
    drop_bad: true,
    drop_when_full: true,
};

/// How a block is clocked: one `clk`, or `s_clk`/`m_clk` with these periods (ps).
#[derive(Clone, Copy)]
enum Clocks {
    Single,
    Dual(u64, u64),
}

struct Perf {
    dropped: usize,
    in_rate: f64,
    out_rate: f64,
    latency_cycles: u64,
    latency_ns: f64,
}

fn measure<C: Component>(c: &C, clocks: Clocks, meta: bool, frame_len: usize, n: usize) -> Perf {
    let mut tb = Testbench::new(model_of(c), 1);
    let (s_clk, m_clk, s_period, m_period) = match clocks {
        Clocks::Single => {
            tb.clock("clk", 4_000).unwrap();
            tb.reset("rst", true, 4).unwrap();
            ("clk", "clk", 4_000, 4_000)
        }
        Clocks::Dual(sp, mp) => {
            tb.clock("s_clk", sp).unwrap();
            tb.clock("m_clk", mp).unwrap();
            tb.resets(&[("s_rst", true), ("m_rst", true)], 4).unwrap();
            ("s_clk", "m_clk", sp, mp)
        }
    };
    let src = FrameSource::new(tb.model(), "s_axis", meta.then_some("s_meta"), Pace::Always, 7).unwrap();
    let sink = AxisSink::new(tb.model(), "m_axis", Pace::Always).unwrap();
    let (src, sink) = (tb.attach(s_clk, src), tb.attach(m_clk, sink));
    // Drop pulses, where the design has them (they are in the input's domain).
    let drops = Probe::new(tb.model(), &["stat_drop_full", "stat_drop_bad"])
        .ok()
        .map(|p| tb.attach(s_clk, p));
    let mut rng = Rng::new(frame_len as u64);
    for i in 0..n {
        tb.agent_mut(src).push(TestFrame {
            data: rng.bytes(frame_len),
            user: 0,
            meta: i as u64,
        });
    }
    tb.run_until(|tb| tb.agent(src).is_idle(), 10_000_000)
        .unwrap_or_else(|e| panic!("{}: {e}", c.name()));
    tb.run(s_clk, 3).unwrap();
    let dropped = drops.map_or(0, |p| {
        let p = tb.agent(p);
        p.cycles_where("stat_drop_full", 1).len() + p.cycles_where("stat_drop_bad", 1).len()
    });
    tb.run_until(|tb| tb.agent(sink).frames().len() + dropped >= n, 10_000_000)
        .unwrap_or_else(|e| panic!("{}: {e}", c.name()));
    let s = tb.agent(src);
    let k = tb.agent(sink);
    let f = k.frames();
    let out = f.len();
    let (t0, t1) = (s.taken[0], s.taken[n - 1]);
    let in_span = t1.last - t0.first + 1;
    let out_span = f[out - 1].last_cycle - f[0].first_cycle + 1;
    // Sample `c` happens at the rising edge at (c + 0.5) periods.
    let edge = |c: u64, p: u64| (c as f64 + 0.5) * p as f64 / 1000.0;
    Perf {
        dropped,
        in_rate: s.beats as f64 / in_span as f64,
        out_rate: k.beats() as f64 / out_span as f64,
        latency_cycles: f[0].first_cycle.saturating_sub(t0.first),
        latency_ns: edge(f[0].first_cycle, m_period) - edge(t0.first, s_period),
    }
}

#[derive(Default)]
struct Resources {
    luts: u64,
    lutram: u64,
    ffs: u64,
    ramb36: u64,
    ramb18: u64,
    carry: u64,
    muxf: u64,
}

/// Yosys `synth_xilinx -family xcup` of `c` (flattened), cell counts.
fn synth<C: Component>(c: &C) -> Resources {
    let e = hdl::elaborate(c).expect("elaborate");
    let dir = std::env::temp_dir().join(format!("axis_plumbing_synth_{}", e.top_name()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let mut reads = String::new();
    for f in e.verilog_files(&hdl::VerilogOptions::default()) {
        let p = dir.join(&f.file_name);
        std::fs::write(&p, &f.text).expect("write");
        reads += &format!("read_verilog {}; ", p.display());
    }
    let stat = dir.join("stat.txt");
    let script = format!(
        "{reads} synth_xilinx -family xcup -flatten -top {}; tee -o {} stat",
        e.top_name(),
        stat.display()
    );
    let out = Command::new("yosys")
        .args(["-q", "-p", &script])
        .output()
        .expect("yosys (scripts/setup.sh installs it)");
    assert!(
        out.status.success(),
        "yosys: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut r = Resources::default();
    for line in std::fs::read_to_string(stat).expect("stat").lines() {
        let mut it = line.split_whitespace();
        let (Some(cell), Some(n)) = (it.next(), it.next().and_then(|n| n.parse::<u64>().ok())) else {
            continue;
        };
        match cell {
            c if c.starts_with("LUT") => r.luts += n,
            c if c.starts_with("RAM32")
                || c.starts_with("RAM64")
                || c.starts_with("RAM128")
                || c.starts_with("RAM256") =>
            {
                r.lutram += n
            }
            "FDRE" | "FDSE" | "FDCE" | "FDPE" => r.ffs += n,
            "RAMB36E2" => r.ramb36 += n,
            "RAMB18E2" => r.ramb18 += n,
            c if c.starts_with("CARRY") => r.carry += n,
            c if c.starts_with("MUXF") => r.muxf += n,
            _ => {}
        }
    }
    r
}

fn adapter(in_bytes: u32, out_bytes: u32) -> AxisAdapter {
    AxisAdapter {
        in_bytes,
        out_bytes,
        user_width: Some(1),
    }
}

fn frame_fifo(meta: bool) -> AxisFrameFifo {
    AxisFrameFifo {
        bytes: 64,
        user_width: Some(1),
        depth: 256,
        options: ALL_DROPS,
        meta: meta.then_some(FrameMeta { width: 96, depth: 32 }),
    }
}

fn async_fifo(options: FrameOptions) -> AxisAsyncFifo {
    AxisAsyncFifo {
        bytes: 64,
        user_width: Some(1),
        depth: 64,
        options,
    }
}

/// Frame sizes measured: the Ethernet minimum, the standard maximum and a jumbo frame.
const SIZES: [(usize, usize); 3] = [(64, 2000), (1518, 200), (9000, 20)];

/// Measures `perf` at every size; `capacity` (bytes) is the largest frame a
/// frame-mode FIFO can hold (longer ones are dropped, by design).
fn perf_row(
    what: &str,
    name: &str,
    clocks: Clocks,
    capacity: Option<usize>,
    perf: impl Fn(usize, usize) -> Perf,
) {
    let clk = match clocks {
        Clocks::Single => "4.0".to_string(),
        Clocks::Dual(s, m) => format!("{:.1}->{:.1}", s as f64 / 1000.0, m as f64 / 1000.0),
    };
    for (len, n) in SIZES {
        if capacity.is_some_and(|c| len > c) {
            println!(
                "| {what:<18} | {name:<58} | {clk:>8} | {len:>5} | longer than the FIFO: all dropped{:>22} |",
                ""
            );
            continue;
        }
        let p = perf(len, n);
        println!(
            "| {what:<18} | {name:<58} | {clk:>8} | {len:>5} | {:>6.3} | {:>6.3} | {:>7} | {:>8.1} | {:>7} |",
            p.in_rate, p.out_rate, p.latency_cycles, p.latency_ns, p.dropped
        );
    }
}

fn main() {
    println!(
        "Throughput (beats/cycle, each side in its own clock) and latency (first beat in -> first beat out)"
    );
    println!(
        "| {:<18} | {:<58} | {:>8} | {:>5} | {:>6} | {:>6} | {:>7} | {:>8} | {:>7} |",
        "block", "module", "clk ns", "bytes", "in", "out", "lat cyc", "lat ns", "dropped"
    );
    println!(
        "|{:-<20}|{:-<60}|{:-<10}|{:-<7}|{:-<8}|{:-<8}|{:-<9}|{:-<10}|{:-<9}|",
        "", "", "", "", "", "", "", "", ""
    );
    for (i, o) in [(8, 64), (64, 8)] {
        let a = adapter(i, o);
        perf_row("adapter", &a.name(), Clocks::Single, None, |len, n| {
            measure(&a, Clocks::Single, false, len, n)
        });
    }
    for meta in [false, true] {
        let f = frame_fifo(meta);
        perf_row(
            "frame fifo",
            &f.name(),
            Clocks::Single,
            Some(64 * 256),
            |len, n| measure(&f, Clocks::Single, meta, len, n),
        );
    }
    for (what, opts) in [
        ("async fifo (tx)", FrameOptions::FRAME),
        ("async fifo (rx)", ALL_DROPS),
    ] {
        let f = async_fifo(opts);
        for clocks in [
            Clocks::Dual(4_000, 4_000),
            Clocks::Dual(3_100, 4_000),
            Clocks::Dual(6_400, 4_000),
        ] {
            perf_row(what, &f.name(), clocks, Some(64 * 64), |len, n| {
                measure(&f, clocks, false, len, n)
            });
        }
    }
    let f = async_fifo(FrameOptions::STREAM);
    perf_row(
        "async fifo (plain)",
        &f.name(),
        Clocks::Dual(4_000, 4_000),
        None,
        |len, n| measure(&f, Clocks::Dual(4_000, 4_000), false, len, n),
    );

    println!();
    println!("Yosys synth_xilinx -family xcup (flattened)");
    println!(
        "| {:<58} | {:>6} | {:>6} | {:>6} | {:>6} | {:>6} | {:>6} | {:>6} |",
        "module", "LUT", "MUXF", "LUTRAM", "FF", "CARRY", "RAMB36", "RAMB18"
    );
    println!(
        "|{:-<60}|{:-<8}|{:-<8}|{:-<8}|{:-<8}|{:-<8}|{:-<8}|{:-<8}|",
        "", "", "", "", "", "", "", ""
    );
    let row = |name: String, r: Resources| {
        println!(
            "| {name:<58} | {:>6} | {:>6} | {:>6} | {:>6} | {:>6} | {:>6} | {:>6} |",
            r.luts, r.muxf, r.lutram, r.ffs, r.carry, r.ramb36, r.ramb18
        );
    };
    for (i, o) in [(8, 64), (64, 8)] {
        let a = adapter(i, o);
        row(a.name(), synth(&a));
    }
    for meta in [false, true] {
        let f = frame_fifo(meta);
        row(f.name(), synth(&f));
    }
    for opts in [FrameOptions::STREAM, FrameOptions::FRAME, ALL_DROPS] {
        let f = async_fifo(opts);
        row(f.name(), synth(&f));
    }
}
