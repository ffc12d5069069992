//! The Ethernet MAC: a 10G MAC on a 64-bit XGMII port and the 512-bit port
//! facing the Xilinx 100G CMAC hard MAC.
//!
//! Blocks (one component per file; port names follow verilog-ethernet, so
//! that cocotbext-eth's `XgmiiSource` / `XgmiiSink` and cocotbext-axi drive
//! them unchanged):
//! - [`axis_xgmii_rx_64::AxisXgmiiRx64`]: XGMII in, AXI-Stream out; start on
//!   lane 0 or 4, preamble/SFD check, FCS check and strip, length limits.
//! - [`axis_xgmii_tx_64::AxisXgmiiTx64`]: AXI-Stream in, XGMII out; preamble,
//!   padding, FCS, inter-frame gap with deficit idle count, underflow.
//! - [`eth_mac_10g_64::EthMac10g64`]: both, each in its own clock domain.
//! - [`cmac_rx_512::CmacRx512`]: the CMAC's receive stream mapped to ours.
//! - [`cmac_tx_512::CmacTx512`]: whole frames, padded, to the CMAC's
//!   transmit stream.
//!
//! Statistics are one-cycle pulses (`stat_rx_*`, `stat_tx_*`) plus a byte
//! count per cycle (`stat_rx_byte`, `stat_tx_byte`); the NIC top counts them.
//! The structure of the whole network path is in `docs/network.md`.

pub mod axis_xgmii_rx_64;
pub mod axis_xgmii_tx_64;
pub mod cmac_rx_512;
pub mod cmac_tx_512;
pub mod eth_mac_10g_64;
pub mod fcs;

use hdl::prelude::*;

/// XGMII idle control character (`/I/`).
pub const XGMII_IDLE: u8 = 0x07;
/// XGMII start control character (`/S/`), on lane 0 or lane 4.
pub const XGMII_START: u8 = 0xFB;
/// XGMII terminate control character (`/T/`), on any lane.
pub const XGMII_TERM: u8 = 0xFD;
/// XGMII error control character (`/E/`).
pub const XGMII_ERROR: u8 = 0xFE;
/// Preamble byte (six of them follow the start character).
pub const ETH_PRE: u8 = 0x55;
/// Start frame delimiter, the last byte before the destination address.
pub const ETH_SFD: u8 = 0xD5;
/// Smallest frame without FCS that the transmitter sends (it pads to this).
pub const MIN_FRAME_NO_FCS: u32 = 60;

/// Byte `i` (`bits[8i+7:8i]`) of a word.
#[track_caller]
pub fn lane(word: Bits, i: u32) -> Bits {
    word.range(8 * i + 7, 8 * i)
}

/// `n` copies of `byte`, lane 0 first: the 64-bit pattern of a constant word.
pub fn repeat_byte(byte: u8, n: u32) -> u128 {
    (0..n).fold(0u128, |acc, i| acc | (u128::from(byte) << (8 * i)))
}

/// A byte mask with the `n` low bits set (`n <= 8`).
pub fn low_mask(n: u32) -> u128 {
    (1u128 << n) - 1
}

/// Bits of a constant `bytes` lane-0-first (`bytes[0]` is bits 7..0).
pub fn word_of(bytes: &[u8]) -> u128 {
    bytes
        .iter()
        .enumerate()
        .fold(0u128, |acc, (i, &b)| acc | (u128::from(b) << (8 * i)))
}
