//! Puts a fixed-length header in front of every frame of an AXI-Stream: a
//! constant-shift realigner.
//!
//! With `header_bytes = q * bytes + r` (`0 < r < bytes`), each frame leaves as
//! `q` beats of pure header, then beats made of `r` bytes carried over (the
//! header's tail first, then the top `r` bytes of the previous payload beat)
//! and the low `bytes - r` bytes of the current payload beat. When the last
//! payload beat has more than `bytes - r` bytes, one more beat carries the
//! rest. The header is read from `s_hdr` (frame order, byte 0 in the low
//! bits), which must be valid and stable while the frame's first beat waits on
//! `s_axis` (the metadata of a frame FIFO is). An empty payload (one beat,
//! `tkeep == 0`) gives a frame of the header alone. `tuser` of the last
//! payload beat goes out on the last beat.
//!
//! The output is a register stage; frames follow each other with no idle
//! cycle, and every output beat but a frame's last is full, so the output
//! runs at the full width.

use hdl::prelude::*;
use hdl::stdlib::axis::Axis;

bundle! {
    /// Ports of [`HeaderInsert`].
    pub struct HeaderInsertIo {
        /// Payload frames.
        #[input]
        pub s_axis: Axis,
        /// The header of the frame on `s_axis`.
        #[input]
        pub s_hdr: Bits,
        /// Header + payload.
        pub m_axis: Axis,
    }
}

/// The realigner: `header_insert_h{header_bytes}_{bits}`.
#[derive(Clone, Debug)]
pub struct HeaderInsert {
    /// Data bytes per beat.
    pub bytes: u32,
    /// Header length in bytes (not a multiple of `bytes`).
    pub header_bytes: u32,
    /// Width of `tuser`.
    pub user_width: u32,
}

/// Bytes `lo..hi` of a frame-ordered byte vector.
#[track_caller]
fn bytes_of(v: Bits, lo: u32, hi: u32) -> Bits {
    v.range(8 * hi - 1, 8 * lo)
}

impl Component for HeaderInsert {
    type Io = HeaderInsertIo;

    fn name(&self) -> String {
        format!("header_insert_h{}_{}", self.header_bytes, 8 * self.bytes)
    }

    fn io(&self) -> HeaderInsertIo {
        HeaderInsertIo {
            s_axis: Axis::ty(self.bytes, Some(self.user_width)),
            s_hdr: Bits::ty(8 * self.header_bytes),
            m_axis: Axis::ty(self.bytes, Some(self.user_width)),
        }
    }

    fn build(&self, io: &HeaderInsertIo) {
        let w = self.bytes;
        let q = self.header_bytes / w;
        let r = self.header_bytes % w;
        assert!(r != 0, "a header of whole beats needs no realigner");
        let (s, m) = (&io.s_axis, &io.m_axis);
        let s_user = *s.tuser.as_ref().expect("tuser");
        let uw = self.user_width;

        let hw = hdl::clog2(q + 1).max(1);
        let hbeat = reg("hdr_beat", UInt::ty(hw)).init(0);
        let in_header = if q == 0 {
            Bool::lit(false)
        } else {
            hbeat.is_lt(q).named("in_header")
        };
        let first_body = reg("first_body", Bool::ty()).init(true);
        let carry = reg("carry", Bits::ty(8 * r));
        let tail_pending = reg("tail_pending", Bool::ty()).init(false);
        let tail_keep = reg("tail_keep", Bits::ty(r));
        let tail_user = reg("tail_user", Bits::ty(uw));

        let out_valid = reg("out_valid", Bool::ty()).init(false);
        let out_data = reg("out_tdata", Bits::ty(8 * w));
        let out_keep = reg("out_tkeep", Bits::ty(w));
        let out_last = reg("out_tlast", Bool::ty());
        let out_user = reg("out_tuser", Bits::ty(uw));
        let out_free = (!out_valid | m.tready).named("out_free");

        let hdr_tail = bytes_of(io.s_hdr, q * w, self.header_bytes);
        let carried = first_body.mux(hdr_tail, carry).named("carried");
        let body_data = cat(&[bytes_of(s.tdata, 0, w - r), carried]);
        let body_keep = cat(&[s.tkeep.range(w - r - 1, 0), Bits::ones(r)]);
        let spills = s.tkeep.bit(w - r).named("spills");
        let header_beats: Vec<Bits> = (0..q).map(|k| bytes_of(io.s_hdr, k * w, (k + 1) * w)).collect();

        let emit_tail = (out_free & tail_pending).named("emit_tail");
        let emit_header = (out_free & !tail_pending & in_header & s.tvalid).named("emit_header");
        let emit_body = (out_free & !tail_pending & !in_header & s.tvalid).named("emit_body");
        s.tready.set(out_free & !tail_pending & !in_header);

        when(out_free, || out_valid.set(false));
        let restart = || {
            hbeat.set(0);
            first_body.set(true);
        };
        when(emit_tail, || {
            out_valid.set(true);
            out_data.set(carry.zext(8 * w));
            out_keep.set(tail_keep.zext(w));
            out_last.set(true);
            out_user.set(tail_user);
            tail_pending.set(false);
            restart();
        });
        if q > 0 {
            let hdr_beat = if q == 1 {
                header_beats[0]
            } else {
                select(hbeat, &header_beats)
            };
            when(emit_header, || {
                out_valid.set(true);
                out_data.set(hdr_beat);
                out_keep.set(Bits::ones(w));
                out_last.set(false);
                out_user.set(Bits::zeros(uw));
                hbeat.set(hbeat + 1);
            });
        }
        when(emit_body, || {
            out_valid.set(true);
            out_data.set(body_data);
            out_keep.set(body_keep);
            out_last.set(s.tlast & !spills);
            out_user.set((s.tlast & !spills).mux(s_user, Bits::zeros(uw)));
            first_body.set(false);
            carry.set(bytes_of(s.tdata, w - r, w));
            when(s.tlast, || {
                when(spills, || {
                    tail_pending.set(true);
                    tail_keep.set(s.tkeep.range(w - 1, w - r));
                    tail_user.set(s_user);
                })
                .otherwise(restart);
            });
        });

        m.tvalid.set(out_valid);
        m.tdata.set(out_data);
        m.tkeep.set(out_keep);
        m.tlast.set(out_last);
        m.tuser.as_ref().expect("tuser").set(out_user);
    }
}
