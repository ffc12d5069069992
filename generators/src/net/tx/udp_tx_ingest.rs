//! The input side of the UDP transmitter: pairs each payload with its routed
//! metadata, measures it (length, one's-complement sum) while it streams on
//! towards the frame FIFO, and computes every header field that depends on
//! it, so that the metadata committed with the frame's last beat is complete.
//!
//! Four register stages, moving together (`advance`): P1 sums each beat's
//! 16-bit words, P2 accumulates length and sum, P3 decides (drop?) and adds
//! the header words, P4 folds the checksums. A frame leaves P4 with
//! `tuser[0]` set on its last beat when it is to be dropped (the FIFO rolls
//! it back), for exactly one reason, in this order: the sender aborted it
//! (`tuser[0]` on its last beat), its payload exceeds `cfg_mtu - 28` bytes
//! (or `max_payload`, what the buffer behind holds),
//! or the next hop is not in the neighbour table (then an ARP request for
//! the next hop is asked for on `m_arp_req`). The IPv4 identification
//! counts the frames that are kept.
//!
//! The UDP checksum covers the pseudo header (source and destination
//! address, protocol 17, UDP length), the UDP header and the payload (an odd
//! last byte padded with zero); a computed 0 is sent as 0xffff (RFC 768).

use super::udp_tx_route::RoutedMeta;
use crate::net::csum::{be_words, fold16, wide_sum};
use crate::net::keep::keep_count;
use hdl::prelude::*;
use hdl::stdlib::axis::Axis;
use hdl::stdlib::stream::{Flow, Stream};

bundle! {
    /// Everything the header of a kept datagram needs besides the
    /// configuration, committed with the frame.
    pub struct UdpFrameMeta {
        /// The next hop's MAC address.
        pub mac: Bits,
        /// Destination IPv4 address.
        pub dst_ip: Bits,
        /// Source UDP port.
        pub src_port: Bits,
        /// Destination UDP port.
        pub dst_port: Bits,
        /// Payload bytes.
        pub length: UInt,
        /// IPv4 identification.
        pub ident: Bits,
        /// IPv4 header checksum.
        pub ip_csum: Bits,
        /// UDP checksum (never 0).
        pub udp_csum: Bits,
    }
}

impl UdpFrameMeta {
    /// Width of [`UdpFrameMeta::pack`].
    pub const BITS: u32 = 48 + 32 + 16 * 6;

    /// The template.
    pub fn ty() -> UdpFrameMeta {
        UdpFrameMeta {
            mac: Bits::ty(48),
            dst_ip: Bits::ty(32),
            src_port: Bits::ty(16),
            dst_port: Bits::ty(16),
            length: UInt::ty(16),
            ident: Bits::ty(16),
            ip_csum: Bits::ty(16),
            udp_csum: Bits::ty(16),
        }
    }

    /// All fields in one vector.
    #[track_caller]
    pub fn pack(&self) -> Bits {
        cat!(
            self.mac,
            self.dst_ip,
            self.src_port,
            self.dst_port,
            self.length,
            self.ident,
            self.ip_csum,
            self.udp_csum
        )
    }

    /// The fields of a [`UdpFrameMeta::pack`] vector.
    #[track_caller]
    pub fn unpack(v: Bits) -> UdpFrameMeta {
        UdpFrameMeta {
            mac: v.range(175, 128),
            dst_ip: v.range(127, 96),
            src_port: v.range(95, 80),
            dst_port: v.range(79, 64),
            length: v.range(63, 48).as_uint(),
            ident: v.range(47, 32),
            ip_csum: v.range(31, 16),
            udp_csum: v.range(15, 0),
        }
    }
}

bundle! {
    /// Ports of [`UdpTxIngest`].
    pub struct UdpTxIngestIo {
        /// Routed metadata, one per payload frame, taken with its last beat.
        #[input]
        pub s_route: Stream<RoutedMeta>,
        /// Payload frames (`tuser[0]` on the last beat: abort).
        #[input]
        pub s_axis: Axis,
        /// The payload towards the frame FIFO (`tuser[0]` on the last beat: drop).
        pub m_axis: Axis,
        /// [`UdpFrameMeta::pack`] of the frame, valid with its last beat.
        pub m_meta: Bits,
        /// Ask for an ARP request for this next hop.
        pub m_arp_req: Flow<Bits>,
        /// Our IPv4 address.
        #[input]
        pub cfg_ip: Bits,
        /// IPv4 MTU in bytes (payloads up to `cfg_mtu - 28` are sent).
        #[input]
        pub cfg_mtu: UInt,
        /// A datagram was kept.
        pub stat_udp_sent: Bool,
        /// A datagram was dropped: the sender aborted it.
        pub stat_udp_aborted: Bool,
        /// A datagram was dropped: larger than the MTU allows.
        pub stat_udp_oversize: Bool,
        /// A datagram was dropped: the next hop's address is unknown.
        pub stat_no_neighbour: Bool,
    }
}

/// The UDP transmitter's input side: `udp_tx_ingest_m{max_payload}_{bits}`.
#[derive(Clone, Debug)]
pub struct UdpTxIngest {
    /// Data bytes per beat (8, 16, 32 or 64).
    pub bytes: u32,
    /// Largest payload the buffer behind can take, whatever `cfg_mtu` says
    /// (larger ones are dropped as oversize).
    pub max_payload: u32,
}

/// A register `name` that loads `value` when `en`.
#[track_caller]
fn stage<T: HwValue + Bundle>(name: &str, en: Bool, value: T) -> T {
    let r = reg(name, value);
    when(en, || hdl::stdlib::stream::drive_leaves(&r, &value));
    r
}

impl Component for UdpTxIngest {
    type Io = UdpTxIngestIo;

    fn name(&self) -> String {
        format!("udp_tx_ingest_m{}_{}", self.max_payload, 8 * self.bytes)
    }

    fn io(&self) -> UdpTxIngestIo {
        UdpTxIngestIo {
            s_route: Stream::ty(RoutedMeta::ty()),
            s_axis: Axis::ty(self.bytes, Some(1)),
            m_axis: Axis::ty(self.bytes, Some(1)),
            m_meta: Bits::ty(UdpFrameMeta::BITS),
            m_arp_req: Flow::ty(Bits::ty(32)),
            cfg_ip: Bits::ty(32),
            cfg_mtu: UInt::ty(16),
            stat_udp_sent: Bool::ty(),
            stat_udp_aborted: Bool::ty(),
            stat_udp_oversize: Bool::ty(),
            stat_no_neighbour: Bool::ty(),
        }
    }

    fn build(&self, io: &UdpTxIngestIo) {
        let (s, m) = (&io.s_axis, &io.m_axis);
        let s_user = s.tuser.as_ref().expect("tuser").bit(0);
        let p4_valid = reg("p4_valid", Bool::ty()).init(false);
        let adv = (!p4_valid | m.tready).named("advance");
        s.tready.set(adv & io.s_route.valid);
        let take = (s.tvalid & adv & io.s_route.valid).named("take");
        io.s_route.ready.set(take & s.tlast);
        let in_first = reg("in_first", Bool::ty()).init(true);
        when(take, || in_first.set(s.tlast));

        // P1: the beat, its word sum and byte count.
        let p1_valid = stage("p1_valid", adv, take);
        p1_valid.init(false);
        let p1_data = stage("p1_tdata", adv, s.tdata);
        let p1_keep = stage("p1_tkeep", adv, s.tkeep);
        let p1_last = stage("p1_tlast", adv, s.tlast);
        let p1_user = stage("p1_user", adv, s_user);
        let p1_first = stage("p1_first", adv, in_first);
        let p1_sum = stage("p1_sum", adv, wide_sum(&be_words(s.tdata, Some(s.tkeep))));
        let p1_count = stage("p1_count", adv, keep_count(s.tkeep));
        let p1_route = stage("p1_route", adv, io.s_route.payload.pack());

        // P2: running length (17 bits, saturating) and sum of the frame.
        let p2_valid = stage("p2_valid", adv, p1_valid);
        p2_valid.init(false);
        let p2_data = stage("p2_tdata", adv, p1_data);
        let p2_keep = stage("p2_tkeep", adv, p1_keep);
        let p2_last = stage("p2_tlast", adv, p1_last);
        let p2_user = stage("p2_user", adv, p1_user);
        let p2_route = stage("p2_route", adv, p1_route);
        let run_sum = reg("run_sum", UInt::ty(32));
        let run_len = reg("run_len", UInt::ty(17));
        let count = p1_count.zext(17);
        when(adv & p1_valid, || {
            run_sum.set(p1_first.mux(UInt::lit(0, 32), run_sum) + p1_sum.zext(32));
            when(p1_first, || run_len.set(count)).elsewhen(!run_len.bit(16), || run_len.set(run_len + count));
        });

        // P3: the verdict and the header words.
        let route = RoutedMeta::unpack(p2_route);
        let limit_ok = io.cfg_mtu.is_ge(28).named("mtu_usable");
        let limit = (io.cfg_mtu - 28).zext(17);
        let too_big = run_len.is_gt(UInt::lit(u128::from(self.max_payload.min(0xffff)), 17));
        let oversize = (!limit_ok | run_len.is_gt(limit) | too_big).named("oversize");
        let aborted = p2_user;
        let no_neigh = (!aborted & !oversize & !route.hit).named("no_neighbour");
        let oversize_only = (!aborted & oversize).named("oversize_only");
        let keep = (!aborted & !oversize & route.hit).named("keep_frame");
        let ident = reg("ident", UInt::ty(16)).init(0);
        when(adv & p2_valid & p2_last & keep, || ident.set(ident + 1));
        let len = run_len.truncate(16);
        let udp_len = (len + 8).named("udp_len");
        let ip_len = (len + 28).named("ip_total_length");
        let hi = |v: Bits| v.range(31, 16).as_uint();
        let lo = |v: Bits| v.range(15, 0).as_uint();
        let (src, dst) = (io.cfg_ip, route.udp.dst_ip);
        let udp_words = [
            hi(src),
            lo(src),
            hi(dst),
            lo(dst),
            UInt::lit(17, 16),
            udp_len,
            udp_len,
            route.udp.src_port.as_uint(),
            route.udp.dst_port.as_uint(),
        ];
        // Version/IHL 0x4500 + flags DF 0x4000 + TTL 64/protocol 17 0x4011.
        let ip_words = [
            UInt::lit(0xc511, 16),
            ip_len,
            ident,
            hi(src),
            lo(src),
            hi(dst),
            lo(dst),
        ];
        let p3_valid = stage("p3_valid", adv, p2_valid);
        p3_valid.init(false);
        let p3_data = stage("p3_tdata", adv, p2_data);
        let p3_keep = stage("p3_tkeep", adv, p2_keep);
        let p3_last = stage("p3_tlast", adv, p2_last);
        let p3_drop = stage("p3_drop", adv, p2_last & !keep);
        let p3_aborted = stage("p3_aborted", adv, p2_last & aborted);
        let p3_oversize = stage("p3_oversize", adv, p2_last & oversize_only);
        let p3_no_neigh = stage("p3_no_neighbour", adv, p2_last & no_neigh);
        let p3_route = stage("p3_route", adv, p2_route);
        let p3_len = stage("p3_length", adv, len);
        let p3_ident = stage("p3_ident", adv, ident);
        let p3_payload = stage("p3_payload_sum", adv, fold16(run_sum));
        let p3_udp = stage("p3_udp_sum", adv, wide_sum(&udp_words));
        let p3_ip = stage("p3_ip_sum", adv, wide_sum(&ip_words));

        // P4: checksums folded and complemented; the frame goes out.
        let udp_sum = fold16(p3_payload.zext(20) + p3_udp.zext(20));
        let udp_csum = (!udp_sum).named("udp_csum");
        let udp_csum = udp_csum.is_eq(0).mux(UInt::lit(0xffff, 16), udp_csum);
        let ip_csum = !fold16(p3_ip);
        let r3 = RoutedMeta::unpack(p3_route);
        let meta = UdpFrameMeta {
            mac: r3.mac,
            dst_ip: r3.udp.dst_ip,
            src_port: r3.udp.src_port,
            dst_port: r3.udp.dst_port,
            length: p3_len,
            ident: p3_ident.as_bits(),
            ip_csum: ip_csum.as_bits(),
            udp_csum: udp_csum.as_bits(),
        };
        when(adv, || p4_valid.set(p3_valid));
        let p4_data = stage("p4_tdata", adv, p3_data);
        let p4_keep = stage("p4_tkeep", adv, p3_keep);
        let p4_last = stage("p4_tlast", adv, p3_last);
        let p4_drop = stage("p4_drop", adv, p3_drop);
        let p4_aborted = stage("p4_aborted", adv, p3_aborted);
        let p4_oversize = stage("p4_oversize", adv, p3_oversize);
        let p4_no_neigh = stage("p4_no_neighbour", adv, p3_no_neigh);
        let p4_next_hop = stage("p4_next_hop", adv, r3.next_hop);
        let p4_meta = stage("p4_meta", adv, meta.pack());

        m.tvalid.set(p4_valid);
        m.tdata.set(p4_data);
        m.tkeep.set(p4_keep);
        m.tlast.set(p4_last);
        m.tuser.as_ref().expect("tuser").set(p4_drop.as_bits());
        io.m_meta.set(p4_meta);
        let done = (m.fire() & p4_last).named("frame_done");
        io.stat_udp_sent.set(done & !p4_drop);
        io.stat_udp_aborted.set(done & p4_aborted);
        io.stat_udp_oversize.set(done & p4_oversize);
        io.stat_no_neighbour.set(done & p4_no_neigh);
        io.m_arp_req.valid.set(done & p4_no_neigh);
        io.m_arp_req.payload.set(p4_next_hop);
    }
}
