//! The network layers and the helpers they share: header fields in network
//! byte order ([`field`]), one's-complement checksums ([`csum`]) and the
//! metadata bundles that travel beside frames ([`meta`]).
//!
//! Transmit side (see `docs/network.md`, "Transmit path"): [`neighbour_table`],
//! [`arp_tx`], [`icmp_echo`], [`tx_mux`].

pub mod arp_tx;
pub mod csum;
pub mod field;
pub mod icmp_echo;
pub mod meta;
pub mod neighbour_table;
pub mod tx_mux;
