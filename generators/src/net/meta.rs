//! Metadata that travels beside frames between the network blocks.
//!
//! Addresses are numbers in network order: the IPv4 address 10.0.0.1 is
//! `0x0a00_0001`, the MAC address 02:00:00:00:00:01 is `0x0200_0000_0001`
//! (the first byte on the wire is the most significant), exactly as
//! [`super::field::be_field`] reads them out of a header.

use hdl::prelude::*;

bundle! {
    /// What the receive path tells the ARP block about a good ARP packet.
    pub struct ArpEvent {
        /// 1: a request (`oper` 1); 0: a reply (`oper` 2).
        pub request: Bool,
        /// The sender's hardware address.
        pub sender_mac: Bits,
        /// The sender's protocol address.
        pub sender_ip: Bits,
        /// The target protocol address.
        pub target_ip: Bits,
        /// The target protocol address is ours: answer a request, and learn
        /// the sender even when it is not in the table yet (RFC 826).
        pub for_us: Bool,
    }
}

impl ArpEvent {
    /// The template.
    pub fn ty() -> ArpEvent {
        ArpEvent {
            request: Bool::ty(),
            sender_mac: Bits::ty(48),
            sender_ip: Bits::ty(32),
            target_ip: Bits::ty(32),
            for_us: Bool::ty(),
        }
    }
}

bundle! {
    /// Where an ONC RPC datagram came from, beside its UDP payload.
    pub struct RpcMeta {
        /// The sender's MAC address.
        pub src_mac: Bits,
        /// The sender's IPv4 address.
        pub src_ip: Bits,
        /// Our address it was sent to.
        pub dst_ip: Bits,
        /// The sender's UDP port.
        pub src_port: Bits,
        /// Our UDP port it was sent to.
        pub dst_port: Bits,
        /// Bytes of UDP payload (the UDP length minus 8).
        pub length: UInt,
        /// 0: the port listens for RPC calls; 1: for RPC replies.
        pub reply: Bool,
        /// Index of the matching listen-table entry.
        pub listen_index: UInt,
    }
}

impl RpcMeta {
    /// The template for a listen table of `listen_entries` entries.
    pub fn ty(listen_entries: u32) -> RpcMeta {
        RpcMeta {
            src_mac: Bits::ty(48),
            src_ip: Bits::ty(32),
            dst_ip: Bits::ty(32),
            src_port: Bits::ty(16),
            dst_port: Bits::ty(16),
            length: UInt::ty(16),
            reply: Bool::ty(),
            listen_index: UInt::ty(hdl::clog2(listen_entries).max(1)),
        }
    }
}

bundle! {
    /// What the host is asked to send: the UDP header fields a sender chooses.
    pub struct UdpTxMeta {
        /// Destination IPv4 address.
        pub dst_ip: Bits,
        /// Destination UDP port.
        pub dst_port: Bits,
        /// Source UDP port.
        pub src_port: Bits,
    }
}

impl UdpTxMeta {
    /// The template.
    pub fn ty() -> UdpTxMeta {
        UdpTxMeta {
            dst_ip: Bits::ty(32),
            dst_port: Bits::ty(16),
            src_port: Bits::ty(16),
        }
    }
}

/// Why a frame went to the host's bypass stream (the `m_bypass_class` code).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum BypassClass {
    /// An ethertype other than IPv4 and ARP (IPv6, LLDP, ...).
    OtherEthertype = 0,
    /// IPv4 with a protocol other than UDP and ICMP (TCP, ...).
    OtherIpProtocol = 1,
    /// UDP to a port that is not in the listen table (or is off).
    UdpNotListened = 2,
    /// ICMP other than an echo request.
    OtherIcmp = 3,
    /// IPv4 to a broadcast or multicast address (or in a multicast frame).
    IpBroadcast = 4,
    /// For another host, kept because of promiscuous mode (another unicast
    /// MAC address, or IPv4 to an address not ours).
    NotForUs = 5,
}

/// Width of the bypass class code.
pub const BYPASS_CLASS_BITS: u32 = 3;
