//! `mac_port_*`: the MAC and everything between it and the core clock domain.
//!
//! ```text
//! XGMII: xgmii_rx* ─> eth_mac_10g_64 (mac_rx) ─> lost-beat guard ─> axis_async_fifo ─> adapter 8->W ─> m_axis_rx
//!        xgmii_tx* <─ eth_mac_10g_64 (mac_tx) <─ axis_async_fifo (frame mode) <─ adapter W->8 <─ s_axis_tx
//! CMAC:  rx_axis_* ─> cmac_rx_512 (mac_rx) ─> lost-beat guard ─> axis_async_fifo ───────────────> m_axis_rx
//!        tx_axis_* <─ cmac_tx_512 (mac_tx, whole frames) <─ axis_async_fifo <────────────────────── s_axis_tx
//! ```
//!
//! The receive side cannot be stalled, and the core side never stalls it
//! either: the network layers take a beat in every cycle, and the core
//! clock carries at least the line rate (the configuration checks
//! `datapath.bytes x core clock`), so the receive crossing FIFO only absorbs
//! the difference of the clocks. Should a beat ever find it full, the guard
//! counts it (`lost`) and marks the frame bad on its last beat, so a damaged
//! frame is dropped rather than delivered; if the last beat itself is lost,
//! the frame merges with the next one and both are dropped that way.
//!
//! The MAC's counters are pulses in the MAC clock domains; they cross into
//! the core domain as counts ([`EventSync`]) and leave as amounts per core
//! cycle, ready for the statistics bank. The two configuration inputs the
//! MAC uses (`cfg_ifg`, `cfg_rx_max_len`) are quasi-static registers of the
//! core domain and cross through two-flop synchronisers: change them while
//! the link is idle.

use crate::config::MacKind;
use crate::mac::cmac_rx_512::CmacRx512;
use crate::mac::cmac_tx_512::CmacTx512;
use crate::mac::eth_mac_10g_64::EthMac10g64;
use hdl::prelude::*;
use hdl::stdlib::async_fifo::synchroniser;
use hdl::stdlib::axis::{Axis, AxisFlow};
use hdl::stdlib::axis_adapter::AxisAdapter;
use hdl::stdlib::axis_async_fifo::AxisAsyncFifo;
use hdl::stdlib::axis_frame_writer::FrameOptions;
use hdl::stdlib::event_sync::EventSync;

bundle! {
    /// The XGMII pins of a 10G MAC.
    pub struct XgmiiPins {
        /// Receive data, lane 0 in bits 7..0.
        #[input]
        pub rxd: Bits,
        /// Receive control, one bit per lane.
        #[input]
        pub rxc: Bits,
        /// Transmit data.
        pub txd: Bits,
        /// Transmit control.
        pub txc: Bits,
    }
}

impl XgmiiPins {
    /// The 64-bit XGMII.
    pub fn ty() -> XgmiiPins {
        XgmiiPins {
            rxd: Bits::ty(64),
            rxc: Bits::ty(8),
            txd: Bits::ty(64),
            txc: Bits::ty(8),
        }
    }
}

bundle! {
    /// Ports of [`MacPort`]: the MAC's pins (XGMII or the CMAC's streams, by
    /// kind), the core-side streams and the MAC's counters as amounts.
    pub struct MacPortIo {
        /// XGMII pins (`xgmii_rxd`, ...), for the XGMII MAC.
        pub xgmii: Option<XgmiiPins>,
        /// The CMAC's receive stream (`rx_axis_*`), for the CMAC.
        #[input]
        pub rx_axis: Option<AxisFlow>,
        /// The CMAC's transmit stream (`tx_axis_*`), for the CMAC.
        pub tx_axis: Option<Axis>,
        /// Received frames in the core domain (`tuser[0]` on the last beat: bad).
        pub m_axis_rx: AxisFlow,
        /// Frames to send, from the core domain.
        #[input]
        pub s_axis_tx: Axis,
        /// Inter-frame gap in bytes (XGMII; ignored by the CMAC).
        #[input]
        pub cfg_ifg: UInt,
        /// Longest frame received, FCS included (XGMII; the CMAC has its own).
        #[input]
        pub cfg_rx_max_len: UInt,
        /// The MAC's events, counted since the last core cycle, in the order of
        /// [`MacPort::stat_names`].
        pub stat: Vec<UInt>,
    }
}

/// The MAC side of the NIC for one MAC kind and core datapath width:
/// `mac_port_xgmii_<bits>` or `mac_port_cmac_<bits>`. Clock domains: `mac_rx`
/// (`mac_rx_clk`, `mac_rx_rst`), `mac_tx` (`mac_tx_clk`, `mac_tx_rst`) and
/// the core (`clk`, `rst`).
#[derive(Clone, Debug)]
pub struct MacPort {
    /// Which MAC.
    pub kind: MacKind,
    /// Core datapath bytes per beat.
    pub bytes: u32,
    /// Largest frame, FCS included (sizes the transmit frame FIFOs).
    pub mtu: u32,
}

/// Bits of each event count crossing into the core domain.
pub const STAT_BITS: u32 = 4;

/// Depth of the receive crossing FIFO (beats): it only absorbs clock jitter.
const RX_CDC_DEPTH: u32 = 32;

impl MacPort {
    /// The MAC's interface bytes per beat.
    fn mac_bytes(&self) -> u32 {
        self.kind.interface_bytes()
    }

    /// Names of the counted events: `mac_rx_*` then `mac_tx_*`, then
    /// `mac_rx_lost` (beats the receive crossing could not take).
    pub fn stat_names(&self) -> Vec<&'static str> {
        let mut v = match self.kind {
            MacKind::Xgmii => vec![
                "mac_rx_pkt_good",
                "mac_rx_pkt_bad",
                "mac_rx_err_bad_fcs",
                "mac_rx_pkt_undersize",
                "mac_rx_err_oversize",
                "mac_rx_err_xgmii",
                "mac_rx_err_framing",
                "mac_rx_err_preamble",
            ],
            MacKind::Cmac => vec!["mac_rx_pkt_good", "mac_rx_pkt_bad"],
        };
        v.push("mac_rx_lost");
        v.extend(match self.kind {
            MacKind::Xgmii => vec!["mac_tx_pkt_good", "mac_tx_err_underflow", "mac_tx_err_user"],
            MacKind::Cmac => vec!["mac_tx_pkt_good", "mac_tx_pkt_bad", "mac_tx_err_oversize"],
        });
        v
    }

    /// Beats of the transmit frame FIFO at the MAC's width: two largest frames.
    fn tx_frame_depth(&self) -> u32 {
        (2 * self.mtu.div_ceil(self.mac_bytes())).next_power_of_two()
    }

    /// The adapter between the core width and the MAC width, if they differ.
    fn adapter(&self, in_bytes: u32, out_bytes: u32) -> Option<AxisAdapter> {
        (in_bytes != out_bytes).then_some(AxisAdapter {
            in_bytes,
            out_bytes,
            user_width: Some(1),
        })
    }
}

impl Component for MacPort {
    type Io = MacPortIo;

    fn name(&self) -> String {
        format!("mac_port_{}_{}", self.kind.name(), 8 * self.bytes)
    }

    fn io(&self) -> MacPortIo {
        let (xgmii, cmac) = (self.kind == MacKind::Xgmii, self.kind == MacKind::Cmac);
        assert!(
            self.bytes >= self.mac_bytes() || xgmii,
            "the CMAC needs a core datapath of at least 64 bytes"
        );
        MacPortIo {
            xgmii: xgmii.then(XgmiiPins::ty),
            rx_axis: cmac.then(|| AxisFlow::ty(64, 1)),
            tx_axis: cmac.then(|| Axis::ty(64, Some(1))),
            m_axis_rx: AxisFlow::ty(self.bytes, 1),
            s_axis_tx: Axis::ty(self.bytes, Some(1)),
            cfg_ifg: UInt::ty(8),
            cfg_rx_max_len: UInt::ty(16),
            stat: self.stat_names().iter().map(|_| UInt::ty(STAT_BITS)).collect(),
        }
    }

    fn build(&self, io: &MacPortIo) {
        let rx_cd = ClockDomain::new("mac_rx", "mac_rx_clk", Some(Reset::sync_high("mac_rx_rst")));
        let tx_cd = ClockDomain::new("mac_tx", "mac_tx_clk", Some(Reset::sync_high("mac_tx_rst")));
        let core = ClockDomain::implicit();
        let mb = self.mac_bytes();

        // The MAC itself: its receive stream, transmit input and event pulses
        // (receive side first, as in `stat_names`).
        let (mac_rx, mac_tx_in, rx_events, tx_events): (AxisFlow, Axis, Vec<Bool>, Vec<Bool>) =
            match self.kind {
                MacKind::Xgmii => {
                    let pins = io.xgmii.as_ref().expect("XGMII pins");
                    let mac = instance("u_mac", &EthMac10g64);
                    mac.connect_domain("rx", &rx_cd);
                    mac.connect_domain("tx", &tx_cd);
                    mac.io.xgmii_rxd.set(pins.rxd);
                    mac.io.xgmii_rxc.set(pins.rxc);
                    pins.txd.set(mac.io.xgmii_txd);
                    pins.txc.set(mac.io.xgmii_txc);
                    tx_cd.within(|| mac.io.cfg_ifg.set(synchroniser("cfg_ifg", io.cfg_ifg)));
                    rx_cd.within(|| {
                        mac.io
                            .cfg_rx_max_len
                            .set(synchroniser("cfg_rx_max_len", io.cfg_rx_max_len))
                    });
                    let r = &mac.io.stat_rx;
                    let t = &mac.io.stat_tx;
                    (
                        mac.io.rx_axis.clone(),
                        mac.io.tx_axis.clone(),
                        vec![
                            r.pkt_good,
                            r.pkt_bad,
                            r.err_bad_fcs,
                            r.pkt_undersize,
                            r.err_oversize,
                            r.err_xgmii,
                            r.err_framing,
                            r.err_preamble,
                        ],
                        vec![t.pkt_good, t.err_underflow, t.err_user],
                    )
                }
                MacKind::Cmac => {
                    let rx = rx_cd.within(|| instance("u_cmac_rx", &CmacRx512));
                    rx.io
                        .rx_axis
                        .connect_from(io.rx_axis.as_ref().expect("CMAC receive stream"));
                    let tx = tx_cd.within(|| {
                        instance(
                            "u_cmac_tx",
                            &CmacTx512 {
                                depth: self.tx_frame_depth(),
                            },
                        )
                    });
                    io.tx_axis
                        .as_ref()
                        .expect("CMAC transmit stream")
                        .connect_from(&tx.io.tx_axis);
                    // The CMAC takes its gap and length limits from its own configuration.
                    let _ = (io.cfg_ifg, io.cfg_rx_max_len);
                    (
                        rx.io.m_axis.clone(),
                        tx.io.s_axis.clone(),
                        vec![rx.io.stat_rx_pkt_good, rx.io.stat_rx_pkt_bad],
                        vec![
                            tx.io.stat_tx_pkt_good,
                            tx.io.stat_tx_pkt_bad,
                            tx.io.stat_tx_err_oversize,
                        ],
                    )
                }
            };

        // Receive: guard, crossing, widening.
        let rx_fifo = instance(
            "u_rx_cdc",
            &AxisAsyncFifo {
                bytes: mb,
                user_width: Some(1),
                depth: RX_CDC_DEPTH,
                options: FrameOptions::default(),
            },
        );
        rx_fifo.connect_domain("s", &rx_cd);
        rx_fifo.connect_domain("m", &core);
        let lost_beat = rx_cd.within(|| {
            let lost_beat = (mac_rx.tvalid & !rx_fifo.io.s_axis.tready).named("rx_lost_beat");
            let damaged = reg("rx_damaged", Bool::ty()).init(false);
            let s = &rx_fifo.io.s_axis;
            s.tdata.set(mac_rx.tdata);
            s.tkeep.set(mac_rx.tkeep);
            s.tvalid.set(mac_rx.tvalid);
            s.tlast.set(mac_rx.tlast);
            let user = s.tuser.as_ref().expect("tuser");
            user.set(mac_rx.tuser | (damaged | lost_beat).as_bits());
            when(lost_beat, || damaged.set(true))
                .elsewhen(s.tvalid & s.tready & s.tlast, || damaged.set(false));
            lost_beat
        });
        let rx_core = match self.adapter(mb, self.bytes) {
            Some(a) => {
                let up = instance("u_rx_widen", &a);
                up.io.s_axis.connect_from(&rx_fifo.io.m_axis);
                up.io.m_axis
            }
            None => rx_fifo.io.m_axis.clone(),
        };
        // The network layers take every beat (see the module docs).
        rx_core.tready.set(true);
        let m = &io.m_axis_rx;
        m.tdata.set(rx_core.tdata);
        m.tkeep.set(rx_core.tkeep);
        m.tvalid.set(rx_core.tvalid);
        m.tlast.set(rx_core.tlast);
        m.tuser.set(rx_core.tuser.expect("tuser"));

        // Transmit: narrowing, crossing (whole frames for XGMII; the CMAC
        // adapter holds whole frames itself).
        let tx_mac_side = match self.adapter(self.bytes, mb) {
            Some(a) => {
                let down = instance("u_tx_narrow", &a);
                down.io.s_axis.connect_from(&io.s_axis_tx);
                down.io.m_axis
            }
            None => io.s_axis_tx.clone(),
        };
        let tx_fifo = instance(
            "u_tx_cdc",
            &AxisAsyncFifo {
                bytes: mb,
                user_width: Some(1),
                depth: match self.kind {
                    MacKind::Xgmii => self.tx_frame_depth(),
                    MacKind::Cmac => 16,
                },
                options: FrameOptions {
                    frame_mode: self.kind == MacKind::Xgmii,
                    ..FrameOptions::default()
                },
            },
        );
        tx_fifo.connect_domain("s", &core);
        tx_fifo.connect_domain("m", &tx_cd);
        tx_fifo.io.s_axis.connect_from(&tx_mac_side);
        mac_tx_in.connect_from(&tx_fifo.io.m_axis);

        // Counters into the core domain.
        let mut rx_all = rx_events;
        rx_all.push(lost_beat);
        for (name, cd, events, offset) in [
            ("u_rx_events", rx_cd, &rx_all, 0),
            ("u_tx_events", tx_cd, &tx_events, rx_all.len()),
        ] {
            let sync = instance(
                name,
                &EventSync {
                    events: events.len() as u32,
                    bits: STAT_BITS,
                },
            );
            sync.connect_domain("s", &cd);
            sync.connect_domain("m", &core);
            let pulses: Vec<Bool> = events.iter().rev().copied().collect();
            sync.io.s_events.set(cat(&pulses));
            for (i, c) in sync.io.m_count.iter().enumerate() {
                io.stat[offset + i].set(*c);
            }
        }
    }
}
