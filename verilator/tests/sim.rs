//! End-to-end tests: designs built with `hdl` (or written as Verilog), verilated,
//! compiled, loaded and checked against Rust reference models.

use hdl::prelude::*;
use num_bigint::BigUint;
use verilator::{Error, Model, ModelBuilder, Source, TraceFormat};

mod common;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Quick C++ builds for tests, without tracing unless a test asks for it.
fn builder(src: Source) -> ModelBuilder {
    Model::builder(src).cxx_opt("-O1").trace(None)
}

/// A small deterministic generator for stimuli.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 16
    }
}

bundle! {
    /// Counter ports.
    pub struct CounterIo {
        #[input]
        pub en: Bool,
        #[input]
        pub load: Bool,
        #[input]
        pub load_value: UInt,
        #[input]
        pub inc: UInt,
        pub count: UInt,
        pub acc: UInt,
        pub wrapped: Bool,
    }
}

/// An 8-bit counter with load, and a 40-bit accumulator of a 20-bit input.
#[derive(Debug)]
struct Counter;

impl Component for Counter {
    type Io = CounterIo;
    fn name(&self) -> String {
        "counter".into()
    }
    fn io(&self) -> CounterIo {
        CounterIo {
            en: Bool::ty(),
            load: Bool::ty(),
            load_value: UInt::ty(8),
            inc: UInt::ty(20),
            count: UInt::ty(8),
            acc: UInt::ty(40),
            wrapped: Bool::ty(),
        }
    }
    fn build(&self, io: &CounterIo) {
        let value = reg("value", UInt::ty(8)).init(0);
        let acc = reg("acc_q", UInt::ty(40)).init(0);
        when(io.en, || {
            value.set(value + 1);
            acc.set(acc + io.inc.resize(40));
        });
        when(io.load, || value.set(io.load_value));
        io.count.set(value);
        io.acc.set(acc);
        io.wrapped.set(value.all());
    }
}

fn counter_source() -> Source {
    let e = hdl::elaborate(&Counter).unwrap_or_else(|d| panic!("{d}"));
    Source::from_hdl(&e).expect("source")
}

/// Reference model of `Counter`.
#[derive(Default)]
struct CounterRef {
    value: u8,
    acc: u64,
}

impl CounterRef {
    fn clock(&mut self, en: bool, load: bool, load_value: u8, inc: u64) {
        if en {
            self.value = self.value.wrapping_add(1);
            self.acc = (self.acc + inc) & ((1 << 40) - 1);
        }
        if load {
            self.value = load_value;
        }
    }
}

#[test]
fn counter_matches_reference_cycle_by_cycle() -> TestResult {
    let mut m = builder(counter_source()).build()?;
    let info = m.build_info().clone();
    eprintln!(
        "counter: cached={} verilate={:?} compile={:?} total={:?}",
        info.cached, info.verilate_time, info.compile_time, info.total_time
    );
    let (en, load, load_value, inc) = (
        m.port("en")?,
        m.port("load")?,
        m.port("load_value")?,
        m.port("inc")?,
    );
    let (count, acc, wrapped) = (m.port("count")?, m.port("acc")?, m.port("wrapped")?);
    assert_eq!((inc.width(), acc.width()), (20, 40));
    m.add_clock("clk", 10)?;
    m.set_u64(en, 1)?;
    m.reset("rst", true, 3)?;
    assert_eq!(m.get_u64(count)?, 0, "reset holds the counter at zero");
    let mut r = CounterRef::default();
    let mut rng = Lcg(7);
    for cycle in 0..12_000 {
        let (e, l) = (!rng.next().is_multiple_of(4), rng.next().is_multiple_of(16));
        let (lv, i) = ((rng.next() & 0xff) as u8, rng.next() & 0xf_ffff);
        m.set_u64(en, u64::from(e))?;
        m.set_u64(load, u64::from(l))?;
        m.set_u64(load_value, u64::from(lv))?;
        m.set_u64(inc, i)?;
        m.step()?;
        r.clock(e, l, lv, i);
        assert_eq!(m.get_u64(count)?, u64::from(r.value), "count at cycle {cycle}");
        assert_eq!(m.get_u64(acc)?, r.acc, "acc at cycle {cycle}");
        assert_eq!(
            m.get_u64(wrapped)?,
            u64::from(r.value == 0xff),
            "wrapped at cycle {cycle}"
        );
    }
    assert!(
        r.acc > 1 << 32,
        "the accumulator went past 32 bits ({:#x})",
        r.acc
    );
    assert_eq!(m.time(), 10 * (3 + 12_000));
    // run_until: count up from a loaded value to the wrap.
    m.set_u64(load, 1)?;
    m.set_u64(load_value, 250)?;
    m.step()?;
    m.set_u64(load, 0)?;
    let n = m.run_until(|m| m.get_u64(wrapped).unwrap() == 1, 100)?;
    assert_eq!(n, 5);
    assert!(matches!(
        m.run_until(|_| false, 3),
        Err(Error::Timeout { max_cycles: 3, .. })
    ));
    Ok(())
}

#[test]
fn port_errors_are_reported() -> TestResult {
    let m = builder(counter_source()).build()?;
    let err = m.port("no_such_port").unwrap_err();
    assert!(matches!(&err, Error::UnknownPort { name, .. } if name == "no_such_port"));
    let msg = err.to_string();
    assert!(
        msg.contains("no_such_port") && msg.contains("load_value"),
        "{msg}"
    );
    let mut m = m;
    let count = m.port("count")?;
    let inc = m.port("inc")?;
    assert!(matches!(m.set_u64(count, 1), Err(Error::NotAnInput { .. })));
    assert!(matches!(
        m.set_u64(inc, 1 << 20),
        Err(Error::Width { width: 20, .. })
    ));
    assert!(matches!(m.step(), Err(Error::NoClock { .. })));
    // A handle of another model is refused.
    let other = builder(counter_source()).build()?;
    let foreign = other.port("inc")?;
    assert!(matches!(m.set_u64(foreign, 1), Err(Error::ForeignPort { .. })));
    Ok(())
}

#[test]
fn second_build_is_a_cache_hit() -> TestResult {
    let first = builder(counter_source()).library()?;
    let dir = first.build_info().dir.clone();
    let files = [
        first.build_info().library.clone(),
        dir.join("build.log"),
        dir.join("done"),
    ];
    let stamp = |f: &std::path::PathBuf| -> std::io::Result<_> {
        Ok((std::fs::metadata(f)?.modified()?, std::fs::read(f)?))
    };
    let before = files.iter().map(stamp).collect::<Result<Vec<_>, _>>()?;
    let second = builder(counter_source()).library()?;
    let info = second.build_info();
    eprintln!("cached load: {:?}", info.total_time);
    assert!(info.cached, "second build must come from the cache");
    assert_eq!(info.hash, first.build_info().hash);
    assert_eq!(
        (info.verilate_time, info.compile_time, info.runtime_time),
        Default::default(),
        "nothing ran"
    );
    let after = files.iter().map(stamp).collect::<Result<Vec<_>, _>>()?;
    for ((f, b), a) in files.iter().zip(&before).zip(&after) {
        assert!(b == a, "{} was rewritten by a cached build", f.display());
    }
    Ok(())
}

bundle! {
    /// Wide ports.
    pub struct WideIo {
        #[input]
        pub a: UInt,
        #[input]
        pub b: UInt,
        pub x: UInt,
        pub s: UInt,
    }
}

/// 512-bit XOR and adder.
#[derive(Debug)]
struct Wide;

impl Component for Wide {
    type Io = WideIo;
    fn name(&self) -> String {
        "wide512".into()
    }
    fn io(&self) -> WideIo {
        WideIo {
            a: UInt::ty(512),
            b: UInt::ty(512),
            x: UInt::ty(512),
            s: UInt::ty(512),
        }
    }
    fn build(&self, io: &WideIo) {
        io.x.set(io.a ^ io.b);
        io.s.set(io.a + io.b);
    }
}

fn random_big(rng: &mut Lcg, bits: u32) -> BigUint {
    let words: Vec<u32> = (0..bits / 32).map(|_| rng.next() as u32).collect();
    BigUint::from_slice(&words)
}

#[test]
fn wide_ports_match_bigint() -> TestResult {
    let e = hdl::elaborate(&Wide).unwrap_or_else(|d| panic!("{d}"));
    let mut m = builder(Source::from_hdl(&e)?).build()?;
    let (a, b, x, s) = (m.port("a")?, m.port("b")?, m.port("x")?, m.port("s")?);
    assert_eq!(a.width(), 512);
    let modulus = BigUint::from(1u8) << 512;
    let mut rng = Lcg(42);
    let all_ones: BigUint = &modulus - 1u8;
    let mut cases = vec![
        (all_ones.clone(), BigUint::from(1u8)),
        (all_ones.clone(), all_ones.clone()),
    ];
    for _ in 0..200 {
        cases.push((random_big(&mut rng, 512), random_big(&mut rng, 512)));
    }
    for (va, vb) in &cases {
        m.set_big(a, va)?;
        m.set_words(b, &vb.to_u32_digits())?;
        m.eval()?;
        assert_eq!(&m.get_big(x)?, &(va ^ vb));
        assert_eq!(m.get_big(s)?, (va + vb) % &modulus);
        let words = m.get_words(x)?;
        assert_eq!(words.len(), 16);
        assert_eq!(BigUint::from_slice(&words), va ^ vb);
    }
    assert!(matches!(
        m.set_big(a, &modulus),
        Err(Error::Width { width: 512, .. })
    ));
    assert!(matches!(m.get_u64(a), Err(Error::Width { .. })));
    // Small values through the u64 path of a wide port.
    m.set_u64(a, u64::MAX)?;
    m.set_u64(b, 1)?;
    m.eval()?;
    assert_eq!(m.get_big(s)?, BigUint::from(u64::MAX) + 1u8);
    Ok(())
}

#[test]
fn concurrent_builds_of_one_model_build_once() -> TestResult {
    // A design unique to this run, so that the first build is never cached.
    let stamp = format!(
        "{}{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_nanos()
    );
    let dir = std::env::temp_dir().join(format!("lhv-concurrent-{stamp}"));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("uniq.v");
    std::fs::write(
        &file,
        format!(
            "// run {stamp}\nmodule uniq(input clk, input [15:0] d, output reg [15:0] q);\n\
             always @(posedge clk) q <= d ^ 16'h{:04x};\nendmodule\n",
            stamp.len() * 1000 % 0xffff
        ),
    )?;
    let key = (stamp.len() * 1000 % 0xffff) as u64;
    let src = Source::from_files([&file], "uniq");
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let src = src.clone();
            std::thread::spawn(move || -> Result<(bool, u64), Error> {
                let mut m = builder(src).build()?;
                let (d, q) = (m.port("d")?, m.port("q")?);
                m.add_clock("clk", 2)?;
                m.set_u64(d, 0x1234)?;
                m.step()?;
                Ok((m.build_info().cached, m.get_u64(q)?))
            })
        })
        .collect();
    let results: Vec<(bool, u64)> = threads
        .into_iter()
        .map(|t| t.join().expect("thread"))
        .collect::<Result<_, _>>()?;
    let rebuilt = results.iter().filter(|(cached, _)| !cached).count();
    assert_eq!(
        rebuilt, 1,
        "exactly one thread builds, the other waits and loads: {results:?}"
    );
    for (_, q) in &results {
        assert_eq!(*q, 0x1234 ^ key);
    }
    std::fs::remove_dir_all(file.parent().expect("a directory"))?;
    Ok(())
}

#[test]
fn models_are_send_and_independent() -> TestResult {
    let lib = builder(counter_source()).library()?;
    let handles: Vec<_> = (0..3u64)
        .map(|k| {
            let mut m = lib.instantiate().expect("instantiate");
            std::thread::spawn(move || -> Result<u64, Error> {
                let en = m.port("en")?;
                m.add_clock("clk", 4)?;
                m.reset("rst", true, 1)?;
                m.set_u64(en, 1)?;
                m.steps(10 + k)?;
                m.get_u64(m.port("count")?)
            })
        })
        .collect();
    for (k, h) in handles.into_iter().enumerate() {
        assert_eq!(h.join().expect("thread")?, 10 + k as u64);
    }
    Ok(())
}

#[test]
fn verilator_errors_name_file_and_line() -> TestResult {
    let file = common::verilog_file(
        "lhv-bad",
        "bad.v",
        "module bad(input a, output b);\n  assign b = a +;\nendmodule\n",
    )?;
    let err = builder(Source::from_files([&file], "bad")).build().unwrap_err();
    match &err {
        Error::Verilator { diagnostics, .. } => {
            assert!(
                diagnostics.iter().any(|d| d.contains("bad.v:2")),
                "{diagnostics:?}"
            );
        }
        other => panic!("expected a Verilator error, got {other}"),
    }
    Ok(())
}

#[test]
fn vcd_trace_is_written() -> TestResult {
    let path = std::env::temp_dir().join(format!("lhv-trace-{}.vcd", std::process::id()));
    {
        let mut m = builder(counter_source())
            .trace(Some(TraceFormat::Vcd))
            .trace_path(&path)
            .build()?;
        assert_eq!(m.trace_path(), Some(path.as_path()));
        let en = m.port("en")?;
        m.add_clock("clk", 10)?;
        m.reset("rst", true, 1)?;
        m.set_u64(en, 1)?;
        m.steps(4)?;
    }
    let vcd = std::fs::read_to_string(&path)?;
    assert!(
        vcd.contains("$var") && vcd.contains(" count "),
        "{}",
        &vcd[..vcd.len().min(2000)]
    );
    assert!(vcd.contains("#50"), "five cycles of period 10 end at time 50");
    std::fs::remove_file(&path)?;
    Ok(())
}

#[test]
fn verilog_files_get_ports_from_xml() -> TestResult {
    let file = common::verilog_file(
        "lhv-xml",
        "mixed.v",
        "module mixed(input clk, input [7:0] a__b, input [511:0] w, input integer n,\n\
         \x20            output [63:0] q, output [39:0] m, output reg [2:0] r);\n\
         \x20 assign q = w[63:0] ^ {32'b0, n};\n\
         \x20 assign m = {a__b, n};\n\
         \x20 always @(posedge clk) r <= a__b[2:0];\n\
         endmodule\n",
    )?;
    let mut m = builder(Source::from_files([&file], "mixed")).build()?;
    assert_eq!(m.port_names(), ["clk", "a__b", "w", "n", "q", "m", "r"]);
    let widths: Vec<u32> = ["clk", "a__b", "w", "n", "q", "m", "r"]
        .iter()
        .map(|p| m.port(p).map(|h| h.width()))
        .collect::<Result<_, _>>()?;
    assert_eq!(widths, [1, 8, 512, 32, 64, 40, 3]);
    let (ab, w, n, q, mm, r) = (
        m.port("a__b")?,
        m.port("w")?,
        m.port("n")?,
        m.port("q")?,
        m.port("m")?,
        m.port("r")?,
    );
    m.add_clock("clk", 2)?;
    m.set_u64(ab, 0xa5)?;
    m.set_u64(n, 0xdead_beef)?;
    let wv = (BigUint::from(0x0123_4567_89ab_cdefu64) << 448) | BigUint::from(0xffff_0000_ffff_0000u64);
    m.set_big(w, &wv)?;
    m.step()?;
    assert_eq!(m.get_u64(q)?, 0xffff_0000_ffff_0000 ^ 0xdead_beef);
    assert_eq!(m.get_u64(mm)?, 0xa5_dead_beef);
    assert_eq!(m.get_u64(r)?, 0b101);
    assert_eq!(m.get_big(w)?, wv, "inputs read back");
    std::fs::remove_dir_all(file.parent().expect("a directory"))?;
    Ok(())
}

#[test]
fn fst_trace_is_written() -> TestResult {
    let path = std::env::temp_dir().join(format!("lhv-trace-{}.fst", std::process::id()));
    {
        let mut m = builder(counter_source())
            .trace(Some(TraceFormat::Fst))
            .trace_path(&path)
            .build()?;
        let en = m.port("en")?;
        m.add_clock("clk", 10)?;
        m.reset("rst", true, 1)?;
        m.set_u64(en, 1)?;
        m.steps(4)?;
        m.finish()?;
    }
    let fst = std::fs::read(&path)?;
    // An FST file starts with a header block (type 0) of 329 bytes.
    assert!(fst.len() > 329, "FST file too short: {} bytes", fst.len());
    assert_eq!(fst[0], 0, "FST header block");
    std::fs::remove_file(&path)?;
    Ok(())
}

#[test]
fn x_initial_choice_reaches_the_model() -> TestResult {
    let file = common::verilog_file(
        "lhv-xinit",
        "noreset.v",
        "module noreset(input clk, input en, output [63:0] q);\n  reg [63:0] r;\n  \
         always @(posedge clk) if (en) r <= r + 64'd1;\n  assign q = r;\nendmodule\n",
    )?;
    let src = Source::from_files([&file], "noreset");
    let zero = builder(src.clone())
        .x_initial(verilator::XInitial::Zero)
        .build()?;
    assert_eq!(zero.get_u64(zero.port("q")?)?, 0);
    let unique = builder(src).x_initial(verilator::XInitial::Unique).build()?;
    assert_ne!(zero.build_info().hash, unique.build_info().hash);
    assert_ne!(
        unique.get_u64(unique.port("q")?)?,
        0,
        "random initial value (0 with probability 2^-64)"
    );
    std::fs::remove_dir_all(file.parent().expect("a directory"))?;
    Ok(())
}

#[test]
fn hand_driven_clock_with_eval_at_matches_step() -> TestResult {
    // The same stimulus through `step` and through a clock toggled by hand
    // with `eval_at`: the outputs and times must agree every cycle.
    let lib = builder(counter_source()).library()?;
    let (mut a, mut b) = (lib.instantiate()?, lib.instantiate()?);
    a.add_clock("clk", 10)?;
    a.reset("rst", true, 2)?;
    let (clk, rst) = (b.port("clk")?, b.port("rst")?);
    b.set_u64(rst, 1)?;
    let mut t = 0;
    let mut cycle = |b: &mut Model| -> Result<(), Error> {
        b.set_u64(clk, 1)?;
        b.eval_at(t + 5)?;
        b.set_u64(clk, 0)?;
        b.eval_at(t + 10)?;
        t += 10;
        Ok(())
    };
    cycle(&mut b)?;
    cycle(&mut b)?;
    b.set_u64(rst, 0)?;
    let mut rng = Lcg(3);
    for i in 0..500 {
        let (e, inc) = (rng.next() & 1, rng.next() & 0xf_ffff);
        for m in [&mut a, &mut b] {
            m.set_u64(m.port("en")?, e)?;
            m.set_u64(m.port("inc")?, inc)?;
        }
        a.step()?;
        cycle(&mut b)?;
        for p in ["count", "acc"] {
            assert_eq!(a.get_u64(a.port(p)?)?, b.get_u64(b.port(p)?)?, "{p} at cycle {i}");
        }
        assert_eq!(a.time(), b.time());
    }
    Ok(())
}

#[test]
fn words_into_reads_without_allocating_and_checks_the_length() -> TestResult {
    let e = hdl::elaborate(&Wide).unwrap_or_else(|d| panic!("{d}"));
    let mut m = builder(Source::from_hdl(&e)?).build()?;
    let (a, b, x) = (m.port("a")?, m.port("b")?, m.port("x")?);
    let mut rng = Lcg(9);
    let (va, vb) = (random_big(&mut rng, 512), random_big(&mut rng, 512));
    m.set_words(a, &va.to_u32_digits())?;
    m.set_big(b, &vb)?;
    m.eval()?;
    let mut out = [0u32; 16];
    m.get_words_into(x, &mut out)?;
    assert_eq!(BigUint::from_slice(&out), &va ^ &vb);
    assert!(matches!(
        m.get_words_into(x, &mut [0u32; 15]),
        Err(Error::Width { width: 512, .. })
    ));
    // Narrow ports through the same call.
    let mut counter = builder(counter_source()).build()?;
    counter.add_clock("clk", 2)?;
    counter.reset("rst", true, 1)?;
    let mut two = [7u32; 2];
    counter.get_words_into(counter.port("acc")?, &mut two)?;
    assert_eq!(two, [0, 0]);
    Ok(())
}

#[test]
fn word_writes_check_bits_above_the_width() -> TestResult {
    let mut m = builder(counter_source()).build()?;
    let (inc, acc) = (m.port("inc")?, m.port("acc")?);
    assert!(matches!(
        m.set_words(inc, &[1 << 20]),
        Err(Error::Width { width: 20, .. })
    ));
    assert!(matches!(m.set_words(inc, &[1, 1]), Err(Error::Width { .. })));
    m.set_words(inc, &[0xf_ffff, 0])?;
    m.add_clock("clk", 2)?;
    m.reset("rst", true, 1)?;
    m.set_u64(m.port("en")?, 1)?;
    m.step()?;
    m.step()?;
    assert_eq!(m.get_words(acc)?, [0x1f_fffe, 0]);
    assert_eq!(m.get_big(acc)?, BigUint::from(0x1f_fffeu32));
    Ok(())
}
