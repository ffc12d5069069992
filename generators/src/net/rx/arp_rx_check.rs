//! `arp_rx_check`: is the ARP packet in the header window one we handle.

use crate::net::field::{be_field, byte};
use crate::net::meta::ArpEvent;
use crate::net::window::{
    ARP_HLEN, ARP_HTYPE, ARP_OPER, ARP_PLEN, ARP_PTYPE, ARP_SHA, ARP_SPA, ARP_TPA, ETHERTYPE_IPV4,
    WINDOW_BYTES,
};
use hdl::prelude::*;

bundle! {
    /// Ports of [`ArpRxCheck`].
    pub struct ArpRxCheckIo {
        /// The 42-byte header window.
        #[input]
        pub win: Bits,
        /// Our IPv4 address.
        #[input]
        pub cfg_ip: Bits,
        /// Ethernet/IPv4 ARP (htype 1, ptype 0x0800, hlen 6, plen 4) with
        /// `oper` 1 (request) or 2 (reply); anything else is for the host.
        pub valid: Bool,
        /// What the ARP block is told (meaningful when `valid`).
        pub event: ArpEvent,
    }
}

/// The ARP packet checker (combinational): `arp_rx_check`.
#[derive(Clone, Debug)]
pub struct ArpRxCheck;

impl Component for ArpRxCheck {
    type Io = ArpRxCheckIo;

    fn name(&self) -> String {
        "arp_rx_check".into()
    }

    fn io(&self) -> ArpRxCheckIo {
        ArpRxCheckIo {
            win: Bits::ty(8 * WINDOW_BYTES),
            cfg_ip: Bits::ty(32),
            valid: Bool::ty(),
            event: ArpEvent::ty(),
        }
    }

    fn build(&self, io: &ArpRxCheckIo) {
        let w = io.win;
        let oper = be_field(w, ARP_OPER, 2).named("oper");
        let request = oper.is_eq(1u32);
        let reply = oper.is_eq(2u32);
        let format_ok = be_field(w, ARP_HTYPE, 2).is_eq(1u32)
            & be_field(w, ARP_PTYPE, 2).is_eq(ETHERTYPE_IPV4)
            & byte(w, ARP_HLEN).is_eq(6u32)
            & byte(w, ARP_PLEN).is_eq(4u32);
        io.valid.set(format_ok & (request | reply));
        let target = be_field(w, ARP_TPA, 4).as_bits();
        io.event.request.set(request);
        io.event.sender_mac.set(be_field(w, ARP_SHA, 6).as_bits());
        io.event.sender_ip.set(be_field(w, ARP_SPA, 4).as_bits());
        io.event.target_ip.set(target);
        io.event.for_us.set(target.is_eq(io.cfg_ip));
    }
}
