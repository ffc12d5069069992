//! `ipv4_rx_check`: the IPv4 header in the header window.

use crate::net::csum::{be_words, wide_sum};
use crate::net::field::{be_field, byte};
use crate::net::window::{
    IP_DST, IP_FRAG, IP_PROTO, IP_TOTAL_LEN, IP_VER_IHL, L3, PROTO_ICMP, PROTO_UDP, WINDOW_BYTES,
};
use hdl::prelude::*;

bundle! {
    /// Ports of [`Ipv4RxCheck`].
    pub struct Ipv4RxCheckIo {
        /// The 42-byte header window.
        #[input]
        pub win: Bits,
        /// Bytes in the frame (without FCS), known at its last beat.
        #[input]
        pub frame_len: UInt,
        /// Our IPv4 address.
        #[input]
        pub cfg_ip: Bits,
        /// Our subnet mask (for the subnet-directed broadcast address).
        #[input]
        pub cfg_netmask: Bits,
        /// Version is not 4.
        pub bad_version: Bool,
        /// IHL is not 5: options (or a malformed IHL below 5).
        pub options: Bool,
        /// The plain (unfolded, 20-bit) sum of the header's 16-bit words; a
        /// good header folds to 0xffff. Left to the caller to check, a stage
        /// later: the sum is as deep as the other checks together.
        pub header_sum: UInt,
        /// Total length below 20, or more than the frame holds.
        pub bad_length: Bool,
        /// More-fragments set or a fragment offset: a fragment.
        pub fragment: Bool,
        /// The destination is our address.
        pub dst_ours: Bool,
        /// The destination is the limited broadcast, our subnet's broadcast,
        /// or a multicast group.
        pub dst_group: Bool,
        /// Protocol UDP.
        pub is_udp: Bool,
        /// Protocol ICMP.
        pub is_icmp: Bool,
        /// The total length field.
        pub total_length: UInt,
    }
}

/// The IPv4 header checker (combinational): `ipv4_rx_check`.
#[derive(Clone, Debug)]
pub struct Ipv4RxCheck;

impl Component for Ipv4RxCheck {
    type Io = Ipv4RxCheckIo;

    fn name(&self) -> String {
        "ipv4_rx_check".into()
    }

    fn io(&self) -> Ipv4RxCheckIo {
        Ipv4RxCheckIo {
            win: Bits::ty(8 * WINDOW_BYTES),
            frame_len: UInt::ty(16),
            cfg_ip: Bits::ty(32),
            cfg_netmask: Bits::ty(32),
            bad_version: Bool::ty(),
            options: Bool::ty(),
            header_sum: UInt::ty(20),
            bad_length: Bool::ty(),
            fragment: Bool::ty(),
            dst_ours: Bool::ty(),
            dst_group: Bool::ty(),
            is_udp: Bool::ty(),
            is_icmp: Bool::ty(),
            total_length: UInt::ty(16),
        }
    }

    fn build(&self, io: &Ipv4RxCheckIo) {
        let w = io.win;
        let ver_ihl = byte(w, IP_VER_IHL);
        io.bad_version.set(ver_ihl.range(7, 4).is_ne(4u32));
        io.options.set(ver_ihl.range(3, 0).is_ne(5u32));
        let header = w.range(8 * (L3 + 20) - 1, 8 * L3);
        io.header_sum
            .set(wide_sum(&be_words(header, None)).named("header_sum"));
        let total = be_field(w, IP_TOTAL_LEN, 2).named("total");
        io.total_length.set(total);
        let end = (total.zext(17) + 14u32).named("ip_end");
        io.bad_length
            .set(total.is_lt(20u32) | end.is_gt(io.frame_len.zext(17)));
        // Flags are bits 15..13 (reserved, DF, MF); the offset bits 12..0.
        let frag = be_field(w, IP_FRAG, 2);
        io.fragment.set(frag.bit(13) | frag.range(12, 0).any());
        let dst = be_field(w, IP_DST, 4).as_bits().named("dst_ip");
        io.dst_ours.set(dst.is_eq(io.cfg_ip));
        let host = !io.cfg_netmask;
        let subnet_broadcast =
            host.any() & (dst & host).is_eq(host) & (dst & io.cfg_netmask).is_eq(io.cfg_ip & io.cfg_netmask);
        let multicast = dst.range(31, 28).is_eq(0xeu32);
        io.dst_group.set(dst.all() | subnet_broadcast | multicast);
        let proto = byte(w, IP_PROTO);
        io.is_udp.set(proto.is_eq(PROTO_UDP));
        io.is_icmp.set(proto.is_eq(PROTO_ICMP));
    }
}
