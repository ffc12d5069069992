//! `eth_mac_10g_64`: the 10G MAC, receive and transmit side, each in the
//! clock domain of its XGMII direction (`rx_clk`/`rx_rst`, `tx_clk`/`tx_rst`,
//! synchronous active-high resets). Port names are verilog-ethernet's
//! `eth_mac_10g`: `tx_axis_*` in, `rx_axis_*` out.

use super::axis_xgmii_rx_64::{AxisXgmiiRx64, RxStats};
use super::axis_xgmii_tx_64::{AxisXgmiiTx64, TxStats};
use hdl::prelude::*;
use hdl::stdlib::axis::Axis;
use hdl::stdlib::axis::AxisFlow;

bundle! {
    /// Ports of [`EthMac10g64`].
    pub struct EthMac10g64Io {
        /// Frames to send (transmit clock domain).
        #[input]
        pub tx_axis: Axis,
        /// Frames received (receive clock domain); `tuser[0]` = bad.
        pub rx_axis: AxisFlow,
        /// XGMII receive data.
        #[input]
        pub xgmii_rxd: Bits,
        /// XGMII receive control.
        #[input]
        pub xgmii_rxc: Bits,
        /// XGMII transmit data.
        pub xgmii_txd: Bits,
        /// XGMII transmit control.
        pub xgmii_txc: Bits,
        /// Nominal inter-frame gap in bytes (at least 12).
        #[input]
        pub cfg_ifg: UInt,
        /// Largest received frame, FCS included.
        #[input]
        pub cfg_rx_max_len: UInt,
        /// Receive statistics (receive clock domain).
        pub stat_rx: RxStats,
        /// Transmit statistics (transmit clock domain).
        pub stat_tx: TxStats,
    }
}

/// The 10G Ethernet MAC: `eth_mac_10g_64`.
#[derive(Clone, Debug, Default)]
pub struct EthMac10g64;

impl Component for EthMac10g64 {
    type Io = EthMac10g64Io;

    fn name(&self) -> String {
        "eth_mac_10g_64".into()
    }

    fn io(&self) -> EthMac10g64Io {
        EthMac10g64Io {
            tx_axis: Axis::ty(8, Some(1)),
            rx_axis: AxisFlow::ty(8, 1),
            xgmii_rxd: Bits::ty(64),
            xgmii_rxc: Bits::ty(8),
            xgmii_txd: Bits::ty(64),
            xgmii_txc: Bits::ty(8),
            cfg_ifg: UInt::ty(8),
            cfg_rx_max_len: UInt::ty(16),
            stat_rx: RxStats::ty(),
            stat_tx: TxStats::ty(),
        }
    }

    fn build(&self, io: &EthMac10g64Io) {
        let rx_cd = ClockDomain::new("rx", "rx_clk", Some(Reset::sync_high("rx_rst")));
        let tx_cd = ClockDomain::new("tx", "tx_clk", Some(Reset::sync_high("tx_rst")));
        let rx = rx_cd.within(|| instance("u_rx", &AxisXgmiiRx64));
        let tx = tx_cd.within(|| instance("u_tx", &AxisXgmiiTx64));

        rx.io.xgmii_rxd.set(io.xgmii_rxd);
        rx.io.xgmii_rxc.set(io.xgmii_rxc);
        rx.io.cfg_rx_max_len.set(io.cfg_rx_max_len);
        io.rx_axis.connect_from(&rx.io.m_axis);
        io.stat_rx.connect_from(&rx.io.stat_rx);

        tx.io.s_axis.connect_from(&io.tx_axis);
        tx.io.cfg_ifg.set(io.cfg_ifg);
        io.xgmii_txd.set(tx.io.xgmii_txd);
        io.xgmii_txc.set(tx.io.xgmii_txc);
        io.stat_tx.connect_from(&tx.io.stat_tx);
    }
}
