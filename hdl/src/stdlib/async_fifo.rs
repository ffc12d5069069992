//! Asynchronous (dual-clock) stream FIFO with Gray-coded pointers, and the
//! pieces it is made of ([`synchroniser`], [`to_gray`], [`gray_full`],
//! [`ReadPointer`], [`GrayReader`]), which [`super::axis_async_fifo`] reuses.

use super::stream::StreamIo;
use crate::prelude::*;

/// A FIFO between two unrelated clocks: `async_fifo_w{width}_d{depth}`.
///
/// The push side (`s`) runs in domain `s` (ports `s_clk`, `s_rst`), the pop
/// side (`m`) in domain `m` (`m_clk`, `m_rst`); both resets are synchronous,
/// active high, and should be asserted together. Each side keeps a binary and
/// a Gray-coded pointer one bit wider than the address; the Gray pointer
/// crosses to the other side through a two-flop synchroniser whose first
/// stage (`*_sync1`) is marked with `.cdc_sync()`. The memory has a
/// write port in `s` and a synchronous read port in `m` that prefetches the
/// head word, so the output is first-word-fall-through at full throughput.
/// `depth` must be a power of two, at least 2.
#[derive(Clone, Debug)]
pub struct AsyncFifo {
    /// Payload width in bits.
    pub width: u32,
    /// Capacity in words (a power of two, at least 2).
    pub depth: u32,
}

/// Binary to Gray code: `b ^ (b >> 1)`.
#[track_caller]
pub fn to_gray(b: UInt) -> UInt {
    b ^ (b >> 1)
}

/// A two-flop synchroniser in the current domain: `{name}_sync1` (marked
/// `.cdc_sync()`, the stage that may go metastable) then `{name}_sync2`, both
/// reset to 0. Returns the second stage. Only for values that change in one
/// bit at a time (Gray pointers, toggles) or are stable while sampled.
#[track_caller]
pub fn synchroniser(name: &str, value: UInt) -> UInt {
    let w = value.width();
    let sync1 = reg(&format!("{name}_sync1"), UInt::ty(w)).init(0).cdc_sync();
    let sync2 = reg(&format!("{name}_sync2"), UInt::ty(w)).init(0);
    sync1.set(value);
    sync2.set(sync1);
    sync2
}

/// Gray pointers `wr` and `rd` (one bit wider than the address): the writer
/// is one lap ahead, the FIFO is full (the two top bits differ, the rest are
/// equal).
#[track_caller]
pub fn gray_full(wr: UInt, rd: UInt) -> Bool {
    let pw = wr.width();
    let lap = UInt::lit(3u128 << (pw - 2), pw);
    wr.is_eq(rd ^ lap)
}

/// The read pointer of a Gray-pointer FIFO: registers `rd_ptr_bin` and
/// `rd_ptr_gray` (reset 0), one bit wider than the address. Declared before
/// the read logic so that the writer's [`synchroniser`] can be built first.
#[derive(Clone, Copy, Debug)]
pub struct ReadPointer {
    /// Binary.
    pub bin: UInt,
    /// Gray code (crosses to the writer).
    pub gray: UInt,
}

impl ReadPointer {
    /// Declares the registers in the current domain.
    #[track_caller]
    pub fn declare(ptr_width: u32) -> ReadPointer {
        ReadPointer {
            bin: reg("rd_ptr_bin", UInt::ty(ptr_width)).init(0),
            gray: reg("rd_ptr_gray", UInt::ty(ptr_width)).init(0),
        }
    }
}

/// The pop side of a Gray-pointer FIFO, built in the current domain: a
/// prefetching synchronous read of the memory, first-word-fall-through, a
/// word per cycle.
#[derive(Clone, Copy, Debug)]
pub struct GrayReader {
    /// A word is offered (register `out_valid`).
    pub valid: Bool,
    /// The word at the head.
    pub data: Bits,
}

impl GrayReader {
    /// The read logic of `ram` behind `rd`: the words up to (not including)
    /// the Gray write pointer `wr_gray`, already in this domain, are
    /// readable. `pop(valid)` says when the consumer takes the word; it must
    /// only be high while `valid` is.
    #[track_caller]
    pub fn build(ram: &Mem, rd: ReadPointer, wr_gray: UInt, pop: impl FnOnce(Bool) -> Bool) -> GrayReader {
        let aw = ram.addr_width();
        let out_valid = reg("out_valid", Bool::ty()).init(false);
        let pop = pop(out_valid).named("pop");
        let rd_bin_next = pop.mux(rd.bin + 1, rd.bin).named("rd_ptr_bin_next");
        let rd_gray_next = to_gray(rd_bin_next).named("rd_ptr_gray_next");
        rd.bin.set(rd_bin_next);
        rd.gray.set(rd_gray_next);
        // The word at the next read address is there once the write pointer
        // seen here has moved past it.
        out_valid.set(rd_gray_next.is_ne(wr_gray));
        let data = ram.read_sync(rd_bin_next.lsbs(aw), Bool::lit(true));
        GrayReader {
            valid: out_valid,
            data,
        }
    }
}

impl Component for AsyncFifo {
    type Io = StreamIo;

    fn name(&self) -> String {
        format!("async_fifo_w{}_d{}", self.width, self.depth)
    }

    fn io(&self) -> StreamIo {
        assert!(
            self.depth >= 2 && self.depth.is_power_of_two(),
            "AsyncFifo depth must be a power of two >= 2 (got {})",
            self.depth
        );
        StreamIo::ty(self.width)
    }

    fn build(&self, io: &StreamIo) {
        let s_cd = ClockDomain::new("s", "s_clk", Some(Reset::sync_high("s_rst")));
        let m_cd = ClockDomain::new("m", "m_clk", Some(Reset::sync_high("m_rst")));
        let ram = Mem::new("ram", self.width, self.depth);
        let aw = ram.addr_width();
        let pw = aw + 1;

        // Pointers of both sides first: each side reads the other's Gray pointer.
        let (wr_bin, wr_gray) = s_cd.within(|| {
            (
                reg("wr_ptr_bin", UInt::ty(pw)).init(0),
                reg("wr_ptr_gray", UInt::ty(pw)).init(0),
            )
        });
        let rd = m_cd.within(|| ReadPointer::declare(pw));

        // Push side.
        s_cd.within(|| {
            let rd_gray_sync = synchroniser("rd_ptr_gray", rd.gray);
            let full = gray_full(wr_gray, rd_gray_sync).named("full");
            io.s.ready.set(!full);
            let push = io.s.fire().named("push");
            let wr_bin_next = (wr_bin + 1).named("wr_ptr_bin_inc");
            when(push, || {
                wr_bin.set(wr_bin_next);
                wr_gray.set(to_gray(wr_bin_next));
            });
            ram.write(wr_bin.lsbs(aw), io.s.payload, push, None);
        });

        // Pop side.
        m_cd.within(|| {
            let wr_gray_sync = synchroniser("wr_ptr_gray", wr_gray);
            let r = GrayReader::build(&ram, rd, wr_gray_sync, |valid| valid & io.m.ready);
            io.m.valid.set(r.valid);
            io.m.payload.set(r.data);
        });
    }
}
