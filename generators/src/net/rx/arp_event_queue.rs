//! `arp_event_queue`: a few ARP events waiting for the ARP block.

use crate::net::meta::ArpEvent;
use hdl::prelude::*;
use hdl::stdlib::fifo::StreamFifo;
use hdl::stdlib::stream::{Flow, Stream};

bundle! {
    /// Ports of [`ArpEventQueue`].
    pub struct ArpEventQueueIo {
        /// Events from `rx_parse` (no back-pressure).
        #[input]
        pub s_arp: Flow<ArpEvent>,
        /// Events to the ARP block.
        pub m_arp: Stream<ArpEvent>,
        /// Pulse: an event arrived while the queue was full and was dropped.
        pub stat_rx_arp_overflow: Bool,
    }
}

/// A queue of `depth` ARP events: `arp_event_queue_d{depth}`.
#[derive(Clone, Debug)]
pub struct ArpEventQueue {
    /// Events held (at least 2).
    pub depth: u32,
}

fn pack(e: &ArpEvent) -> Bits {
    cat!(e.request, e.sender_mac, e.sender_ip, e.target_ip, e.for_us)
}

const EVENT_BITS: u32 = 1 + 48 + 32 + 32 + 1;

impl Component for ArpEventQueue {
    type Io = ArpEventQueueIo;

    fn name(&self) -> String {
        format!("arp_event_queue_d{}", self.depth)
    }

    fn io(&self) -> ArpEventQueueIo {
        ArpEventQueueIo {
            s_arp: Flow::ty(ArpEvent::ty()),
            m_arp: Stream::ty(ArpEvent::ty()),
            stat_rx_arp_overflow: Bool::ty(),
        }
    }

    fn build(&self, io: &ArpEventQueueIo) {
        let q = instance(
            "u_fifo",
            &StreamFifo {
                width: EVENT_BITS,
                depth: self.depth,
            },
        );
        q.io.s.valid.set(io.s_arp.valid);
        q.io.s.payload.set(pack(&io.s_arp.payload));
        let overflow = reg("overflow", Bool::ty()).init(false);
        overflow.set(io.s_arp.valid & !q.io.s.ready);
        io.stat_rx_arp_overflow.set(overflow);
        let p = q.io.m.payload;
        let m = &io.m_arp;
        m.valid.set(q.io.m.valid);
        q.io.m.ready.set(m.ready);
        m.payload.for_us.set(p.bit(0));
        m.payload.target_ip.set(p.range(32, 1));
        m.payload.sender_ip.set(p.range(64, 33));
        m.payload.sender_mac.set(p.range(112, 65));
        m.payload.request.set(p.bit(113));
        let _ = q.io.occupancy;
    }
}
