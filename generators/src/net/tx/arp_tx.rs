//! The ARP transmitter: replies to requests for our address and requests for
//! next hops that are missing from the neighbour table (RFC 826).
//!
//! Replies: every ARP request `for_us` from the receive path queues a reply
//! (a queue of `reply_depth`); when the queue is full the request is dropped
//! and counted (the peer asks again). Events are always taken.
//!
//! Requests: a miss in the neighbour table asks for the next hop's address
//! (`s_req`). A table of `entries` recently requested addresses keeps each for
//! `cfg_arp_timeout` cycles from the moment it was asked for (and at least
//! until its request has been sent): a second miss on an address in the table
//! sends nothing, and neither does a miss when every entry is taken (at most
//! `entries` requests per timeout) or one for 0.0.0.0. Each of these is
//! counted (`stat_arp_req_suppressed`).
//!
//! Frames are 42 bytes (Ethernet 14 + ARP 28; the MAC pads them to 60):
//! a reply goes to the requester, with the requester's addresses as target
//! and ours as sender; a request is broadcast, with a zero target hardware
//! address. When both kinds wait, they take turns. A new frame starts in the
//! cycle after the last beat of the previous one is taken, so at 64 bytes a
//! frame leaves in every cycle.

use crate::net::field::header_bytes;
use crate::net::meta::ArpEvent;
use hdl::prelude::*;
use hdl::stdlib::axis::Axis;
use hdl::stdlib::fifo::StreamFifo;
use hdl::stdlib::stream::{Flow, Stream};

/// Bytes of an ARP frame before padding.
pub const ARP_FRAME_BYTES: u32 = 42;

bundle! {
    /// Ports of [`ArpTx`].
    pub struct ArpTxIo {
        /// Good ARP packets from the receive path (always taken).
        #[input]
        pub s_arp: Stream<ArpEvent>,
        /// A next hop missed in the neighbour table: ask for its address.
        #[input]
        pub s_req: Flow<Bits>,
        /// ARP frames.
        pub m_axis: Axis,
        /// Our MAC address.
        #[input]
        pub cfg_mac: Bits,
        /// Our IPv4 address.
        #[input]
        pub cfg_ip: Bits,
        /// Cycles during which an address is not asked for again.
        #[input]
        pub cfg_arp_timeout: UInt,
        /// A reply started.
        pub stat_arp_reply: Bool,
        /// A request started.
        pub stat_arp_request: Bool,
        /// A request for us was not answered: the reply queue was full.
        pub stat_arp_reply_dropped: Bool,
        /// A miss asked for no request (recently asked, table full, 0.0.0.0).
        pub stat_arp_req_suppressed: Bool,
    }
}

/// The ARP transmitter: `arp_tx_e{entries}_{bits}`.
#[derive(Clone, Debug)]
pub struct ArpTx {
    /// Data bytes per beat (8, 16, 32 or 64).
    pub bytes: u32,
    /// Recently requested addresses remembered (at least 1).
    pub entries: u32,
    /// Replies that can wait (at least 2).
    pub reply_depth: u32,
}

impl Component for ArpTx {
    type Io = ArpTxIo;

    fn name(&self) -> String {
        format!("arp_tx_e{}_{}", self.entries, 8 * self.bytes)
    }

    fn io(&self) -> ArpTxIo {
        ArpTxIo {
            s_arp: Stream::ty(ArpEvent::ty()),
            s_req: Flow::ty(Bits::ty(32)),
            m_axis: Axis::ty(self.bytes, Some(1)),
            cfg_mac: Bits::ty(48),
            cfg_ip: Bits::ty(32),
            cfg_arp_timeout: UInt::ty(32),
            stat_arp_reply: Bool::ty(),
            stat_arp_request: Bool::ty(),
            stat_arp_reply_dropped: Bool::ty(),
            stat_arp_req_suppressed: Bool::ty(),
        }
    }

    fn build(&self, io: &ArpTxIo) {
        let w = self.bytes;
        let n = self.entries as usize;
        let iw = hdl::clog2(self.entries).max(1);

        // Replies wait in a queue of {requester MAC, requester IP, asked IP}.
        io.s_arp.ready.set(true);
        let ev = &io.s_arp.payload;
        let queue = instance(
            "u_reply_queue",
            &StreamFifo {
                width: 112,
                depth: self.reply_depth,
            },
        );
        let wants_reply = (io.s_arp.valid & ev.request & ev.for_us).named("wants_reply");
        queue.io.s.valid.set(wants_reply);
        queue
            .io
            .s
            .payload
            .set(cat!(ev.sender_mac, ev.sender_ip, ev.target_ip));
        io.stat_arp_reply_dropped.set(wants_reply & !queue.io.s.ready);

        // Recently requested addresses.
        let active: Vec<Bool> = (0..n)
            .map(|i| reg(&format!("req{i}_active"), Bool::ty()).init(false))
            .collect();
        let pending: Vec<Bool> = (0..n)
            .map(|i| reg(&format!("req{i}_pending"), Bool::ty()).init(false))
            .collect();
        let ip: Vec<Bits> = (0..n).map(|i| reg(&format!("req{i}_ip"), Bits::ty(32))).collect();
        let timer: Vec<UInt> = (0..n)
            .map(|i| reg(&format!("req{i}_timer"), UInt::ty(32)).init(0))
            .collect();
        let req_ip = io.s_req.payload;
        let known = cat(&(0..n)
            .map(|i| active[i] & ip[i].is_eq(req_ip))
            .collect::<Vec<_>>())
        .any()
        .named("req_known");
        let free: Vec<Bool> = active.iter().map(|a| !*a).collect();
        let any_free = cat(&free).any().named("req_any_free");
        let insert = (io.s_req.valid & req_ip.is_ne(0) & !known & any_free).named("req_insert");
        io.stat_arp_req_suppressed.set(io.s_req.valid & !insert);
        let lowest = |bits: &[Bool], name: &str| {
            let mut idx = UInt::lit(0, iw);
            for (i, b) in bits.iter().enumerate().rev() {
                idx = b.mux(UInt::lit(i as u128, iw), idx);
            }
            idx.named(name)
        };
        let slot = lowest(&free, "req_slot");
        let any_pending = cat(&pending).any().named("any_pending");
        let next_req = lowest(&pending, "next_req");

        // The frame being sent.
        let busy = reg("busy", Bool::ty()).init(false);
        let beats = ARP_FRAME_BYTES.div_ceil(w);
        let bw = hdl::clog2(beats).max(1);
        let beat = reg("beat", UInt::ty(bw)).init(0);
        let last_beat = beat.is_eq(beats - 1).named("last_beat");
        let done = (io.m_axis.fire() & last_beat).named("frame_done");
        let can_start = (!busy | done).named("can_start");
        let prefer_req = reg("prefer_req", Bool::ty()).init(false);
        let reply_waits = queue.io.m.valid;
        let start_reply = (can_start & reply_waits & (!any_pending | !prefer_req)).named("start_reply");
        let start_req = (can_start & any_pending & (!reply_waits | prefer_req)).named("start_req");
        queue.io.m.ready.set(start_reply);
        io.stat_arp_reply.set(start_reply);
        io.stat_arp_request.set(start_req);

        for i in 0..n {
            when(active[i] & timer[i].is_ne(0), || timer[i].set(timer[i] - 1));
            when(active[i] & !pending[i] & timer[i].is_eq(0), || {
                active[i].set(false)
            });
            when(start_req & next_req.is_eq(i as u32), || pending[i].set(false));
            when(insert & slot.is_eq(i as u32), || {
                active[i].set(true);
                pending[i].set(true);
                ip[i].set(req_ip);
                timer[i].set(io.cfg_arp_timeout);
            });
        }

        // The job: whom to answer or what to ask for.
        let job_reply = reg("job_reply", Bool::ty());
        let job_mac = reg("job_mac", Bits::ty(48));
        let job_tpa = reg("job_tpa", Bits::ty(32));
        let job_spa = reg("job_spa", Bits::ty(32));
        let q = queue.io.m.payload;
        let asked = if n == 1 { ip[0] } else { select(next_req, &ip) };
        when(io.m_axis.fire(), || beat.set(beat + 1));
        when(done, || {
            busy.set(false);
            beat.set(0);
        });
        when(start_reply, || {
            job_reply.set(true);
            job_mac.set(q.range(111, 64));
            job_tpa.set(q.range(63, 32));
            job_spa.set(q.range(31, 0));
        });
        when(start_req, || {
            job_reply.set(false);
            job_mac.set(Bits::zeros(48));
            job_tpa.set(asked);
            job_spa.set(io.cfg_ip);
        });
        when(start_reply | start_req, || {
            busy.set(true);
            prefer_req.set(start_reply);
        });

        let frame = header_bytes(&[
            job_reply.mux(job_mac, Bits::ones(48)), // Ethernet destination
            io.cfg_mac,                             // Ethernet source
            Bits::lit(0x0806, 16),                  // ethertype ARP
            Bits::lit(1, 16),                       // hardware type Ethernet
            Bits::lit(0x0800, 16),                  // protocol type IPv4
            Bits::lit(6, 8),                        // hardware address length
            Bits::lit(4, 8),                        // protocol address length
            job_reply.mux(Bits::lit(2, 16), Bits::lit(1, 16)), // oper
            io.cfg_mac,                             // sender hardware address
            job_spa,                                // sender protocol address
            job_mac,                                // target hardware address
            job_tpa,                                // target protocol address
        ])
        .named("frame");
        let padded = cat(&[Bits::zeros(8 * (beats * w - ARP_FRAME_BYTES)), frame]);
        let beat_data: Vec<Bits> = (0..beats)
            .map(|b| padded.range(8 * w * (b + 1) - 1, 8 * w * b))
            .collect();
        io.m_axis.tvalid.set(busy);
        io.m_axis.tdata.set(if beats == 1 {
            beat_data[0]
        } else {
            select(beat, &beat_data)
        });
        let tail = ARP_FRAME_BYTES - (beats - 1) * w;
        let tail_keep = Bits::lit((1u128 << tail) - 1, w);
        io.m_axis.tkeep.set(last_beat.mux(tail_keep, Bits::ones(w)));
        io.m_axis.tlast.set(last_beat);
        io.m_axis.tuser.as_ref().expect("tuser").set(Bits::zeros(1));
    }
}
