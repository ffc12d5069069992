//! What the receive path decides about a frame at its end: dropped (and
//! why), or where it goes. The priority of the rules is written down once
//! here; `docs/network.md` lists it and the tests' reference model follows it.

use crate::net::meta::{BypassClass, BYPASS_CLASS_BITS};
use hdl::prelude::*;

/// Where a kept frame goes (`RxFrameMeta::dest`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Dest {
    /// A UDP datagram to a listened port: `m_axis_rpc` + `m_rpc_meta`.
    Rpc = 0,
    /// An ICMP echo request: `m_axis_icmp`.
    Icmp = 1,
    /// Anything for the host: `m_axis_bypass` + `m_bypass_class`.
    Bypass = 2,
    /// An ARP request or reply: an `ArpEvent`, never buffered.
    Arp = 3,
}

/// Width of a [`Dest`] code.
pub const DEST_BITS: u32 = 2;

/// Frames shorter than this end inside the header window ("truncated").
pub const MIN_HEADER: u32 = crate::net::window::WINDOW_BYTES;
/// Frames shorter than this (without FCS) are runts.
pub const MIN_FRAME: u32 = 60;

bundle! {
    /// One pulse per reason a frame is dropped (at most one per frame).
    pub struct RxDrops {
        /// `tuser[0]` set by the MAC: bad FCS or another MAC error.
        pub mac_error: Bool,
        /// The frame ends inside the 42-byte header window.
        pub truncated: Bool,
        /// Shorter than 60 bytes (and not truncated).
        pub runt: Bool,
        /// Longer than `cfg_max_len`.
        pub oversize: Bool,
        /// The destination MAC is not ours, not broadcast or multicast, and
        /// promiscuous mode is off.
        pub not_for_us: Bool,
        /// IPv4 version is not 4.
        pub ip_bad_version: Bool,
        /// IPv4 header with options (IHL is not 5).
        pub ip_options: Bool,
        /// IPv4 header checksum wrong.
        pub ip_bad_checksum: Bool,
        /// IPv4 total length below 20 or beyond the end of the frame.
        pub ip_bad_length: Bool,
        /// IPv4 fragment.
        pub ip_fragment: Bool,
        /// IPv4 to a unicast address not ours (promiscuous mode off).
        pub ip_not_ours: Bool,
        /// UDP length below 8 or beyond the IPv4 payload.
        pub udp_bad_length: Bool,
        /// UDP checksum present and wrong.
        pub udp_bad_checksum: Bool,
        /// ICMP checksum wrong.
        pub icmp_bad_checksum: Bool,
    }
}

impl RxDrops {
    /// The template.
    pub fn ty() -> RxDrops {
        let b = Bool::ty;
        RxDrops {
            mac_error: b(),
            truncated: b(),
            runt: b(),
            oversize: b(),
            not_for_us: b(),
            ip_bad_version: b(),
            ip_options: b(),
            ip_bad_checksum: b(),
            ip_bad_length: b(),
            ip_fragment: b(),
            ip_not_ours: b(),
            udp_bad_length: b(),
            udp_bad_checksum: b(),
            icmp_bad_checksum: b(),
        }
    }

    /// Every reason, in priority order, with its name.
    pub fn named(&self) -> Vec<(&'static str, Bool)> {
        vec![
            ("mac_error", self.mac_error),
            ("truncated", self.truncated),
            ("runt", self.runt),
            ("oversize", self.oversize),
            ("not_for_us", self.not_for_us),
            ("ip_bad_version", self.ip_bad_version),
            ("ip_options", self.ip_options),
            ("ip_bad_checksum", self.ip_bad_checksum),
            ("ip_bad_length", self.ip_bad_length),
            ("ip_fragment", self.ip_fragment),
            ("ip_not_ours", self.ip_not_ours),
            ("udp_bad_length", self.udp_bad_length),
            ("udp_bad_checksum", self.udp_bad_checksum),
            ("icmp_bad_checksum", self.icmp_bad_checksum),
        ]
    }

    /// Any reason.
    #[track_caller]
    pub fn any(&self) -> Bool {
        let all: Vec<Bool> = self.named().into_iter().map(|(_, b)| b).collect();
        cat(&all).any()
    }
}

bundle! {
    /// What travels with a kept frame through the buffer to `rx_steer`.
    /// The RPC metadata (addresses, ports, length) is not here: `rx_steer`
    /// reads it from the stored header.
    pub struct RxFrameMeta {
        /// A [`Dest`] code.
        pub dest: Bits,
        /// A [`BypassClass`] code (for `Dest::Bypass`).
        pub class: Bits,
        /// The listen-table entry takes replies (for `Dest::Rpc`).
        pub reply: Bool,
        /// The listen-table entry (for `Dest::Rpc`).
        pub listen_index: UInt,
        /// The UDP payload fits in the first beat that holds payload bytes
        /// (for `Dest::Rpc`): `rx_steer` emits it from that beat alone.
        pub fits_first_beat: Bool,
    }
}

impl RxFrameMeta {
    /// The template for a listen table with `index_width`-bit indices.
    pub fn ty(index_width: u32) -> RxFrameMeta {
        RxFrameMeta {
            dest: Bits::ty(DEST_BITS),
            class: Bits::ty(BYPASS_CLASS_BITS),
            reply: Bool::ty(),
            listen_index: UInt::ty(index_width),
            fits_first_beat: Bool::ty(),
        }
    }

    /// Bits of the packed form.
    pub fn width(index_width: u32) -> u32 {
        DEST_BITS + BYPASS_CLASS_BITS + 2 + index_width
    }

    /// Packed: `{fits_first_beat, listen_index, reply, class, dest}`.
    #[track_caller]
    pub fn pack(&self) -> Bits {
        cat!(
            self.fits_first_beat,
            self.listen_index,
            self.reply,
            self.class,
            self.dest
        )
    }

    /// The inverse of [`RxFrameMeta::pack`].
    #[track_caller]
    pub fn unpack(bits: Bits, index_width: u32) -> RxFrameMeta {
        let c = DEST_BITS;
        let r = c + BYPASS_CLASS_BITS;
        RxFrameMeta {
            dest: bits.range(c - 1, 0),
            class: bits.range(r - 1, c),
            reply: bits.bit(r),
            listen_index: bits.range(r + index_width, r + 1).as_uint(),
            fits_first_beat: bits.bit(r + index_width + 1),
        }
    }
}

/// Everything the verdict is made of, at the end of a frame.
#[derive(Clone, Debug)]
pub struct Facts {
    /// `tuser[0]` of the last beat.
    pub mac_error: Bool,
    /// Shorter than [`MIN_HEADER`] bytes.
    pub truncated: Bool,
    /// Shorter than [`MIN_FRAME`] bytes.
    pub runt: Bool,
    /// Longer than `cfg_max_len`.
    pub oversize: Bool,
    /// Promiscuous mode.
    pub cfg_promiscuous: Bool,
    /// From `eth_rx_filter`.
    pub accept: Bool,
    /// From `eth_rx_filter`.
    pub promiscuous_only: Bool,
    /// From `eth_rx_filter`.
    pub multicast: Bool,
    /// From `eth_rx_filter`.
    pub is_ipv4: Bool,
    /// From `eth_rx_filter`.
    pub is_arp: Bool,
    /// From `arp_rx_check`.
    pub arp_valid: Bool,
    /// From `ipv4_rx_check`.
    pub ip_bad_version: Bool,
    /// From `ipv4_rx_check`.
    pub ip_options: Bool,
    /// From `ipv4_rx_check`.
    pub ip_bad_checksum: Bool,
    /// From `ipv4_rx_check`.
    pub ip_bad_length: Bool,
    /// From `ipv4_rx_check`.
    pub ip_fragment: Bool,
    /// From `ipv4_rx_check`.
    pub ip_dst_ours: Bool,
    /// From `ipv4_rx_check`.
    pub ip_dst_group: Bool,
    /// From `ipv4_rx_check`.
    pub is_udp: Bool,
    /// From `ipv4_rx_check`.
    pub is_icmp: Bool,
    /// From `udp_rx_check`.
    pub udp_bad_length: Bool,
    /// From `udp_rx_check`.
    pub udp_checksum_present: Bool,
    /// From `udp_rx_check`.
    pub listen_hit: Bool,
    /// From `udp_rx_check`.
    pub listen_reply: Bool,
    /// From `udp_rx_check`.
    pub listen_index: UInt,
    /// From `icmp_rx_check`.
    pub echo_request: Bool,
    /// The UDP payload fits in the first beat that holds payload bytes.
    pub fits_first_beat: Bool,
    /// The L4 bytes, and for UDP the pseudo header, fold to 0xffff: the UDP
    /// or ICMP checksum is right.
    pub l4_sum_ok: Bool,
}

/// A verdict: the drop reasons (all low for a kept frame) and the metadata.
#[derive(Clone, Debug)]
pub struct Verdict {
    /// At most one is high.
    pub drops: RxDrops,
    /// Where the frame goes when no drop is high.
    pub meta: RxFrameMeta,
}

fn class(c: BypassClass) -> Bits {
    Bits::lit(c as u128, BYPASS_CLASS_BITS)
}

fn dest(d: Dest) -> Bits {
    Bits::lit(d as u128, DEST_BITS)
}

/// The rules, in priority order (first match decides):
/// 1. MAC error, truncated (< 42 bytes), runt (< 60), oversize: drop.
/// 2. MAC filter refuses: drop "not for us".
/// 3. ARP: a valid Ethernet/IPv4 request or reply to our or the broadcast
///    MAC -> ARP event; otherwise bypass (class by rule 6).
/// 4. IPv4: bad version, options, bad header checksum, bad length,
///    fragment: drop (in that order). Then, kept for the host: another
///    host's MAC (promiscuous) -> `NotForUs`; multicast MAC or group IP
///    destination -> `IpBroadcast`; an IP destination not ours -> `NotForUs`
///    in promiscuous mode, else drop "not ours".
/// 5. IPv4 to us: UDP with a bad length or a present and wrong checksum,
///    ICMP with a wrong checksum: drop. UDP to a listened port -> RPC, else
///    `UdpNotListened`; ICMP echo request -> ICMP responder, other ICMP ->
///    `OtherIcmp`; other protocols -> `OtherIpProtocol`.
/// 6. Other ethertypes (and ARP not handled) -> bypass: `NotForUs` when
///    kept only by promiscuous mode, else `OtherEthertype`.
#[track_caller]
pub fn decide(f: &Facts) -> Verdict {
    let (truncated, runt, oversize) = (f.truncated, f.runt, f.oversize);
    let l1 = !f.mac_error;
    let l2 = l1 & !truncated;
    let l3 = l2 & !runt;
    let l4 = l3 & !oversize;
    let eth_ok = (l4 & f.accept).named("eth_ok");

    let ip = eth_ok & f.is_ipv4;
    let v1 = ip & !f.ip_bad_version;
    let v2 = v1 & !f.ip_options;
    let v3 = v2 & !f.ip_bad_checksum;
    let v4 = v3 & !f.ip_bad_length;
    let ip_ok = (v4 & !f.ip_fragment).named("ip_ok");
    let ip_host = f.promiscuous_only | f.multicast | f.ip_dst_group;
    let ip_not_ours = ip_ok & !ip_host & !f.ip_dst_ours;
    let ip_to_us = (ip_ok & !ip_host & f.ip_dst_ours).named("ip_to_us");

    let udp = ip_to_us & f.is_udp;
    let udp_len_ok = udp & !f.udp_bad_length;
    let udp_csum_bad = f.udp_checksum_present & !f.l4_sum_ok;
    let icmp = ip_to_us & f.is_icmp;
    let icmp_csum_bad = !f.l4_sum_ok;

    let drops = RxDrops {
        mac_error: f.mac_error,
        truncated: l1 & truncated,
        runt: l2 & runt,
        oversize: l3 & oversize,
        not_for_us: l4 & !f.accept,
        ip_bad_version: ip & f.ip_bad_version,
        ip_options: v1 & f.ip_options,
        ip_bad_checksum: v2 & f.ip_bad_checksum,
        ip_bad_length: v3 & f.ip_bad_length,
        ip_fragment: v4 & f.ip_fragment,
        ip_not_ours: ip_not_ours & !f.cfg_promiscuous,
        udp_bad_length: udp & f.udp_bad_length,
        udp_bad_checksum: udp_len_ok & udp_csum_bad,
        icmp_bad_checksum: icmp & icmp_csum_bad,
    };

    let arp_event = f.is_arp & f.arp_valid & !f.promiscuous_only & !f.multicast;
    let rpc = udp_len_ok & !udp_csum_bad & f.listen_hit;
    let echo = icmp & !icmp_csum_bad & f.echo_request;
    let d = rpc.mux(
        dest(Dest::Rpc),
        echo.mux(
            dest(Dest::Icmp),
            (eth_ok & arp_event).mux(dest(Dest::Arp), dest(Dest::Bypass)),
        ),
    );

    // The bypass class of every frame that is neither dropped nor handled.
    let c_eth = f
        .promiscuous_only
        .mux(class(BypassClass::NotForUs), class(BypassClass::OtherEthertype));
    let c_ip_host = f.promiscuous_only.mux(
        class(BypassClass::NotForUs),
        (f.multicast | f.ip_dst_group).mux(class(BypassClass::IpBroadcast), class(BypassClass::NotForUs)),
    );
    let c_to_us = f.is_udp.mux(
        class(BypassClass::UdpNotListened),
        f.is_icmp
            .mux(class(BypassClass::OtherIcmp), class(BypassClass::OtherIpProtocol)),
    );
    let c_ip = (ip_host | !f.ip_dst_ours).mux(c_ip_host, c_to_us);
    let c = f.is_ipv4.mux(c_ip, c_eth);
    Verdict {
        drops,
        meta: RxFrameMeta {
            dest: d,
            class: c,
            reply: f.listen_reply,
            listen_index: f.listen_index,
            fits_first_beat: f.fits_first_beat,
        },
    }
}
