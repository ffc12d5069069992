//! The Lauberhorn NIC, written in the [`hdl`] DSL, and the `lauberhorn`
//! command-line tool.
//!
//! - [`mac`]: the Ethernet MAC (10G XGMII, and the port facing the 100G CMAC).
//! - [`net`]: the network layers (Ethernet, ARP, IPv4, ICMP, UDP) and the
//!   helpers they share. The structure and the interfaces of the network path
//!   are described in `docs/network.md`.
//! - [`nic`]: the NIC's top level, built from a [`config::NicConfig`].
//! - [`config`]: the NIC configuration (presets, TOML files, validation).
//! - [`cli`]: the `lauberhorn` tool that generates, lints, diffs and
//!   synthesises the Verilog.

#![warn(missing_docs)]

pub mod cli;
pub mod config;
pub mod mac;
pub mod net;
pub mod nic;
