//! `lauberhorn_top`: the NIC's top level.
//!
//! ```text
//!            mac_rx_clk                      clk (core)
//! XGMII / ──> mac_port ──> m_axis_rx ──> net_rx ──> m_axis_rpc + m_rpc_meta ──> (host)
//! CMAC        (MAC, clock              │            m_axis_bypass + class  ──> (host)
//!  pins  <──  crossings,  <── s_axis_tx <── net_tx <── s_axis_bypass_tx, s_udp_meta + s_axis_udp
//!            mac_tx_clk   widths)          ^  ^ ARP events, echo requests from net_rx
//!
//! s_axil ──> axil_split ──> nic_csr (0x0000): addresses, limits, listen and neighbour tables
//!                       └─> nic_stats (0x1000): a 64-bit counter per event of every block
//! ```
//!
//! The host interface (ONC RPC, the coherent cache-line endpoint and the
//! scheduler) will take the RPC and bypass streams and feed the transmit
//! inputs; until it exists they are ports of the top. The configuration
//! itself is recorded as the annotation `nic_config`, the placement of the
//! register banks as `csr_banks` (see `lauberhorn generate`'s C header).

use super::mac_port::{MacPort, XgmiiPins};
use super::{regs, stats};
use crate::config::{MacKind, NicConfig};
use crate::net::meta::{RpcMeta, UdpTxMeta, BYPASS_CLASS_BITS};
use crate::net::rx::net_rx::NetRx;
use crate::net::tx::net_tx::NetTx;
use crate::net::tx::udp_tx::UdpTx;
use hdl::prelude::*;
use hdl::stdlib::axi_lite::AxiLite;
use hdl::stdlib::axi_lite_split::{AxiLiteSplit, Window};
use hdl::stdlib::axis::{keep_to_count, Axis, AxisFlow};
use hdl::stdlib::csr::CsrBank;
use hdl::stdlib::stat_counters::{StatCounters, StatEvent};
use hdl::stdlib::stream::Stream;

bundle! {
    /// Ports of [`LauberhornTop`] besides the clocks and resets (`clk`/`rst`
    /// for the core, `mac_rx_clk`/`mac_rx_rst` and `mac_tx_clk`/`mac_tx_rst`
    /// for the MAC).
    pub struct TopIo {
        /// XGMII pins (`xgmii_rxd`, `xgmii_rxc`, `xgmii_txd`, `xgmii_txc`), for
        /// the XGMII MAC.
        pub xgmii: Option<XgmiiPins>,
        /// The CMAC's receive stream (`rx_axis_*`), for the CMAC.
        #[input]
        pub rx_axis: Option<AxisFlow>,
        /// The CMAC's transmit stream (`tx_axis_*`), for the CMAC.
        pub tx_axis: Option<Axis>,
        /// Control and status registers.
        #[input]
        pub s_axil: AxiLite,
        /// UDP payloads of datagrams for an RPC port.
        pub m_axis_rpc: Axis,
        /// Their metadata (item k no later than the first beat of payload k).
        pub m_rpc_meta: Stream<RpcMeta>,
        /// Frames for the host, whole.
        pub m_axis_bypass: Axis,
        /// Why each went to the host (`BypassClass`).
        pub m_bypass_class: Stream<Bits>,
        /// Frames from the host to send as they are.
        #[input]
        pub s_axis_bypass_tx: Axis,
        /// Datagrams to send: addresses and ports...
        #[input]
        pub s_udp_meta: Stream<UdpTxMeta>,
        /// ...and payloads.
        #[input]
        pub s_axis_udp: Axis,
    }
}

/// The NIC top level for one configuration.
#[derive(Clone, Debug)]
pub struct LauberhornTop {
    /// The configuration (checked: see [`NicConfig::validate`]).
    pub cfg: NicConfig,
}

/// Address bits of the top's AXI4-Lite port.
pub const CSR_ADDRESS_BITS: u32 = 13;
/// Where the statistics bank starts.
pub const STATS_BASE: u64 = 0x1000;

impl LauberhornTop {
    fn mac_port(&self) -> MacPort {
        MacPort {
            kind: self.cfg.mac.kind,
            bytes: self.cfg.datapath.bytes,
            mtu: self.cfg.mac.mtu,
        }
    }

    fn net_rx(&self) -> NetRx {
        NetRx {
            listen_entries: self.cfg.tables.listen_ports,
            // Two of the largest frames.
            buffer_bytes: 2 * self.cfg.mac.mtu,
            ..NetRx::new(self.cfg.datapath.bytes)
        }
    }

    fn net_tx(&self) -> NetTx {
        let bytes = self.cfg.datapath.bytes;
        NetTx {
            neighbours: self.cfg.tables.neighbours,
            udp_fifo_beats: UdpTx::fifo_beats_for(bytes, self.cfg.mac.mtu),
            ..NetTx::new(bytes)
        }
    }
}

/// `value`'s low `width` bits (it must be at least that wide).
#[track_caller]
fn low(value: Bits, width: u32) -> Bits {
    value.range(width - 1, 0)
}

impl Component for LauberhornTop {
    type Io = TopIo;

    fn name(&self) -> String {
        super::TOP_NAME.to_string()
    }

    fn io(&self) -> TopIo {
        let bytes = self.cfg.datapath.bytes;
        let (xgmii, cmac) = (
            self.cfg.mac.kind == MacKind::Xgmii,
            self.cfg.mac.kind == MacKind::Cmac,
        );
        let rx = self.net_rx();
        TopIo {
            xgmii: xgmii.then(XgmiiPins::ty),
            rx_axis: cmac.then(|| AxisFlow::ty(64, 1)),
            tx_axis: cmac.then(|| Axis::ty(64, Some(1))),
            s_axil: AxiLite::ty(CSR_ADDRESS_BITS, 32),
            m_axis_rpc: Axis::ty(bytes, None),
            m_rpc_meta: Stream::ty(RpcMeta::ty(rx.listen_entries)),
            m_axis_bypass: Axis::ty(bytes, None),
            m_bypass_class: Stream::ty(Bits::ty(BYPASS_CLASS_BITS)),
            s_axis_bypass_tx: Axis::ty(bytes, Some(1)),
            s_udp_meta: Stream::ty(UdpTxMeta::ty()),
            s_axis_udp: Axis::ty(bytes, Some(1)),
        }
    }

    fn build(&self, io: &TopIo) {
        hdl::dsl::annotate(
            "nic_config",
            serde_json::to_value(&self.cfg).expect("a configuration serialises"),
        );
        hdl::dsl::annotate(
            "csr_banks",
            serde_json::json!([
                {"bank": "nic_csr", "instance": "u_csr", "base": 0},
                {"bank": "nic_stats", "instance": "u_stats.u_csr", "base": STATS_BASE},
            ]),
        );
        let mac_rx_cd = ClockDomain::new("mac_rx", "mac_rx_clk", Some(Reset::sync_high("mac_rx_rst")));
        let mac_tx_cd = ClockDomain::new("mac_tx", "mac_tx_clk", Some(Reset::sync_high("mac_tx_rst")));

        // Registers.
        let csr = instance(
            "u_csr",
            &CsrBank {
                map: regs::map(&self.cfg),
            },
        );
        let reg = |name: &str| csr.io.reg(name).value;
        let our_mac = cat(&[low(reg("mac_hi"), 16), reg("mac_lo")]).named("our_mac");
        let frame_max = low(reg("frame_max"), 16).as_uint().named("frame_max");

        // MAC side.
        let mac = instance("u_mac", &self.mac_port());
        mac.connect_domain("mac_rx", &mac_rx_cd);
        mac.connect_domain("mac_tx", &mac_tx_cd);
        if let (Some(top), Some(child)) = (&io.xgmii, &mac.io.xgmii) {
            top.connect_from(child);
        }
        if let (Some(top), Some(child)) = (&io.rx_axis, &mac.io.rx_axis) {
            child.connect_from(top);
        }
        if let (Some(top), Some(child)) = (&io.tx_axis, &mac.io.tx_axis) {
            top.connect_from(child);
        }
        mac.io.cfg_ifg.set(low(reg("tx_ifg"), 8).as_uint());
        mac.io.cfg_rx_max_len.set(frame_max);

        // Receive.
        let rx_cfg = self.net_rx();
        let rx = instance("u_net_rx", &rx_cfg);
        let from_mac = &mac.io.m_axis_rx;
        rx.io.s_axis.tdata.set(from_mac.tdata);
        rx.io.s_axis.tkeep.set(from_mac.tkeep);
        rx.io.s_axis.tvalid.set(from_mac.tvalid);
        rx.io.s_axis.tlast.set(from_mac.tlast);
        rx.io.s_axis.tuser.set(from_mac.tuser);
        rx.io.cfg_mac.set(our_mac);
        rx.io.cfg_ip.set(reg("ip"));
        rx.io.cfg_netmask.set(reg("netmask"));
        rx.io.cfg_promiscuous.set(reg("ctrl").bit(0));
        rx.io.cfg_max_len.set(frame_max - 4);
        let listen = reg("listen_wr");
        let index_bits = rx.io.cfg_listen_wr_index.width();
        rx.io.cfg_listen_wr_en.set(csr.io.reg("listen_wr").write_strobe());
        rx.io
            .cfg_listen_wr_index
            .set(listen.range(24 + index_bits - 1, 24).as_uint());
        rx.io.cfg_listen_wr_enable.set(listen.bit(16));
        rx.io.cfg_listen_wr_port.set(listen.range(15, 0));
        rx.io.cfg_listen_wr_reply.set(listen.bit(17));
        io.m_axis_rpc.connect_from(&rx.io.m_axis_rpc);
        io.m_rpc_meta.connect_from(&rx.io.m_rpc_meta);
        io.m_axis_bypass.connect_from(&rx.io.m_axis_bypass);
        io.m_bypass_class.connect_from(&rx.io.m_bypass_class);

        // Transmit.
        let tx = instance("u_net_tx", &self.net_tx());
        tx.io.s_arp.connect_from(&rx.io.m_arp);
        let echo = &rx.io.m_axis_icmp;
        let t = &tx.io.s_axis_icmp;
        t.tdata.set(echo.tdata);
        t.tkeep.set(echo.tkeep);
        t.tvalid.set(echo.tvalid);
        t.tlast.set(echo.tlast);
        t.tuser.as_ref().expect("tuser").set(Bits::zeros(1));
        echo.tready.set(t.tready);
        tx.io.s_udp_meta.connect_from(&io.s_udp_meta);
        tx.io.s_axis_udp.connect_from(&io.s_axis_udp);
        tx.io.s_axis_bypass_tx.connect_from(&io.s_axis_bypass_tx);
        // A skid buffer: the MAC port's back-pressure (its clock-crossing
        // FIFO's free space) would otherwise run on through the transmit
        // mux and the header insertion in the same cycle.
        mac.io.s_axis_tx.connect_from(&tx.io.m_axis.s2m_pipe("tx_to_mac"));
        tx.io.cfg_mac.set(our_mac);
        tx.io.cfg_ip.set(reg("ip"));
        tx.io.cfg_netmask.set(reg("netmask"));
        tx.io.cfg_gateway.set(reg("gateway"));
        tx.io.cfg_mtu.set(frame_max - 18);
        tx.io.cfg_arp_timeout.set(reg("arp_timeout").as_uint());
        let flush = reg("neigh_ctrl").bit(0);
        tx.io.cfg_neigh_flush.set(flush);
        csr.io
            .reg("neigh_ctrl")
            .clear_input()
            .set(flush.as_bits().zext(32));
        let index_bits = tx.io.neigh_rd_index.width();
        tx.io
            .neigh_rd_index
            .set(low(reg("neigh_index"), index_bits).as_uint());
        csr.io.reg("neigh_ip").value.set(tx.io.neigh_rd_ip);
        csr.io.reg("neigh_mac_hi").value.set(cat!(
            tx.io.neigh_rd_valid,
            Bits::zeros(15),
            tx.io.neigh_rd_mac.range(47, 32)
        ));
        csr.io
            .reg("neigh_mac_lo")
            .value
            .set(tx.io.neigh_rd_mac.range(31, 0));
        for name in ["id", "version", "features"] {
            let r = regs::map(&self.cfg)
                .register(name)
                .expect("identity register")
                .reset;
            csr.io.reg(name).value.set(Bits::lit(u128::from(r), 32));
        }

        // Statistics: every event of every block, in the core domain.
        let mut events: Vec<(String, UInt)> = Vec::new();
        let rx_in = rx.io.s_axis.clone();
        let beat_bytes = rx_in
            .tvalid
            .mux(keep_to_count(rx_in.tkeep), 0)
            .named("stat_rx_beat_bytes");
        events.push(("rx_bytes".into(), beat_bytes));
        events.push(("rx_frames".into(), (rx_in.tvalid & rx_in.tlast).as_uint()));
        let to_mac = &mac.io.s_axis_tx;
        let sent = to_mac.fire();
        let tx_beat_bytes = sent
            .mux(keep_to_count(to_mac.tkeep), 0)
            .named("stat_tx_beat_bytes");
        events.push(("tx_bytes".into(), tx_beat_bytes));
        events.push(("tx_frames".into(), (sent & to_mac.tlast).as_uint()));
        for (name, count) in self.mac_port().stat_names().iter().zip(&mac.io.stat) {
            events.push((name.to_string(), *count));
        }
        for (name, pulse) in rx.io.stat_rx.named() {
            events.push((format!("rx_{name}"), pulse.as_uint()));
        }
        for (name, pulse) in [
            ("rx_overflow", rx.io.stat_rx_overflow),
            ("rx_arp_overflow", rx.io.stat_rx_arp_overflow),
            ("rx_rpc", rx.io.stat_rx_rpc),
            ("rx_icmp", rx.io.stat_rx_icmp),
            ("rx_bypass", rx.io.stat_rx_bypass),
            ("rx_arp", rx.io.stat_rx_arp),
            ("tx_udp_sent", tx.io.stat_tx_udp_sent),
            ("tx_udp_aborted", tx.io.stat_tx_udp_aborted),
            ("tx_udp_oversize", tx.io.stat_tx_udp_oversize),
            ("tx_no_neighbour", tx.io.stat_tx_no_neighbour),
            ("tx_arp_reply", tx.io.stat_tx_arp_reply),
            ("tx_arp_request", tx.io.stat_tx_arp_request),
            ("tx_arp_reply_dropped", tx.io.stat_tx_arp_reply_dropped),
            ("tx_arp_req_suppressed", tx.io.stat_tx_arp_req_suppressed),
            ("tx_icmp_reply", tx.io.stat_tx_icmp_reply),
            ("tx_icmp_short", tx.io.stat_tx_icmp_short),
            ("tx_neigh_added", tx.io.stat_tx_neigh_added),
            ("tx_neigh_replaced", tx.io.stat_tx_neigh_replaced),
            ("tx_neigh_updated", tx.io.stat_tx_neigh_updated),
        ] {
            events.push((name.to_string(), pulse.as_uint()));
        }
        let counters = StatCounters::new(
            "nic_stats",
            events
                .iter()
                .map(|(name, v)| StatEvent::amount(name, v.width(), stats::doc(name)))
                .collect(),
        )
        // So that the counters' adders start at a flop rather than at the end
        // of a block's decision logic.
        .with_registered_inputs();
        let st = instance("u_stats", &counters);
        for (name, v) in &events {
            st.io.event(name).set(*v);
        }

        // The register banks behind one port.
        let split = instance(
            "u_axil_split",
            &AxiLiteSplit {
                addr_width: CSR_ADDRESS_BITS,
                data_width: 32,
                windows: vec![
                    Window {
                        base: 0,
                        bits: regs::ADDRESS_BITS,
                    },
                    Window {
                        base: STATS_BASE,
                        bits: 12,
                    },
                ],
            },
        );
        split.io.s_axil.connect_from(&io.s_axil);
        connect_axil(&csr.io.s_axil, &split.io.m_axil[0]);
        connect_axil(&st.io.s_axil, &split.io.m_axil[1]);
    }
}

/// Connects a slave port of fewer address bits to a master port: the slave
/// sees the low address bits (the splitter already chose it).
#[track_caller]
fn connect_axil(slave: &AxiLite, master: &AxiLite) {
    let w = slave.addr_width();
    slave.awaddr.set(master.awaddr.truncate(w));
    slave.araddr.set(master.araddr.truncate(w));
    slave.awprot.set(master.awprot);
    slave.awvalid.set(master.awvalid);
    master.awready.set(slave.awready);
    slave.wdata.set(master.wdata);
    slave.wstrb.set(master.wstrb);
    slave.wvalid.set(master.wvalid);
    master.wready.set(slave.wready);
    master.bresp.set(slave.bresp);
    master.bvalid.set(slave.bvalid);
    slave.bready.set(master.bready);
    slave.arprot.set(master.arprot);
    slave.arvalid.set(master.arvalid);
    master.arready.set(slave.arready);
    master.rdata.set(slave.rdata);
    master.rresp.set(slave.rresp);
    master.rvalid.set(slave.rvalid);
    slave.rready.set(master.rready);
}
