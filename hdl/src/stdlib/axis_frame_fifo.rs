//! Store-and-forward AXI-Stream packet FIFO with commit/rollback, drops and
//! per-frame metadata.

use super::axis::Axis;
use super::axis_frame_writer::{build_frame_writer, FrameOptions};
use super::fifo::StreamFifo;
use crate::prelude::*;

bundle! {
    /// Ports of an [`AxisFrameFifo`].
    pub struct AxisFrameFifoIo {
        /// Frames in.
        #[input]
        pub s_axis: Axis,
        /// Frames out, in order.
        pub m_axis: Axis,
        /// Metadata of the frame whose last beat is on `s_axis` (sampled with
        /// that beat), when configured.
        #[input]
        pub s_meta: Option<Bits>,
        /// Metadata of the frame on `m_axis`, valid with every beat of it.
        pub m_meta: Option<Bits>,
        /// Beats held, the frame being written included: 0 ..= depth.
        pub occupancy: UInt,
        /// Beats free: depth - occupancy.
        pub free: UInt,
        /// Frames committed and not yet completely read.
        pub frames: UInt,
        /// One-cycle pulse: a frame with `tuser[0]` on its last beat was dropped.
        pub stat_drop_bad: Bool,
        /// One-cycle pulse: a frame that did not fit was dropped.
        pub stat_drop_full: Bool,
    }
}

/// Per-frame metadata stored next to the frames.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FrameMeta {
    /// Bits of `s_meta` / `m_meta`.
    pub width: u32,
    /// Frames whose metadata can be held (at least 2; at least 3 for
    /// one-beat frames at a frame per cycle, see [`StreamFifo`]). A frame is
    /// committed only when there is room for its metadata.
    pub depth: u32,
}

/// A packet FIFO of `depth` beats:
/// `axis_frame_fifo_{bits}_d{depth}[_u{w}][_m{w}x{d}][_frame][_dropbad][_dropfull]`.
///
/// Beats are stored as [`Axis::pack`] words (the keep mask as a byte count,
/// so `tkeep` must be packed) in one memory with a write port and a
/// prefetching synchronous read port, which synthesis maps to block RAM. The
/// output is first-word-fall-through and moves a beat every cycle; a beat
/// (non-frame mode) or a frame's last beat (frame mode) written in cycle `t`
/// is offered from cycle `t + 2`. See [`FrameOptions`] for frame mode and
/// the two drop options; the write side is [`build_frame_writer`].
///
/// **Metadata** ([`FrameMeta`]): `s_meta` is sampled with the last beat of a
/// frame and kept, in a [`StreamFifo`] beside the data, only when the frame
/// is committed. `m_meta` is the metadata of the frame on `m_axis`: it is
/// valid whenever `m_axis_tvalid` is, for every beat of the frame, and moves
/// on when the last beat is taken. There is no separate handshake to get
/// wrong: whoever reads a beat reads its frame's metadata beside it. With
/// metadata and without `drop_when_full`, a last beat waits (`s_axis_tready`
/// low) while the metadata store is full, so `s_axis_tready` then also
/// depends on `s_axis_tlast` and `s_axis_tuser`; otherwise it comes from
/// registers only.
///
/// **Never a corrupted neighbour**: a dropped frame is rolled back to the
/// end of the last committed frame before anything of it becomes readable,
/// so nothing of it is left behind; frames before and after it are not
/// touched. `depth` is a power of two, at least 2.
#[derive(Clone, Debug)]
pub struct AxisFrameFifo {
    /// Data bytes per beat.
    pub bytes: u32,
    /// Width of `tuser`, if any.
    pub user_width: Option<u32>,
    /// Capacity in beats (a power of two, at least 2).
    pub depth: u32,
    /// Frame handling.
    pub options: FrameOptions,
    /// Per-frame metadata (needs `frame_mode`).
    pub meta: Option<FrameMeta>,
}

impl AxisFrameFifo {
    /// Width of the `occupancy`, `free` and `frames` outputs.
    pub fn count_width(&self) -> u32 {
        crate::clog2(self.depth) + 1
    }
}

impl Component for AxisFrameFifo {
    type Io = AxisFrameFifoIo;

    fn name(&self) -> String {
        let user = self.user_width.map_or(String::new(), |w| format!("_u{w}"));
        let meta = self
            .meta
            .map_or(String::new(), |m| format!("_m{}x{}", m.width, m.depth));
        format!(
            "axis_frame_fifo_{}_d{}{user}{meta}{}",
            8 * self.bytes,
            self.depth,
            self.options.name_suffix()
        )
    }

    fn io(&self) -> AxisFrameFifoIo {
        assert!(
            self.depth >= 2 && self.depth.is_power_of_two(),
            "AxisFrameFifo depth must be a power of two >= 2 (got {})",
            self.depth
        );
        self.options.check(self.user_width.is_some());
        if let Some(m) = self.meta {
            assert!(self.options.frame_mode, "AxisFrameFifo metadata needs frame_mode");
            assert!(m.depth >= 2, "AxisFrameFifo metadata depth must be at least 2");
        }
        let cw = self.count_width();
        AxisFrameFifoIo {
            s_axis: Axis::ty(self.bytes, self.user_width),
            m_axis: Axis::ty(self.bytes, self.user_width),
            s_meta: self.meta.map(|m| Bits::ty(m.width)),
            m_meta: self.meta.map(|m| Bits::ty(m.width)),
            occupancy: UInt::ty(cw),
            free: UInt::ty(cw),
            frames: UInt::ty(cw),
            stat_drop_bad: Bool::ty(),
            stat_drop_full: Bool::ty(),
        }
    }

    fn build(&self, io: &AxisFrameFifoIo) {
        let (s, m) = (&io.s_axis, &io.m_axis);
        let ram = Mem::new("ram", s.packed_width(), self.depth);
        let aw = ram.addr_width();
        let cw = aw + 1;
        let rd_ptr = reg("rd_ptr", UInt::ty(cw)).init(0);
        let meta_fifo = self.meta.map(|meta| {
            instance(
                "u_meta_fifo",
                &StreamFifo {
                    width: meta.width,
                    depth: meta.depth,
                },
            )
        });

        // Pointers are one bit wider than the address: wr - rd is 0 ..= depth.
        let w = build_frame_writer(
            s,
            self.options,
            &ram,
            |wr| (wr - rd_ptr).bit(aw),
            meta_fifo.as_ref().map(|f| f.io.s.ready),
        );

        // Read side: prefetch the word at the next read address.
        let out_valid = reg("out_valid", Bool::ty()).init(false);
        let valid = match &meta_fifo {
            Some(f) => out_valid & f.io.m.valid,
            None => out_valid,
        };
        m.tvalid.set(valid);
        let pop = m.fire().named("pop");
        let rd_next = pop.mux(rd_ptr + 1, rd_ptr).named("rd_ptr_next");
        rd_ptr.set(rd_next);
        out_valid.set(rd_next.is_ne(w.commit_ptr));
        m.unpack(ram.read_sync(rd_next.lsbs(aw), Bool::lit(true)));
        let frame_out = (pop & m.tlast).named("frame_out");

        if let (Some(f), Some(sm), Some(mm)) = (&meta_fifo, io.s_meta, io.m_meta) {
            f.io.s.valid.set(w.commit);
            f.io.s.payload.set(sm);
            f.io.m.ready.set(frame_out);
            mm.set(f.io.m.payload);
        }

        let frames = reg("frame_count", UInt::ty(cw)).init(0);
        frames.set(frames + w.commit.as_uint().zext(cw) - frame_out.as_uint().zext(cw));
        let occupancy = (w.wr_ptr - rd_ptr).named("used");
        io.occupancy.set(occupancy);
        io.free.set(UInt::lit(u128::from(self.depth), cw) - occupancy);
        io.frames.set(frames);
        io.stat_drop_bad.set(w.drop_bad);
        io.stat_drop_full.set(w.drop_full);
    }
}
