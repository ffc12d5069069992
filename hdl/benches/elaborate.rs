//! Elaboration benchmark: time and peak memory of `elaborate` (building the
//! design and running every checking pass) plus Verilog and JSON emission, for
//! designs of about 10k, 100k and 1M IR nodes, compared with Amaranth building
//! and converting the same design (`scripts/bench/amaranth_elab.py`).
//!
//! Run with `scripts/bench.sh` (or `cargo bench -p hdl --bench elaborate`).
//! Every size runs in a fresh child process (this binary re-invoked with
//! `--child <modules> <depth>`) so that the peak RSS (`VmHWM`) of one size does
//! not hide in the next.
//!
//! Environment:
//! - `BENCH_SIZES=10000,100000` limits the sizes (default `10000,100000,1000000`);
//! - `BENCH_AMARANTH_MAX_NODES` (default 100000) skips Amaranth above that
//!   size (it needs minutes and gigabytes at 1M nodes); `0` skips it entirely;
//! - `BENCH_REPEAT` (default 3) runs of each size in our process; the best is reported.
//!
//! The design: a top module chaining `modules` distinct pipeline stages; each
//! stage has `depth` steps of add-constant, shift, xor, bit-select, mux and a
//! register (8 IR nodes per step), and a shared `mixer` child (one module,
//! `modules` instances).

use hdl::prelude::*;
use std::process::Command;
use std::time::Instant;

const WIDTH: u32 = 32;
const DEPTH: u32 = 125;

bundle! {
    /// Mixer ports.
    pub struct MixIo {
        #[input]
        pub a: UInt,
        #[input]
        pub b: UInt,
        pub y: UInt,
    }
}

/// A small shared child: `(a ^ b) + (a & b)`.
#[derive(Debug)]
struct Mixer {
    width: u32,
}

impl Component for Mixer {
    type Io = MixIo;
    fn name(&self) -> String {
        format!("mixer_w{}", self.width)
    }
    fn io(&self) -> MixIo {
        MixIo {
            a: UInt::ty(self.width),
            b: UInt::ty(self.width),
            y: UInt::ty(self.width),
        }
    }
    fn build(&self, io: &MixIo) {
        io.y.set((io.a ^ io.b) + (io.a & io.b));
    }
}

bundle! {
    /// Stage ports.
    pub struct StageIo {
        #[input]
        pub din: UInt,
        #[input]
        pub sel: Bits,
        pub dout: UInt,
        pub flag: Bool,
    }
}

/// One pipeline stage; `id` makes every stage a distinct module.
#[derive(Debug)]
struct Stage {
    id: u32,
    depth: u32,
    width: u32,
}

fn stage_const(id: u32, i: u32, width: u32) -> u128 {
    (u128::from(id) * 7919 + u128::from(i) * 104729 + 1) & ((1u128 << width) - 1)
}

impl Component for Stage {
    type Io = StageIo;
    fn name(&self) -> String {
        format!("stage_{}", self.id)
    }
    fn io(&self) -> StageIo {
        StageIo {
            din: UInt::ty(self.width),
            sel: Bits::ty(self.width),
            dout: UInt::ty(self.width),
            flag: Bool::ty(),
        }
    }
    fn build(&self, io: &StageIo) {
        let mut x = io.din;
        for i in 0..self.depth {
            let s = x + stage_const(self.id, i, self.width);
            let t = s ^ (x >> (1 + i % 7));
            let m = io.sel.bit(i % self.width).mux(t, s);
            x = reg_next(&format!("stage{i}"), &m);
        }
        let mix = instance("u_mix", &Mixer { width: self.width });
        mix.io.a.set(x);
        mix.io.b.set(io.din);
        io.dout.set(mix.io.y);
        io.flag.set(x.is_eq(0));
    }
}

bundle! {
    /// Top ports.
    pub struct TopIo {
        #[input]
        pub din: UInt,
        #[input]
        pub sel: Bits,
        pub dout: UInt,
        pub flags: Bits,
    }
}

#[derive(Debug)]
struct Top {
    modules: u32,
    depth: u32,
}

impl Component for Top {
    type Io = TopIo;
    fn name(&self) -> String {
        "bench_top".into()
    }
    fn io(&self) -> TopIo {
        TopIo {
            din: UInt::ty(WIDTH),
            sel: Bits::ty(WIDTH),
            dout: UInt::ty(WIDTH),
            flags: Bits::ty(self.modules),
        }
    }
    fn build(&self, io: &TopIo) {
        let mut prev = io.din;
        let mut flags = Vec::new();
        for j in 0..self.modules {
            let st = instance(
                &format!("u_stage{j}"),
                &Stage {
                    id: j,
                    depth: self.depth,
                    width: WIDTH,
                },
            );
            st.io.din.set(prev);
            st.io.sel.set(io.sel ^ u128::from(j));
            flags.push(st.io.flag);
            prev = st.io.dout;
        }
        io.dout.set(prev);
        // Most significant first: flags[0] ends up in bit 0.
        flags.reverse();
        io.flags.set(cat(&flags));
    }
}

/// Peak resident set size of this process in KiB (`VmHWM`).
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// One measurement, in the child process.
fn child(modules: u32, depth: u32) {
    let top = Top { modules, depth };
    let t0 = Instant::now();
    let e = hdl::elaborate(&top).unwrap_or_else(|d| panic!("{d}"));
    let t1 = Instant::now();
    let v = e.verilog();
    let t2 = Instant::now();
    let j = e.json();
    let t3 = Instant::now();
    let ms = |a: Instant, b: Instant| (b - a).as_secs_f64() * 1e3;
    println!(
        "RESULT {} {:.3} {:.3} {:.3} {} {}",
        e.design.node_count(),
        ms(t0, t1),
        ms(t1, t2),
        ms(t2, t3),
        peak_rss_kib(),
        v.len() + j.len()
    );
}

#[derive(Clone, Debug, Default)]
struct Ours {
    nodes: usize,
    elab_ms: f64,
    verilog_ms: f64,
    json_ms: f64,
    peak_kib: u64,
    bytes: usize,
}

impl Ours {
    fn total_ms(&self) -> f64 {
        self.elab_ms + self.verilog_ms + self.json_ms
    }
}

fn run_ours(modules: u32, depth: u32) -> Ours {
    let exe = std::env::current_exe().expect("own path");
    let out = Command::new(exe)
        .args(["--child", &modules.to_string(), &depth.to_string()])
        .output()
        .expect("re-invoke the benchmark");
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .unwrap_or_else(|| panic!("child failed: {}{}", text, String::from_utf8_lossy(&out.stderr)));
    let f: Vec<&str> = line.split_whitespace().collect();
    Ours {
        nodes: f[0].parse().expect("nodes"),
        elab_ms: f[1].parse().expect("ms"),
        verilog_ms: f[2].parse().expect("ms"),
        json_ms: f[3].parse().expect("ms"),
        peak_kib: f[4].parse().expect("kib"),
        bytes: f[5].parse().expect("bytes"),
    }
}

/// Amaranth's (seconds, peak KiB), or why it did not run.
fn run_amaranth(modules: u32, depth: u32) -> Result<(f64, u64), String> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/bench/amaranth_elab.py");
    let out = Command::new("python3")
        .arg(script)
        .args(["--modules", &modules.to_string(), "--depth", &depth.to_string()])
        .args(["--width", &WIDTH.to_string()])
        .output()
        .map_err(|e| format!("python3 not runnable: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    if out.status.code() == Some(3) {
        return Err(format!(
            "skipped: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .ok_or_else(|| {
            let err = String::from_utf8_lossy(&out.stderr);
            format!("failed: {}", err.lines().last().unwrap_or("no output").trim())
        })?;
    let f: Vec<&str> = line.split_whitespace().collect();
    Ok((f[0].parse().unwrap_or(f64::NAN), f[1].parse().unwrap_or(0)))
}

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        let modules = args[i + 1].parse().expect("modules");
        let depth = args[i + 2].parse().expect("depth");
        child(modules, depth);
        return;
    }
    let sizes: Vec<u64> = std::env::var("BENCH_SIZES")
        .unwrap_or_else(|_| "10000,100000,1000000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let amaranth_max = env_num("BENCH_AMARANTH_MAX_NODES", 100_000);
    let repeat = env_num("BENCH_REPEAT", 3).max(1);
    println!(
        "elaborate + checks + Verilog + JSON; {repeat} run(s) per size in fresh processes, best time reported"
    );
    println!(
        "{:>9} {:>9} {:>10} {:>10} {:>9} {:>9} {:>9} {:>10} | {:>11} {:>11} {:>8} {:>8}",
        "target",
        "nodes",
        "elab ms",
        "verilog ms",
        "json ms",
        "total ms",
        "ns/node",
        "peak MiB",
        "amaranth s",
        "amar. MiB",
        "x time",
        "x mem"
    );
    for &size in &sizes {
        let modules = (size / u64::from(8 * DEPTH)).max(1) as u32;
        let mut best: Option<Ours> = None;
        for _ in 0..repeat {
            let r = run_ours(modules, DEPTH);
            best = Some(match best {
                Some(b) if b.total_ms() <= r.total_ms() => Ours {
                    peak_kib: b.peak_kib.max(r.peak_kib),
                    ..b
                },
                _ => r,
            });
        }
        let o = best.expect("at least one run");
        let amaranth = if amaranth_max == 0 {
            Err("skipped (BENCH_AMARANTH_MAX_NODES=0)".to_string())
        } else if size > amaranth_max {
            Err(format!(
                "skipped above {amaranth_max} nodes (raise BENCH_AMARANTH_MAX_NODES to run it)"
            ))
        } else {
            run_amaranth(modules, DEPTH)
        };
        let (a_s, a_mib, rt, rm) = match &amaranth {
            Ok((s, kib)) => (
                format!("{s:.2}"),
                format!("{:.0}", *kib as f64 / 1024.0),
                format!("{:.0}", s * 1e3 / o.total_ms()),
                format!("{:.1}", *kib as f64 / o.peak_kib as f64),
            ),
            Err(_) => ("-".into(), "-".into(), "-".into(), "-".into()),
        };
        println!(
            "{:>9} {:>9} {:>10.1} {:>10.1} {:>9.1} {:>9.1} {:>9.0} {:>10.1} | {:>11} {:>11} {:>8} {:>8}",
            size,
            o.nodes,
            o.elab_ms,
            o.verilog_ms,
            o.json_ms,
            o.total_ms(),
            o.total_ms() * 1e6 / o.nodes as f64,
            o.peak_kib as f64 / 1024.0,
            a_s,
            a_mib,
            rt,
            rm
        );
        if let Err(why) = amaranth {
            println!("{:>9} amaranth: {why}", "");
        }
        let _ = o.bytes;
    }
}
