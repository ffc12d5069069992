//! `EventSync` through Verilator between two unrelated clocks: random pulses
//! on every input in the sending domain, the per-cycle counts summed in the
//! receiving domain. Every event is counted exactly once, whichever clock is
//! faster, with edges sliding slowly past each other, and with every input
//! pulsing on every cycle (the most the counters are specified for when the
//! receiving clock is at most about four times slower).

use hdl::stdlib::event_sync::EventSync;
use testbenches::rtl_check::checked_model;
use testbenches::{rng, Agent, Handle, Result, Rng, Testbench};
use verilator::{Model, PortHandle};

/// Drives random pulses on `s_events` and counts, per input, the pulses the
/// design sampled (counted at the edge that takes them).
struct Pulses {
    port: PortHandle,
    percent: u32,
    rng: Rng,
    driven: u64,
    on: bool,
    sent: Vec<u64>,
}

impl Agent for Pulses {
    fn sample(&mut self, _m: &Model, _cycle: u64) -> Result<()> {
        for (i, n) in self.sent.iter_mut().enumerate() {
            *n += self.driven >> i & 1;
        }
        Ok(())
    }

    fn drive(&mut self, m: &mut Model, _cycle: u64) -> Result<()> {
        self.driven = 0;
        if self.on {
            for i in 0..self.sent.len() {
                if self.rng.chance(self.percent) {
                    self.driven |= 1 << i;
                }
            }
        }
        m.set_u64(self.port, self.driven)?;
        Ok(())
    }
}

/// Sums `m_count_<i>` on every receiving edge.
struct Counts {
    ports: Vec<PortHandle>,
    got: Vec<u64>,
}

impl Agent for Counts {
    fn sample(&mut self, m: &Model, _cycle: u64) -> Result<()> {
        for (p, n) in self.ports.iter().zip(&mut self.got) {
            *n += m.get_u64(*p)?;
        }
        Ok(())
    }

    fn drive(&mut self, _m: &mut Model, _cycle: u64) -> Result<()> {
        Ok(())
    }
}

/// Runs `cycles` sending cycles of pulses at `percent` per input and cycle,
/// then lets the counts settle; every input's total must match exactly.
fn count(
    test: &str,
    events: u32,
    bits: u32,
    s_period: u64,
    m_period: u64,
    percent: u32,
    cycles: u64,
) -> Result<()> {
    let seed = rng::seed_for(test);
    let model = checked_model(&EventSync { events, bits }, test);
    let mut tb = Testbench::new(model, seed);
    tb.clock("s_clk", s_period)?;
    tb.clock("m_clk", m_period)?;
    tb.resets(&[("s_rst", true), ("m_rst", true)], 4)?;
    let pulses: Handle<Pulses> = tb.attach(
        "s_clk",
        Pulses {
            port: tb.model().port("s_events")?,
            percent,
            rng: Rng::new(seed),
            driven: 0,
            on: true,
            sent: vec![0; events as usize],
        },
    );
    let ports = (0..events)
        .map(|i| tb.model().port(&format!("m_count_{i}")))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let counts = tb.attach(
        "m_clk",
        Counts {
            ports,
            got: vec![0; events as usize],
        },
    );
    tb.run("s_clk", cycles)?;
    tb.agent_mut(pulses).on = false;
    // Quiet: the last counts cross (two synchroniser flops and the
    // difference register), then nothing more may arrive.
    tb.run("m_clk", 20)?;
    let sent = tb.agent(pulses).sent.clone();
    assert_eq!(tb.agent(counts).got, sent, "{test}: counted vs sent");
    assert!(
        sent.iter().all(|&n| n > cycles * u64::from(percent) / 200),
        "{sent:?}"
    );
    tb.run("m_clk", 50)?;
    assert_eq!(tb.agent(counts).got, sent, "{test}: nothing after the quiet");
    Ok(())
}

#[test]
fn fast_sender_slow_receiver() -> Result<()> {
    // About 322 MHz (the CMAC) to 250 MHz (the core): the NIC's own crossing.
    count("event_sync_fast_to_slow", 3, 4, 3_104, 4_000, 50, 20_000)
}

#[test]
fn slow_sender_fast_receiver() -> Result<()> {
    count("event_sync_slow_to_fast", 3, 4, 6_400, 4_000, 50, 10_000)
}

#[test]
fn nearly_equal_clocks() -> Result<()> {
    // Edges slide by 2 ps a cycle: every phase between the clocks is seen.
    count("event_sync_4_000_4_002", 2, 4, 4_000, 4_002, 40, 20_000)
}

#[test]
fn a_pulse_every_cycle_on_every_input() -> Result<()> {
    // Receiver 2.5 times slower: about eight events cross at a time, within
    // what four-bit counters carry.
    count("event_sync_saturated", 4, 4, 2_000, 5_000, 100, 20_000)
}

#[test]
fn two_bit_counters_at_a_low_rate() -> Result<()> {
    count("event_sync_b2", 1, 2, 4_000, 5_000, 20, 20_000)
}
