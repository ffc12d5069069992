//! Deterministic output: the same design gives byte-identical Verilog and JSON
//! when emitted twice in one thread and once each from two threads running at
//! the same time (the elaboration context is per thread; nothing may depend on
//! hash iteration order, addresses or global counters).

mod support;

use hdl::prelude::*;
use std::sync::{Arc, Barrier};

hw_enum! {
    /// Controller states.
    pub enum Mode: OneHot { Idle, Load, Run, Drain, Halt }
}

bundle! {
    /// Ports of a lane.
    pub struct LaneIo {
        #[input]
        pub din: UInt,
        #[input]
        pub key: Bits,
        #[input]
        pub go: Bool,
        pub dout: UInt,
        pub hit: Bool,
    }
}

/// A lane: a few pipeline steps, a small memory, an FSM and duplicate names.
#[derive(Debug)]
struct Lane {
    width: u32,
    steps: u32,
    salt: u32,
}

impl Component for Lane {
    type Io = LaneIo;
    fn name(&self) -> String {
        format!("lane_w{}_n{}_s{}", self.width, self.steps, self.salt)
    }
    fn io(&self) -> LaneIo {
        LaneIo {
            din: UInt::ty(self.width),
            key: Bits::ty(self.width),
            go: Bool::ty(),
            dout: UInt::ty(self.width),
            hit: Bool::ty(),
        }
    }
    fn build(&self, io: &LaneIo) {
        let w = self.width;
        let mut x = io.din;
        for i in 0..self.steps {
            let k = u128::from(self.salt * 31 + i * 17) % (1u128 << w.min(32));
            let sum = (x + k).named("acc");
            let mixed = sum ^ (x >> (1 + i % 5)).as_bits().as_uint();
            let pick = io.key.bit(i % w).mux(mixed, sum);
            x = reg_next(&format!("step{i}"), &pick);
        }
        let mode = reg("mode", EnumSig::<Mode>::ty()).init(Mode::Idle);
        mode.switch(|sw| {
            EnumSig::case(sw, Mode::Idle, || {
                when(io.go, || mode.set(Mode::Load));
            });
            EnumSig::case(sw, Mode::Load, || mode.set(Mode::Run));
            EnumSig::case(sw, Mode::Run, || {
                when(x.is_eq(0), || mode.set(Mode::Drain)).elsewhen(io.go, || mode.set(Mode::Halt));
            });
            EnumSig::case(sw, Mode::Drain, || mode.set(Mode::Idle));
            sw.default(|| mode.set(Mode::Idle));
        });
        let aw = 4;
        let mem = Mem::new("table", w, 16);
        mem.write(x.lsbs(aw), io.key, mode.is(Mode::Load), None);
        let looked = mem.read_sync(io.din.lsbs(aw), io.go);
        let out = wire("out", UInt::ty(w)).default_value(x);
        when(mode.is(Mode::Run), || out.set(looked.as_uint() + x));
        io.dout.set(out);
        io.hit.set(looked.is_eq(io.key));
    }
}

bundle! {
    /// Top ports.
    pub struct TopIo {
        #[input]
        pub din: UInt,
        #[input]
        pub key: Bits,
        #[input]
        pub go: Bool,
        pub dout: UInt,
        pub hits: Bits,
    }
}

#[derive(Debug)]
struct Top;

const LANES: u32 = 24;

impl Component for Top {
    type Io = TopIo;
    fn name(&self) -> String {
        "determinism_top".into()
    }
    fn io(&self) -> TopIo {
        TopIo {
            din: UInt::ty(16),
            key: Bits::ty(16),
            go: Bool::ty(),
            dout: UInt::ty(16),
            hits: Bits::ty(LANES),
        }
    }
    fn build(&self, io: &TopIo) {
        let mut prev = io.din;
        let mut hits = Vec::new();
        for j in 0..LANES {
            // Eight specialisations, each instantiated three times.
            let lane = instance(
                "u_lane",
                &Lane {
                    width: 16,
                    steps: 40 + j % 8,
                    salt: j % 8,
                },
            );
            lane.io.din.set(prev);
            lane.io.key.set(io.key ^ u128::from(j));
            lane.io.go.set(io.go);
            hits.push(lane.io.hit);
            prev = lane.io.dout;
        }
        io.dout.set(prev);
        io.hits.set(cat(&hits));
    }
}

fn emit() -> (String, String) {
    let e = hdl::elaborate(&Top).unwrap_or_else(|d| panic!("{d}"));
    (e.verilog(), e.json())
}

#[test]
fn the_design_is_big_enough_to_matter() {
    let e = hdl::elaborate(&Top).unwrap_or_else(|d| panic!("{d}"));
    let nodes = e.design.node_count();
    assert!(nodes > 2000, "only {nodes} nodes");
    assert!(
        e.design.modules.len() >= 9,
        "hierarchy with several specialisations"
    );
    // Duplicate instance names are made unique, predictably.
    let v = e.verilog();
    assert!(v.contains(" u_lane (") && v.contains(" u_lane_1 (") && v.contains(" u_lane_23 ("));
    support::check_rtl(&e, "determinism_top");
}

#[test]
fn same_thread_twice_is_byte_identical() {
    let (v1, j1) = emit();
    let (v2, j2) = emit();
    assert!(v1 == v2, "Verilog differs between two runs in one thread");
    assert!(j1 == j2, "JSON differs between two runs in one thread");
}

#[test]
fn two_threads_at_once_are_byte_identical() {
    let (v0, j0) = emit();
    let barrier = Arc::new(Barrier::new(2));
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let b = Arc::clone(&barrier);
            std::thread::spawn(move || {
                b.wait();
                emit()
            })
        })
        .collect();
    for h in handles {
        let (v, j) = h.join().expect("thread panicked");
        assert!(v == v0, "Verilog from a concurrent thread differs");
        assert!(j == j0, "JSON from a concurrent thread differs");
    }
}

#[test]
fn per_file_output_matches_the_single_text() {
    let e = hdl::elaborate(&Top).unwrap_or_else(|d| panic!("{d}"));
    let files = e.verilog_files(&hdl::VerilogOptions::default());
    let joined: Vec<String> = files.iter().map(|f| f.text.clone()).collect();
    assert_eq!(joined.join("\n"), e.verilog());
    let mut names: Vec<&str> = files.iter().map(|f| f.file_name.as_str()).collect();
    let n = names.len();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), n, "one file per module");
}
