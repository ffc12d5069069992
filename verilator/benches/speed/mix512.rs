//! The wide design: a four-stage pipeline mixing 512-bit words with XOR,
//! rotations and additions, 512 bits in and out every cycle; with its Rust,
//! C++ and cocotb drivers side by side.

use super::stimulus::{cocotb_test, cpp_main, fold, lcg, SEED};
use super::Design;
use hdl::prelude::*;
use verilator::Model;

const W: u32 = 512;

bundle! {
    /// One word in, one word out.
    pub struct Mix512Io {
        #[input]
        pub din: UInt,
        pub dout: UInt,
    }
}

/// `dout` is `din` after four register stages of XOR/rotate/add mixing.
#[derive(Debug)]
pub struct Mix512;

fn rotl(v: UInt, n: u32) -> UInt {
    (v << n) | (v >> (W - n))
}

impl Component for Mix512 {
    type Io = Mix512Io;
    fn name(&self) -> String {
        "bench_mix512".into()
    }
    fn io(&self) -> Mix512Io {
        Mix512Io {
            din: UInt::ty(W),
            dout: UInt::ty(W),
        }
    }
    fn build(&self, io: &Mix512Io) {
        let s0 = reg("s0", UInt::ty(W)).init(0);
        let s1 = reg("s1", UInt::ty(W)).init(0);
        let s2 = reg("s2", UInt::ty(W)).init(0);
        let s3 = reg("s3", UInt::ty(W)).init(0);
        s0.set(io.din ^ rotl(io.din, 13));
        s1.set(s0 + rotl(s0, 71));
        s2.set(s1 ^ rotl(s1, 200) ^ (s1 >> 3));
        s3.set(s2 + rotl(s2, 301) + s0);
        io.dout.set(s3);
    }
}

impl Design for Mix512 {
    fn label(&self) -> &'static str {
        "mix512 (4-stage 512-bit datapath)"
    }

    fn elaborate(&self) -> hdl::Elaborated {
        hdl::elaborate(self).unwrap_or_else(|d| panic!("{d}"))
    }

    fn cycles(&self) -> (u64, u64) {
        (5_000_000, 10_000)
    }

    fn run_rust(&self, m: &mut Model, n: u64) -> verilator::Result<u64> {
        let (din, dout) = (m.port("din")?, m.port("dout")?);
        let (mut x, mut sum) = (SEED, 0);
        let (mut words, mut out) = ([0u32; 16], [0u32; 16]);
        for _ in 0..n {
            x = lcg(x);
            for (i, w) in words.iter_mut().enumerate() {
                *w = (x >> (2 * i)) as u32;
            }
            m.set_words(din, &words)?;
            m.step()?;
            m.get_words_into(dout, &mut out)?;
            for &w in &out {
                sum = fold(sum, u64::from(w));
            }
        }
        Ok(sum)
    }

    fn cpp_main(&self) -> String {
        cpp_main(
            "        for (int i = 0; i < 16; i++) top->din[i] = (uint32_t)(x >> (2 * i));
        tb.cycle();
        for (int i = 0; i < 16; i++) sum = fold(sum, top->dout[i]);",
        )
    }

    fn cocotb_test(&self) -> String {
        cocotb_test(
            "    dut.din.value = 0",
            "        w = 0
        for i in range(16):
            w |= ((x >> (2 * i)) & 0xFFFFFFFF) << (32 * i)
        dut.din.value = w
        await FallingEdge(dut.clk)
        v = int(dut.dout.value)
        for i in range(16):
            s = fold(s, (v >> (32 * i)) & 0xFFFFFFFF)",
        )
    }
}
