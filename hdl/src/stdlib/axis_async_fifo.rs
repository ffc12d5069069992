//! AXI-Stream FIFO between two unrelated clocks, with a frame mode and the
//! drop options of the packet FIFO.

use super::async_fifo::{gray_full, synchroniser, to_gray, GrayReader, ReadPointer};
use super::axis::Axis;
use super::axis_frame_writer::{build_frame_writer, FrameOptions};
use crate::prelude::*;

bundle! {
    /// Ports of an [`AxisAsyncFifo`] (besides the clocks and resets).
    pub struct AxisAsyncFifoIo {
        /// Frames in, domain `s`.
        #[input]
        pub s_axis: Axis,
        /// Frames out, domain `m`.
        pub m_axis: Axis,
        /// One-cycle pulse in domain `s`: a bad frame was dropped.
        pub stat_drop_bad: Bool,
        /// One-cycle pulse in domain `s`: a frame that did not fit was dropped.
        pub stat_drop_full: Bool,
    }
}

/// An AXI-Stream FIFO of `depth` beats from domain `s` (`s_clk`, `s_rst`) to
/// domain `m` (`m_clk`, `m_rst`):
/// `axis_async_fifo_{bits}_d{depth}[_u{w}][_frame][_dropbad][_dropfull]`.
/// Both resets are synchronous, active high, and asserted together. Beats
/// are stored as [`Axis::pack`] words, so `tkeep` must be packed.
///
/// Built from the pieces of [`super::async_fifo::AsyncFifo`]: one memory
/// written in `s` and read in `m` through a [`GrayReader`], the read pointer
/// crossing to `s` in Gray code through a [`synchroniser`]. The write side is
/// the packet FIFO's [`build_frame_writer`], so [`FrameOptions`] mean the
/// same here, with the free space judged against the synchronised read
/// pointer; the drop pulses are in domain `s`, where the drops happen.
///
/// Without `frame_mode` the Gray write pointer crosses to `m` as in
/// `AsyncFifo`. In frame mode what crosses is the commit pointer, which
/// jumps by a whole frame at a time, so a Gray synchroniser cannot carry it:
/// it is handed over with a toggle handshake instead. `s` holds the value in
/// `commit_gray` and flips `commit_req`; `m` sees the flip two flops later
/// and copies `commit_gray` (stable by then) into `commit_gray_seen`, then
/// answers with `commit_req_seen`, which `s` synchronises back before it
/// sends the next value. Each hand-over carries every frame committed so far,
/// so throughput does not depend on frame size; a committed frame becomes
/// readable in `m` about three `m` cycles plus one `s` cycle later. Frames
/// are then read out without a gap inside a frame (the whole frame is
/// there), as a MAC transmitter needs.
///
/// `depth` is a power of two, at least 2.
#[derive(Clone, Debug)]
pub struct AxisAsyncFifo {
    /// Data bytes per beat.
    pub bytes: u32,
    /// Width of `tuser`, if any.
    pub user_width: Option<u32>,
    /// Capacity in beats (a power of two, at least 2).
    pub depth: u32,
    /// Frame handling.
    pub options: FrameOptions,
}

impl Component for AxisAsyncFifo {
    type Io = AxisAsyncFifoIo;

    fn name(&self) -> String {
        let user = self.user_width.map_or(String::new(), |w| format!("_u{w}"));
        format!(
            "axis_async_fifo_{}_d{}{user}{}",
            8 * self.bytes,
            self.depth,
            self.options.name_suffix()
        )
    }

    fn io(&self) -> AxisAsyncFifoIo {
        assert!(
            self.depth >= 2 && self.depth.is_power_of_two(),
            "AxisAsyncFifo depth must be a power of two >= 2 (got {})",
            self.depth
        );
        self.options.check(self.user_width.is_some());
        AxisAsyncFifoIo {
            s_axis: Axis::ty(self.bytes, self.user_width),
            m_axis: Axis::ty(self.bytes, self.user_width),
            stat_drop_bad: Bool::ty(),
            stat_drop_full: Bool::ty(),
        }
    }

    fn build(&self, io: &AxisAsyncFifoIo) {
        let s_cd = ClockDomain::new("s", "s_clk", Some(Reset::sync_high("s_rst")));
        let m_cd = ClockDomain::new("m", "m_clk", Some(Reset::sync_high("m_rst")));
        let (s, m) = (&io.s_axis, &io.m_axis);
        let ram = Mem::new("ram", s.packed_width(), self.depth);
        let pw = ram.addr_width() + 1;
        let frame_mode = self.options.frame_mode;

        // Registers read across the crossing are declared before either side's logic.
        let rd = m_cd.within(|| ReadPointer::declare(pw));
        let (commit_gray_seen, commit_req_seen) = m_cd.within(|| {
            if frame_mode {
                (
                    // Samples `commit_gray` only while the handshake holds it stable.
                    Some(reg("commit_gray_seen", UInt::ty(pw)).init(0).cdc_sync()),
                    Some(reg("commit_req_seen", UInt::ty(1)).init(0)),
                )
            } else {
                (None, None)
            }
        });

        // Write side: what crosses to `m` is `to_m`, a Gray pointer register.
        let (to_m, commit_req) = s_cd.within(|| {
            let rd_gray_sync = synchroniser("rd_ptr_gray", rd.gray);
            let w = build_frame_writer(
                s,
                self.options,
                &ram,
                |wr| gray_full(to_gray(wr), rd_gray_sync),
                None,
            );
            io.stat_drop_bad.set(w.drop_bad);
            io.stat_drop_full.set(w.drop_full);
            match commit_req_seen {
                None => {
                    let wr_gray = reg("wr_ptr_gray", UInt::ty(pw)).init(0);
                    wr_gray.set(to_gray(w.wr_next));
                    (wr_gray, None)
                }
                Some(seen) => {
                    let commit_gray = reg("commit_gray", UInt::ty(pw)).init(0);
                    let req = reg("commit_req", UInt::ty(1)).init(0);
                    let ack = synchroniser("commit_ack", seen);
                    let target = to_gray(w.commit_ptr).named("commit_gray_next");
                    // The last value sent was taken: send the newest one.
                    when(req.is_eq(ack) & commit_gray.is_ne(target), || {
                        commit_gray.set(target);
                        req.set(!req);
                    });
                    (commit_gray, Some(req))
                }
            }
        });

        // Read side.
        m_cd.within(|| {
            let wr_gray = match (commit_req, commit_gray_seen, commit_req_seen) {
                (Some(req), Some(seen), Some(req_seen)) => {
                    let req_sync = synchroniser("commit_req", req);
                    when(req_sync.is_ne(req_seen), || {
                        seen.set(to_m);
                        req_seen.set(req_sync);
                    });
                    seen
                }
                _ => synchroniser("wr_ptr_gray", to_m),
            };
            let r = GrayReader::build(&ram, rd, wr_gray, |valid| valid & m.tready);
            m.tvalid.set(r.valid);
            m.unpack(r.data);
        });
    }
}
