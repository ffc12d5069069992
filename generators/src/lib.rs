//! The Lauberhorn NIC, written in the [`hdl`] DSL.
//!
//! - [`mac`]: the Ethernet MAC (10G XGMII, and the port facing the 100G CMAC).
//! - [`net`]: the network layers (Ethernet, ARP, IPv4, ICMP, UDP) and the
//!   helpers they share. The structure and the interfaces of the network path
//!   are described in `docs/network.md`.

#![warn(missing_docs)]

pub mod mac;
pub mod net;
