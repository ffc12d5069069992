//! The CSR bank and the statistics counters through Verilator, driven by the
//! AXI4-Lite master with random channel delays and back-pressure, checked
//! against Rust models written from the documented behaviour; and the C header
//! compiled by a C compiler.

use hdl::stdlib::csr::CsrBank;
use hdl::stdlib::csr_header::{c_defines, c_header};
use hdl::stdlib::csr_map::{Access, CsrMap, Register};
use hdl::stdlib::stat_counters::{StatCounters, StatEvent};
use std::collections::{BTreeMap, VecDeque};
use testbenches::axil::{AxilMaster, AxilOp, AxilPace, AxilResult, Resp};
use testbenches::rtl_check::{checked_model, out_dir};
use testbenches::{rng, Agent, Error, Handle, Result, Rng, Testbench};
use verilator::{Model, PortHandle};

/// One register of every kind, fields, a read strobe and gaps in the offsets.
fn demo_map() -> CsrMap {
    CsrMap::new("demo", 8)
        .with_register(
            Register::rw("ctrl", 0x0)
                .with_reset(0x11)
                .with_doc("Control")
                .with_field("enable", 0, 1, "On")
                .with_field("mode", 4, 3, "Mode"),
        )
        .with_register(Register::rw("scratch", 0x4).with_reset(0xdead_beef))
        .with_register(Register::ro("status", 0x8).with_read_strobe())
        .with_register(Register::w1c("events", 0xc).with_field("lost", 3, 2, "Lost words"))
        .with_register(Register::w1s("cmd", 0x10).with_reset(0x100))
        .with_register(Register::wo("doorbell", 0x20).with_reset(7))
        .with_register(Register::rw("wide", 0xfc).with_field("hi", 16, 16, "Upper half"))
}

/// The bank as the module docs describe it, register by register.
struct BankModel {
    regs: Vec<Register>,
    /// Stored value of each register, or the design's input for `ro`.
    value: BTreeMap<String, u64>,
}

/// Bits that exist in `r`: its fields, else all 32 (computed here, not by the library).
fn existing_bits(r: &Register) -> u64 {
    if r.fields.is_empty() {
        0xffff_ffff
    } else {
        r.fields
            .iter()
            .map(|f| ((1u64 << f.width) - 1) << f.lsb)
            .fold(0, |a, b| a | b)
    }
}

impl BankModel {
    fn new(map: &CsrMap) -> BankModel {
        BankModel {
            regs: map.registers.clone(),
            value: map.registers.iter().map(|r| (r.name.clone(), r.reset)).collect(),
        }
    }

    fn at(&self, addr: u64) -> Option<&Register> {
        self.regs.iter().find(|r| r.offset == addr & !3)
    }

    /// The response, and the register written with its new value.
    fn write(&mut self, addr: u64, data: u64, strb: u64) -> (Resp, Option<(String, u64)>) {
        let Some(r) = self.at(addr).cloned() else {
            return (Resp::DecErr, None);
        };
        let bytes = (0..4)
            .filter(|i| strb >> i & 1 == 1)
            .fold(0u64, |m, i| m | 0xff << (8 * i));
        let m = bytes & existing_bits(&r);
        let v = self.value.get_mut(&r.name).expect("known register");
        *v = match r.access {
            Access::Ro => return (Resp::SlvErr, None),
            Access::Rw | Access::Wo => (*v & !m) | (data & m),
            Access::W1c => *v & !(data & m),
            Access::W1s => *v | (data & m),
        };
        (Resp::Okay, Some((r.name.clone(), *v)))
    }

    fn read(&self, addr: u64) -> (u64, Resp) {
        match self.at(addr) {
            None => (0, Resp::DecErr),
            Some(r) if r.access == Access::Wo => (0, Resp::Okay),
            Some(r) => (self.value[&r.name] & existing_bits(r), Resp::Okay),
        }
    }
}

/// The design side of the bank: one-cycle pulses on `_set`/`_clear` inputs,
/// and checks of the `_wr` strobes (each write shows its value in the strobe's
/// cycle) and of the `_rd` strobe of `status`.
struct DesignSide {
    pulses: VecDeque<Vec<(PortHandle, u64)>>,
    driven: Vec<PortHandle>,
    /// Per writable register: its `_wr` and value ports, and the values expected at its strobes.
    strobes: Vec<(String, PortHandle, PortHandle)>,
    expected: BTreeMap<String, VecDeque<u64>>,
    status_rd: PortHandle,
    status_reads: u64,
    /// The cycles in which pulses were driven.
    pulse_cycles: Vec<u64>,
}

impl DesignSide {
    fn new(m: &Model, map: &CsrMap) -> Result<DesignSide> {
        let mut strobes = Vec::new();
        for r in map.registers.iter().filter(|r| r.access.is_writable()) {
            strobes.push((
                r.name.clone(),
                m.port(&format!("{}_wr", r.name))?,
                m.port(&r.name)?,
            ));
        }
        Ok(DesignSide {
            pulses: VecDeque::new(),
            driven: Vec::new(),
            strobes,
            expected: BTreeMap::new(),
            status_rd: m.port("status_rd")?,
            status_reads: 0,
            pulse_cycles: Vec::new(),
        })
    }
}

impl Agent for DesignSide {
    fn sample(&mut self, m: &Model, cycle: u64) -> Result<()> {
        for (name, wr, value) in &self.strobes {
            if m.get_u64(*wr)? == 1 {
                let got = m.get_u64(*value)?;
                match self.expected.get_mut(name).and_then(|q| q.pop_front()) {
                    Some(want) if want == got => {}
                    Some(want) => {
                        return Err(Error::Mismatch(format!(
                            "cycle {cycle}: {name}_wr with {name} = {got:#x}, expected {want:#x}"
                        )))
                    }
                    None => return Err(Error::Mismatch(format!("cycle {cycle}: unexpected {name}_wr"))),
                }
            }
        }
        self.status_reads += m.get_u64(self.status_rd)?;
        Ok(())
    }

    fn drive(&mut self, m: &mut Model, cycle: u64) -> Result<()> {
        for p in self.driven.drain(..) {
            m.set_u64(p, 0)?;
        }
        if let Some(set) = self.pulses.pop_front() {
            self.pulse_cycles.push(cycle);
            for (p, v) in set {
                m.set_u64(p, v)?;
                self.driven.push(p);
            }
        }
        Ok(())
    }

    fn is_idle(&self) -> bool {
        self.pulses.is_empty() && self.driven.is_empty()
    }
}

/// A random address: mostly registers, sometimes unmapped, any low bits.
fn random_addr(rng: &mut Rng, regs: &[&Register]) -> u64 {
    if rng.chance(85) {
        rng.pick(regs).offset | rng.below(4)
    } else {
        rng.below(256)
    }
}

fn random_strb(rng: &mut Rng) -> u64 {
    match rng.below(4) {
        0 => 0xf,
        1 => 0,
        _ => rng.below(16),
    }
}

/// Queues `ops`, runs them, and checks every result against the model.
fn run_batch(
    tb: &mut Testbench,
    master: Handle<AxilMaster>,
    side: Handle<DesignSide>,
    model: &mut BankModel,
    ops: Vec<AxilOp>,
) -> Result<Vec<AxilResult>> {
    let mut want = Vec::new();
    for op in &ops {
        match *op {
            AxilOp::Write { addr, data, strb } => {
                tb.agent_mut(master).write(addr, data, strb);
                let (resp, written) = model.write(addr, data, strb);
                if let Some((name, v)) = written {
                    tb.agent_mut(side).expected.entry(name).or_default().push_back(v);
                }
                want.push((0, resp));
            }
            AxilOp::Read { addr } => {
                tb.agent_mut(master).read(addr);
                want.push(model.read(addr));
            }
        }
    }
    tb.run_until_idle(20_000, 3)?;
    let got = tb.agent_mut(master).take_results();
    assert_eq!(got.len(), ops.len());
    for ((r, w), op) in got.iter().zip(&want).zip(&ops) {
        if (r.data, r.resp) != *w {
            return Err(Error::Mismatch(format!(
                "{op:x?}: got data {:#x} resp {:?}, expected {:#x} {:?}",
                r.data, r.resp, w.0, w.1
            )));
        }
    }
    let left: usize = tb.agent(side).expected.values().map(VecDeque::len).sum();
    assert_eq!(left, 0, "write strobes missing: {:?}", tb.agent(side).expected);
    Ok(got)
}

fn csr_bank_run(pace: AxilPace, seed: u64, test: &str) -> Result<()> {
    let map = demo_map();
    let mut tb = Testbench::new(checked_model(&CsrBank { map: map.clone() }, test), seed);
    tb.clock("clk", 4_000)?;
    tb.reset("rst", true, 3)?;
    let master = AxilMaster::new(tb.model(), "s_axil", pace)?.with_max_outstanding(3);
    let master = tb.attach("clk", master);
    let side = DesignSide::new(tb.model(), &map)?;
    let side = tb.attach("clk", side);
    let mut model = BankModel::new(&map);
    let mut rng = Rng::new(seed);
    let status = tb.model().port("status")?;
    let (events_set, cmd_clear) = (tb.model().port("events_set")?, tb.model().port("cmd_clear")?);

    // Reset values (and DECERR everywhere else) before anything is written.
    let all: Vec<AxilOp> = (0..64).map(|i| AxilOp::Read { addr: 4 * i }).collect();
    run_batch(&mut tb, master, side, &mut model, all)?;

    let regs: Vec<&Register> = map.registers.iter().collect();
    let writable: Vec<&Register> = regs.iter().copied().filter(|r| r.access.is_writable()).collect();
    let mut results = Vec::new();
    let mut reads_of_status = 1; // by the reads above
    for round in 0..120 {
        let ops: Vec<AxilOp> = match round % 4 {
            // Writes, then reads of anything.
            0 => (0..rng.range(1, 12))
                .map(|_| AxilOp::Write {
                    addr: random_addr(&mut rng, &regs),
                    data: rng.next_u64() & 0xffff_ffff,
                    strb: random_strb(&mut rng),
                })
                .collect(),
            1 => (0..rng.range(1, 12))
                .map(|_| AxilOp::Read {
                    addr: random_addr(&mut rng, &regs),
                })
                .collect(),
            // Reads and writes at once, to different registers.
            2 => {
                let target = *rng.pick(&writable);
                let others: Vec<&Register> = regs.iter().copied().filter(|r| r.name != target.name).collect();
                let mut ops = Vec::new();
                for _ in 0..rng.range(2, 16) {
                    ops.push(if rng.chance(50) {
                        AxilOp::Write {
                            addr: target.offset | rng.below(4),
                            data: rng.next_u64() & 0xffff_ffff,
                            strb: random_strb(&mut rng),
                        }
                    } else {
                        AxilOp::Read {
                            addr: random_addr(&mut rng, &others),
                        }
                    });
                }
                ops
            }
            // The design's side: a new status, sticky events, a command done.
            _ => {
                let v = rng.next_u64() & 0xffff_ffff;
                tb.model_mut().set_u64(status, v)?;
                model.value.insert("status".into(), v);
                let set = rng.next_u64() & 0xffff_ffff;
                let clear = rng.next_u64() & 0xffff_ffff;
                tb.agent_mut(side).pulses.push_back(vec![(events_set, set)]);
                tb.agent_mut(side).pulses.push_back(vec![(cmd_clear, clear)]);
                *model.value.get_mut("events").unwrap() |= set & 0x18;
                *model.value.get_mut("cmd").unwrap() &= !clear;
                tb.run_until_idle(100, 2)?;
                vec![AxilOp::Read { addr: 0xc }, AxilOp::Read { addr: 0x10 }]
            }
        };
        reads_of_status += ops
            .iter()
            .filter(|op| matches!(op, AxilOp::Read { addr } if addr & !3 == 0x8))
            .count() as u64;
        results.extend(run_batch(&mut tb, master, side, &mut model, ops)?);
    }
    assert_eq!(tb.agent(side).status_reads, reads_of_status, "status_rd pulses");
    // The channels met in every order.
    let writes: Vec<&AxilResult> = results
        .iter()
        .filter(|r| matches!(r.op, AxilOp::Write { .. }))
        .collect();
    let aw_first = writes.iter().filter(|r| r.addr_cycle < r.data_cycle).count();
    let w_first = writes.iter().filter(|r| r.addr_cycle > r.data_cycle).count();
    let together = writes.len() - aw_first - w_first;
    println!(
        "{test}: {} transactions; writes: address first {aw_first}, data first {w_first}, together {together}",
        results.len()
    );
    assert!(
        aw_first > 0 && w_first > 0 && together > 0,
        "{aw_first}/{w_first}/{together}"
    );
    Ok(())
}

#[test]
fn csr_bank_matches_model_random_delays() -> Result<()> {
    let seed = rng::seed_for("csr_bank_random");
    csr_bank_run(AxilPace::random(55, seed), seed, "csr_bank_random")
}

#[test]
fn csr_bank_matches_model_bursty_delays() -> Result<()> {
    let seed = rng::seed_for("csr_bank_bursts");
    csr_bank_run(AxilPace::random_bursts(5, 6, seed), seed, "csr_bank_bursts")
}

#[test]
fn csr_bank_does_one_read_and_one_write_per_cycle() -> Result<()> {
    let map = demo_map();
    let mut tb = Testbench::new(checked_model(&CsrBank { map }, "csr_bank_always"), 1);
    tb.clock("clk", 4_000)?;
    tb.reset("rst", true, 3)?;
    let m = tb.attach("clk", AxilMaster::new(tb.model(), "s_axil", AxilPace::always())?);
    let n = 200;
    for i in 0..n {
        tb.agent_mut(m).write(0x4, i, 0xf);
        tb.agent_mut(m).read(0x0);
    }
    tb.run_until_idle(10 * n, 0)?;
    let results = tb.agent_mut(m).take_results();
    let span = |write: bool| {
        let c: Vec<u64> = results
            .iter()
            .filter(|r| matches!(r.op, AxilOp::Write { .. }) == write)
            .map(|r| r.resp_cycle)
            .collect();
        c[c.len() - 1] - c[0] + 1
    };
    assert!(results.iter().all(|r| r.resp == Resp::Okay));
    assert_eq!(span(true), n, "cycles for {n} back-to-back writes");
    assert_eq!(span(false), n, "cycles for {n} back-to-back reads");
    let first = results.iter().map(|r| r.resp_cycle).min().unwrap();
    let last = results.iter().map(|r| r.resp_cycle).max().unwrap();
    assert!(
        last - first < n + 2,
        "reads and writes overlap: {} cycles",
        last - first
    );
    assert_eq!(tb.axil(m).read(0x4)?, (n - 1, Resp::Okay));
    Ok(())
}

/// A write and a pulse from the design to the same register bits in the same
/// cycle: the design's set wins over software's clear (`w1c`), software's set
/// wins over the design's clear (`w1s`); a cycle apart, the later one wins.
#[test]
fn same_cycle_set_and_clear_lose_nothing() -> Result<()> {
    let map = demo_map();
    let mut tb = Testbench::new(
        checked_model(&CsrBank { map: map.clone() }, "csr_bank_same_cycle"),
        5,
    );
    tb.clock("clk", 4_000)?;
    tb.reset("rst", true, 3)?;
    let m = tb.attach("clk", AxilMaster::new(tb.model(), "s_axil", AxilPace::always())?);
    let side = tb.attach("clk", DesignSide::new(tb.model(), &map)?);
    let (events_set, cmd_clear) = (tb.model().port("events_set")?, tb.model().port("cmd_clear")?);
    // (register, pulse port, pulse bits, written data, pulse delay, value afterwards)
    let cases = [
        ("events", events_set, 0x08, 0x08, 0, 0x08), // set and clear together: set
        ("events", events_set, 0x08, 0x08, 1, 0x08), // set after the clear: set
        ("cmd", cmd_clear, 0x100, 0x100, 0, 0x100),  // set and clear together: set
        ("cmd", cmd_clear, 0x100, 0x100, 1, 0x000),  // clear after the set: clear
    ];
    for (name, port, bits, data, delay, after) in cases {
        let offset = map.register(name).unwrap().offset;
        // Start from a known value: events set, cmd clear.
        if name == "events" {
            tb.agent_mut(side).pulses.push_back(vec![(port, bits)]);
        } else {
            tb.agent_mut(side).pulses.push_back(vec![(port, u64::MAX >> 32)]);
        }
        tb.run_until_idle(100, 3)?;
        let before = if name == "events" { bits } else { 0 };
        assert_eq!(tb.axil(m).read(offset)?, (before, Resp::Okay));
        // The write and the pulse leave the agents in the same drive step;
        // the idle bank takes the write in that very cycle.
        for _ in 0..delay {
            tb.agent_mut(side).pulses.push_back(Vec::new());
        }
        tb.agent_mut(side).pulses.push_back(vec![(port, bits)]);
        // What `<name>_wr` shows: the write and whatever came with it.
        let with_write = match (name, delay) {
            ("events", 0) => before & !data | bits,
            ("events", _) => before & !data,
            _ => before | data,
        };
        tb.agent_mut(side)
            .expected
            .entry(name.to_string())
            .or_default()
            .push_back(with_write);
        let t = tb.agent_mut(m).write(offset, data, 0xf);
        let w = tb.axil(m).wait(t)?;
        let pulsed = *tb.agent(side).pulse_cycles.last().unwrap();
        assert_eq!(
            (w.addr_cycle, w.data_cycle),
            (pulsed - delay, pulsed - delay),
            "{name}: write cycle"
        );
        tb.run_until_idle(100, 3)?;
        assert_eq!(
            tb.axil(m).read(offset)?,
            (after, Resp::Okay),
            "{name}, pulse {delay} cycle(s) after"
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Statistics counters.

/// Drives the `stat_*` inputs with random pulses and amounts, and remembers the
/// running totals before every cycle.
struct EventDriver {
    ports: Vec<PortHandle>,
    /// Per input: largest amount (1 for pulses).
    max: Vec<u64>,
    /// Percent of cycles with an event, per input.
    percent: u32,
    /// Drive the largest amount in every cycle (to reach the 32-bit boundary fast).
    flat_out: bool,
    rng: Rng,
    first_cycle: Option<u64>,
    /// `totals[i]`: sums over the cycles before `first_cycle + i`.
    totals: Vec<Vec<u64>>,
    /// Cycles from an input to its counter.
    latency: u64,
}

impl EventDriver {
    fn new(m: &Model, events: &[StatEvent], latency: u64, seed: u64) -> Result<EventDriver> {
        Ok(EventDriver {
            ports: events
                .iter()
                .map(|e| m.port(&format!("stat_{}", e.name)))
                .collect::<std::result::Result<_, _>>()?,
            max: events.iter().map(|e| (1u64 << e.width) - 1).collect(),
            percent: 0,
            flat_out: false,
            rng: Rng::new(seed),
            first_cycle: None,
            totals: Vec::new(),
            latency,
        })
    }

    /// Totals the counters have seen before cycle `c` (events driven in
    /// cycles `< c - latency`).
    fn before(&self, c: u64) -> &[u64] {
        let first = self.first_cycle.expect("driven");
        let i = (c.saturating_sub(self.latency).max(first) - first) as usize;
        &self.totals[i.min(self.totals.len() - 1)]
    }

    fn now(&self) -> &[u64] {
        self.totals.last().expect("driven")
    }
}

impl Agent for EventDriver {
    fn sample(&mut self, _m: &Model, _cycle: u64) -> Result<()> {
        Ok(())
    }

    fn drive(&mut self, m: &mut Model, cycle: u64) -> Result<()> {
        if self.first_cycle.is_none() {
            self.first_cycle = Some(cycle);
            self.totals.push(vec![0; self.ports.len()]);
        }
        let mut next = self.totals.last().expect("totals").clone();
        for (i, p) in self.ports.iter().enumerate() {
            let v = if self.flat_out {
                self.max[i]
            } else if self.rng.chance(self.percent) {
                self.rng.range(1, self.max[i])
            } else {
                0
            };
            m.set_u64(*p, v)?;
            next[i] += v;
        }
        // Inputs set now are counted at the edge that ends this cycle.
        self.totals.push(next);
        Ok(())
    }
}

/// Reads counter `i` (`_lo` then `_hi` for 64-bit counters) as one transaction
/// pair; returns the value and the cycles that bound the moment it was taken.
fn read_counter(
    tb: &mut Testbench,
    m: Handle<AxilMaster>,
    s: &StatCounters,
    i: usize,
) -> Result<(u64, u64, u64)> {
    let off = s.counter_offset(i);
    let lo = tb.agent_mut(m).read(off);
    let hi = (s.counter_bits == 64).then(|| tb.agent_mut(m).read(off + 4));
    let lo = tb.axil(m).wait(lo)?;
    assert_eq!(lo.resp, Resp::Okay);
    let hi_value = match hi {
        Some(t) => {
            let r = tb.axil(m).wait(t)?;
            assert_eq!(r.resp, Resp::Okay);
            r.data
        }
        None => 0,
    };
    Ok((hi_value << 32 | lo.data, lo.addr_cycle, lo.resp_cycle))
}

fn stat_counters_run(bits: u32, registered_inputs: bool, test: &str) -> Result<()> {
    let events = vec![
        StatEvent::pulse("rx_bad_fcs", "Bad FCS"),
        StatEvent::pulse("rx_runt", "Runts"),
        StatEvent::pulse("tx_no_neighbour", "No neighbour"),
        StatEvent::amount("rx_bytes", 16, "Bytes received"),
    ];
    let s = StatCounters {
        bank: format!("stats{bits}{}", if registered_inputs { "r" } else { "" }),
        counter_bits: bits,
        events: events.clone(),
        registered_inputs,
    };
    let seed = rng::seed_for(test);
    let mut tb = Testbench::new(checked_model(&s, test), seed);
    tb.clock("clk", 4_000)?;
    tb.reset("rst", true, 3)?;
    let m = AxilMaster::new(tb.model(), "s_axil", AxilPace::random(60, seed))?.with_timeout(2_000);
    let m = tb.attach("clk", m);
    let d = tb.attach(
        "clk",
        EventDriver::new(tb.model(), &events, s.input_latency(), seed ^ 7)?,
    );
    let wrap = |v: u64| if bits == 64 { v } else { v & 0xffff_ffff };
    let n = events.len();

    assert_eq!(tb.axil(m).read(0x4)?, (s.info(), Resp::Okay), "info");
    assert_eq!(tb.axil(m).write(0x4, 0)?, Resp::SlvErr, "info is read-only");
    assert_eq!(tb.axil(m).read(s.counter_offset(n))?.1, Resp::DecErr);

    // Exact: random pulses (several in one cycle), then quiet, then compare.
    let exact = |tb: &mut Testbench, base: &[u64]| -> Result<()> {
        tb.agent_mut(d).percent = 0;
        tb.run("clk", 2)?;
        let want: Vec<u64> = tb
            .agent(d)
            .now()
            .iter()
            .zip(base)
            .map(|(a, b)| wrap(a - b))
            .collect();
        for (i, w) in want.iter().enumerate() {
            let (got, _, _) = read_counter(tb, m, &s, i)?;
            assert_eq!(got, *w, "counter {} ({})", i, events[i].name);
        }
        Ok(())
    };
    let zero = vec![0; n];
    for percent in [30, 70, 100] {
        tb.agent_mut(d).percent = percent;
        tb.run("clk", 300)?;
        exact(&mut tb, &zero)?;
    }

    // While counting: a read lies between the totals at its address and response cycles.
    tb.agent_mut(d).percent = 50;
    let mut rng = Rng::new(seed);
    for _ in 0..40 {
        let i = rng.below(n as u64) as usize;
        let (got, a, r) = read_counter(&mut tb, m, &s, i)?;
        let (lo, hi) = (tb.agent(d).before(a)[i], tb.agent(d).before(r)[i]);
        assert!((lo..=hi).contains(&got), "counter {i}: {got} outside {lo}..={hi}");
    }

    // Clear while counting: afterwards the counters hold what came since the clear.
    let t = tb.agent_mut(m).write(0x0, 1, 0xf);
    let w = tb.axil(m).wait(t)?;
    assert_eq!(w.resp, Resp::Okay);
    let earliest = w.addr_cycle.max(w.data_cycle) + 1;
    let since_earliest = tb.agent(d).before(earliest).to_vec();
    let since_latest = tb.agent(d).before(w.resp_cycle).to_vec();
    for i in 0..n {
        let (got, a, r) = read_counter(&mut tb, m, &s, i)?;
        let lo = tb.agent(d).before(a)[i] - since_latest[i];
        let hi = tb.agent(d).before(r)[i] - since_earliest[i];
        assert!(
            (lo..=hi).contains(&got),
            "after clear, counter {i}: {got} outside {lo}..={hi}"
        );
    }
    assert_eq!(
        tb.axil(m).read(0x0)?,
        (0, Resp::Okay),
        "the clear bit clears itself"
    );

    // Quiet clear: everything reads 0, then counts from there.
    tb.agent_mut(d).percent = 0;
    tb.run("clk", 2)?;
    assert_eq!(tb.axil(m).write(0x0, 1)?, Resp::Okay);
    let base = tb.agent(d).now().to_vec();
    exact(&mut tb, &base)?;
    tb.agent_mut(d).percent = 40;
    tb.run("clk", 500)?;
    exact(&mut tb, &base)?;

    // Across the 32-bit boundary of the byte counter: run flat out to just
    // below it, then read while it crosses (and wraps, for 32-bit counters).
    let bytes = n - 1;
    let max = (1u64 << 16) - 1;
    let boundary = 1u64 << 32;
    let start = tb.agent(d).now()[bytes] - base[bytes];
    let cycles = (boundary - 40 * max).saturating_sub(start) / max;
    tb.agent_mut(d).flat_out = true;
    tb.run("clk", cycles)?;
    let mut crossed = false;
    for _ in 0..40 {
        let (got, a, r) = read_counter(&mut tb, m, &s, bytes)?;
        let lo = tb.agent(d).before(a)[bytes] - base[bytes];
        let hi = tb.agent(d).before(r)[bytes] - base[bytes];
        let ok = if bits == 64 {
            (lo..=hi).contains(&got)
        } else {
            // Some value of lo..=hi, modulo 2^32.
            got.wrapping_sub(lo) & 0xffff_ffff <= hi - lo
        };
        assert!(ok, "byte counter {got:#x} outside {lo:#x}..={hi:#x}");
        crossed |= lo >= boundary;
    }
    assert!(crossed, "the byte counter did not cross 2^32");
    tb.agent_mut(d).flat_out = false;
    exact(&mut tb, &base)?;
    if bits == 64 {
        // `_hi` keeps what was latched by the last `_lo` read.
        let hi_off = s.counter_offset(bytes) + 4;
        let (latched, _) = tb.axil(m).read(hi_off)?;
        tb.agent_mut(d).flat_out = true;
        tb.run("clk", 70_000)?;
        assert_eq!(
            tb.axil(m).read(hi_off)?,
            (latched, Resp::Okay),
            "_hi without a _lo read"
        );
        tb.agent_mut(d).flat_out = false;
        exact(&mut tb, &base)?;
    }
    Ok(())
}

#[test]
fn stat_counters_64_bit() -> Result<()> {
    stat_counters_run(64, false, "stat_counters_64")
}

#[test]
fn stat_counters_32_bit() -> Result<()> {
    stat_counters_run(32, false, "stat_counters_32")
}

#[test]
fn stat_counters_with_registered_inputs() -> Result<()> {
    stat_counters_run(64, true, "stat_counters_64_registered")
}

// ---------------------------------------------------------------------------
// The C header.

#[test]
fn c_header_compiles_with_the_right_values() {
    let stats = StatCounters::new(
        "nic_stats",
        vec![
            StatEvent::pulse("rx_bad_fcs", "Frames with a bad FCS */ not a comment end"),
            StatEvent::amount("rx_bytes", 16, "Bytes"),
        ],
    );
    let dir = out_dir("csr_c_header");
    let demo = c_header(&demo_map(), 0x4000_0000);
    std::fs::write(dir.join("demo.h"), &demo).unwrap();
    // A header for two banks, made of the per-bank definitions.
    let both = format!(
        "#ifndef NIC_H\n#define NIC_H\n{}\n{}#endif\n",
        c_defines(&demo_map(), 0x1000),
        c_defines(&stats.map(), 0x2000)
    );
    std::fs::write(dir.join("nic.h"), &both).unwrap();
    // Expected values written out by hand from the maps above; demo.h (twice,
    // for the include guard) and nic.h go to separate translation units.
    let demo_test = r#"#include "demo.h"
#include "demo.h"
#include <stdint.h>
_Static_assert(LAUBERHORN_DEMO_CTRL == 0x40000000u, "ctrl address");
_Static_assert(LAUBERHORN_DEMO_CTRL_RESET == 0x11u, "ctrl reset");
_Static_assert(LAUBERHORN_DEMO_CTRL_ENABLE_LSB == 0 && LAUBERHORN_DEMO_CTRL_ENABLE_WIDTH == 1, "enable");
_Static_assert(LAUBERHORN_DEMO_CTRL_ENABLE_MASK == 0x1u, "enable mask");
_Static_assert(LAUBERHORN_DEMO_CTRL_MODE_LSB == 4 && LAUBERHORN_DEMO_CTRL_MODE_WIDTH == 3, "mode");
_Static_assert(LAUBERHORN_DEMO_CTRL_MODE_MASK == 0x70u, "mode mask");
_Static_assert(LAUBERHORN_DEMO_SCRATCH == 0x40000004u, "scratch");
_Static_assert(LAUBERHORN_DEMO_SCRATCH_RESET == 0xdeadbeefu, "scratch reset");
_Static_assert(LAUBERHORN_DEMO_EVENTS_LOST_MASK == 0x18u, "lost mask");
_Static_assert(LAUBERHORN_DEMO_DOORBELL == 0x40000020u, "doorbell");
_Static_assert(LAUBERHORN_DEMO_WIDE == 0x400000fcu, "wide");
_Static_assert(LAUBERHORN_DEMO_WIDE_HI_MASK == 0xffff0000u, "wide.hi");
_Static_assert(LAUBERHORN_DEMO_CTRL_RESET <= UINT32_MAX, "fits");
uint32_t demo_scratch(volatile uint32_t *base);
uint32_t demo_scratch(volatile uint32_t *base) {
    return base[(LAUBERHORN_DEMO_SCRATCH - 0x40000000u) / 4] & LAUBERHORN_DEMO_CTRL_MODE_MASK;
}
"#;
    let nic_test = r#"#include "nic.h"
_Static_assert(LAUBERHORN_DEMO_CTRL == 0x1000u, "demo in nic.h");
_Static_assert(LAUBERHORN_DEMO_WIDE == 0x10fcu, "demo wide in nic.h");
_Static_assert(LAUBERHORN_NIC_STATS_CTRL == 0x2000u, "stats ctrl");
_Static_assert(LAUBERHORN_NIC_STATS_CTRL_CLEAR_MASK == 1u, "clear");
_Static_assert(LAUBERHORN_NIC_STATS_INFO_RESET == ((64u << 16) | 2u), "info");
_Static_assert(LAUBERHORN_NIC_STATS_RX_BAD_FCS_LO == 0x2008u, "bad fcs lo");
_Static_assert(LAUBERHORN_NIC_STATS_RX_BAD_FCS_HI == 0x200cu, "bad fcs hi");
_Static_assert(LAUBERHORN_NIC_STATS_RX_BYTES_LO == 0x2010u, "bytes lo");
_Static_assert(LAUBERHORN_NIC_STATS_RX_BYTES_HI == 0x2014u, "bytes hi");
int nic_stats_banks(void);
int nic_stats_banks(void) {
    return (int)(LAUBERHORN_NIC_STATS_INFO_RESET & LAUBERHORN_NIC_STATS_INFO_COUNT_MASK);
}
"#;
    for (file, text) in [("demo_test.c", demo_test), ("nic_test.c", nic_test)] {
        std::fs::write(dir.join(file), text).unwrap();
        let out = std::process::Command::new("cc")
            .args([
                "-std=c11",
                "-Wall",
                "-Wextra",
                "-Werror",
                "-pedantic",
                "-c",
                file,
                "-o",
            ])
            .arg(format!("{file}.o"))
            .current_dir(&dir)
            .output()
            .expect("cc");
        assert!(
            out.status.success(),
            "cc {file}:\n{}\n{}\n--- demo.h\n{demo}\n--- nic.h\n{both}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
