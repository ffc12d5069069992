//! Decoding what the design sent with etherparse, an independent library,
//! and verifying every checksum with it.

use etherparse::{
    ArpEthIpv4Packet, EtherType, Icmpv4Header, LinkSlice, NetSlice, SlicedPacket, TransportSlice,
};

/// The fields of a UDP datagram in an Ethernet frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UdpView {
    /// Ethernet destination.
    pub eth_dst: [u8; 6],
    /// Ethernet source.
    pub eth_src: [u8; 6],
    /// IPv4 identification.
    pub ident: u16,
    /// IPv4 source.
    pub src_ip: [u8; 4],
    /// IPv4 destination.
    pub dst_ip: [u8; 4],
    /// UDP source port.
    pub src_port: u16,
    /// UDP destination port.
    pub dst_port: u16,
    /// UDP checksum as sent.
    pub udp_checksum: u16,
    /// The payload.
    pub payload: Vec<u8>,
}

fn eth(p: &SlicedPacket) -> ([u8; 6], [u8; 6], EtherType) {
    match &p.link {
        Some(LinkSlice::Ethernet2(e)) => (e.destination(), e.source(), e.ether_type()),
        other => panic!("not an Ethernet II frame: {other:?}"),
    }
}

/// Decodes a UDP/IPv4 frame, checks every header field that the design
/// fixes (version, IHL, TOS, DF, no fragment, TTL 64, protocol 17, lengths),
/// and verifies the IPv4 header checksum and the UDP checksum.
pub fn udp(frame: &[u8]) -> UdpView {
    let p = SlicedPacket::from_ethernet(frame).unwrap_or_else(|e| panic!("etherparse: {e:?}"));
    let (eth_dst, eth_src, ty) = eth(&p);
    assert_eq!(ty, EtherType::IPV4, "ethertype");
    let Some(NetSlice::Ipv4(ip)) = &p.net else {
        panic!("no IPv4 header: {:?}", p.net)
    };
    let h = ip.header().to_header();
    assert_eq!(ip.header().ihl(), 5, "IHL");
    assert_eq!(h.dscp.value(), 0, "DSCP");
    assert_eq!(h.ecn.value(), 0, "ECN");
    assert!(h.dont_fragment && !h.more_fragments, "flags DF only");
    assert_eq!(h.fragment_offset.value(), 0, "fragment offset");
    assert_eq!(h.time_to_live, 64, "TTL");
    assert_eq!(h.protocol, etherparse::IpNumber::UDP, "protocol");
    assert_eq!(
        usize::from(h.total_len),
        frame.len() - 14,
        "total length vs frame"
    );
    assert_eq!(
        h.header_checksum,
        h.calc_header_checksum(),
        "IPv4 header checksum"
    );
    let Some(TransportSlice::Udp(u)) = &p.transport else {
        panic!("no UDP header: {:?}", p.transport)
    };
    let uh = u.to_header();
    assert_eq!(usize::from(uh.length), frame.len() - 34, "UDP length");
    let want = uh
        .calc_checksum_ipv4(&h, u.payload())
        .expect("checksum computable");
    assert_eq!(uh.checksum, want, "UDP checksum (etherparse, pseudo header)");
    assert_ne!(uh.checksum, 0, "a computed UDP checksum is never sent as 0");
    UdpView {
        eth_dst,
        eth_src,
        ident: h.identification,
        src_ip: h.source,
        dst_ip: h.destination,
        src_port: uh.source_port,
        dst_port: uh.destination_port,
        udp_checksum: uh.checksum,
        payload: u.payload().to_vec(),
    }
}

/// Decodes an ARP frame (Ethernet/IPv4 ARP, 42 bytes): the Ethernet
/// addresses and the ARP packet.
pub fn arp(frame: &[u8]) -> ([u8; 6], [u8; 6], ArpEthIpv4Packet) {
    assert_eq!(frame.len(), 42, "ARP frames are 42 bytes before padding");
    let p = SlicedPacket::from_ethernet(frame).unwrap_or_else(|e| panic!("etherparse: {e:?}"));
    let (dst, src, ty) = eth(&p);
    assert_eq!(ty, EtherType::ARP, "ethertype");
    let Some(NetSlice::Arp(a)) = &p.net else {
        panic!("no ARP packet: {:?}", p.net)
    };
    let pkt = a
        .to_packet()
        .try_eth_ipv4()
        .unwrap_or_else(|e| panic!("not Ethernet/IPv4 ARP: {e:?}"));
    (dst, src, pkt)
}

/// Decodes an ICMP echo reply frame; verifies the IPv4 header checksum and
/// the ICMP checksum (etherparse recomputes it over the whole message).
/// Returns (id, sequence, payload).
pub fn echo_reply(frame: &[u8]) -> (u16, u16, Vec<u8>) {
    let p = SlicedPacket::from_ethernet(frame).unwrap_or_else(|e| panic!("etherparse: {e:?}"));
    let Some(NetSlice::Ipv4(ip)) = &p.net else {
        panic!("no IPv4 header: {:?}", p.net)
    };
    let h = ip.header().to_header();
    assert_eq!(h.time_to_live, 64, "TTL");
    assert_eq!(
        h.header_checksum,
        h.calc_header_checksum(),
        "IPv4 header checksum"
    );
    let Some(TransportSlice::Icmpv4(icmp)) = &p.transport else {
        panic!("no ICMP: {:?}", p.transport)
    };
    let etherparse::Icmpv4Type::EchoReply(echo) = icmp.icmp_type() else {
        panic!("not an echo reply: {:?}", icmp.icmp_type())
    };
    let want = Icmpv4Header::with_checksum(icmp.icmp_type(), icmp.payload()).checksum;
    assert_eq!(icmp.checksum(), want, "ICMP checksum (etherparse)");
    (echo.id, echo.seq, icmp.payload().to_vec())
}
