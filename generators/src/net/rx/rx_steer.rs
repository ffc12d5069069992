//! `rx_steer`: takes stored frames with their metadata out of the receive
//! buffer and hands each to its consumer.
//!
//! - **RPC** datagrams leave on `m_axis_rpc` with the 42 header bytes
//!   stripped (a constant-shift realigner: 42 = `B * W + S` with `S > 0` at
//!   every width) and trimmed to the UDP length; an empty payload is one
//!   beat with `tkeep == 0`. Their [`RpcMeta`] leaves on `m_rpc_meta`, read
//!   from the stored header (the buffer's metadata carries only the decision).
//! - **Echo requests** leave whole on `m_axis_icmp`.
//! - **Host** frames leave whole on `m_axis_bypass`, their [`BypassClass`]
//!   code on `m_bypass_class`.
//!
//! **Metadata and payload.** `m_rpc_meta` (and `m_bypass_class`) are streams
//! of their own, one item per frame, in frame order. Item `k` is offered no
//! later than the first beat of frame `k` and is held until taken; item
//! `k + 1` and the first beat of frame `k + 1` wait until item `k` has been
//! taken. A consumer may take the item before, with, or after the payload:
//! no path runs from one stream's `ready` to the other's `valid` within a
//! cycle, so neither order deadlocks.
//!
//! Every output is a register (a forward register slice per stream), so each
//! moves a beat every cycle while it is ready. The realigner needs one extra
//! output beat at the end of a datagram whose last input beat holds more
//! than `S` payload bytes; it comes from a separate flush register, so the
//! next frame's header beats are read meanwhile.
//!
//! [`BypassClass`]: crate::net::meta::BypassClass

use super::rx_verdict::{Dest, RxFrameMeta};
use crate::net::field::be_field;
use crate::net::meta::{RpcMeta, BYPASS_CLASS_BITS};
use crate::net::window::{
    capture, first_payload_bytes, window_beats, ETH_SRC, IP_DST, IP_SRC, UDP_DST_PORT, UDP_LEN, UDP_SRC_PORT,
    WINDOW_BYTES,
};
use hdl::prelude::*;
use hdl::stdlib::axis::{count_to_keep, Axis};
use hdl::stdlib::stream::Stream;

bundle! {
    /// Ports of [`RxSteer`].
    pub struct RxSteerIo {
        /// Frames from the buffer.
        #[input]
        pub s_axis: Axis,
        /// The packed [`RxFrameMeta`] of the frame on `s_axis`, valid with
        /// every beat of it.
        #[input]
        pub s_meta: Bits,
        /// UDP payloads of RPC datagrams.
        pub m_axis_rpc: Axis,
        /// Their metadata.
        pub m_rpc_meta: Stream<RpcMeta>,
        /// ICMP echo requests, whole frames.
        pub m_axis_icmp: Axis,
        /// Frames for the host, whole.
        pub m_axis_bypass: Axis,
        /// Their [`crate::net::meta::BypassClass`] codes.
        pub m_bypass_class: Stream<Bits>,
        /// Pulse: an RPC datagram started on its way out.
        pub stat_rx_rpc: Bool,
        /// Pulse: an echo request started on its way out.
        pub stat_rx_icmp: Bool,
        /// Pulse: a host frame started on its way out.
        pub stat_rx_bypass: Bool,
    }
}

/// The steering stage for a `bytes`-wide datapath: `rx_steer_{8 * bytes}`.
#[derive(Clone, Debug)]
pub struct RxSteer {
    /// Bytes per beat: 8, 16, 32 or 64.
    pub bytes: u32,
    /// Entries of the UDP listen table (for the index width).
    pub listen_entries: u32,
}

impl RxSteer {
    fn index_width(&self) -> u32 {
        hdl::clog2(self.listen_entries).max(1)
    }
}

/// A forward register slice feeding an AXI-Stream output: `load` puts a
/// beat in when `free`.
struct OutReg {
    free: Bool,
    load: Bool,
    data: Bits,
    keep: Bits,
    last: Bool,
}

#[track_caller]
fn out_reg(name: &str, m: &Axis) -> OutReg {
    let w = m.bytes();
    let valid = reg(&format!("{name}_valid"), Bool::ty()).init(false);
    let data = reg(&format!("{name}_data"), Bits::ty(8 * w));
    let keep = reg(&format!("{name}_keep"), Bits::ty(w));
    let last = reg(&format!("{name}_last"), Bool::ty());
    let free = (!valid | m.tready).named(&format!("{name}_free"));
    let load = wire(&format!("{name}_load"), Bool::ty());
    let next_data = wire(&format!("{name}_next_data"), Bits::ty(8 * w));
    let next_keep = wire(&format!("{name}_next_keep"), Bits::ty(w));
    let next_last = wire(&format!("{name}_next_last"), Bool::ty());
    when(load, || {
        valid.set(true);
        data.set(next_data);
        keep.set(next_keep);
        last.set(next_last);
    })
    .elsewhen(m.tready, || valid.set(false));
    m.tvalid.set(valid);
    m.tdata.set(data);
    m.tkeep.set(keep);
    m.tlast.set(last);
    OutReg {
        free,
        load,
        data: next_data,
        keep: next_keep,
        last: next_last,
    }
}

impl Component for RxSteer {
    type Io = RxSteerIo;

    fn name(&self) -> String {
        format!("rx_steer_{}", 8 * self.bytes)
    }

    fn io(&self) -> RxSteerIo {
        assert!(
            [8, 16, 32, 64].contains(&self.bytes),
            "rx_steer: {} bytes per beat (8, 16, 32 or 64)",
            self.bytes
        );
        let w = self.bytes;
        RxSteerIo {
            s_axis: Axis::ty(w, None),
            s_meta: Bits::ty(RxFrameMeta::width(self.index_width())),
            m_axis_rpc: Axis::ty(w, None),
            m_rpc_meta: Stream::ty(RpcMeta::ty(self.listen_entries)),
            m_axis_icmp: Axis::ty(w, None),
            m_axis_bypass: Axis::ty(w, None),
            m_bypass_class: Stream::ty(Bits::ty(BYPASS_CLASS_BITS)),
            stat_rx_rpc: Bool::ty(),
            stat_rx_icmp: Bool::ty(),
            stat_rx_bypass: Bool::ty(),
        }
    }

    fn build(&self, io: &RxSteerIo) {
        let w = self.bytes;
        let skip = WINDOW_BYTES / w; // B: whole beats before the payload
        let s = WINDOW_BYTES % w; // S: header bytes in the first payload beat
        let tail = first_payload_bytes(w); // payload bytes in the first payload beat
        let iw = self.index_width();
        let inp = &io.s_axis;
        let meta = RxFrameMeta::unpack(io.s_meta, iw);
        let is = |d: Dest| meta.dest.is_eq(d as u32);

        // Beat index within the frame, saturating above the first payload beat.
        let bw = hdl::clog2(window_beats(w).max(skip + 1) + 1).max(1);
        let beat = reg("beat", UInt::ty(bw)).init(0);
        let take = wire("take", Bool::ty());
        let first = beat.is_eq(0u32).named("first");
        when(take, || {
            when(inp.tlast, || beat.set(0)).elsewhen(beat.is_lt((1u32 << bw) - 1), || beat.set(beat + 1));
        });
        let win = capture("hdr", inp.tdata, take, beat).now;

        let rpc = out_reg("rpc", &io.m_axis_rpc);
        let icmp = out_reg("icmp", &io.m_axis_icmp);
        let byp = out_reg("bypass", &io.m_axis_bypass);

        // Side streams: a register each, loaded at the frame's start.
        let meta_valid = reg("rpc_meta_valid", Bool::ty()).init(false);
        let meta_reg = reg("rpc_meta", RpcMeta::ty(self.listen_entries));
        let meta_free = (!meta_valid | io.m_rpc_meta.ready).named("rpc_meta_free");
        let class_valid = reg("class_valid", Bool::ty()).init(false);
        let class_reg = reg("class", Bits::ty(BYPASS_CLASS_BITS));
        let class_free = (!class_valid | io.m_bypass_class.ready).named("class_free");

        // The realigner's state.
        let carry = reg("carry", Bits::ty(8 * tail));
        let rem = reg("rem", UInt::ty(16)).init(0);
        let body = reg("body", Bool::ty()).init(false);
        let drain = reg("drain", Bool::ty()).init(false);
        let flush_valid = reg("flush_valid", Bool::ty()).init(false);
        let flush_data = reg("flush_data", Bits::ty(8 * tail));
        let flush_keep = reg("flush_keep", Bits::ty(tail));

        let cur_hi = inp.tdata.range(8 * w - 1, 8 * s).named("cur_hi");
        let cur_lo = inp.tdata.range(8 * s - 1, 0).named("cur_lo");
        let udp_len = be_field(win, UDP_LEN, 2);
        let payload_len = (udp_len - 8u32).named("payload_len");
        let at_start = (!body & !drain & beat.is_eq(u128::from(skip))).named("at_start");
        // Whether the payload fits this beat comes with the frame's metadata
        // (`rx_parse` compared the UDP length), so that `tready` does not
        // wait for a compare on the header bytes.
        let direct = (at_start & meta.fits_first_beat).named("direct");
        // Two compares on `rem`, kept as registers beside it (computed from
        // what `rem` is loaded with), so that they are not in front of the
        // take logic: the datagram ends in this beat, and what is left after
        // it fits the flush register.
        let full = reg("ends_here", Bool::ty()).init(true);
        let fits_flush = reg("fits_flush", Bool::ty()).init(true);
        let rest = (rem - w).named("rem_after");
        let conflict = (body & !full & fits_flush).named("conflict");
        let emit = (is(Dest::Rpc) & (direct | body)).named("rpc_emit");

        let can_rpc = (!emit | (rpc.free & !flush_valid)) & (!(is(Dest::Rpc) & at_start) | meta_free);
        let can_icmp = !is(Dest::Icmp) | icmp.free;
        let can_byp = !is(Dest::Bypass) | (byp.free & (!first | class_free));
        take.set((inp.tvalid & can_rpc & can_icmp & can_byp).named("can_take"));
        inp.tready.set(can_rpc & can_icmp & can_byp);
        let start = (take & first).named("frame_start");

        // RPC.
        let rpc_take = (take & is(Dest::Rpc)).named("rpc_take");
        when(rpc_take, || {
            when(at_start, || {
                when(direct, || drain.set(true)).otherwise(|| {
                    carry.set(cur_hi);
                    rem.set(payload_len);
                    full.set(udp_len.is_le(u128::from(w + 8)));
                    fits_flush.set(udp_len.is_le(u128::from(tail + w + 8)));
                    body.set(true);
                });
            })
            .elsewhen(body, || {
                carry.set(cur_hi);
                rem.set(rest);
                full.set(rem.is_le(u128::from(2 * w)));
                fits_flush.set(rem.is_le(u128::from(tail + 2 * w)));
                when(full | inp.tlast, || {
                    body.set(false);
                    drain.set(true);
                })
                .elsewhen(conflict, || {
                    body.set(false);
                    drain.set(true);
                });
            });
            when(inp.tlast, || {
                body.set(false);
                drain.set(false);
            });
        });
        // Two output beats from one input beat: the second waits in the
        // flush register, which goes out before anything else on `rpc`.
        let to_flush = (rpc_take & conflict).named("to_flush");
        let flush_out = (flush_valid & rpc.free).named("flush_out");
        when(to_flush, || {
            flush_valid.set(true);
            flush_data.set(cur_hi);
            flush_keep.set(count_to_keep(rest, tail));
        })
        .elsewhen(flush_out, || flush_valid.set(false));

        let body_keep = full.mux(count_to_keep(rem, w), Bits::ones(w));
        let body_last = full | (inp.tlast & !conflict);
        // `count_to_keep(payload_len)` compared on `udp_len` (bit i: more
        // than i + 8), again without the subtraction.
        let direct_keep: Vec<Bool> = (0..tail)
            .rev()
            .map(|i| udp_len.is_gt(u128::from(i + 8)))
            .collect();
        let direct_keep = cat(&direct_keep).zext(w);
        rpc.load.set(flush_out | (rpc_take & emit));
        when(flush_out, || {
            rpc.data.set(flush_data.zext(8 * w));
            rpc.keep.set(flush_keep.zext(w));
            rpc.last.set(true);
        })
        // At the first payload beat only a `direct` datagram emits; choosing
        // on `at_start` keeps the length compare out of the data's path.
        .elsewhen(at_start, || {
            rpc.data.set(cur_hi.zext(8 * w));
            rpc.keep.set(direct_keep);
            rpc.last.set(true);
        })
        .otherwise(|| {
            rpc.data.set(cat!(cur_lo, carry));
            rpc.keep.set(body_keep);
            rpc.last.set(body_last);
        });

        when(rpc_take & at_start, || {
            meta_valid.set(true);
            meta_reg.src_mac.set(be_field(win, ETH_SRC, 6).as_bits());
            meta_reg.src_ip.set(be_field(win, IP_SRC, 4).as_bits());
            meta_reg.dst_ip.set(be_field(win, IP_DST, 4).as_bits());
            meta_reg.src_port.set(be_field(win, UDP_SRC_PORT, 2).as_bits());
            meta_reg.dst_port.set(be_field(win, UDP_DST_PORT, 2).as_bits());
            meta_reg.length.set(payload_len);
            meta_reg.reply.set(meta.reply);
            meta_reg.listen_index.set(meta.listen_index);
        })
        .elsewhen(io.m_rpc_meta.ready, || meta_valid.set(false));
        io.m_rpc_meta.valid.set(meta_valid);
        hdl::stdlib::stream::drive_leaves(&io.m_rpc_meta.payload, &meta_reg);

        // ICMP and bypass: whole frames.
        for (out, d) in [(&icmp, Dest::Icmp), (&byp, Dest::Bypass)] {
            out.load.set(take & is(d));
            out.data.set(inp.tdata);
            out.keep.set(inp.tkeep);
            out.last.set(inp.tlast);
        }
        when(start & is(Dest::Bypass), || {
            class_valid.set(true);
            class_reg.set(meta.class);
        })
        .elsewhen(io.m_bypass_class.ready, || class_valid.set(false));
        io.m_bypass_class.valid.set(class_valid);
        io.m_bypass_class.payload.set(class_reg);

        for (port, d, name) in [
            (io.stat_rx_rpc, Dest::Rpc, "stat_rpc"),
            (io.stat_rx_icmp, Dest::Icmp, "stat_icmp"),
            (io.stat_rx_bypass, Dest::Bypass, "stat_bypass"),
        ] {
            let r = reg(name, Bool::ty()).init(false);
            r.set(start & is(d));
            port.set(r);
        }
    }
}
