//! The network layers and the helpers they share: header fields in network
//! byte order ([`field`]), one's-complement checksums ([`csum`]) and the
//! metadata bundles that travel beside frames ([`meta`]).
//!
//! Receive side (see `docs/network.md`): [`rx_parse`] with its checkers
//! ([`eth_rx_filter`], [`arp_rx_check`], [`ipv4_rx_check`],
//! [`icmp_rx_check`], [`udp_rx_check`]) and the rules of [`rx_verdict`].
//!
//! Transmit side (see `docs/network.md`, "Transmit path"): [`net_tx`] wires
//! [`neighbour_table`],
//! [`arp_tx`], [`icmp_echo`], [`tx_mux`], and the UDP transmitter [`udp_tx`]
//! with its parts [`udp_tx_route`], [`udp_tx_ingest`], [`header_insert`].

pub mod arp_event_queue;
pub mod arp_rx_check;
pub mod arp_tx;
pub mod axis_in;
pub mod csum;
pub mod eth_rx_filter;
pub mod field;
pub mod header_insert;
pub mod icmp_echo;
pub mod icmp_rx_check;
pub mod ipv4_rx_check;
pub mod keep;
pub mod meta;
pub mod neighbour_table;
pub mod net_rx;
pub mod net_tx;
pub mod rx_buffer;
pub mod rx_parse;
pub mod rx_steer;
pub mod rx_verdict;
pub mod tx_mux;
pub mod udp_rx_check;
pub mod udp_tx;
pub mod udp_tx_ingest;
pub mod udp_tx_route;
pub mod window;
