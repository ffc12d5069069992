//! The UDP transmitter: metadata + payload in, Ethernet/IPv4/UDP frames out.
//!
//! ```text
//! s_udp_meta ─> udp_tx_route (next hop, neighbour lookup) ─┐
//! s_axis_udp ─────────────────────────────────> udp_tx_ingest (length, sum, checksums, verdict)
//!                                 ─> axis_frame_fifo (drops bad frames, metadata per frame)
//!                                 ─> header_insert (42 header bytes in front) ─> m_axis
//! ```
//!
//! The payload is stored whole in the frame FIFO while its length and sum are
//! measured; everything the header needs is known when the frame's last beat
//! is written, so the header goes out in front of the payload with no wait
//! and frames leave back to back at the full width. Dropped datagrams (aborted
//! by the sender, larger than `cfg_mtu` allows, unknown next hop) never leave
//! the FIFO; an unknown next hop also asks `arp_tx` for a request
//! (`m_arp_req`). The FIFO holds `fifo_beats` beats: a payload larger than
//! that is dropped and counted with the oversize ones.
//!
//! Header: Ethernet (next hop's MAC, `cfg_mac`, 0x0800), IPv4 (version 4,
//! IHL 5, TOS 0, identification from a counter, DF, TTL 64, protocol 17,
//! header checksum, `cfg_ip`, destination), UDP (ports, length, checksum).

use super::header_insert::HeaderInsert;
use super::udp_tx_ingest::{UdpFrameMeta, UdpTxIngest};
use super::udp_tx_route::UdpTxRoute;
use crate::net::field::header_bytes;
use crate::net::meta::UdpTxMeta;
use hdl::prelude::*;
use hdl::stdlib::axis::Axis;
use hdl::stdlib::axis_frame_fifo::{AxisFrameFifo, FrameMeta};
use hdl::stdlib::axis_frame_writer::FrameOptions;
use hdl::stdlib::stream::{Flow, Stream};

/// Bytes of the Ethernet, IPv4 and UDP headers.
pub const UDP_HEADER_BYTES: u32 = 14 + 20 + 8;

/// The 42 header bytes of a datagram, in frame order.
#[track_caller]
pub fn udp_frame_header(meta: &UdpFrameMeta, cfg_mac: Bits, cfg_ip: Bits) -> Bits {
    header_bytes(&[
        meta.mac,
        cfg_mac,
        Bits::lit(0x0800, 16),
        Bits::lit(0x45, 8),
        Bits::lit(0, 8),
        (meta.length + 28).as_bits(),
        meta.ident,
        Bits::lit(0x4000, 16),
        Bits::lit(64, 8),
        Bits::lit(17, 8),
        meta.ip_csum,
        cfg_ip,
        meta.dst_ip,
        meta.src_port,
        meta.dst_port,
        (meta.length + 8).as_bits(),
        meta.udp_csum,
    ])
}

bundle! {
    /// Ports of [`UdpTx`].
    pub struct UdpTxIo {
        /// Datagrams to send: destination and ports.
        #[input]
        pub s_udp_meta: Stream<UdpTxMeta>,
        /// Their payloads, one frame each, in the same order (`tuser[0]` on
        /// the last beat: abort).
        #[input]
        pub s_axis_udp: Axis,
        /// Frames.
        pub m_axis: Axis,
        /// Neighbour table lookup: valid.
        pub lookup_valid: Bool,
        /// Neighbour table lookup: address.
        pub lookup_ip: Bits,
        /// Neighbour table answer: known.
        #[input]
        pub result_hit: Bool,
        /// Neighbour table answer: MAC address.
        #[input]
        pub result_mac: Bits,
        /// Ask `arp_tx` for a request for this next hop.
        pub m_arp_req: Flow<Bits>,
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
        /// IPv4 MTU (payloads up to `cfg_mtu - 28` bytes are sent).
        #[input]
        pub cfg_mtu: UInt,
        /// A datagram was accepted for sending.
        pub stat_udp_sent: Bool,
        /// A datagram was dropped: the sender aborted it.
        pub stat_udp_aborted: Bool,
        /// A datagram was dropped: too large for the MTU or the buffer.
        pub stat_udp_oversize: Bool,
        /// A datagram was dropped: the next hop's address is unknown.
        pub stat_no_neighbour: Bool,
    }
}

/// The UDP transmitter: `udp_tx_d{fifo_beats}_{bits}`.
#[derive(Clone, Debug)]
pub struct UdpTx {
    /// Data bytes per beat (8, 16, 32 or 64).
    pub bytes: u32,
    /// Payload buffer in beats (a power of two).
    pub fifo_beats: u32,
    /// Frames whose metadata the buffer holds (at least 2).
    pub fifo_frames: u32,
    /// Cycles from a neighbour lookup to its answer.
    pub lookup_latency: u32,
}

impl UdpTx {
    /// The smallest power-of-two buffer holding two payloads of
    /// `max_payload` bytes at `bytes` per beat.
    pub fn fifo_beats_for(bytes: u32, max_payload: u32) -> u32 {
        (2 * max_payload.div_ceil(bytes)).next_power_of_two()
    }
}

impl Component for UdpTx {
    type Io = UdpTxIo;

    fn name(&self) -> String {
        format!("udp_tx_d{}_{}", self.fifo_beats, 8 * self.bytes)
    }

    fn io(&self) -> UdpTxIo {
        UdpTxIo {
            s_udp_meta: Stream::ty(UdpTxMeta::ty()),
            s_axis_udp: Axis::ty(self.bytes, Some(1)),
            m_axis: Axis::ty(self.bytes, Some(1)),
            lookup_valid: Bool::ty(),
            lookup_ip: Bits::ty(32),
            result_hit: Bool::ty(),
            result_mac: Bits::ty(48),
            m_arp_req: Flow::ty(Bits::ty(32)),
            cfg_mac: Bits::ty(48),
            cfg_ip: Bits::ty(32),
            cfg_netmask: Bits::ty(32),
            cfg_gateway: Bits::ty(32),
            cfg_mtu: UInt::ty(16),
            stat_udp_sent: Bool::ty(),
            stat_udp_aborted: Bool::ty(),
            stat_udp_oversize: Bool::ty(),
            stat_no_neighbour: Bool::ty(),
        }
    }

    fn build(&self, io: &UdpTxIo) {
        let route = instance(
            "u_route",
            &UdpTxRoute {
                lookup_latency: self.lookup_latency,
            },
        );
        route.io.s_meta.connect_from(&io.s_udp_meta);
        io.lookup_valid.set(route.io.lookup_valid);
        io.lookup_ip.set(route.io.lookup_ip);
        route.io.result_hit.set(io.result_hit);
        route.io.result_mac.set(io.result_mac);
        route.io.cfg_ip.set(io.cfg_ip);
        route.io.cfg_netmask.set(io.cfg_netmask);
        route.io.cfg_gateway.set(io.cfg_gateway);

        let ingest = instance(
            "u_ingest",
            &UdpTxIngest {
                bytes: self.bytes,
                max_payload: (self.fifo_beats - 1) * self.bytes,
            },
        );
        // A skid buffer: the ingest's ready comes from the buffer's free
        // space, and would otherwise reach through into the route queue's
        // read logic in the same cycle.
        ingest
            .io
            .s_route
            .connect_from(&route.io.m_route.s2m_pipe("route_skid"));
        ingest.io.s_axis.connect_from(&io.s_axis_udp);
        ingest.io.cfg_ip.set(io.cfg_ip);
        ingest.io.cfg_mtu.set(io.cfg_mtu);
        io.m_arp_req.valid.set(ingest.io.m_arp_req.valid);
        io.m_arp_req.payload.set(ingest.io.m_arp_req.payload);

        let fifo = instance(
            "u_fifo",
            &AxisFrameFifo {
                bytes: self.bytes,
                user_width: Some(1),
                depth: self.fifo_beats,
                options: FrameOptions {
                    frame_mode: true,
                    drop_bad: true,
                    drop_when_full: false,
                },
                meta: Some(FrameMeta {
                    width: UdpFrameMeta::BITS,
                    depth: self.fifo_frames,
                }),
            },
        );
        fifo.io.s_axis.connect_from(&ingest.io.m_axis);
        fifo.io.s_meta.as_ref().expect("meta").set(ingest.io.m_meta);

        let meta = UdpFrameMeta::unpack(*fifo.io.m_meta.as_ref().expect("meta"));
        let insert = instance(
            "u_insert",
            &HeaderInsert {
                bytes: self.bytes,
                header_bytes: UDP_HEADER_BYTES,
                user_width: 1,
            },
        );
        insert.io.s_axis.connect_from(&fifo.io.m_axis);
        insert
            .io
            .s_hdr
            .set(udp_frame_header(&meta, io.cfg_mac, io.cfg_ip).named("header"));
        io.m_axis.connect_from(&insert.io.m_axis);

        io.stat_udp_sent.set(ingest.io.stat_udp_sent);
        io.stat_udp_aborted.set(ingest.io.stat_udp_aborted);
        // The ingest limit includes the buffer's size, so the FIFO never
        // drops a frame for being too large without it being counted here.
        io.stat_udp_oversize.set(ingest.io.stat_udp_oversize);
        io.stat_no_neighbour.set(ingest.io.stat_no_neighbour);
    }
}
