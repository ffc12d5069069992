//! The transmit side (see `docs/network.md`, "Transmit path"): [`net_tx`]
//! wires the [`neighbour_table`], [`arp_tx`], [`icmp_echo`], [`tx_mux`], and
//! the UDP transmitter [`udp_tx`] with its parts [`udp_tx_route`],
//! [`udp_tx_ingest`] and [`header_insert`].

pub mod arp_tx;
pub mod header_insert;
pub mod icmp_echo;
pub mod neighbour_table;
pub mod net_tx;
pub mod tx_mux;
pub mod udp_tx;
pub mod udp_tx_ingest;
pub mod udp_tx_route;
