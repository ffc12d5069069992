//! The neighbour table: IPv4 address -> MAC address, learnt from ARP.
//!
//! Learning follows the packet reception algorithm of RFC 826: an ARP packet
//! (request or reply) whose sender is already in the table updates that
//! entry's MAC address; a packet addressed to us (`for_us`) whose sender is
//! not in the table adds it. A sender address of 0.0.0.0 (an RFC 5227 probe)
//! is never learnt. A new entry goes to the lowest invalid entry, or, when all
//! are valid, to the entry after the one replaced last (round robin).
//!
//! Events are registered once and applied in the next cycle, one per cycle, so
//! the table takes an event in every cycle (`s_arp_ready` is always 1). The
//! learn logic compares against the table as it is, so addresses stay unique.
//!
//! Lookups are answered `latency` cycles (1..=3) after they are presented
//! (`result_valid` follows `lookup_valid`). At latency 1 the table is
//! searched in the cycle the lookup is presented, so an event applied in that
//! cycle is not seen by it; from latency 2 the address is registered first
//! and the table is searched one cycle later (as it is after that cycle's
//! event), which keeps the logic in front of the lookup port out of the
//! compare's path. The read port for the CSR bank answers one
//! cycle after `rd_index` is presented. `cfg_neigh_flush` invalidates every
//! entry and wins over an event applied in the same cycle.
//!
//! A CAM from `hdl::stdlib::cam` has a single lookup port and no read by
//! index; the table needs two parallel compares (learning and lookup) and a
//! read port, so it compares in parallel itself.

use crate::net::meta::ArpEvent;
use hdl::prelude::*;
use hdl::stdlib::stream::{Flow, Stream};

bundle! {
    /// Ports of [`NeighbourTable`].
    pub struct NeighbourTableIo {
        /// Good ARP packets from the receive path (always taken).
        #[input]
        pub s_arp: Stream<ArpEvent>,
        /// Look `lookup_ip` up in this cycle.
        #[input]
        pub lookup_valid: Bool,
        /// The IPv4 address to look up.
        #[input]
        pub lookup_ip: Bits,
        /// The outputs below answer the lookup of `latency` cycles ago.
        pub result_valid: Bool,
        /// The address is in the table.
        pub result_hit: Bool,
        /// Its MAC address (0 on a miss).
        pub result_mac: Bits,
        /// Invalidate every entry (a pulse from the CSR bank).
        #[input]
        pub cfg_neigh_flush: Bool,
        /// Entry to read (for the CSR bank); answered one cycle later.
        #[input]
        pub rd_index: UInt,
        /// The entry read holds an address.
        pub rd_valid: Bool,
        /// Its IPv4 address.
        pub rd_ip: Bits,
        /// Its MAC address.
        pub rd_mac: Bits,
        /// A sender was added to a free entry.
        pub stat_neigh_added: Bool,
        /// A sender was added in place of a valid entry (table full).
        pub stat_neigh_replaced: Bool,
        /// An existing entry's MAC address was refreshed.
        pub stat_neigh_updated: Bool,
    }
}

/// The neighbour table: `neighbour_table_e{entries}_l{latency}`.
#[derive(Clone, Debug)]
pub struct NeighbourTable {
    /// Number of entries (at least 1).
    pub entries: u32,
    /// Cycles from a lookup to its result (1..=3).
    pub latency: u32,
}

impl NeighbourTable {
    /// Width of `rd_index`.
    pub fn index_width(&self) -> u32 {
        hdl::clog2(self.entries).max(1)
    }
}

/// The lowest index whose bit is set (0 when none is).
#[track_caller]
fn lowest(bits: &[Bool], width: u32) -> UInt {
    let mut idx = UInt::lit(0, width);
    for (i, b) in bits.iter().enumerate().rev() {
        idx = b.mux(UInt::lit(i as u128, width), idx);
    }
    idx
}

/// OR of `values[i]` over the set bits of a one-hot (or empty) `sel`.
#[track_caller]
fn one_hot_or(sel: &[Bool], values: &[Bits]) -> Bits {
    let w = values[0].width();
    sel.iter()
        .zip(values)
        .map(|(s, v)| s.repeat(w) & *v)
        .reduce(|a, b| a | b)
        .expect("at least one entry")
}

impl Component for NeighbourTable {
    type Io = NeighbourTableIo;

    fn name(&self) -> String {
        format!("neighbour_table_e{}_l{}", self.entries, self.latency)
    }

    fn io(&self) -> NeighbourTableIo {
        NeighbourTableIo {
            s_arp: Stream::ty(ArpEvent::ty()),
            lookup_valid: Bool::ty(),
            lookup_ip: Bits::ty(32),
            result_valid: Bool::ty(),
            result_hit: Bool::ty(),
            result_mac: Bits::ty(48),
            cfg_neigh_flush: Bool::ty(),
            rd_index: UInt::ty(self.index_width()),
            rd_valid: Bool::ty(),
            rd_ip: Bits::ty(32),
            rd_mac: Bits::ty(48),
            stat_neigh_added: Bool::ty(),
            stat_neigh_replaced: Bool::ty(),
            stat_neigh_updated: Bool::ty(),
        }
    }

    fn build(&self, io: &NeighbourTableIo) {
        assert!(self.entries >= 1, "a neighbour table needs an entry");
        assert!((1..=3).contains(&self.latency), "lookup latency must be 1..=3");
        let n = self.entries as usize;
        let iw = self.index_width();

        let valid: Vec<Bool> = (0..n)
            .map(|i| reg(&format!("entry{i}_valid"), Bool::ty()).init(false))
            .collect();
        let ip: Vec<Bits> = (0..n)
            .map(|i| reg(&format!("entry{i}_ip"), Bits::ty(32)))
            .collect();
        let mac: Vec<Bits> = (0..n)
            .map(|i| reg(&format!("entry{i}_mac"), Bits::ty(48)))
            .collect();

        // Learning, one registered event per cycle.
        io.s_arp.ready.set(true);
        let ev = Flow {
            valid: io.s_arp.valid,
            payload: io.s_arp.payload.clone(),
        }
        .stage("ev");
        let ev_ip = ev.payload.sender_ip;
        let known: Vec<Bool> = (0..n)
            .map(|i| (valid[i] & ip[i].is_eq(ev_ip)).named(&format!("entry{i}_is_sender")))
            .collect();
        let any_known = cat(&known).any().named("sender_known");
        let learnable = (ev.valid & ev_ip.is_ne(0)).named("learnable");
        let update = (learnable & any_known).named("update");
        let add = (learnable & !any_known & ev.payload.for_us).named("add");

        let free: Vec<Bool> = valid.iter().map(|v| !*v).collect();
        let any_free = cat(&free).any().named("any_free");
        let rr = reg("replace_next", UInt::ty(iw)).init(0);
        let victim = any_free.mux(lowest(&free, iw), rr).named("victim");
        let last = UInt::lit(u128::from(self.entries - 1), iw);
        when(add & !any_free, || {
            rr.set(rr.is_eq(last).mux(UInt::lit(0, iw), rr + 1));
        });
        for i in 0..n {
            when(update & known[i], || mac[i].set(ev.payload.sender_mac));
            when(add & victim.is_eq(i as u32), || {
                valid[i].set(true);
                ip[i].set(ev_ip);
                mac[i].set(ev.payload.sender_mac);
            });
            when(io.cfg_neigh_flush, || valid[i].set(false));
        }
        when(io.cfg_neigh_flush, || rr.set(0));
        let applied = !io.cfg_neigh_flush;
        io.stat_neigh_added.set(add & any_free & applied);
        io.stat_neigh_replaced.set(add & !any_free & applied);
        io.stat_neigh_updated.set(update & applied);

        // Lookup: addresses are unique, so at most one entry matches. From
        // latency 2 the address is registered first, so that the logic in
        // front of the lookup port and the compare are in different cycles.
        let (key_valid, key, compare_after) = if self.latency >= 2 {
            (
                reg_next_init("l0_valid", &io.lookup_valid, 0),
                reg_next("l0_ip", &io.lookup_ip),
                1,
            )
        } else {
            (io.lookup_valid, io.lookup_ip, 0)
        };
        let hits: Vec<Bool> = (0..n)
            .map(|i| (valid[i] & ip[i].is_eq(key)).named(&format!("entry{i}_is_lookup")))
            .collect();
        let mut stage = (
            reg_next_init("l1_valid", &key_valid, 0),
            reg_next("l1_hit", &cat(&hits).any()),
            reg_next("l1_mac", &one_hot_or(&hits, &mac)),
        );
        for s in 2..=self.latency - compare_after {
            stage = (
                reg_next_init(&format!("l{s}_valid"), &stage.0, 0),
                reg_next(&format!("l{s}_hit"), &stage.1),
                reg_next(&format!("l{s}_mac"), &stage.2),
            );
        }
        io.result_valid.set(stage.0);
        io.result_hit.set(stage.1);
        io.result_mac.set(stage.2);

        // Read port for the CSR bank.
        let index = if n == 1 { UInt::lit(0, iw) } else { io.rd_index };
        io.rd_valid.set(reg_next("rd_valid_q", &select(index, &valid)));
        io.rd_ip.set(reg_next("rd_ip_q", &select(index, &ip)));
        io.rd_mac.set(reg_next("rd_mac_q", &select(index, &mac)));
    }
}
