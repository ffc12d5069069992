//! The network layers and the helpers they share: header fields in network
//! byte order ([`field`]), one's-complement checksums ([`csum`]) and the
//! metadata bundles that travel beside frames ([`meta`]).
//!
//! Transmit side (see `docs/network.md`, "Transmit path"): [`net_tx`] wires
//! [`neighbour_table`],
//! [`arp_tx`], [`icmp_echo`], [`tx_mux`], and the UDP transmitter [`udp_tx`]
//! with its parts [`udp_tx_route`], [`udp_tx_ingest`], [`header_insert`].

pub mod arp_tx;
pub mod csum;
pub mod field;
pub mod header_insert;
pub mod icmp_echo;
pub mod keep;
pub mod meta;
pub mod neighbour_table;
pub mod net_tx;
pub mod tx_mux;
pub mod udp_tx;
pub mod udp_tx_ingest;
pub mod udp_tx_route;
