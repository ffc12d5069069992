//! The transmit side of the network layers: UDP, ICMP echo replies, ARP and
//! the host's raw frames onto one AXI-Stream towards the MAC path.
//!
//! ```text
//! s_udp_meta, s_axis_udp ─> udp_tx ──────────────┐ (lookups)
//!                              │ miss             │
//! s_arp ─┬─> neighbour_table <─┘                  │
//!        └─> arp_tx <── ARP request asks ─────────┤
//! s_axis_icmp ─> icmp_echo ───────────────────────┤
//! s_axis_bypass_tx ───────────────────────────────┴─> tx_mux ─> m_axis
//! ```
//!
//! `s_arp` is always taken (the neighbour table learns one event per cycle,
//! and ARP replies wait in a queue that drops and counts when full). Every
//! event worth counting is a one-cycle `stat_tx_*` pulse; `cfg_*` inputs come
//! from the CSR bank, which also lists the neighbour table through the
//! `neigh_rd_*` port and flushes it with `cfg_neigh_flush`.

use super::arp_tx::ArpTx;
use super::icmp_echo::IcmpEcho;
use super::neighbour_table::NeighbourTable;
use super::tx_mux::TxMux;
use super::udp_tx::UdpTx;
use crate::net::meta::{ArpEvent, UdpTxMeta};
use hdl::prelude::*;
use hdl::stdlib::axis::Axis;
use hdl::stdlib::stream::Stream;

bundle! {
    /// Ports of [`NetTx`].
    pub struct NetTxIo {
        /// Good ARP packets from the receive path (always taken).
        #[input]
        pub s_arp: Stream<ArpEvent>,
        /// Echo requests from the receive path, whole frames.
        #[input]
        pub s_axis_icmp: Axis,
        /// Datagrams to send: destination and ports.
        #[input]
        pub s_udp_meta: Stream<UdpTxMeta>,
        /// Their payloads (`tuser[0]` on the last beat: abort).
        #[input]
        pub s_axis_udp: Axis,
        /// Raw frames from the host, sent as they are.
        #[input]
        pub s_axis_bypass_tx: Axis,
        /// Frames towards the MAC (`tuser[0]` on the last beat: bad frame).
        pub m_axis: Axis,
        /// Our MAC address.
        #[input]
        pub cfg_mac: Bits,
        /// Our IPv4 address.
        #[input]
        pub cfg_ip: Bits,
        /// Our subnet mask.
        #[input]
        pub cfg_netmask: Bits,
        /// The default gateway.
        #[input]
        pub cfg_gateway: Bits,
        /// IPv4 MTU (UDP payloads up to `cfg_mtu - 28` bytes are sent).
        #[input]
        pub cfg_mtu: UInt,
        /// Cycles during which an address is not asked for again by ARP.
        #[input]
        pub cfg_arp_timeout: UInt,
        /// Invalidate every neighbour (a pulse).
        #[input]
        pub cfg_neigh_flush: Bool,
        /// Neighbour entry to read; answered one cycle later.
        #[input]
        pub neigh_rd_index: UInt,
        /// The entry read holds an address.
        pub neigh_rd_valid: Bool,
        /// Its IPv4 address.
        pub neigh_rd_ip: Bits,
        /// Its MAC address.
        pub neigh_rd_mac: Bits,
        /// A datagram was accepted for sending.
        pub stat_tx_udp_sent: Bool,
        /// A datagram was dropped: the sender aborted it.
        pub stat_tx_udp_aborted: Bool,
        /// A datagram was dropped: too large.
        pub stat_tx_udp_oversize: Bool,
        /// A datagram was dropped: its next hop is unknown.
        pub stat_tx_no_neighbour: Bool,
        /// An ARP reply started.
        pub stat_tx_arp_reply: Bool,
        /// An ARP request started.
        pub stat_tx_arp_request: Bool,
        /// An ARP request for us went unanswered: the reply queue was full.
        pub stat_tx_arp_reply_dropped: Bool,
        /// A neighbour miss asked for no ARP request (rate limit).
        pub stat_tx_arp_req_suppressed: Bool,
        /// An echo reply started.
        pub stat_tx_icmp_reply: Bool,
        /// An echo request shorter than its headers was dropped.
        pub stat_tx_icmp_short: Bool,
        /// A neighbour was added to a free entry.
        pub stat_tx_neigh_added: Bool,
        /// A neighbour replaced another (table full).
        pub stat_tx_neigh_replaced: Bool,
        /// A neighbour's MAC address was refreshed.
        pub stat_tx_neigh_updated: Bool,
    }
}

/// The transmit side: `net_tx_{bits}` with the default sizes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetTx {
    /// Data bytes per beat (8, 16, 32 or 64).
    pub bytes: u32,
    /// Neighbour table entries.
    pub neighbours: u32,
    /// Neighbour lookup latency (1..=3).
    pub lookup_latency: u32,
    /// Addresses the ARP rate limiter remembers.
    pub arp_entries: u32,
    /// UDP payload buffer in beats (a power of two).
    pub udp_fifo_beats: u32,
    /// Datagrams the UDP buffer holds at once.
    pub udp_fifo_frames: u32,
}

impl NetTx {
    /// 8 neighbours, lookups in 2 cycles (the address registered before the
    /// search, see [`super::neighbour_table`]), 4 remembered ARP requests, and a
    /// UDP buffer for two 9000-byte payloads.
    pub fn new(bytes: u32) -> NetTx {
        NetTx {
            bytes,
            neighbours: 8,
            lookup_latency: 2,
            arp_entries: 4,
            udp_fifo_beats: UdpTx::fifo_beats_for(bytes, 9000),
            udp_fifo_frames: 32,
        }
    }
}

impl Component for NetTx {
    type Io = NetTxIo;

    fn name(&self) -> String {
        let bits = 8 * self.bytes;
        if *self == NetTx::new(self.bytes) {
            format!("net_tx_{bits}")
        } else {
            format!(
                "net_tx_n{}_l{}_a{}_d{}_f{}_{bits}",
                self.neighbours,
                self.lookup_latency,
                self.arp_entries,
                self.udp_fifo_beats,
                self.udp_fifo_frames
            )
        }
    }

    fn io(&self) -> NetTxIo {
        let axis = Axis::ty(self.bytes, Some(1));
        NetTxIo {
            s_arp: Stream::ty(ArpEvent::ty()),
            s_axis_icmp: axis.clone(),
            s_udp_meta: Stream::ty(UdpTxMeta::ty()),
            s_axis_udp: axis.clone(),
            s_axis_bypass_tx: axis.clone(),
            m_axis: axis,
            cfg_mac: Bits::ty(48),
            cfg_ip: Bits::ty(32),
            cfg_netmask: Bits::ty(32),
            cfg_gateway: Bits::ty(32),
            cfg_mtu: UInt::ty(16),
            cfg_arp_timeout: UInt::ty(32),
            cfg_neigh_flush: Bool::ty(),
            neigh_rd_index: UInt::ty(hdl::clog2(self.neighbours).max(1)),
            neigh_rd_valid: Bool::ty(),
            neigh_rd_ip: Bits::ty(32),
            neigh_rd_mac: Bits::ty(48),
            stat_tx_udp_sent: Bool::ty(),
            stat_tx_udp_aborted: Bool::ty(),
            stat_tx_udp_oversize: Bool::ty(),
            stat_tx_no_neighbour: Bool::ty(),
            stat_tx_arp_reply: Bool::ty(),
            stat_tx_arp_request: Bool::ty(),
            stat_tx_arp_reply_dropped: Bool::ty(),
            stat_tx_arp_req_suppressed: Bool::ty(),
            stat_tx_icmp_reply: Bool::ty(),
            stat_tx_icmp_short: Bool::ty(),
            stat_tx_neigh_added: Bool::ty(),
            stat_tx_neigh_replaced: Bool::ty(),
            stat_tx_neigh_updated: Bool::ty(),
        }
    }

    fn build(&self, io: &NetTxIo) {
        let table = instance(
            "u_neighbours",
            &NeighbourTable {
                entries: self.neighbours,
                latency: self.lookup_latency,
            },
        );
        let arp = instance(
            "u_arp",
            &ArpTx {
                bytes: self.bytes,
                entries: self.arp_entries,
                reply_depth: 4,
            },
        );
        let udp = instance(
            "u_udp",
            &UdpTx {
                bytes: self.bytes,
                fifo_beats: self.udp_fifo_beats,
                fifo_frames: self.udp_fifo_frames,
                lookup_latency: self.lookup_latency,
            },
        );
        let icmp = instance("u_icmp", &IcmpEcho { bytes: self.bytes });
        let mux = instance(
            "u_mux",
            &TxMux {
                bytes: self.bytes,
                inputs: 4,
                user_width: 1,
            },
        );

        // ARP events go to both the table and the replier; both always take.
        io.s_arp.ready.set(true);
        for s in [&table.io.s_arp, &arp.io.s_arp] {
            s.valid.set(io.s_arp.valid);
            hdl::stdlib::stream::drive_leaves(&s.payload, &io.s_arp.payload);
        }
        table.io.cfg_neigh_flush.set(io.cfg_neigh_flush);
        table.io.rd_index.set(io.neigh_rd_index);
        io.neigh_rd_valid.set(table.io.rd_valid);
        io.neigh_rd_ip.set(table.io.rd_ip);
        io.neigh_rd_mac.set(table.io.rd_mac);

        udp.io.s_udp_meta.connect_from(&io.s_udp_meta);
        udp.io.s_axis_udp.connect_from(&io.s_axis_udp);
        table.io.lookup_valid.set(udp.io.lookup_valid);
        table.io.lookup_ip.set(udp.io.lookup_ip);
        udp.io.result_hit.set(table.io.result_hit);
        udp.io.result_mac.set(table.io.result_mac);
        udp.io.cfg_mac.set(io.cfg_mac);
        udp.io.cfg_ip.set(io.cfg_ip);
        udp.io.cfg_netmask.set(io.cfg_netmask);
        udp.io.cfg_gateway.set(io.cfg_gateway);
        udp.io.cfg_mtu.set(io.cfg_mtu);

        arp.io.s_req.valid.set(udp.io.m_arp_req.valid);
        arp.io.s_req.payload.set(udp.io.m_arp_req.payload);
        arp.io.cfg_mac.set(io.cfg_mac);
        arp.io.cfg_ip.set(io.cfg_ip);
        arp.io.cfg_arp_timeout.set(io.cfg_arp_timeout);

        icmp.io.s_axis.connect_from(&io.s_axis_icmp);

        mux.io.s_axis[0].connect_from(&udp.io.m_axis);
        mux.io.s_axis[1].connect_from(&icmp.io.m_axis);
        mux.io.s_axis[2].connect_from(&arp.io.m_axis);
        mux.io.s_axis[3].connect_from(&io.s_axis_bypass_tx);
        io.m_axis.connect_from(&mux.io.m_axis);

        io.stat_tx_udp_sent.set(udp.io.stat_udp_sent);
        io.stat_tx_udp_aborted.set(udp.io.stat_udp_aborted);
        io.stat_tx_udp_oversize.set(udp.io.stat_udp_oversize);
        io.stat_tx_no_neighbour.set(udp.io.stat_no_neighbour);
        io.stat_tx_arp_reply.set(arp.io.stat_arp_reply);
        io.stat_tx_arp_request.set(arp.io.stat_arp_request);
        io.stat_tx_arp_reply_dropped.set(arp.io.stat_arp_reply_dropped);
        io.stat_tx_arp_req_suppressed.set(arp.io.stat_arp_req_suppressed);
        io.stat_tx_icmp_reply.set(icmp.io.stat_icmp_reply);
        io.stat_tx_icmp_short.set(icmp.io.stat_icmp_short);
        io.stat_tx_neigh_added.set(table.io.stat_neigh_added);
        io.stat_tx_neigh_replaced.set(table.io.stat_neigh_replaced);
        io.stat_tx_neigh_updated.set(table.io.stat_neigh_updated);
    }
}
