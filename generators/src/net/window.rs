//! The 42-byte header window of a received frame and where its fields are.
//!
//! Ethernet (14 bytes) + IPv4 without options (20) + UDP or the first 8 bytes
//! of ICMP make 42 bytes; an ARP packet after its Ethernet header is 28 bytes
//! and ends at byte 42 too. [`capture`] keeps the window's bytes in registers
//! while a frame streams past, at any datapath width.

use hdl::prelude::*;

/// Bytes in the header window.
pub const WINDOW_BYTES: u32 = 42;
/// Offset of the IPv4 header (and of the ARP packet).
pub const L3: u32 = 14;
/// Offset of the UDP header or ICMP message.
pub const L4: u32 = 34;

/// Payload bytes in the beat that holds the end of the window, at `bytes`
/// per beat (the window never ends on a beat boundary at 8..=64 bytes).
/// `rx_parse` tells `rx_steer` whether a UDP payload fits in them.
pub fn first_payload_bytes(bytes: u32) -> u32 {
    bytes - WINDOW_BYTES % bytes
}

/// Ethernet: destination MAC.
pub const ETH_DST: u32 = 0;
/// Ethernet: source MAC.
pub const ETH_SRC: u32 = 6;
/// Ethernet: ethertype.
pub const ETH_TYPE: u32 = 12;

/// IPv4: version and IHL.
pub const IP_VER_IHL: u32 = 14;
/// IPv4: total length.
pub const IP_TOTAL_LEN: u32 = 16;
/// IPv4: flags and fragment offset.
pub const IP_FRAG: u32 = 20;
/// IPv4: protocol.
pub const IP_PROTO: u32 = 23;
/// IPv4: source address.
pub const IP_SRC: u32 = 26;
/// IPv4: destination address.
pub const IP_DST: u32 = 30;

/// UDP: source port.
pub const UDP_SRC_PORT: u32 = 34;
/// UDP: destination port.
pub const UDP_DST_PORT: u32 = 36;
/// UDP: length.
pub const UDP_LEN: u32 = 38;
/// UDP: checksum.
pub const UDP_CSUM: u32 = 40;

/// ICMP: type.
pub const ICMP_TYPE: u32 = 34;
/// ICMP: code.
pub const ICMP_CODE: u32 = 35;

/// ARP: hardware type.
pub const ARP_HTYPE: u32 = 14;
/// ARP: protocol type.
pub const ARP_PTYPE: u32 = 16;
/// ARP: hardware address length.
pub const ARP_HLEN: u32 = 18;
/// ARP: protocol address length.
pub const ARP_PLEN: u32 = 19;
/// ARP: operation.
pub const ARP_OPER: u32 = 20;
/// ARP: sender hardware address.
pub const ARP_SHA: u32 = 22;
/// ARP: sender protocol address.
pub const ARP_SPA: u32 = 28;
/// ARP: target protocol address.
pub const ARP_TPA: u32 = 38;

/// Ethertype of IPv4.
pub const ETHERTYPE_IPV4: u128 = 0x0800;
/// Ethertype of ARP.
pub const ETHERTYPE_ARP: u128 = 0x0806;
/// IP protocol number of ICMP.
pub const PROTO_ICMP: u128 = 1;
/// IP protocol number of UDP.
pub const PROTO_UDP: u128 = 17;

/// Beats of a `bytes`-wide stream that hold part of the window.
pub fn window_beats(bytes: u32) -> u32 {
    WINDOW_BYTES.div_ceil(bytes)
}

/// The captured window: the registers, and the view that includes the
/// current beat.
#[derive(Clone, Copy, Debug)]
pub struct Window {
    /// The window bytes of the beats before the current one (registers; in
    /// the cycle after a beat, including that beat).
    pub held: Bits,
    /// `held` with the current beat's window bytes in place.
    pub now: Bits,
}

/// Keeps the window bytes of the frame streaming through `tdata` in
/// registers `<name>_b<beat>` (`held`, the wire `name`, `8 * WINDOW_BYTES`
/// bits, frame byte `i` at bits `8i+7..8i`). `beat` is the index of the
/// current beat within its frame (saturating; only values below
/// [`window_beats`] matter) and `take` says the beat is transferred. Bytes
/// past the end of a short frame keep stale contents: whoever reads the
/// window checks the frame length first.
#[track_caller]
pub fn capture(name: &str, tdata: Bits, take: Bool, beat: UInt) -> Window {
    let bytes = tdata.width() / 8;
    let mut held = Vec::new();
    let mut now = Vec::new();
    for b in 0..window_beats(bytes) {
        let lo = b * bytes;
        let hi = (lo + bytes).min(WINDOW_BYTES);
        let lanes = tdata.range(8 * (hi - lo) - 1, 0);
        let part = reg(&format!("{name}_b{b}"), Bits::ty(8 * (hi - lo)));
        let here = beat.is_eq(u128::from(b));
        when(take & here, || part.set(lanes));
        held.push(part);
        now.push(here.mux(lanes, part));
    }
    held.reverse();
    now.reverse();
    Window {
        held: cat(&held).named(name),
        now: cat(&now).named(&format!("{name}_now")),
    }
}
