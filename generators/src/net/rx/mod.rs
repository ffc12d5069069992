//! The receive side (see `docs/network.md`, "Receive path"): [`net_rx`] wires
//! [`rx_parse`] (the header window, its checkers [`eth_rx_filter`],
//! [`arp_rx_check`], [`ipv4_rx_check`], [`icmp_rx_check`], [`udp_rx_check`],
//! and the rules of [`rx_verdict`]), the store-and-forward [`rx_buffer`],
//! [`rx_steer`] and the [`arp_event_queue`].

pub mod arp_event_queue;
pub mod arp_rx_check;
pub mod eth_rx_filter;
pub mod icmp_rx_check;
pub mod ipv4_rx_check;
pub mod net_rx;
pub mod rx_buffer;
pub mod rx_parse;
pub mod rx_steer;
pub mod rx_verdict;
pub mod udp_rx_check;
