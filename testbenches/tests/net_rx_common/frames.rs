//! Frames built with etherparse (an independent implementation of the
//! headers), plus the mutations that make them bad.

use etherparse::{
    ArpEthIpv4Packet, ArpOperation, IcmpEchoHeader, Icmpv4Type, IpHeaders, IpNumber, Ipv4Header,
    PacketBuilder,
};
use testbenches::Rng;

/// Addresses of a frame.
#[derive(Clone, Copy, Debug)]
pub struct Addrs {
    pub src_mac: [u8; 6],
    pub dst_mac: [u8; 6],
    pub src_ip: [u8; 4],
    pub dst_ip: [u8; 4],
}

/// Pads `f` to the 60-byte Ethernet minimum with random bytes (padding is
/// not covered by any checksum, so it must not matter what it holds).
pub fn pad(mut f: Vec<u8>, rng: &mut Rng) -> Vec<u8> {
    if f.len() < 60 {
        let n = 60 - f.len();
        f.extend(rng.bytes(n));
    }
    f
}

/// A UDP datagram with a correct checksum.
pub fn udp(a: &Addrs, sport: u16, dport: u16, payload: &[u8], rng: &mut Rng) -> Vec<u8> {
    let b = PacketBuilder::ethernet2(a.src_mac, a.dst_mac)
        .ipv4(a.src_ip, a.dst_ip, 64)
        .udp(sport, dport);
    let mut f = Vec::new();
    b.write(&mut f, payload).expect("udp frame");
    pad(f, rng)
}

/// A UDP datagram in an IPv4 header given whole (options, fragment bits).
pub fn udp_with_ip(
    a: &Addrs,
    ip: Ipv4Header,
    sport: u16,
    dport: u16,
    payload: &[u8],
    rng: &mut Rng,
) -> Vec<u8> {
    let b = PacketBuilder::ethernet2(a.src_mac, a.dst_mac)
        .ip(IpHeaders::Ipv4(ip, Default::default()))
        .udp(sport, dport);
    let mut f = Vec::new();
    b.write(&mut f, payload).expect("udp frame");
    pad(f, rng)
}

/// The default IPv4 header between `a`'s addresses.
pub fn ipv4_header(a: &Addrs) -> Ipv4Header {
    Ipv4Header::new(0, 64, IpNumber::UDP, a.src_ip, a.dst_ip).expect("ipv4 header")
}

/// An ICMP echo request.
pub fn echo_request(a: &Addrs, id: u16, seq: u16, payload: &[u8], rng: &mut Rng) -> Vec<u8> {
    let b = PacketBuilder::ethernet2(a.src_mac, a.dst_mac)
        .ipv4(a.src_ip, a.dst_ip, 64)
        .icmpv4_echo_request(id, seq);
    let mut f = Vec::new();
    b.write(&mut f, payload).expect("icmp frame");
    pad(f, rng)
}

/// ICMP other than an echo request (an echo reply).
pub fn echo_reply(a: &Addrs, payload: &[u8], rng: &mut Rng) -> Vec<u8> {
    let b = PacketBuilder::ethernet2(a.src_mac, a.dst_mac)
        .ipv4(a.src_ip, a.dst_ip, 64)
        .icmpv4(Icmpv4Type::EchoReply(IcmpEchoHeader { id: 7, seq: 9 }));
    let mut f = Vec::new();
    b.write(&mut f, payload).expect("icmp frame");
    pad(f, rng)
}

/// A TCP segment (an IP protocol we do not handle).
pub fn tcp(a: &Addrs, payload: &[u8], rng: &mut Rng) -> Vec<u8> {
    let b = PacketBuilder::ethernet2(a.src_mac, a.dst_mac)
        .ipv4(a.src_ip, a.dst_ip, 64)
        .tcp(1234, 80, 1, 4096);
    let mut f = Vec::new();
    b.write(&mut f, payload).expect("tcp frame");
    pad(f, rng)
}

/// An ARP request (`request`) or reply.
pub fn arp(a: &Addrs, request: bool, target_mac: [u8; 6], rng: &mut Rng) -> Vec<u8> {
    let p = ArpEthIpv4Packet {
        operation: if request {
            ArpOperation::REQUEST
        } else {
            ArpOperation::REPLY
        },
        sender_mac: a.src_mac,
        sender_ipv4: a.src_ip,
        target_mac,
        target_ipv4: a.dst_ip,
    };
    let b = PacketBuilder::ethernet2(a.src_mac, a.dst_mac).arp(p.to_arp_packet());
    let mut f = Vec::new();
    b.write(&mut f).expect("arp frame");
    pad(f, rng)
}

/// An IPv6/UDP frame (an ethertype we do not handle).
pub fn ipv6_udp(a: &Addrs, payload: &[u8], rng: &mut Rng) -> Vec<u8> {
    let b = PacketBuilder::ethernet2(a.src_mac, a.dst_mac)
        .ipv6(
            [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
            [0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
            64,
        )
        .udp(5353, 5353);
    let mut f = Vec::new();
    b.write(&mut f, payload).expect("ipv6 frame");
    pad(f, rng)
}

/// Recomputes the IPv4 header checksum of a frame after a mutation (so that
/// only the intended check fails).
pub fn fix_ip_checksum(f: &mut [u8]) {
    f[24] = 0;
    f[25] = 0;
    let ihl = usize::from(f[14] & 0xf) * 4;
    let s = super::model::ones_sum(&f[14..14 + ihl.max(20)], 0);
    f[24..26].copy_from_slice(&(!s).to_be_bytes());
}
