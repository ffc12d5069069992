//! Every diagnostic code, triggered by a tiny bad design: the code is right and
//! the reported file:line is the user's offending call. Plus designs with
//! several problems (all reported together) and correct designs that must pass
//! every check and produce lint-clean Verilog.
// `at(line!(), call(..))` keeps the line mark and the call on one line, also
// for calls that return `()`.
#![allow(clippy::unit_arg)]

mod support;

use hdl::prelude::*;
use hdl::{Code, Diagnostics};
use std::cell::Cell;

thread_local! {
    static LINE: Cell<u32> = const { Cell::new(0) };
}

/// Records `line` as the offending line and passes `v` through, so that
/// `at(line!(), call(..))` marks the line of `call`.
fn at<T>(line: u32, v: T) -> T {
    LINE.with(|l| l.set(line));
    v
}

/// A component whose body is a plain function (ports are declared inside).
#[derive(Debug)]
struct Case {
    name: &'static str,
    body: fn(),
}

impl Component for Case {
    type Io = ();
    fn name(&self) -> String {
        self.name.to_string()
    }
    fn io(&self) {}
    fn build(&self, _: &()) {
        (self.body)()
    }
}

/// A component named `name` built by `body`.
fn comp(name: &'static str, body: fn()) -> Case {
    Case { name, body }
}

/// Elaborates `body` and returns its diagnostics and the marked line.
fn fail(body: fn()) -> (Diagnostics, u32) {
    LINE.with(|l| l.set(0));
    let d = match hdl::elaborate(&Case { name: "top", body }) {
        Ok(_) => panic!("the design should have been rejected"),
        Err(d) => d,
    };
    (d, LINE.with(|l| l.get()))
}

/// Asserts `d` contains `code` reported at `line` of this file.
fn expect(code: Code, (d, line): (Diagnostics, u32)) {
    assert_ne!(line, 0, "the case did not mark its line");
    let found = d.find(code).unwrap_or_else(|| panic!("no {code} in:\n{d}"));
    assert_eq!(found.line(), line, "{code} at the wrong line:\n{d}");
    assert!(
        found.file().ends_with("diagnostics.rs"),
        "{code} in {}:\n{d}",
        found.file()
    );
    let text = d.to_string();
    assert!(text.contains(code.help()), "help line missing:\n{text}");
}

// ---- the bad designs, one per code ----

fn e0001() {
    let a = input("a", UInt::ty(4));
    let y = output("y", UInt::ty(8));
    y.set(at(line!(), a));
}

fn e0002() {
    let y = output("y", UInt::ty(4));
    at(line!(), y.set(300u32));
}

fn e0003() {
    let a = input("a", UInt::ty(4));
    let y = output("y", UInt::ty(8));
    y.set(at(line!(), a.range(9, 2)));
}

fn e0004() {
    let a = input("a", UInt::ty(4));
    let y = output("y", UInt::ty(4)).default_value(0);
    let wide = Bool::from_sig(a.sig());
    at(line!(), when(wide, || y.set(1u32)));
}

fn e0010() {
    let y = output("y", UInt::ty(4));
    at(line!(), y.set(UInt::ty(4)));
}

fn e0101() {
    let a = input("a", UInt::ty(2));
    let y = output("y", Bits::ty(8));
    let m = Mem::new("m", 8, 4);
    let d = m.read_sync(a, Bool::lit(true));
    at(line!(), d.set(Bits::lit(0, 8)));
    y.set(d);
}

fn e0102() {
    let y = output("y", UInt::ty(4));
    let w = at(line!(), wire("w", UInt::ty(4)));
    y.set(w);
}

fn e0103() {
    let a = input("a", UInt::ty(4));
    let y = output("y", UInt::ty(4));
    y.set(a);
    at(line!(), a.set(1u32));
}

fn e0201() {
    let en = input("en", Bool::ty());
    let y = output("y", UInt::ty(4));
    let w = at(line!(), wire("w", UInt::ty(4)));
    when(en, || w.set(1u32));
    y.set(w);
}

fn e0301() {
    let a = input("a", UInt::ty(4));
    let y = output("y", UInt::ty(4));
    let p = at(line!(), wire("p", UInt::ty(4)));
    let q = wire("q", UInt::ty(4));
    q.set(p + a);
    p.set(q);
    y.set(p);
}

fn e0401() {
    let d = input("d", Bool::ty());
    let y = output("y", Bool::ty());
    let ca = ClockDomain::new("a", "clk_a", None);
    let cb = ClockDomain::new("b", "clk_b", None);
    let ra = ca.within(|| reg_next_init("ra", &d, 0));
    let rb = cb.within(|| at(line!(), reg_next_init("rb", &ra, 0)));
    y.set(rb);
}

fn e0402() {
    // Only reachable by editing the IR; see `no_clock_domain` below.
}

fn e0501() {
    let y = output("y", UInt::ty(4));
    let c = comp("bad-name", child_const);
    at(line!(), instance("u", &c));
    y.set(0u32);
}

fn child_passthrough() {
    let a = input("a", UInt::ty(4));
    output("b", UInt::ty(4)).set(a);
}

fn child_const() {
    output("b", UInt::ty(4)).set(3u32);
}

fn e0502() {
    let y = output("y", UInt::ty(4));
    instance("u1", &comp("same", child_const));
    let other = comp("same", child_passthrough);
    at(line!(), instance("u2", &other));
    y.set(0u32);
}

fn child_domain() {
    let d = input("d", Bool::ty());
    let x = ClockDomain::new("x", "clk_x", None);
    output("q", Bool::ty()).set(x.within(|| reg_next_init("q_r", &d, 0)));
}

fn e0601() {
    let y = output("y", UInt::ty(4));
    let c = comp("child_x", child_domain);
    at(line!(), instance("u", &c));
    y.set(0u32);
}

fn e0602() {
    let y = output("y", UInt::ty(4));
    let u = instance(
        "u",
        &Case {
            name: "child_x",
            body: child_domain,
        },
    );
    let cd = ClockDomain::new("m", "clk_m", None);
    u.connect_domain("x", &cd);
    at(line!(), u.connect_domain("nope", &cd));
    y.set(0u32);
}

fn e0701() {
    let s = input("s", UInt::ty(2));
    let y = output("y", UInt::ty(4)).default_value(0);
    switch(s, |sw| {
        sw.is(1u32, || y.set(1u32));
        at(line!(), sw.is(1u32, || y.set(2u32)));
    });
}

/// Every code and its bad design (E0402 is checked separately).
const CASES: &[(Code, fn())] = &[
    (Code::WidthMismatch, e0001),
    (Code::LiteralTooWide, e0002),
    (Code::SliceOutOfRange, e0003),
    (Code::BadConditionWidth, e0004),
    (Code::ForeignSignal, e0010),
    (Code::MultipleDrivers, e0101),
    (Code::Undriven, e0102),
    (Code::NotAssignable, e0103),
    (Code::Latch, e0201),
    (Code::CombLoop, e0301),
    (Code::ClockCrossing, e0401),
    (Code::NoClockDomain, e0402),
    (Code::IllegalName, e0501),
    (Code::ModuleNameConflict, e0502),
    (Code::UnconnectedDomain, e0601),
    (Code::UnknownPort, e0602),
    (Code::DuplicateCase, e0701),
];

fn case(code: Code) {
    let &(_, body) = CASES.iter().find(|(c, _)| *c == code).expect("a case per code");
    expect(code, fail(body));
}

#[test]
fn every_code_has_a_case() {
    let listed: Vec<Code> = CASES.iter().map(|(c, _)| *c).collect();
    assert_eq!(listed, Code::ALL);
}

#[test]
fn e0001_width_mismatch() {
    case(Code::WidthMismatch);
}
#[test]
fn e0002_literal_too_wide() {
    case(Code::LiteralTooWide);
}
#[test]
fn e0003_slice_out_of_range() {
    case(Code::SliceOutOfRange);
}
#[test]
fn e0004_bad_condition_width() {
    case(Code::BadConditionWidth);
}
#[test]
fn e0010_foreign_signal() {
    case(Code::ForeignSignal);
}
#[test]
fn e0101_multiple_drivers() {
    case(Code::MultipleDrivers);
}
#[test]
fn e0102_undriven() {
    case(Code::Undriven);
    let (d, _) = fail(e0102);
    assert!(d.find(Code::Undriven).unwrap().message.contains("`w`"), "{d}");
}
#[test]
fn e0103_not_assignable() {
    case(Code::NotAssignable);
}
#[test]
fn e0201_latch() {
    case(Code::Latch);
    let (d, _) = fail(e0201);
    let note = &d.find(Code::Latch).unwrap().notes[0];
    let when_line = LINE.with(|l| l.get()) + 1;
    assert!(note.ends_with(&format!("diagnostics.rs:{when_line}")), "{note}");
}
#[test]
fn e0301_comb_loop() {
    case(Code::CombLoop);
    let (d, _) = fail(e0301);
    let msg = &d.find(Code::CombLoop).unwrap().message;
    assert!(msg.ends_with("`p` -> `q` -> `p`"), "{msg}");
}
#[test]
fn e0401_clock_crossing() {
    case(Code::ClockCrossing);
}

#[test]
fn e0402_no_clock_domain() {
    // The DSL always gives a register a domain, so take a correct design and
    // break its IR the way a hand-written IR generator could.
    let body: fn() = || {
        let d = input("d", Bool::ty());
        output("y", Bool::ty()).set(at(line!(), reg_next_init("r", &d, 0)));
    };
    LINE.with(|l| l.set(0));
    let mut e = hdl::elaborate(&Case { name: "top", body }).unwrap_or_else(|d| panic!("{d}"));
    let line = LINE.with(|l| l.get());
    let m = e.design.modules.last_mut().unwrap();
    let r = m.signals.iter_mut().find(|s| s.name == "r").unwrap();
    r.reg.as_mut().unwrap().domain = hdl::ir::DomainId(7);
    let mut d = Diagnostics::default();
    hdl::passes::run_all(&mut e.design, &mut d);
    expect(Code::NoClockDomain, (d, line));
}

#[test]
fn e0501_illegal_name() {
    case(Code::IllegalName);
}
#[test]
fn e0502_module_name_conflict() {
    case(Code::ModuleNameConflict);
}
#[test]
fn e0601_unconnected_domain() {
    case(Code::UnconnectedDomain);
}
#[test]
fn e0602_unknown_port() {
    case(Code::UnknownPort);
}
#[test]
fn e0701_duplicate_case() {
    case(Code::DuplicateCase);
}

#[test]
fn several_problems_are_reported_together() {
    let (d, _) = fail(|| {
        let a = input("a", UInt::ty(4));
        let en = input("en", Bool::ty());
        let y = output("y", UInt::ty(8));
        let z = output("z", UInt::ty(4));
        let undriven = output("u", UInt::ty(4));
        let _ = undriven;
        y.set(a); // E0001
        let w = wire("w", UInt::ty(4));
        when(en, || w.set(a)); // E0201
        let p = wire("p", UInt::ty(4));
        p.set(p + w); // E0301
        let cb = ClockDomain::new("b", "clk_b", None);
        let r = reg_next_init("r", &a, 0);
        z.set(cb.within(|| reg_next_init("rb", &r, 0))); // E0401
    });
    for code in [
        Code::WidthMismatch,
        Code::Undriven,
        Code::Latch,
        Code::CombLoop,
        Code::ClockCrossing,
    ] {
        assert!(d.find(code).is_some(), "{code} missing from:\n{d}");
    }
    // Passes run in order, so diagnostics come grouped by pass.
    let codes = d.codes();
    let pos = |c| codes.iter().position(|&x| x == c).unwrap();
    assert!(pos(Code::WidthMismatch) < pos(Code::Undriven));
    assert!(pos(Code::Undriven) < pos(Code::Latch));
    assert!(pos(Code::Latch) < pos(Code::CombLoop));
    assert!(pos(Code::CombLoop) < pos(Code::ClockCrossing));
}

// ---- correct designs ----

bundle! {
    /// Ports of the correct example.
    pub struct GoodIo {
        #[input]
        pub en: Bool,
        #[input]
        pub sel: UInt,
        #[input]
        pub data: UInt,
        pub out: UInt,
        pub flag: Bool,
        pub count: UInt,
    }
}

#[derive(Debug)]
struct Good;

impl Component for Good {
    type Io = GoodIo;
    fn name(&self) -> String {
        "good".into()
    }
    fn io(&self) -> GoodIo {
        GoodIo {
            en: Bool::ty(),
            sel: UInt::ty(2),
            data: UInt::ty(8),
            out: UInt::ty(8),
            flag: Bool::ty(),
            count: UInt::ty(8),
        }
    }
    fn build(&self, io: &GoodIo) {
        // when / elsewhen / otherwise assigns on every path.
        when(io.en, || io.out.set(io.data))
            .elsewhen(io.sel.is_eq(1u32), || io.out.set(1u32))
            .otherwise(|| io.out.set(0u32));
        // A default covers the missing paths.
        let f = wire("f", Bool::ty()).default_value(false);
        switch(io.sel, |sw| {
            sw.is(2u32, || f.set(true));
            sw.is(3u32, || f.set(io.en));
        });
        // A switch covering every selector value needs no default.
        let g = wire("g", Bool::ty());
        switch(io.sel, |sw| {
            sw.is([0u128, 1], || g.set(io.en));
            sw.is(2u32, || g.set(false));
            sw.is(3u32, || g.set(true));
        });
        io.flag.set(f ^ g);
        // A register needs no assignment on every path.
        let count = reg("count", UInt::ty(8)).init(0);
        when(io.en, || count.set(count + 1));
        io.count.set(count);
    }
}

#[test]
fn correct_design_passes_and_lints() {
    let e = hdl::elaborate(&Good).unwrap_or_else(|d| panic!("{d}"));
    support::check_rtl(&e, "diagnostics_good");
}

bundle! {
    /// Ports of the synchroniser example.
    pub struct SyncIo {
        #[input]
        pub d: Bool,
        pub q: Bool,
    }
}

/// A bit registered in domain `a` and brought into domain `b` by two flops.
#[derive(Debug)]
struct TwoFlop;

impl Component for TwoFlop {
    type Io = SyncIo;
    fn name(&self) -> String {
        "two_flop".into()
    }
    fn io(&self) -> SyncIo {
        SyncIo {
            d: Bool::ty(),
            q: Bool::ty(),
        }
    }
    fn build(&self, io: &SyncIo) {
        let a = ClockDomain::new("a", "clk_a", Some(Reset::sync_high("rst_a")));
        let b = ClockDomain::new("b", "clk_b", Some(Reset::sync_high("rst_b")));
        let src = a.within(|| reg_next_init("src", &io.d, 0));
        let out = b.within(|| {
            let s1 = reg_next_init("sync1", &src, 0).cdc_sync();
            reg_next_init("sync2", &s1, 0)
        });
        io.q.set(out);
    }
}

#[test]
fn two_flop_synchroniser_passes_and_lints() {
    let e = hdl::elaborate(&TwoFlop).unwrap_or_else(|d| panic!("{d}"));
    support::check_rtl(&e, "diagnostics_two_flop");
}

/// The same synchroniser inside a child whose domains the parent connects.
#[derive(Debug)]
struct SyncTop;

impl Component for SyncTop {
    type Io = SyncIo;
    fn name(&self) -> String {
        "sync_top".into()
    }
    fn io(&self) -> SyncIo {
        SyncIo {
            d: Bool::ty(),
            q: Bool::ty(),
        }
    }
    fn build(&self, io: &SyncIo) {
        let a = ClockDomain::new("a", "clk_a", Some(Reset::sync_high("rst_a")));
        let b = ClockDomain::new("b", "clk_b", Some(Reset::sync_high("rst_b")));
        let u = instance("u_sync", &TwoFlop);
        u.connect_domain("a", &a);
        u.connect_domain("b", &b);
        u.io.d.set(io.d);
        io.q.set(b.within(|| reg_next_init("q_r", &u.io.q, 0)));
    }
}

#[test]
fn synchroniser_in_a_child_passes_and_lints() {
    let e = hdl::elaborate(&SyncTop).unwrap_or_else(|d| panic!("{d}"));
    support::check_rtl(&e, "diagnostics_sync_top");
}

#[test]
fn sampling_a_child_output_in_the_wrong_domain_fails() {
    let (d, _) = fail(|| {
        let i = input("i", Bool::ty());
        let a = ClockDomain::new("a", "clk_a", None);
        let b = ClockDomain::new("b", "clk_b", None);
        let u = instance("u_sync", &TwoFlop);
        u.connect_domain("a", &a);
        u.connect_domain("b", &b);
        u.io.d.set(i);
        // The child's output is in `b`; sampling it in `a` is a crossing.
        output("q", Bool::ty()).set(a.within(|| at(line!(), reg_next_init("q_r", &u.io.q, 0))));
    });
    assert_eq!(d.codes(), vec![Code::ClockCrossing], "{d}");
}

#[test]
fn a_loop_through_a_million_nodes_is_found_without_recursion() {
    const N: usize = 300_000;
    let start = std::time::Instant::now();
    let (d, _) = fail(|| {
        let i = input("i", UInt::ty(8));
        let first = wire("w0", UInt::ty(8));
        let mut prev = first;
        for k in 1..N {
            let w = wire(&format!("w{k}"), UInt::ty(8));
            w.set(prev + i);
            prev = w;
        }
        first.set(prev ^ i);
        output("y", UInt::ty(8)).set(prev);
    });
    let elapsed = start.elapsed();
    assert_eq!(d.codes(), vec![Code::CombLoop], "{}", d.list[0].message);
    let msg = &d.list[0].message;
    assert!(
        msg.starts_with("combinational loop: `w0` -> `w1` -> `w2`"),
        "{msg}"
    );
    assert!(msg.ends_with(&format!("... ({} more) -> `w0`", N - 64)), "{msg}");
    eprintln!("elaborate + all passes on {N} wires (~1.2M nodes): {elapsed:?}");
}
