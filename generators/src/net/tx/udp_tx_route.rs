//! Routing for the UDP transmitter: next hop and its MAC address, ahead of the
//! payload.
//!
//! The next hop is the destination when it is on our subnet
//! (`(dst & cfg_netmask) == (cfg_ip & cfg_netmask)`), else `cfg_gateway`. Its
//! MAC address comes from the neighbour table, whose lookup port this block
//! drives; the answer arrives `lookup_latency` cycles later. Two kinds of
//! destination need no table: the limited broadcast 255.255.255.255 and the
//! broadcast address of our subnet go to ff:ff:ff:ff:ff:ff (RFC 919/922), and
//! a multicast group 224.0.0.0/4 goes to 01:00:5e plus its low 23 bits
//! (RFC 1112).
//!
//! Lookups are issued only while the result queue has room for every lookup
//! in flight, so one request moves per cycle and nothing is lost.

use crate::net::meta::UdpTxMeta;
use hdl::prelude::*;
use hdl::stdlib::fifo::StreamFifo;
use hdl::stdlib::stream::Stream;

bundle! {
    /// A datagram's metadata with its route.
    pub struct RoutedMeta {
        /// What the sender asked for.
        pub udp: UdpTxMeta,
        /// The next hop (destination or gateway).
        pub next_hop: Bits,
        /// The next hop's MAC address is known.
        pub hit: Bool,
        /// The next hop's MAC address.
        pub mac: Bits,
    }
}

impl RoutedMeta {
    /// The template.
    pub fn ty() -> RoutedMeta {
        RoutedMeta {
            udp: UdpTxMeta::ty(),
            next_hop: Bits::ty(32),
            hit: Bool::ty(),
            mac: Bits::ty(48),
        }
    }

    /// Width of [`RoutedMeta::pack`].
    pub const BITS: u32 = 32 + 16 + 16 + 32 + 1 + 48;

    /// All fields in one vector.
    #[track_caller]
    pub fn pack(&self) -> Bits {
        cat!(
            self.udp.dst_ip,
            self.udp.dst_port,
            self.udp.src_port,
            self.next_hop,
            self.hit,
            self.mac
        )
    }

    /// The fields of a [`RoutedMeta::pack`] vector.
    #[track_caller]
    pub fn unpack(v: Bits) -> RoutedMeta {
        RoutedMeta {
            udp: UdpTxMeta {
                dst_ip: v.range(144, 113),
                dst_port: v.range(112, 97),
                src_port: v.range(96, 81),
            },
            next_hop: v.range(80, 49),
            hit: v.bit(48),
            mac: v.range(47, 0),
        }
    }
}

bundle! {
    /// Ports of [`UdpTxRoute`].
    pub struct UdpTxRouteIo {
        /// Datagrams to send.
        #[input]
        pub s_meta: Stream<UdpTxMeta>,
        /// The same, routed.
        pub m_route: Stream<RoutedMeta>,
        /// Neighbour table lookup: valid.
        pub lookup_valid: Bool,
        /// Neighbour table lookup: address.
        pub lookup_ip: Bits,
        /// Neighbour table answer (`lookup_latency` cycles later): known.
        #[input]
        pub result_hit: Bool,
        /// Neighbour table answer: MAC address.
        #[input]
        pub result_mac: Bits,
        /// Our IPv4 address.
        #[input]
        pub cfg_ip: Bits,
        /// Our subnet mask.
        #[input]
        pub cfg_netmask: Bits,
        /// The default gateway.
        #[input]
        pub cfg_gateway: Bits,
    }
}

/// Next hop and neighbour lookup: `udp_tx_route_l{lookup_latency}`.
#[derive(Clone, Debug)]
pub struct UdpTxRoute {
    /// Cycles from a lookup to its answer.
    pub lookup_latency: u32,
}

impl Component for UdpTxRoute {
    type Io = UdpTxRouteIo;

    fn name(&self) -> String {
        format!("udp_tx_route_l{}", self.lookup_latency)
    }

    fn io(&self) -> UdpTxRouteIo {
        UdpTxRouteIo {
            s_meta: Stream::ty(UdpTxMeta::ty()),
            m_route: Stream::ty(RoutedMeta::ty()),
            lookup_valid: Bool::ty(),
            lookup_ip: Bits::ty(32),
            result_hit: Bool::ty(),
            result_mac: Bits::ty(48),
            cfg_ip: Bits::ty(32),
            cfg_netmask: Bits::ty(32),
            cfg_gateway: Bits::ty(32),
        }
    }

    fn build(&self, io: &UdpTxRouteIo) {
        let lat = self.lookup_latency;
        assert!(lat >= 1, "a lookup takes at least a cycle");
        let depth = lat + 4;
        let queue = instance(
            "u_queue",
            &StreamFifo {
                width: RoutedMeta::BITS,
                depth,
            },
        );
        let ow = queue.io.occupancy.width();
        // Room for this lookup and every one in flight (at most `lat`).
        let room = queue.io.occupancy.is_lt(UInt::lit(u128::from(depth - lat), ow));
        let issue = (io.s_meta.valid & room).named("issue");
        io.s_meta.ready.set(room);

        let dst = io.s_meta.payload.dst_ip;
        let mask = io.cfg_netmask;
        let on_link = (dst & mask).is_eq(io.cfg_ip & mask).named("on_link");
        let next_hop = on_link.mux(dst, io.cfg_gateway).named("next_hop");
        let broadcast =
            (dst.is_eq(Bits::ones(32)) | (on_link & (dst | mask).is_eq(Bits::ones(32)))).named("broadcast");
        let multicast = dst.range(31, 28).is_eq(0xe).named("multicast");
        let group_mac = cat(&[Bits::lit(0x01_00_5e, 24), Bits::zeros(1), dst.range(22, 0)]);
        let fixed_mac = broadcast.mux(Bits::ones(48), group_mac);
        io.lookup_valid.set(issue);
        io.lookup_ip.set(next_hop);

        // Carry the request beside its lookup for `lat` cycles.
        let mut valid = issue;
        let mut data = cat!(
            io.s_meta.payload.dst_ip,
            io.s_meta.payload.dst_port,
            io.s_meta.payload.src_port,
            next_hop
        );
        let mut fixed = broadcast | multicast;
        let mut fmac = fixed_mac;
        for s in 1..=lat {
            valid = reg_next_init(&format!("d{s}_valid"), &valid, 0);
            data = reg_next(&format!("d{s}_meta"), &data);
            fixed = reg_next(&format!("d{s}_fixed"), &fixed);
            fmac = reg_next(&format!("d{s}_fixed_mac"), &fmac);
        }
        let hit = fixed | io.result_hit;
        let mac = fixed.mux(fmac, io.result_mac);
        queue.io.s.valid.set(valid);
        queue.io.s.payload.set(cat!(data, hit, mac));

        let out = RoutedMeta::unpack(queue.io.m.payload);
        io.m_route.valid.set(queue.io.m.valid);
        queue.io.m.ready.set(io.m_route.ready);
        hdl::stdlib::stream::drive_leaves(&io.m_route.payload, &out);
    }
}
