//! The NIC's control registers (bank `nic_csr`): identity, addresses,
//! limits, the UDP listen table and the neighbour table.
//!
//! Addresses are numbers in network order, as everywhere in the NIC: the MAC
//! address 02:00:00:00:00:01 is `mac_hi = 0x0200`, `mac_lo = 0x0000_0001`;
//! the IPv4 address 10.0.0.1 is `ip = 0x0a00_0001`.

use crate::config::NicConfig;
use hdl::stdlib::csr_map::{CsrMap, Register};

/// `id`: "LBHN" in ASCII.
pub const ID: u64 = 0x4c42_484e;
/// `version`: the register interface version (bumped on incompatible change).
pub const VERSION: u64 = 1;
/// Address bits of the bank (256 bytes of registers).
pub const ADDRESS_BITS: u32 = 8;
/// Default ARP request hold-off: 100 ms at 250 MHz.
pub const ARP_TIMEOUT_RESET: u64 = 25_000_000;
/// Default MAC address: locally administered, 02:00:00:00:00:01.
pub const MAC_RESET: u64 = 0x0200_0000_0001;

/// The `features` register: what was generated.
pub fn features(cfg: &NicConfig) -> u64 {
    u64::from(cfg.datapath.bytes)
        | u64::from(cfg.mac.kind.code()) << 8
        | u64::from(cfg.tables.listen_ports) << 16
        | u64::from(cfg.tables.neighbours) << 24
}

/// The register map for `cfg`.
pub fn map(cfg: &NicConfig) -> CsrMap {
    CsrMap::new("nic_csr", ADDRESS_BITS)
        .with_register(
            Register::ro("id", 0x00)
                .with_reset(ID)
                .with_doc("Reads \"LBHN\" (0x4c42484e)"),
        )
        .with_register(
            Register::ro("version", 0x04)
                .with_reset(VERSION)
                .with_doc("Version of this register interface"),
        )
        .with_register(
            Register::ro("features", 0x08)
                .with_reset(features(cfg))
                .with_doc("What was generated")
                .with_field("datapath_bytes", 0, 8, "Bytes per beat of the core datapath")
                .with_field(
                    "mac_kind",
                    8,
                    2,
                    "LAUBERHORN_MAC_KIND_*: 0 the Xilinx 100G CMAC, 1 our XGMII 10G MAC",
                )
                .with_field("listen_ports", 16, 8, "Entries of the UDP listen table")
                .with_field("neighbours", 24, 8, "Entries of the neighbour table"),
        )
        .with_register(
            Register::rw("mac_hi", 0x10)
                .with_reset(MAC_RESET >> 32)
                .with_doc("Our MAC address, first two bytes on the wire")
                .with_field("addr", 0, 16, "Bytes 0 (bits 15..8) and 1 (bits 7..0)"),
        )
        .with_register(
            Register::rw("mac_lo", 0x14)
                .with_reset(MAC_RESET & 0xffff_ffff)
                .with_doc("Our MAC address, bytes 2 (bits 31..24) to 5 (bits 7..0)"),
        )
        .with_register(Register::rw("ip", 0x18).with_doc("Our IPv4 address (0: none; answer nothing)"))
        .with_register(Register::rw("netmask", 0x1c).with_doc("Our subnet mask"))
        .with_register(Register::rw("gateway", 0x20).with_doc("Next hop for destinations off our subnet"))
        .with_register(
            Register::rw("ctrl", 0x24)
                .with_doc("Receive behaviour")
                .with_field(
                    "promiscuous",
                    0,
                    1,
                    "Frames and datagrams for other hosts go to the host",
                ),
        )
        .with_register(
            Register::rw("frame_max", 0x28)
                .with_reset(u64::from(cfg.mac.mtu))
                .with_doc("Largest frame in bytes, FCS included (receive limit; transmit MTU + 18)")
                .with_field("bytes", 0, 16, "Bytes"),
        )
        .with_register(
            Register::rw("tx_ifg", 0x2c)
                .with_reset(12)
                .with_doc("Inter-frame gap in bytes (XGMII MAC; at least 12)")
                .with_field("bytes", 0, 8, "Bytes"),
        )
        .with_register(
            Register::rw("arp_timeout", 0x30)
                .with_reset(ARP_TIMEOUT_RESET)
                .with_doc("Core cycles before a missed next hop may be asked for again"),
        )
        .with_register(
            Register::w1s("neigh_ctrl", 0x34)
                .with_doc("Neighbour table commands")
                .with_field("flush", 0, 1, "Write 1: forget every neighbour"),
        )
        .with_register(
            Register::rw("neigh_index", 0x38)
                .with_doc("Neighbour table entry shown by neigh_ip / neigh_mac_*")
                .with_field("index", 0, 8, "Entry"),
        )
        .with_register(Register::ro("neigh_ip", 0x3c).with_doc("IPv4 address of entry neigh_index"))
        .with_register(
            Register::ro("neigh_mac_hi", 0x40)
                .with_doc("Entry neigh_index: valid flag and MAC bytes 0..1")
                .with_field("addr", 0, 16, "MAC bytes 0 and 1")
                .with_field("valid", 31, 1, "The entry holds a neighbour"),
        )
        .with_register(Register::ro("neigh_mac_lo", 0x44).with_doc("Entry neigh_index: MAC bytes 2..5"))
        .with_register(
            Register::wo("listen_wr", 0x50)
                .with_doc("Writes one UDP listen-table entry")
                .with_field("port", 0, 16, "UDP port")
                .with_field("enable", 16, 1, "The entry listens")
                .with_field("reply", 17, 1, "1: the port receives ONC RPC replies; 0: calls")
                .with_field("index", 24, 8, "Entry"),
        )
}
