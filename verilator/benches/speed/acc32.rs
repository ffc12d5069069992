//! The small design: a 32-bit counter with load and a 32-bit accumulator,
//! with its Rust, C++ and cocotb drivers side by side.

use super::stimulus::{cocotb_test, cpp_main, fold, lcg, SEED};
use super::Design;
use hdl::prelude::*;
use verilator::Model;

bundle! {
    /// Counter and accumulator ports.
    pub struct Acc32Io {
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
    }
}

/// Counts while `en`, loads `load_value` on `load`, and accumulates
/// `inc ^ count` while `en`.
#[derive(Debug)]
pub struct Acc32;

impl Component for Acc32 {
    type Io = Acc32Io;
    fn name(&self) -> String {
        "bench_acc32".into()
    }
    fn io(&self) -> Acc32Io {
        Acc32Io {
            en: Bool::ty(),
            load: Bool::ty(),
            load_value: UInt::ty(32),
            inc: UInt::ty(32),
            count: UInt::ty(32),
            acc: UInt::ty(32),
        }
    }
    fn build(&self, io: &Acc32Io) {
        let count = reg("count_q", UInt::ty(32)).init(0);
        let acc = reg("acc_q", UInt::ty(32)).init(0);
        when(io.en, || {
            count.set(count + 1);
            acc.set(acc + (io.inc ^ count));
        });
        when(io.load, || count.set(io.load_value));
        io.count.set(count);
        io.acc.set(acc);
    }
}

impl Design for Acc32 {
    fn label(&self) -> &'static str {
        "acc32 (32-bit counter + accumulator)"
    }

    fn elaborate(&self) -> hdl::Elaborated {
        hdl::elaborate(self).unwrap_or_else(|d| panic!("{d}"))
    }

    fn cycles(&self) -> (u64, u64) {
        (20_000_000, 20_000)
    }

    fn run_rust(&self, m: &mut Model, n: u64) -> verilator::Result<u64> {
        let (en, load) = (m.input::<u8>("en")?, m.input::<u8>("load")?);
        let (load_value, inc) = (m.input::<u32>("load_value")?, m.input::<u32>("inc")?);
        let (count, acc) = (m.output::<u32>("count")?, m.output::<u32>("acc")?);
        let (mut x, mut sum) = (SEED, 0);
        for _ in 0..n {
            x = lcg(x);
            let r = x >> 32;
            m.set(en, u8::from(r & 7 != 0))?;
            m.set(load, u8::from((r >> 3) & 63 == 0))?;
            m.set(load_value, r as u32)?;
            m.set(inc, x as u32)?;
            m.step()?;
            sum = fold(sum, u64::from(m.get(count)?));
            sum = fold(sum, u64::from(m.get(acc)?));
        }
        Ok(sum)
    }

    fn cpp_main(&self) -> String {
        cpp_main(
            "        const uint64_t r = x >> 32;
        top->en = (r & 7) != 0;
        top->load = ((r >> 3) & 63) == 0;
        top->load_value = (uint32_t)r;
        top->inc = (uint32_t)x;
        tb.cycle();
        sum = fold(sum, top->count);
        sum = fold(sum, top->acc);",
        )
    }

    fn cocotb_test(&self) -> String {
        cocotb_test(
            "    for p in (dut.en, dut.load, dut.load_value, dut.inc):
        p.value = 0",
            "        r = x >> 32
        dut.en.value = int(r & 7 != 0)
        dut.load.value = int((r >> 3) & 63 == 0)
        dut.load_value.value = r
        dut.inc.value = x & 0xFFFFFFFF
        await FallingEdge(dut.clk)
        s = fold(s, int(dut.count.value))
        s = fold(s, int(dut.acc.value))",
        )
    }
}
