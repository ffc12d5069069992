//! Simulation speed of a Verilator model driven from Rust through `Model`,
//! against the same verilated model driven by a plain C++ `main` and against
//! cocotb; plus model load time from the cache and first build times. Prints
//! a Markdown table. Run by `scripts/bench.sh` (which installs cocotb).
//!
//! Two designs written with `hdl`: a 32-bit counter/accumulator and a
//! 512-bit four-stage datapath. All three drivers apply the same stimulus
//! (a 64-bit LCG) every cycle, read every output every cycle, and fold the
//! outputs into a checksum; the checksums must agree, or the benchmark fails.
//! Rates are cycles per second of CPU time of the thread driving the model
//! (`CLOCK_THREAD_CPUTIME_ID`, Python's `time.thread_time`), which other
//! processes on the machine disturb far less than wall-clock time; a second
//! table gives the wall-clock rates of the same runs.
//!
//! What differs between the drivers per cycle (profiled with
//! `valgrind --tool=callgrind`, see `--rust-only` below): the Rust driver
//! makes one call through the C ABI (both clock edges) and checks each port
//! handle; the C++ `main` calls the model's `eval()`, which in Verilator 5.006
//! also runs per-thread message bookkeeping that the shim's step leaves out
//! for single-threaded models, where it is idle (`src/eval_step.rs`: through
//! `dlopen` its thread-locals cost more than a small design's evaluation).
//!
//! Knobs: `BENCH_SCALE` (factor on the cycle counts, default 1),
//! `BENCH_REPEAT` (timed runs per driver, alternating Rust and C++, best
//! kept, default 9: on a shared machine the best of many runs is what the
//! code can do),
//! `BENCH_COCOTB_VENV` (the cocotb venv, default `target/cocotb-venv`).
//! `speed --rust-only DESIGN CYCLES` runs only the Rust driver (for profiling
//! next to the C++ driver in `target/bench-speed/cpp/`).

#[path = "speed/acc32.rs"]
mod acc32;
#[path = "speed/cocotb.rs"]
mod cocotb;
#[path = "speed/cpp.rs"]
mod cpp;
#[path = "speed/load.rs"]
mod load;
#[path = "speed/mix512.rs"]
mod mix512;
#[path = "speed/stimulus.rs"]
mod stimulus;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use verilator::{BuildInfo, Library, Model, Source};

/// One benchmarked design with its three drivers.
pub trait Design {
    /// Row label.
    fn label(&self) -> &'static str;
    /// The elaborated design.
    fn elaborate(&self) -> hdl::Elaborated;
    /// Cycles of the Rust and C++ runs, and of the cocotb run.
    fn cycles(&self) -> (u64, u64);
    /// Drives a reset model for `n` cycles; returns the checksum.
    fn run_rust(&self, m: &mut Model, n: u64) -> verilator::Result<u64>;
    /// The C++ driver.
    fn cpp_main(&self) -> String;
    /// The cocotb test module.
    fn cocotb_test(&self) -> String;
}

/// The benchmarked designs by name.
pub fn designs() -> Vec<(&'static str, Box<dyn Design>)> {
    vec![
        ("acc32", Box::new(acc32::Acc32)),
        ("mix512", Box::new(mix512::Mix512)),
    ]
}

/// The value of `key=value` in a result line.
pub fn result_field<T: std::str::FromStr>(line: &str, key: &str) -> Result<T, String> {
    line.split_whitespace()
        .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("no {key}= in `{line}`"))
}

/// Cycles per second of wall-clock time and of CPU time of the thread that
/// drives the model (robust when other processes share the cores).
#[derive(Clone, Copy, Debug, Default)]
pub struct Rate {
    wall: f64,
    cpu: f64,
}

impl Rate {
    fn new(cycles: u64, wall: Duration, cpu: Duration) -> Rate {
        Rate {
            wall: cycles as f64 / wall.as_secs_f64(),
            cpu: cycles as f64 / cpu.as_secs_f64(),
        }
    }

    /// From a result line with `cycles=`, `seconds=` and `cpu_seconds=`.
    pub fn parse(line: &str) -> Result<Rate, String> {
        let cycles: u64 = result_field(line, "cycles")?;
        let secs = |k| result_field(line, k).map(Duration::from_secs_f64);
        Ok(Rate::new(cycles, secs("seconds")?, secs("cpu_seconds")?))
    }

    /// The better of each measure.
    fn best(self, o: Rate) -> Rate {
        Rate {
            wall: self.wall.max(o.wall),
            cpu: self.cpu.max(o.cpu),
        }
    }
}

/// CPU time of the calling thread.
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid out pointer; this clock exists on Linux.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

fn env_f64(name: &str, default: f64) -> f64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The `target` directory holding this executable.
fn target_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(d);
    }
    let exe = std::env::current_exe().expect("current_exe");
    exe.ancestors()
        .find(|a| a.file_name().is_some_and(|n| n == "target"))
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("target"))
}

/// A fresh, reset instance.
fn reset_model(lib: &Library) -> verilator::Result<Model> {
    let mut m = lib.instantiate()?;
    m.add_clock("clk", 10)?;
    m.reset("rst", true, 2)?;
    Ok(m)
}

/// The rate of one Rust run of `n` cycles, and the checksum.
fn rust_rate(lib: &Library, d: &dyn Design, n: u64) -> (Rate, u64) {
    let mut m = reset_model(lib).expect("model");
    let (c, t) = (thread_cpu(), Instant::now());
    let sum = d.run_rust(&mut m, n).expect("Rust run");
    let (wall, cpu) = (t.elapsed(), thread_cpu() - c);
    (Rate::new(n, wall, cpu), sum)
}

fn rust_checksum(lib: &Library, d: &dyn Design, n: u64) -> u64 {
    d.run_rust(&mut reset_model(lib).expect("model"), n)
        .expect("Rust run")
}

/// `--rust-only DESIGN CYCLES`: only the Rust driver, on the model in the
/// benchmark's cache (built when missing), e.g. under
/// `valgrind --tool=callgrind` to compare with the C++ driver.
fn rust_only(design: &str, n: u64, cache: &Path) {
    let (_, d) = designs()
        .into_iter()
        .find(|(name, _)| *name == design)
        .unwrap_or_else(|| panic!("no design {design}"));
    let src = Source::from_hdl(&d.elaborate()).expect("source");
    let lib = Model::builder(src)
        .trace(None)
        .cache_dir(cache)
        .library()
        .expect("library");
    let (r, sum) = rust_rate(&lib, d.as_ref(), n);
    println!(
        "LHV-RUST cycles={n} rate={:.0} cpu_rate={:.0} checksum={sum}",
        r.wall, r.cpu
    );
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

fn rate(r: f64) -> String {
    if r >= 1e6 {
        format!("{:.2} M", r / 1e6)
    } else {
        format!("{:.1} k", r / 1e3)
    }
}

struct Row {
    label: &'static str,
    rust: Rate,
    cpp: Result<Rate, String>,
    cocotb: Result<(Rate, String), String>,
    load_fresh: Result<(Duration, Duration), String>,
    load_repeated: Duration,
    build: BuildInfo,
    cpp_build: Duration,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let target = target_dir();
    let work = target.join("bench-speed");
    let cache = work.join("cache");
    match args.get(1).map(String::as_str) {
        Some("--load-probe") => return load::probe(&args[2], &args[3]),
        Some("--rust-only") => return rust_only(&args[2], args[3].parse().expect("cycles"), &cache),
        _ => {}
    }
    let scale = env_f64("BENCH_SCALE", 1.0);
    let repeat = env_f64("BENCH_REPEAT", 9.0).max(1.0) as usize;
    // A fresh cache, so that the first builds (and the runtime objects) are real.
    let _ = std::fs::remove_dir_all(&cache);
    let mut rows = Vec::new();
    let mut mismatches = Vec::new();
    for (name, d) in designs() {
        let (n, n_cocotb) = d.cycles();
        let (n, n_cocotb) = (
            ((n as f64 * scale) as u64).max(1),
            ((n_cocotb as f64 * scale) as u64).max(1),
        );
        eprintln!("== {name}: build");
        let e = d.elaborate();
        let src = Source::from_hdl(&e).expect("source");
        let top = src.top().to_string();
        let builder = Model::builder(src).trace(None).cache_dir(&cache);
        let lib = builder.library().expect("build");
        let build = lib.build_info().clone();
        assert!(!build.cached, "fresh cache");

        eprintln!("== {name}: C++ build");
        let cpp_exe = cpp::build(&builder, d.as_ref(), &top, &work.join("cpp"));
        let cpp_build = cpp_exe.as_ref().map_or(Duration::ZERO, |(_, t)| *t);

        // Rust and C++ runs alternate, so that both see the same machine load.
        eprintln!("== {name}: Rust and C++, {n} cycles x {repeat}");
        let (mut rust, mut cpp) = (
            Rate::default(),
            cpp_exe.as_ref().map(|_| Rate::default()).map_err(Clone::clone),
        );
        for _ in 0..repeat {
            let (r, rust_sum) = rust_rate(&lib, d.as_ref(), n);
            rust = rust.best(r);
            if let (Ok((exe, _)), Ok(best)) = (&cpp_exe, &mut cpp) {
                match cpp::run(exe, n) {
                    Ok(c) => {
                        if c.checksum != rust_sum {
                            mismatches
                                .push(format!("{name}: C++ checksum {} != Rust {rust_sum}", c.checksum));
                        }
                        *best = best.best(c.rate);
                    }
                    Err(e) => cpp = Err(e),
                }
            }
        }

        eprintln!("== {name}: load from cache");
        let repeated: Vec<Duration> = (0..7)
            .map(|_| {
                let t = Instant::now();
                let l = builder.library().expect("cached library");
                let _m = l.instantiate().expect("instantiate");
                assert!(l.build_info().cached);
                t.elapsed()
            })
            .collect();
        let load_fresh = load::fresh_processes(name, &cache, 9).map(|v| {
            let max = *v.iter().max().expect("runs");
            (load::median(v), max)
        });

        eprintln!("== {name}: cocotb, {n_cocotb} cycles");
        let cocotb = cocotb::run(
            &target,
            d.as_ref(),
            &top,
            &e.verilog(),
            &work.join("cocotb").join(name),
            n_cocotb,
        )
        .map(|r| {
            let expected = rust_checksum(&lib, d.as_ref(), n_cocotb);
            if r.checksum != expected {
                mismatches.push(format!(
                    "{name}: cocotb checksum {} != Rust {expected}",
                    r.checksum
                ));
            }
            (r.rate, r.setup)
        });
        if let Err(e) = &cocotb {
            eprintln!("cocotb not run: {e}");
        }
        rows.push(Row {
            label: d.label(),
            rust,
            cpp,
            cocotb,
            load_fresh,
            load_repeated: load::median(repeated),
            build,
            cpp_build,
        });
    }
    print_table(&rows, mismatches.is_empty());
    if !mismatches.is_empty() {
        eprintln!("checksum mismatches:\n{}", mismatches.join("\n"));
        std::process::exit(1);
    }
}

/// The speed columns of `r` with rates from `pick`.
fn speed_cells(r: &Row, pick: fn(&Rate) -> f64) -> [String; 5] {
    let rust = pick(&r.rust);
    let (cpp, cpp_ratio) = match &r.cpp {
        Ok(c) => (rate(pick(c)), format!("{:.2}", rust / pick(c))),
        Err(e) => (format!("failed ({e})"), "-".into()),
    };
    let (cocotb, cocotb_ratio) = match &r.cocotb {
        Ok((c, setup)) => (
            format!("{} ({setup})", rate(pick(c))),
            format!("{:.0}", rust / pick(c)),
        ),
        Err(e) => (format!("not run ({e})"), "-".into()),
    };
    [rate(rust), cpp, cpp_ratio, cocotb, cocotb_ratio]
}

fn print_table(rows: &[Row], agree: bool) {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let checksums = if agree { "agree" } else { "DISAGREE" };
    println!();
    println!(
        "Verilator model speed ({cores} cores). Cycles per second of CPU time of the driving \
         thread, best of runs; the output checksums of all drivers {checksums}."
    );
    println!();
    println!(
        "| design | Rust `Model` cycles/s | C++ `main` cycles/s | Rust/C++ | cocotb cycles/s | Rust/cocotb | \
         load from cache: fresh process, median (max) | load, repeated in process | \
         first build: verilate + C++ | runtime objects build | C++ `main` build |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for r in rows {
        let [rust, cpp, cpp_ratio, cocotb, cocotb_ratio] = speed_cells(r, |r| r.cpu);
        let fresh = match &r.load_fresh {
            Ok((med, max)) => format!("{} ({})", ms(*med), ms(*max)),
            Err(e) => format!("failed ({e})"),
        };
        let runtime = if r.build.runtime_time.is_zero() {
            "cached".to_string()
        } else {
            secs(r.build.runtime_time)
        };
        println!(
            "| {} | {rust} | {cpp} | {cpp_ratio} | {cocotb} | {cocotb_ratio} | {fresh} | {} | {} + {} | {runtime} | {} |",
            r.label,
            ms(r.load_repeated),
            secs(r.build.verilate_time),
            secs(r.build.compile_time),
            secs(r.cpp_build),
        );
    }
    println!();
    println!("The same runs in cycles per second of wall-clock time (sensitive to other load):");
    println!();
    println!(
        "| design | Rust `Model` cycles/s | C++ `main` cycles/s | Rust/C++ | cocotb cycles/s | Rust/cocotb |"
    );
    println!("|---|---|---|---|---|---|");
    for r in rows {
        let [rust, cpp, cpp_ratio, cocotb, cocotb_ratio] = speed_cells(r, |r| r.wall);
        println!(
            "| {} | {rust} | {cpp} | {cpp_ratio} | {cocotb} | {cocotb_ratio} |",
            r.label
        );
    }
}
