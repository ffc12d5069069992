//! `neighbour_table` against a reference model of RFC 826 learning (update a
//! known sender, add a sender only when the packet is for us, never learn
//! 0.0.0.0), invalid-first round-robin replacement and flush, checked on
//! every lookup (at each latency) and on the CSR read port.

mod net_tx_common;

use generators::net::tx::neighbour_table::NeighbourTable;
use net_tx_common::agents::{get, PulseCounter};
use net_tx_common::rtl;
use std::collections::VecDeque;
use testbenches::{rng, Agent, Result, Rng, Testbench};
use verilator::Model;

#[derive(Clone, Copy, Debug)]
struct Event {
    request: bool,
    mac: u64,
    ip: u64,
    for_us: bool,
}

/// The table as RFC 826 and our replacement rule say.
#[derive(Debug)]
struct Reference {
    entries: Vec<Option<(u64, u64)>>,
    next: usize,
    added: u64,
    replaced: u64,
    updated: u64,
}

impl Reference {
    fn new(n: usize) -> Reference {
        Reference {
            entries: vec![None; n],
            next: 0,
            added: 0,
            replaced: 0,
            updated: 0,
        }
    }

    fn learn(&mut self, e: Event) {
        if e.ip == 0 {
            return;
        }
        if let Some(entry) = self.entries.iter_mut().flatten().find(|(ip, _)| *ip == e.ip) {
            entry.1 = e.mac; // merge: update the known sender
            self.updated += 1;
        } else if e.for_us {
            let slot = match self.entries.iter().position(|x| x.is_none()) {
                Some(free) => {
                    self.added += 1;
                    free
                }
                None => {
                    let s = self.next;
                    self.next = (self.next + 1) % self.entries.len();
                    self.replaced += 1;
                    s
                }
            };
            self.entries[slot] = Some((e.ip, e.mac));
        }
    }

    fn flush(&mut self) {
        self.entries.iter_mut().for_each(|x| *x = None);
        self.next = 0;
    }

    fn lookup(&self, ip: u64) -> (bool, u64) {
        match self.entries.iter().flatten().find(|(i, _)| *i == ip) {
            Some((_, mac)) => (true, *mac),
            None => (false, 0),
        }
    }
}

/// Drives random events, lookups and flushes; checks every lookup result.
struct Driver {
    rng: Rng,
    model: Reference,
    latency: u64,
    /// The event presented in the previous cycle (applied at the next edge).
    pending: Option<Event>,
    /// Inputs of the current cycle.
    event: Option<Event>,
    lookup: Option<u64>,
    flush: bool,
    expect: VecDeque<(u64, bool, u64)>,
    /// A lookup presented at the last edge, searched at the next one
    /// (latency 2 and up): when its result is due, and the address.
    searched_next: Option<(u64, u64)>,
    cycle: u64,
    checked: u64,
    hits: u64,
    pool: Vec<u64>,
    macs: u64,
    active: bool,
}

impl Agent for Driver {
    fn sample(&mut self, m: &Model, _c: u64) -> Result<()> {
        if get(m, "result_valid") == 1 {
            let (due, hit, mac) = self.expect.pop_front().expect("a lookup was made");
            assert_eq!(due, self.cycle, "lookup latency");
            assert_eq!(get(m, "result_hit") == 1, hit, "hit at cycle {}", self.cycle);
            if hit {
                assert_eq!(get(m, "result_mac"), mac, "mac at cycle {}", self.cycle);
                self.hits += 1;
            }
            self.checked += 1;
        }
        assert!(
            self.expect.front().is_none_or(|e| e.0 > self.cycle),
            "a result is late"
        );
        // From latency 2 the table is searched one cycle after the lookup
        // is presented (the address is registered first): against the table
        // as it is before this edge's event, not the one before.
        if let Some((due, ip)) = self.searched_next.take() {
            let (hit, mac) = self.model.lookup(ip);
            self.expect.push_back((due, hit, mac));
        }
        if let Some(ip) = self.lookup {
            let due = self.cycle + self.latency;
            if self.latency >= 2 {
                self.searched_next = Some((due, ip));
            } else {
                let (hit, mac) = self.model.lookup(ip);
                self.expect.push_back((due, hit, mac));
            }
        }
        if self.flush {
            self.model.flush();
        } else if let Some(e) = self.pending {
            self.model.learn(e);
        }
        self.pending = self.event;
        Ok(())
    }

    fn drive(&mut self, m: &mut Model, _c: u64) -> Result<()> {
        self.cycle += 1;
        let r = &mut self.rng;
        self.event = (self.active && r.chance(50)).then(|| {
            self.macs += 1;
            Event {
                request: r.chance(50),
                mac: 0x5254_0000_0000 | self.macs,
                ip: *r.pick(&self.pool),
                for_us: r.chance(40),
            }
        });
        self.lookup = (self.active && r.chance(70)).then(|| *r.pick(&self.pool));
        self.flush = self.active && r.chance(1) && r.chance(30);
        let e = self.event.unwrap_or(Event {
            request: false,
            mac: 0,
            ip: 0,
            for_us: false,
        });
        let set = |m: &mut Model, p: &str, v: u64| m.set_u64(m.port(p)?, v);
        set(m, "s_arp_valid", u64::from(self.event.is_some()))?;
        set(m, "s_arp_payload_request", u64::from(e.request))?;
        set(m, "s_arp_payload_sender_mac", e.mac)?;
        set(m, "s_arp_payload_sender_ip", e.ip)?;
        set(m, "s_arp_payload_target_ip", 0x0a00_0001)?;
        set(m, "s_arp_payload_for_us", u64::from(e.for_us))?;
        set(m, "lookup_valid", u64::from(self.lookup.is_some()))?;
        set(m, "lookup_ip", self.lookup.unwrap_or(0))?;
        set(m, "cfg_neigh_flush", u64::from(self.flush))?;
        Ok(())
    }
}

fn run(entries: u32, latency: u32, cycles: u64) -> Result<()> {
    let dut = NeighbourTable { entries, latency };
    rtl::check_rtl(&rtl::elaborate(&dut), &format!("neighbour_e{entries}_l{latency}"));
    let seed = rng::seed_for(&format!("neighbour_e{entries}_l{latency}"));
    let mut tb = Testbench::new(rtl::model_of(&dut), seed);
    tb.clock("clk", 4_000)?;
    tb.reset("rst", true, 4)?;
    // Addresses 10.0.0.1 ..= 10.0.0.(2 * entries + 2), and 0.0.0.0 (a probe).
    let mut pool: Vec<u64> = (1..=u64::from(2 * entries + 2))
        .map(|i| 0x0a00_0000 | i)
        .collect();
    pool.push(0);
    let drv = tb.attach(
        "clk",
        Driver {
            rng: Rng::new(seed),
            model: Reference::new(entries as usize),
            latency: u64::from(latency),
            pending: None,
            event: None,
            lookup: None,
            flush: false,
            expect: VecDeque::new(),
            searched_next: None,
            cycle: 0,
            checked: 0,
            hits: 0,
            pool,
            macs: 0,
            active: true,
        },
    );
    let stats = PulseCounter::new(tb.model(), "stat_neigh_")?;
    let stats = tb.attach("clk", stats);
    tb.run("clk", cycles)?;
    tb.agent_mut(drv).active = false;
    tb.run("clk", 10)?;
    let d = tb.agent(drv);
    assert!(d.expect.is_empty(), "every lookup answered");
    assert!(
        d.checked > cycles / 2 && d.hits > cycles / 10,
        "lookups {} hits {}",
        d.checked,
        d.hits
    );
    assert!(d.model.replaced > 10 && d.model.updated > 10, "{:?}", d.model);
    let s = tb.agent(stats);
    assert_eq!(s.count("stat_neigh_added"), d.model.added);
    assert_eq!(s.count("stat_neigh_replaced"), d.model.replaced);
    assert_eq!(s.count("stat_neigh_updated"), d.model.updated);
    // The CSR read port lists the entries where the reference has them.
    let want = d.model.entries.clone();
    for (i, entry) in want.iter().enumerate() {
        let p = tb
            .model()
            .port("neigh_rd_index")
            .or_else(|_| tb.model().port("rd_index"))?;
        tb.model_mut().set_u64(p, i as u64)?;
        tb.run("clk", 2)?;
        let m = tb.model();
        match entry {
            Some((ip, mac)) => {
                assert_eq!(get(m, "rd_valid"), 1, "entry {i}");
                assert_eq!((get(m, "rd_ip"), get(m, "rd_mac")), (*ip, *mac), "entry {i}");
            }
            None => assert_eq!(get(m, "rd_valid"), 0, "entry {i}"),
        }
    }
    Ok(())
}

#[test]
fn learning_replacement_and_flush_follow_the_reference() -> Result<()> {
    for latency in 1..=3 {
        run(4, latency, 20_000)?;
    }
    run(8, 1, 20_000)?;
    run(1, 2, 5_000)
}
