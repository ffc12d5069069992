//! `net_rx_<bits>`: the receive side of the network layers.
//!
//! ```text
//! s_axis ─> rx_parse ─> rx_buffer ─> rx_steer ─> m_axis_rpc + m_rpc_meta
//!              │                              ─> m_axis_icmp
//!              │                              ─> m_axis_bypass + m_bypass_class
//!              └─> arp_event_queue ─> m_arp
//! ```
//!
//! Every drop is counted by exactly one `stat_rx_*` pulse; every frame that
//! leaves by one good-frame pulse (`stat_rx_rpc`, `stat_rx_icmp`,
//! `stat_rx_bypass`, `stat_rx_arp`).

use super::arp_event_queue::ArpEventQueue;
use super::rx_buffer::RxBuffer;
use super::rx_parse::RxParse;
use super::rx_steer::RxSteer;
use super::rx_verdict::{RxDrops, RxFrameMeta};
use crate::net::meta::{ArpEvent, RpcMeta, BYPASS_CLASS_BITS};
use hdl::prelude::*;
use hdl::stdlib::axis::{Axis, AxisFlow};
use hdl::stdlib::stream::Stream;

bundle! {
    /// Ports of [`NetRx`].
    pub struct NetRxIo {
        /// Frames from the MAC (no back-pressure; `tuser[0]`: bad frame).
        #[input]
        pub s_axis: AxisFlow,
        /// Our MAC address.
        #[input]
        pub cfg_mac: Bits,
        /// Our IPv4 address.
        #[input]
        pub cfg_ip: Bits,
        /// Our subnet mask.
        #[input]
        pub cfg_netmask: Bits,
        /// Promiscuous mode: frames for other hosts go to the host.
        #[input]
        pub cfg_promiscuous: Bool,
        /// Longest frame accepted (bytes, without FCS).
        #[input]
        pub cfg_max_len: UInt,
        /// Listen-table write: enable.
        #[input]
        pub cfg_listen_wr_en: Bool,
        /// Listen-table write: entry.
        #[input]
        pub cfg_listen_wr_index: UInt,
        /// Listen-table write: the entry listens.
        #[input]
        pub cfg_listen_wr_enable: Bool,
        /// Listen-table write: UDP port.
        #[input]
        pub cfg_listen_wr_port: Bits,
        /// Listen-table write: 1 for RPC replies, 0 for calls.
        #[input]
        pub cfg_listen_wr_reply: Bool,
        /// UDP payloads of RPC datagrams.
        pub m_axis_rpc: Axis,
        /// Their metadata (see `rx_steer` for the order relation).
        pub m_rpc_meta: Stream<RpcMeta>,
        /// ICMP echo requests, whole frames.
        pub m_axis_icmp: Axis,
        /// Frames for the host, whole.
        pub m_axis_bypass: Axis,
        /// Their `BypassClass` codes.
        pub m_bypass_class: Stream<Bits>,
        /// ARP events for the ARP block.
        pub m_arp: Stream<ArpEvent>,
        /// Drop pulses, one per reason.
        pub stat_rx: RxDrops,
        /// Pulse: a kept frame did not fit in the buffer.
        pub stat_rx_overflow: Bool,
        /// Pulse: an ARP event found its queue full.
        pub stat_rx_arp_overflow: Bool,
        /// Pulse: an RPC datagram left.
        pub stat_rx_rpc: Bool,
        /// Pulse: an echo request left.
        pub stat_rx_icmp: Bool,
        /// Pulse: a host frame left.
        pub stat_rx_bypass: Bool,
        /// Pulse: a good ARP packet was reported.
        pub stat_rx_arp: Bool,
    }
}

/// The receive side for a `bytes`-wide datapath: `net_rx_{8 * bytes}`.
#[derive(Clone, Debug)]
pub struct NetRx {
    /// Bytes per beat: 8, 16, 32 or 64.
    pub bytes: u32,
    /// Entries of the UDP listen table.
    pub listen_entries: u32,
    /// Receive buffer capacity in bytes.
    pub buffer_bytes: u32,
    /// ARP events queued before they are dropped.
    pub arp_queue: u32,
}

impl NetRx {
    /// The default configuration: 16 listen entries, a buffer for two jumbo
    /// frames, 4 queued ARP events.
    pub fn new(bytes: u32) -> NetRx {
        NetRx {
            bytes,
            listen_entries: 16,
            buffer_bytes: super::rx_buffer::DEFAULT_DEPTH_BYTES,
            arp_queue: 4,
        }
    }

    fn index_width(&self) -> u32 {
        hdl::clog2(self.listen_entries).max(1)
    }

    fn buffer(&self) -> RxBuffer {
        RxBuffer {
            bytes: self.bytes,
            depth_bytes: self.buffer_bytes,
            meta_width: RxFrameMeta::width(self.index_width()),
        }
    }
}

impl Component for NetRx {
    type Io = NetRxIo;

    fn name(&self) -> String {
        let d = super::rx_buffer::DEFAULT_DEPTH_BYTES;
        let mut n = format!("net_rx_{}", 8 * self.bytes);
        if self.listen_entries != 16 || self.buffer_bytes != d || self.arp_queue != 4 {
            n += &format!(
                "_l{}_b{}_a{}",
                self.listen_entries, self.buffer_bytes, self.arp_queue
            );
        }
        n
    }

    fn io(&self) -> NetRxIo {
        let w = self.bytes;
        NetRxIo {
            s_axis: AxisFlow::ty(w, 1),
            cfg_mac: Bits::ty(48),
            cfg_ip: Bits::ty(32),
            cfg_netmask: Bits::ty(32),
            cfg_promiscuous: Bool::ty(),
            cfg_max_len: UInt::ty(16),
            cfg_listen_wr_en: Bool::ty(),
            cfg_listen_wr_index: UInt::ty(self.index_width()),
            cfg_listen_wr_enable: Bool::ty(),
            cfg_listen_wr_port: Bits::ty(16),
            cfg_listen_wr_reply: Bool::ty(),
            m_axis_rpc: Axis::ty(w, None),
            m_rpc_meta: Stream::ty(RpcMeta::ty(self.listen_entries)),
            m_axis_icmp: Axis::ty(w, None),
            m_axis_bypass: Axis::ty(w, None),
            m_bypass_class: Stream::ty(Bits::ty(BYPASS_CLASS_BITS)),
            m_arp: Stream::ty(ArpEvent::ty()),
            stat_rx: RxDrops::ty(),
            stat_rx_overflow: Bool::ty(),
            stat_rx_arp_overflow: Bool::ty(),
            stat_rx_rpc: Bool::ty(),
            stat_rx_icmp: Bool::ty(),
            stat_rx_bypass: Bool::ty(),
            stat_rx_arp: Bool::ty(),
        }
    }

    fn build(&self, io: &NetRxIo) {
        let parse = instance(
            "u_parse",
            &RxParse {
                bytes: self.bytes,
                listen_entries: self.listen_entries,
            },
        );
        let p = &parse.io;
        p.s_axis.tdata.set(io.s_axis.tdata);
        p.s_axis.tkeep.set(io.s_axis.tkeep);
        p.s_axis.tvalid.set(io.s_axis.tvalid);
        p.s_axis.tlast.set(io.s_axis.tlast);
        p.s_axis.tuser.set(io.s_axis.tuser);
        p.cfg_mac.set(io.cfg_mac);
        p.cfg_ip.set(io.cfg_ip);
        p.cfg_netmask.set(io.cfg_netmask);
        p.cfg_promiscuous.set(io.cfg_promiscuous);
        p.cfg_max_len.set(io.cfg_max_len);
        p.cfg_listen_wr_en.set(io.cfg_listen_wr_en);
        p.cfg_listen_wr_index.set(io.cfg_listen_wr_index);
        p.cfg_listen_wr_enable.set(io.cfg_listen_wr_enable);
        p.cfg_listen_wr_port.set(io.cfg_listen_wr_port);
        p.cfg_listen_wr_reply.set(io.cfg_listen_wr_reply);
        for ((_, port), (_, pulse)) in io.stat_rx.named().into_iter().zip(p.stat_rx.named()) {
            port.set(pulse);
        }

        let buf = instance("u_buffer", &self.buffer());
        buf.io.s_axis.tdata.set(p.m_axis.tdata);
        buf.io.s_axis.tkeep.set(p.m_axis.tkeep);
        buf.io.s_axis.tvalid.set(p.m_axis.tvalid);
        buf.io.s_axis.tlast.set(p.m_axis.tlast);
        buf.io.s_axis.tuser.set(p.m_axis.tuser);
        buf.io.s_meta.set(p.m_meta.pack());
        io.stat_rx_overflow.set(buf.io.stat_rx_overflow);

        let arp = instance(
            "u_arp_queue",
            &ArpEventQueue {
                depth: self.arp_queue,
            },
        );
        arp.io.s_arp.valid.set(p.m_arp.valid);
        hdl::stdlib::stream::drive_leaves(&arp.io.s_arp.payload, &p.m_arp.payload);
        io.m_arp.connect_from(&arp.io.m_arp);
        io.stat_rx_arp_overflow.set(arp.io.stat_rx_arp_overflow);
        let good_arp = reg("stat_arp", Bool::ty()).init(false);
        good_arp.set(p.m_arp.valid);
        io.stat_rx_arp.set(good_arp);

        let steer = instance(
            "u_steer",
            &RxSteer {
                bytes: self.bytes,
                listen_entries: self.listen_entries,
            },
        );
        // A register slice both ways in between: the buffer's output comes
        // from its memory through the read logic, and the steering decides
        // on the header bytes; each gets a cycle of its own.
        let (piped, meta) = buf.io.m_axis.pipe_with("steer_in", true, Some(buf.io.m_meta));
        steer.io.s_axis.connect_from(&piped);
        steer
            .io
            .s_meta
            .set(meta.expect("the metadata travels with the frame"));
        io.m_axis_rpc.connect_from(&steer.io.m_axis_rpc);
        io.m_rpc_meta.connect_from(&steer.io.m_rpc_meta);
        io.m_axis_icmp.connect_from(&steer.io.m_axis_icmp);
        io.m_axis_bypass.connect_from(&steer.io.m_axis_bypass);
        io.m_bypass_class.connect_from(&steer.io.m_bypass_class);
        io.stat_rx_rpc.set(steer.io.stat_rx_rpc);
        io.stat_rx_icmp.set(steer.io.stat_rx_icmp);
        io.stat_rx_bypass.set(steer.io.stat_rx_bypass);
    }
}
