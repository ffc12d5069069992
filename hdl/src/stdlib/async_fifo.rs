//! Asynchronous (dual-clock) stream FIFO with Gray-coded pointers.

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
        let ptr = || UInt::ty(pw);

        // Pointers of both sides first: each side reads the other's Gray pointer.
        let (wr_bin, wr_gray, rd_gray_sync1, rd_gray_sync2) = s_cd.within(|| {
            (
                reg("wr_ptr_bin", ptr()).init(0),
                reg("wr_ptr_gray", ptr()).init(0),
                reg("rd_ptr_gray_sync1", ptr()).init(0).cdc_sync(),
                reg("rd_ptr_gray_sync2", ptr()).init(0),
            )
        });
        let (rd_bin, rd_gray, wr_gray_sync1, wr_gray_sync2, out_valid) = m_cd.within(|| {
            (
                reg("rd_ptr_bin", ptr()).init(0),
                reg("rd_ptr_gray", ptr()).init(0),
                reg("wr_ptr_gray_sync1", ptr()).init(0).cdc_sync(),
                reg("wr_ptr_gray_sync2", ptr()).init(0),
                reg("out_valid", Bool::ty()).init(false),
            )
        });

        // Push side.
        s_cd.within(|| {
            rd_gray_sync1.set(rd_gray);
            rd_gray_sync2.set(rd_gray_sync1);
            // Full: the write pointer is one lap ahead of the read pointer
            // (in Gray code: the two top bits differ, the rest are equal).
            let lap = UInt::lit(3u128 << (pw - 2), pw);
            let full = wr_gray.is_eq(rd_gray_sync2 ^ lap).named("full");
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
            wr_gray_sync1.set(wr_gray);
            wr_gray_sync2.set(wr_gray_sync1);
            io.m.valid.set(out_valid);
            let pop = io.m.fire().named("pop");
            let rd_bin_next = pop.mux(rd_bin + 1, rd_bin).named("rd_ptr_bin_next");
            let rd_gray_next = to_gray(rd_bin_next).named("rd_ptr_gray_next");
            rd_bin.set(rd_bin_next);
            rd_gray.set(rd_gray_next);
            // The word at the next read address is there once the synchronised
            // write pointer has moved past it.
            out_valid.set(rd_gray_next.is_ne(wr_gray_sync2));
            io.m.payload
                .set(ram.read_sync(rd_bin_next.lsbs(aw), Bool::lit(true)));
        });
    }
}
