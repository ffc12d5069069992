//! The ICMP echo responder: rewrites an echo request frame into its reply in
//! place, beat by beat (RFC 792).
//!
//! The reply has the same length and payload as the request. Changed: the
//! Ethernet and IPv4 addresses are swapped, the TTL is 64, the IPv4 header
//! checksum is computed anew, the ICMP type becomes 0 (echo reply) and the
//! ICMP checksum is updated incrementally (RFC 1624, eqn. 3:
//! `HC' = ~(~HC + ~m + m')`, `m` the word holding type and code).
//!
//! Requests come checked by the receive path (our addresses, IHL 5, good
//! checksums, type 8 code 0). The first 38 bytes (up to the ICMP checksum)
//! decide the rewritten header, and they span `ceil(38 / bytes)` beats, so the
//! frame goes through a small FIFO while its head is captured: the header
//! beats leave once the rewritten header is ready, the rest streams on. A
//! frame that ends before byte 38 cannot be answered: it is dropped whole and
//! counted (`stat_icmp_short`). Capture, checksum and output are separate
//! stages, and the header is captured into one of two slots in turn, so the
//! next frame is captured while the previous one still leaves (one minimum
//! frame per cycle at 64 bytes).
//! `tuser` passes through unchanged.

use crate::net::csum::{fold16, wide_sum};
use crate::net::field::{be_field, byte, header_bytes};
use hdl::prelude::*;
use hdl::stdlib::axis::Axis;
use hdl::stdlib::fifo::StreamFifo;

/// Bytes of the request that the reply's header depends on.
pub const ECHO_HEADER_BYTES: u32 = 38;

bundle! {
    /// Ports of [`IcmpEcho`].
    pub struct IcmpEchoIo {
        /// Echo requests, whole frames.
        #[input]
        pub s_axis: Axis,
        /// Echo replies.
        pub m_axis: Axis,
        /// A reply started.
        pub stat_icmp_reply: Bool,
        /// A request shorter than its headers was dropped.
        pub stat_icmp_short: Bool,
    }
}

/// The echo responder: `icmp_echo_{bits}`.
#[derive(Clone, Debug)]
pub struct IcmpEcho {
    /// Data bytes per beat (8, 16, 32 or 64).
    pub bytes: u32,
}

impl IcmpEcho {
    /// Beats that hold the first 38 bytes.
    pub fn header_beats(&self) -> u32 {
        ECHO_HEADER_BYTES.div_ceil(self.bytes)
    }
}

/// The reply's first 38 bytes from the request's (`TTL 64`, checksums given).
#[track_caller]
fn reply_header(req: Bits, ip_csum: Bits, icmp_csum: Bits) -> Bits {
    let b = |i: u32| byte(req, i);
    let range = |from: u32, to: u32| (from..to).map(b).collect::<Vec<_>>();
    let mut out = Vec::new();
    out.extend(range(6, 12)); // destination: the requester
    out.extend(range(0, 6)); // source: us
    out.extend(range(12, 22)); // ethertype, version .. fragment
    out.push(Bits::lit(64, 8)); // TTL
    out.push(b(23)); // protocol
    out.extend([ip_csum.range(15, 8), ip_csum.range(7, 0)]);
    out.extend(range(30, 34)); // source: us
    out.extend(range(26, 30)); // destination: the requester
    out.push(Bits::lit(0, 8)); // type 0: echo reply
    out.push(b(35)); // code
    out.extend([icmp_csum.range(15, 8), icmp_csum.range(7, 0)]);
    header_bytes(&out)
}

impl Component for IcmpEcho {
    type Io = IcmpEchoIo;

    fn name(&self) -> String {
        format!("icmp_echo_{}", 8 * self.bytes)
    }

    fn io(&self) -> IcmpEchoIo {
        IcmpEchoIo {
            s_axis: Axis::ty(self.bytes, Some(1)),
            m_axis: Axis::ty(self.bytes, Some(1)),
            stat_icmp_reply: Bool::ty(),
            stat_icmp_short: Bool::ty(),
        }
    }

    fn build(&self, io: &IcmpEchoIo) {
        let w = self.bytes;
        let h = self.header_beats();
        let hw = hdl::clog2(h + 1).max(1);
        let hb = ECHO_HEADER_BYTES;
        let (s, m) = (&io.s_axis, &io.m_axis);
        let s_user = *s.tuser.as_ref().expect("tuser");

        // Every beat goes through the FIFO as {tuser, tlast, tkeep, tdata}.
        let fw = 9 * w + 2;
        let fifo = instance(
            "u_fifo",
            &StreamFifo {
                width: fw,
                depth: h + 8,
            },
        );

        // Capture (stage A): the first `h` beats of each frame, into one of
        // two slots in turn, so that the next frame is captured while the
        // last one's header moves on (one minimum frame a cycle).
        let in_beat = reg("in_beat", UInt::ty(hw)).init(0);
        let capturing = in_beat.is_lt(h).named("capturing");
        let wr = reg("cap_wr", Bool::ty()).init(false);
        let rd = reg("cap_rd", Bool::ty()).init(false);
        let slots: Vec<(Bool, Bool, Bits)> = (0..2)
            .map(|i| {
                (
                    reg(&format!("cap{i}_full"), Bool::ty()).init(false),
                    reg(&format!("cap{i}_short"), Bool::ty()),
                    reg(&format!("cap{i}"), Bits::ty(8 * hb)),
                )
            })
            .collect();
        let wr_full = wr.mux(slots[1].0, slots[0].0).named("cap_wr_full");
        let hold = (capturing & wr_full).named("in_hold");
        s.tready.set(fifo.io.s.ready & !hold);
        fifo.io.s.valid.set(s.tvalid & !hold);
        fifo.io.s.payload.set(cat!(s_user, s.tlast, s.tkeep, s.tdata));
        let in_fire = (s.tvalid & fifo.io.s.ready & !hold).named("in_fire");
        when(in_fire, || {
            when(s.tlast, || in_beat.set(0)).elsewhen(capturing, || in_beat.set(in_beat + 1));
        });

        // Sums (stage B), from the slot `rd`.
        let b_valid = reg("b_valid", Bool::ty()).init(false);
        let b_short = reg("b_short", Bool::ty());
        let b_hdr = reg("b_hdr", Bits::ty(8 * hb));
        let b_ip_sum = reg("b_ip_sum", UInt::ty(20));
        let b_icmp_sum = reg("b_icmp_sum", UInt::ty(18));
        let c_valid = reg("c_valid", Bool::ty()).init(false);
        let c_release = wire("c_release", Bool::ty());
        let c_free = (!c_valid | c_release).named("c_free");
        let b_to_c = (b_valid & c_free).named("b_to_c");
        let b_free = (!b_valid | b_to_c).named("b_free");
        let rd_full = rd.mux(slots[1].0, slots[0].0).named("cap_rd_full");
        let a_to_b = (rd_full & b_free).named("a_to_b");
        when(a_to_b, || rd.set(!rd));

        // Each slot: written beat by beat while it is `wr`, emptied when it
        // is `rd` and moves on. The two never meet in one slot: a capture
        // needs its slot empty, a move needs it full.
        for (i, (full, short, cap)) in slots.iter().enumerate() {
            let is_wr = if i == 0 { !wr } else { wr };
            let is_rd = if i == 0 { !rd } else { rd };
            let mut cap_bytes: Vec<Bits> = (0..hb).map(|g| byte(*cap, g)).collect();
            for k in 0..h {
                let this = (in_fire & is_wr & in_beat.is_eq(k)).named(&format!("cap{i}_beat{k}"));
                for j in 0..w {
                    let g = k * w + j;
                    if g < hb {
                        cap_bytes[g as usize] = this.mux(byte(s.tdata, j), cap_bytes[g as usize]);
                    }
                }
                // Byte 37 must be in the frame; it is in beat `h - 1`.
                let enough = if k == h - 1 {
                    s.tkeep.bit(hb - 1 - k * w)
                } else {
                    Bool::lit(false)
                };
                let ends = if k == h - 1 { Bool::lit(true) } else { s.tlast };
                when(this & ends, || {
                    full.set(true);
                    short.set(s.tlast & !enough);
                    wr.set(!wr);
                });
            }
            cap.set(header_bytes(&cap_bytes));
            when(a_to_b & is_rd, || full.set(false));
        }

        let cap = rd.mux(slots[1].2, slots[0].2).named("cap_rd_hdr");
        let cap_short = rd.mux(slots[1].1, slots[0].1);
        let ttl_proto = cat(&[Bits::lit(64, 8), byte(cap, 23)]).as_uint();
        let ip_words: Vec<UInt> = [14, 16, 18, 20, 26, 28, 30, 32]
            .iter()
            .map(|&o| be_field(cap, o, 2))
            .chain([ttl_proto])
            .collect();
        let hc = be_field(cap, 36, 2);
        let type_code = be_field(cap, 34, 2);
        let new_type_code = cat(&[Bits::zeros(8), byte(cap, 35)]).as_uint();
        let icmp_sum = (!hc).resize(18) + (!type_code).resize(18) + new_type_code.resize(18);
        when(a_to_b, || {
            b_valid.set(true);
            b_short.set(cap_short);
            b_hdr.set(cap);
            b_ip_sum.set(wide_sum(&ip_words).resize(20));
            b_icmp_sum.set(icmp_sum);
        })
        .elsewhen(b_to_c, || b_valid.set(false));

        // Rewritten header (stage C), held while its beats leave.
        let c_short = reg("c_short", Bool::ty());
        let c_hdr = reg("c_hdr", Bits::ty(8 * hb));
        let ip_csum = (!fold16(b_ip_sum)).as_bits();
        let icmp_csum = (!fold16(b_icmp_sum)).as_bits();
        when(b_to_c, || {
            c_valid.set(true);
            c_short.set(b_short);
            c_hdr.set(reply_header(b_hdr, ip_csum, icmp_csum));
        })
        .elsewhen(c_release, || c_valid.set(false));

        // Output: header beats from stage C, the rest from the FIFO.
        let head = &fifo.io.m;
        let h_data = head.payload.range(8 * w - 1, 0);
        let h_keep = head.payload.range(9 * w - 1, 8 * w);
        let h_last = head.payload.bit(9 * w);
        let h_user = head.payload.range(9 * w + 1, 9 * w + 1);
        let out_beat = reg("out_beat", UInt::ty(hw)).init(0);
        let in_hdr = out_beat.is_lt(h).named("out_in_header");
        let gate = (!in_hdr | c_valid).named("out_gate");
        let dropping = (in_hdr & c_valid & c_short).named("dropping");
        m.tvalid.set(head.valid & gate & !dropping);
        head.ready.set((m.tready & gate & !dropping) | dropping);
        let out_fire = (head.valid & head.ready).named("out_fire");
        when(out_fire, || {
            when(h_last, || out_beat.set(0)).elsewhen(in_hdr, || out_beat.set(out_beat + 1));
        });
        c_release.set(out_fire & in_hdr & (out_beat.is_eq(h - 1) | h_last));
        io.stat_icmp_short.set(out_fire & dropping & h_last);
        io.stat_icmp_reply.set(m.fire() & out_beat.is_eq(0));

        let merged: Vec<Bits> = (0..h)
            .map(|k| {
                let bytes: Vec<Bits> = (0..w)
                    .map(|j| {
                        let g = k * w + j;
                        if g < hb {
                            byte(c_hdr, g)
                        } else {
                            byte(h_data, j)
                        }
                    })
                    .collect();
                header_bytes(&bytes)
            })
            .collect();
        let hdr_beat = if h == 1 {
            merged[0]
        } else {
            select(out_beat, &merged)
        };
        m.tdata.set(in_hdr.mux(hdr_beat, h_data));
        m.tkeep.set(h_keep);
        m.tlast.set(h_last);
        m.tuser.as_ref().expect("tuser").set(h_user);
    }
}
