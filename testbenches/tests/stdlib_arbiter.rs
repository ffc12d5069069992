//! `StreamArbiter` (priority and round-robin, 1, 3 and 4 inputs) through
//! Verilator under random offers and stalls: every word is delivered exactly
//! once and in order per input, and a monitor checks each cycle's choice
//! against the policy: priority never picks a lower input while a higher one
//! offers, round-robin picks the first offering input after the last grant,
//! and with every input always offering, round-robin grant counts never differ
//! by more than one. A choice shown on the output is held until taken.

use hdl::prelude::*;
use hdl::stdlib::arbiter::{ArbiterIo, ArbiterPolicy, StreamArbiter};
use testbenches::axis::{AxisFrame, AxisSink, AxisSource, Pace};
use testbenches::rtl_check::checked_model;
use testbenches::{rng, Agent, Error, Handle, Result, Scoreboard, Testbench};
use verilator::{Model, PortHandle};

const WIDTH: u32 = 16;

fn configs() -> Vec<StreamArbiter> {
    [ArbiterPolicy::Priority, ArbiterPolicy::RoundRobin]
        .into_iter()
        .flat_map(|policy| {
            [1, 3, 4].map(|inputs| StreamArbiter {
                width: WIDTH,
                inputs,
                policy,
            })
        })
        .collect()
}

bundle! {
    /// One port set per arbiter: `a_<k>_s_<i>_*`, `a_<k>_m_*`, `a_<k>_chosen`.
    pub struct ArbiterSetIo {
        pub a: Vec<ArbiterIo>,
    }
}

/// Every arbiter side by side in one model.
#[derive(Debug)]
struct ArbiterSet;

impl Component for ArbiterSet {
    type Io = ArbiterSetIo;
    fn name(&self) -> String {
        "tb_arbiter_set".into()
    }
    fn io(&self) -> ArbiterSetIo {
        ArbiterSetIo {
            a: configs().iter().map(|c| c.io()).collect(),
        }
    }
    fn build(&self, io: &ArbiterSetIo) {
        for (k, (c, p)) in configs().iter().zip(&io.a).enumerate() {
            let u = instance(&format!("u_arb_{k}"), c);
            for (ui, pi) in u.io.s.iter().zip(&p.s) {
                ui.connect_from(pi);
            }
            p.m.connect_from(&u.io.m);
            p.chosen.set(u.io.chosen);
        }
    }
}

/// Checks every cycle's choice against the policy.
struct PolicyMonitor {
    name: String,
    policy: ArbiterPolicy,
    valids: Vec<PortHandle>,
    m_valid: PortHandle,
    m_ready: PortHandle,
    m_payload: PortHandle,
    chosen: PortHandle,
    /// The output was offered and not taken last cycle: the choice is locked.
    held: Option<u64>,
    last_grant: usize,
    grants: Vec<u64>,
    /// Check round-robin fairness on grants made while every input offers.
    fairness: bool,
    fair_grants: u64,
}

impl PolicyMonitor {
    fn new(m: &Model, k: usize, c: &StreamArbiter) -> Result<PolicyMonitor> {
        let p = |s: &str| m.port(&format!("a_{k}_{s}"));
        Ok(PolicyMonitor {
            name: format!("arbiter {k} ({:?}, {} inputs)", c.policy, c.inputs),
            policy: c.policy,
            valids: (0..c.inputs)
                .map(|i| p(&format!("s_{i}_valid")))
                .collect::<std::result::Result<_, _>>()?,
            m_valid: p("m_valid")?,
            m_ready: p("m_ready")?,
            m_payload: p("m_payload")?,
            chosen: p("chosen")?,
            held: None,
            last_grant: c.inputs - 1,
            grants: vec![0; c.inputs],
            fairness: false,
            fair_grants: 0,
        })
    }

    fn fail(&self, cycle: u64, what: String) -> Error {
        Error::Mismatch(format!("{} cycle {cycle}: {what}", self.name))
    }
}

impl Agent for PolicyMonitor {
    fn sample(&mut self, m: &Model, cycle: u64) -> Result<()> {
        let offers: Vec<bool> = self
            .valids
            .iter()
            .map(|v| m.get_u64(*v).map(|x| x == 1))
            .collect::<std::result::Result<_, _>>()?;
        let n = offers.len();
        let valid = m.get_u64(self.m_valid)? == 1;
        let chosen = m.get_u64(self.chosen)?;
        if valid != offers.iter().any(|&o| o) {
            return Err(self.fail(cycle, format!("m_valid {valid} with offers {offers:?}")));
        }
        if !valid {
            return Ok(());
        }
        let from = m.get_u64(self.m_payload)? >> 12;
        if from != chosen {
            return Err(self.fail(
                cycle,
                format!("shows a word of input {from} with chosen = {chosen}"),
            ));
        }
        let want = match (self.held, self.policy) {
            (Some(c), _) => c as usize,
            (None, ArbiterPolicy::Priority) => offers.iter().position(|&o| o).expect("an offer"),
            (None, ArbiterPolicy::RoundRobin) => (1..=n)
                .map(|d| (self.last_grant + d) % n)
                .find(|&i| offers[i])
                .expect("an offer"),
        };
        if chosen as usize != want {
            return Err(self.fail(
                cycle,
                format!(
                    "chose {chosen}, policy says {want} (offers {offers:?}, last grant {}, held {:?})",
                    self.last_grant, self.held
                ),
            ));
        }
        if m.get_u64(self.m_ready)? == 1 {
            self.held = None;
            self.last_grant = want;
            self.grants[want] += 1;
            if self.fairness && self.policy == ArbiterPolicy::RoundRobin && offers.iter().all(|&o| o) {
                self.fair_grants += 1;
                let (lo, hi) = (self.grants.iter().min(), self.grants.iter().max());
                if hi.zip(lo).is_some_and(|(h, l)| h - l > 1) {
                    return Err(self.fail(cycle, format!("unfair grants {:?}", self.grants)));
                }
            }
        } else {
            self.held = Some(chosen);
        }
        Ok(())
    }

    fn drive(&mut self, _m: &mut Model, _cycle: u64) -> Result<()> {
        Ok(())
    }
}

fn word(input: usize, seq: u64) -> Vec<u8> {
    ((input as u16) << 12 | seq as u16).to_le_bytes().to_vec()
}

struct Lane {
    sink: Handle<AxisSink>,
    monitor: Handle<PolicyMonitor>,
    boards: Vec<Scoreboard<u64>>,
}

/// Sends `words` per input through every arbiter; `always` says every input
/// offers in every cycle (and turns on the fairness check).
fn run(
    test: &str,
    words: u64,
    always: bool,
    offer: impl Fn(u64) -> Pace,
    take: impl Fn(u64) -> Pace,
) -> Result<()> {
    let seed = rng::seed_for(test);
    let mut tb = Testbench::new(checked_model(&ArbiterSet, test), seed);
    tb.clock("clk", 4_000)?;
    tb.reset("rst", true, 3)?;
    let mut lanes = Vec::new();
    for (k, c) in configs().iter().enumerate() {
        let s = seed.wrapping_add(100 * k as u64);
        let mut boards = Vec::new();
        for i in 0..c.inputs {
            let src = AxisSource::stream(tb.model(), &format!("a_{k}_s_{i}"), offer(s + i as u64))?;
            let src = tb.attach("clk", src);
            let mut board = Scoreboard::new(&format!("arbiter {k} input {i}"));
            for seq in 0..words {
                board.expect(seq);
                tb.agent_mut(src).push(AxisFrame::new(word(i, seq)));
            }
            boards.push(board);
        }
        let sink = tb.attach(
            "clk",
            AxisSink::stream(tb.model(), &format!("a_{k}_m"), take(s + 50))?,
        );
        let mut monitor = PolicyMonitor::new(tb.model(), k, c)?;
        monitor.fairness = always;
        let monitor = tb.attach("clk", monitor);
        lanes.push(Lane {
            sink,
            monitor,
            boards,
        });
    }
    tb.run_until_idle(40 * words, 10)?;
    for l in &mut lanes {
        for f in tb.agent_mut(l.sink).take_frames() {
            let w = u64::from(u16::from_le_bytes([f.data[0], f.data[1]]));
            let input = (w >> 12) as usize;
            let board = l
                .boards
                .get_mut(input)
                .ok_or_else(|| Error::Mismatch(format!("a word from input {input}, which does not exist")))?;
            board.observe(w & 0xfff)?;
        }
        for b in &l.boards {
            b.finish()?;
        }
    }
    for (l, c) in lanes.iter().zip(configs()) {
        let fair = tb.agent(l.monitor).fair_grants;
        if always && c.policy == ArbiterPolicy::RoundRobin {
            // Every grant but those after the first input ran dry.
            assert!(
                fair >= words * (c.inputs as u64 - 1),
                "{c:?}: {fair} grants checked for fairness"
            );
        }
    }
    Ok(())
}

#[test]
fn random_offers_and_stalls() -> Result<()> {
    run(
        "arbiter_random",
        800,
        false,
        |s| Pace::random(45, s),
        |s| Pace::random(60, s),
    )
}

#[test]
fn bursty_offers_and_stalls() -> Result<()> {
    run(
        "arbiter_bursts",
        800,
        false,
        |s| Pace::random_bursts(8, 10, s),
        |s| Pace::random_bursts(6, 6, s),
    )
}

#[test]
fn every_input_always_offers() -> Result<()> {
    // Round-robin grants stay within one of each other (checked on every
    // grant); priority serves input 0 first, then 1, ... (checked per cycle).
    run(
        "arbiter_always",
        800,
        true,
        |_| Pace::Always,
        |s| Pace::random(50, s),
    )
}
