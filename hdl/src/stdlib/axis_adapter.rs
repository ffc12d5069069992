//! AXI-Stream width converter.

use super::axis::Axis;
use crate::prelude::*;

bundle! {
    /// Ports of an [`AxisAdapter`].
    pub struct AxisAdapterIo {
        /// Beats in, `in_bytes` wide.
        #[input]
        pub s_axis: Axis,
        /// Beats out, `out_bytes` wide.
        pub m_axis: Axis,
    }
}

/// Converts an AXI-Stream of `in_bytes` per beat into one of `out_bytes`
/// per beat: `axis_adapter_{in bits}_{out bits}` (with `_u{w}` when there is
/// a `tuser` of `w` bits). Both widths are powers of two; either may be the
/// larger one, and equal widths are a plain connection.
///
/// Frames, `tlast` and the bytes are kept; `tkeep` must be packed on the
/// input (contiguous from byte 0, full on every beat but the last) and is
/// packed on the output. An empty frame (one beat with `tkeep == 0`) stays
/// one empty beat.
///
/// - **Upsizing** (`in < out`): input beats fill the segments of one output
///   register, first byte in segment 0; the word is offered when its last
///   segment or the frame's last beat arrives. `tuser` of an output beat is
///   that of the last input beat in it, so the frame's final `tuser` ends up
///   on the last output beat. The input is taken in every cycle in which the
///   output register is empty or being emptied (`s_axis_tready =
///   !m_axis_tvalid | m_axis_tready`), so a continuous input never stalls
///   while the output is taken. Latency: one cycle after the input beat that
///   completes a word.
/// - **Downsizing** (`in > out`): an input beat is held in a register and
///   sent as sub-beats, one per cycle; sub-beats of a short last beat that
///   would carry no byte are skipped. Every sub-beat carries the input beat's
///   `tuser`. The next input beat is taken in the cycle the last sub-beat
///   leaves, so there is no bubble between input beats. Latency: one cycle.
///
/// `ready` towards the sender depends combinationally on `m_axis_tready`
/// (one gate), as in a register slice of the `m2s` kind.
#[derive(Clone, Debug)]
pub struct AxisAdapter {
    /// Input data bytes per beat (a power of two).
    pub in_bytes: u32,
    /// Output data bytes per beat (a power of two).
    pub out_bytes: u32,
    /// Width of `tuser` on both sides, if any.
    pub user_width: Option<u32>,
}

impl Component for AxisAdapter {
    type Io = AxisAdapterIo;

    fn name(&self) -> String {
        let user = self.user_width.map_or(String::new(), |w| format!("_u{w}"));
        format!("axis_adapter_{}_{}{user}", 8 * self.in_bytes, 8 * self.out_bytes)
    }

    fn io(&self) -> AxisAdapterIo {
        for (what, b) in [("in_bytes", self.in_bytes), ("out_bytes", self.out_bytes)] {
            assert!(
                b >= 1 && b.is_power_of_two(),
                "AxisAdapter {what} must be a power of two (got {b})"
            );
        }
        AxisAdapterIo {
            s_axis: Axis::ty(self.in_bytes, self.user_width),
            m_axis: Axis::ty(self.out_bytes, self.user_width),
        }
    }

    fn build(&self, io: &AxisAdapterIo) {
        if self.in_bytes < self.out_bytes {
            upsize(&io.s_axis, &io.m_axis);
        } else if self.in_bytes > self.out_bytes {
            downsize(&io.s_axis, &io.m_axis);
        } else {
            io.m_axis.connect_from(&io.s_axis);
        }
    }
}

/// Narrow `s` into wide `m`: segment registers filled in order.
fn upsize(s: &Axis, m: &Axis) {
    let (ib, ob) = (s.bytes(), m.bytes());
    let ratio = ob / ib;
    let seg = reg("seg", UInt::ty(crate::clog2(ratio))).init(0);
    let out_valid = reg("out_valid", Bool::ty()).init(false);
    let out_last = reg("out_last", Bool::ty());
    let out_user = s.tuser.map(|u| reg("out_user", Bits::ty(u.width())));
    let seg_data: Vec<Bits> = (0..ratio)
        .map(|j| reg(&format!("seg{j}_data"), Bits::ty(8 * ib)))
        .collect();
    let seg_keep: Vec<Bits> = (0..ratio)
        .map(|j| reg(&format!("seg{j}_keep"), Bits::ty(ib)))
        .collect();

    s.tready.set(!out_valid | m.tready);
    let take = s.fire().named("take");
    let give = m.fire().named("give");
    // The input beat completes an output word.
    let complete = (seg.is_eq(ratio - 1) | s.tlast).named("complete");

    when(give, || out_valid.set(false));
    when(take, || {
        for j in 0..ratio {
            when(seg.is_eq(j), || {
                seg_data[j as usize].set(s.tdata);
                seg_keep[j as usize].set(s.tkeep);
            });
        }
        // A new word starts: segments not filled by this frame stay empty.
        when(seg.is_eq(0), || {
            for k in &seg_keep[1..] {
                k.set(Bits::zeros(ib));
            }
        });
        when(complete, || {
            out_valid.set(true);
            out_last.set(s.tlast);
            if let (Some(r), Some(u)) = (out_user, s.tuser) {
                r.set(u);
            }
            seg.set(0);
        })
        .otherwise(|| seg.set(seg + 1));
    });

    let rev = |v: &[Bits]| v.iter().rev().copied().collect::<Vec<_>>();
    m.tvalid.set(out_valid);
    m.tdata.set(cat(&rev(&seg_data)));
    m.tkeep.set(cat(&rev(&seg_keep)));
    m.tlast.set(out_last);
    if let (Some(o), Some(r)) = (m.tuser, out_user) {
        o.set(r);
    }
}

/// Wide `s` into narrow `m`: one held input beat, sent segment by segment.
fn downsize(s: &Axis, m: &Axis) {
    let (ib, ob) = (s.bytes(), m.bytes());
    let ratio = ib / ob;
    let seg = reg("seg", UInt::ty(crate::clog2(ratio))).init(0);
    let buf_valid = reg("buf_valid", Bool::ty()).init(false);
    let buf_data = reg("buf_data", Bits::ty(8 * ib));
    let buf_keep = reg("buf_keep", Bits::ty(ib));
    let buf_last = reg("buf_last", Bool::ty());
    let buf_user = s.tuser.map(|u| reg("buf_user", Bits::ty(u.width())));

    // more[j]: a segment after segment j carries a byte. With a packed tkeep
    // that is the first byte of segment j + 1.
    let more_bits: Vec<Bool> = (0..ratio)
        .rev()
        .map(|j| {
            if j + 1 < ratio {
                buf_keep.bit((j + 1) * ob)
            } else {
                Bool::lit(false)
            }
        })
        .collect();
    let more = cat(&more_bits).named("more");
    let final_seg = (!more.bit_at(seg)).named("final_seg");
    let give = (buf_valid & m.tready).named("give");
    s.tready.set(!buf_valid | (m.tready & final_seg));
    let take = s.fire().named("take");

    when(give, || {
        when(final_seg, || {
            buf_valid.set(false);
            seg.set(0);
        })
        .otherwise(|| seg.set(seg + 1));
    });
    when(take, || {
        buf_valid.set(true);
        buf_data.set(s.tdata);
        buf_keep.set(s.tkeep);
        buf_last.set(s.tlast);
        if let (Some(r), Some(u)) = (buf_user, s.tuser) {
            r.set(u);
        }
    });

    m.tvalid.set(buf_valid);
    m.tdata.set(buf_data.slice_at(seg, 8 * ob));
    m.tkeep.set(buf_keep.slice_at(seg, ob));
    m.tlast.set(buf_last & final_seg);
    if let (Some(o), Some(r)) = (m.tuser, buf_user) {
        o.set(r);
    }
}
