//! `eth_rx_filter`: is an Ethernet frame for us, and what does it carry.

use crate::net::field::be_field;
use crate::net::window::{ETHERTYPE_ARP, ETHERTYPE_IPV4, ETH_DST, ETH_TYPE};
use hdl::prelude::*;

bundle! {
    /// Ports of [`EthRxFilter`].
    pub struct EthRxFilterIo {
        /// The 14-byte Ethernet header, frame byte `i` in bits `8i+7..8i`.
        #[input]
        pub hdr: Bits,
        /// Our MAC address (first byte on the wire most significant).
        #[input]
        pub cfg_mac: Bits,
        /// Accept frames to any address.
        #[input]
        pub cfg_promiscuous: Bool,
        /// The destination is our address.
        pub for_us: Bool,
        /// The destination is the broadcast address.
        pub broadcast: Bool,
        /// The destination is a multicast group (group bit set, not broadcast).
        pub multicast: Bool,
        /// Keep the frame: ours, broadcast, multicast, or promiscuous mode.
        pub accept: Bool,
        /// Kept only because of promiscuous mode (another host's unicast).
        pub promiscuous_only: Bool,
        /// Ethertype IPv4.
        pub is_ipv4: Bool,
        /// Ethertype ARP.
        pub is_arp: Bool,
    }
}

/// The destination filter and ethertype classifier (combinational):
/// `eth_rx_filter`.
#[derive(Clone, Debug)]
pub struct EthRxFilter;

impl Component for EthRxFilter {
    type Io = EthRxFilterIo;

    fn name(&self) -> String {
        "eth_rx_filter".into()
    }

    fn io(&self) -> EthRxFilterIo {
        EthRxFilterIo {
            hdr: Bits::ty(8 * 14),
            cfg_mac: Bits::ty(48),
            cfg_promiscuous: Bool::ty(),
            for_us: Bool::ty(),
            broadcast: Bool::ty(),
            multicast: Bool::ty(),
            accept: Bool::ty(),
            promiscuous_only: Bool::ty(),
            is_ipv4: Bool::ty(),
            is_arp: Bool::ty(),
        }
    }

    fn build(&self, io: &EthRxFilterIo) {
        let dst = be_field(io.hdr, ETH_DST, 6).as_bits().named("dst_mac");
        let ethertype = be_field(io.hdr, ETH_TYPE, 2).named("ethertype");
        let for_us = dst.is_eq(io.cfg_mac);
        let broadcast = dst.all();
        // The group bit is the least significant bit of the first byte.
        let group = dst.bit(40);
        let known = for_us | group;
        io.for_us.set(for_us);
        io.broadcast.set(broadcast);
        io.multicast.set(group & !broadcast);
        io.accept.set(known | io.cfg_promiscuous);
        io.promiscuous_only.set(!known & io.cfg_promiscuous);
        io.is_ipv4.set(ethertype.is_eq(ETHERTYPE_IPV4));
        io.is_arp.set(ethertype.is_eq(ETHERTYPE_ARP));
    }
}
