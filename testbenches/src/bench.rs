//! The test bench: a model, its clocks, and the agents attached to them.

use crate::agent::{Agent, Handle};
use crate::rng::SeedReport;
use crate::{Error, Result};
use std::any::Any;
use std::marker::PhantomData;
use verilator::{Model, PortHandle};

struct Clock {
    name: String,
    port: PortHandle,
    half: u64,
    next: u64,
    high: bool,
    cycles: u64,
}

struct Attached {
    clock: usize,
    agent: Box<dyn AnyAgent>,
}

/// [`Agent`] plus downcasting, so that [`Testbench::agent`] can hand back the
/// concrete type.
trait AnyAgent: Agent {
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<A: Agent> AnyAgent for A {
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// A model with clocks and agents, run edge by edge.
///
/// Clocks are independent: each has its own period, and agents attached to a
/// clock run only at its rising edges, so designs with unrelated clocks (an
/// asynchronous FIFO, a MAC and a core clock) are simulated as they would be in
/// hardware. Time is in the model's time unit (Verilator's default precision
/// is 1 ps).
pub struct Testbench {
    model: Model,
    clocks: Vec<Clock>,
    agents: Vec<Attached>,
    /// Agents changed inputs since the last evaluation.
    dirty: bool,
    _seed: SeedReport,
}

impl Testbench {
    /// A test bench around `model`; `seed` is printed if the test panics.
    pub fn new(model: Model, seed: u64) -> Testbench {
        let name = std::thread::current().name().unwrap_or("testbench").to_string();
        Testbench {
            model,
            clocks: Vec::new(),
            agents: Vec::new(),
            dirty: true,
            _seed: SeedReport::new(&name, seed),
        }
    }

    /// The model (to look up ports or read outputs).
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The model, to set inputs directly; they are seen from the next edge on.
    pub fn model_mut(&mut self) -> &mut Model {
        self.dirty = true;
        &mut self.model
    }

    /// Drives input `port` as a clock of `period` time units (even), starting
    /// low; its first rising edge is half a period from now.
    pub fn clock(&mut self, port: &str, period: u64) -> Result<()> {
        if period < 2 || !period.is_multiple_of(2) {
            return Err(Error::Setup(format!(
                "clock `{port}`: period {period} must be even and at least 2"
            )));
        }
        if self.clocks.iter().any(|c| c.name == port) {
            return Err(Error::Setup(format!("clock `{port}` added twice")));
        }
        let p = self.model.port(port)?;
        self.model.set_u64(p, 0)?;
        let now = self.model.time();
        self.clocks.push(Clock {
            name: port.to_string(),
            port: p,
            half: period / 2,
            next: now + period / 2,
            high: false,
            cycles: 0,
        });
        self.dirty = true;
        Ok(())
    }

    fn clock_index(&self, name: &str) -> Result<usize> {
        self.clocks.iter().position(|c| c.name == name).ok_or_else(|| {
            let known: Vec<&str> = self.clocks.iter().map(|c| c.name.as_str()).collect();
            Error::Setup(format!("no clock `{name}` (clocks: {})", known.join(", ")))
        })
    }

    /// Attaches `agent` to the rising edges of `clock`; the handle reaches it later.
    pub fn attach<A: Agent>(&mut self, clock: &str, agent: A) -> Handle<A> {
        let clock = self
            .clock_index(clock)
            .unwrap_or_else(|e| panic!("Testbench::attach: {e}"));
        self.agents.push(Attached {
            clock,
            agent: Box::new(agent),
        });
        Handle {
            index: self.agents.len() - 1,
            _agent: PhantomData,
        }
    }

    /// The attached agent behind `h`.
    pub fn agent<A: Agent>(&self, h: Handle<A>) -> &A {
        self.agents[h.index]
            .agent
            .as_any()
            .downcast_ref()
            .expect("handle of another test bench")
    }

    /// The attached agent behind `h`, to give it work.
    pub fn agent_mut<A: Agent>(&mut self, h: Handle<A>) -> &mut A {
        self.agents[h.index]
            .agent
            .as_any_mut()
            .downcast_mut()
            .expect("handle of another test bench")
    }

    /// Rising edges of `clock` so far.
    pub fn cycles(&self, clock: &str) -> u64 {
        self.clock_index(clock).map_or(0, |i| self.clocks[i].cycles)
    }

    /// Current time.
    pub fn time(&self) -> u64 {
        self.model.time()
    }

    /// Advances to the next clock event (one or more edges at the same time),
    /// running the agents of every clock that rises. Returns the indices of the
    /// clocks that rose, as a bit set.
    fn advance(&mut self) -> Result<u64> {
        let Some(t) = self.clocks.iter().map(|c| c.next).min() else {
            return Err(Error::Setup("no clock added".into()));
        };
        let mut rising = 0u64;
        for (i, c) in self.clocks.iter().enumerate() {
            if c.next == t && !c.high {
                rising |= 1 << i;
            }
        }
        if rising != 0 {
            if self.dirty {
                self.model.eval()?;
                self.dirty = false;
            }
            for a in &mut self.agents {
                if rising >> a.clock & 1 == 1 {
                    let cycle = self.clocks[a.clock].cycles;
                    a.agent.sample(&self.model, cycle)?;
                }
            }
        }
        self.model.set_time(t);
        for c in &mut self.clocks {
            if c.next == t {
                c.high = !c.high;
                c.next += c.half;
                if c.high {
                    c.cycles += 1;
                }
                self.model.set_u64(c.port, u64::from(c.high))?;
            }
        }
        self.model.eval()?;
        if rising != 0 {
            for a in &mut self.agents {
                if rising >> a.clock & 1 == 1 {
                    let cycle = self.clocks[a.clock].cycles;
                    a.agent.drive(&mut self.model, cycle)?;
                    self.dirty = true;
                }
            }
        }
        Ok(rising)
    }

    /// Runs `n` cycles of `clock` (other clocks run alongside at their own rates).
    pub fn run(&mut self, clock: &str, n: u64) -> Result<()> {
        let i = self.clock_index(clock)?;
        let end = self.clocks[i].cycles + n;
        while self.clocks[i].cycles < end || self.clocks[i].high {
            self.advance()?;
        }
        Ok(())
    }

    /// Runs until `done` holds (checked after every rising edge of any clock),
    /// or fails with [`Error::Timeout`] listing every agent's status after
    /// `max_cycles` cycles of the first clock. Returns the cycles of the first
    /// clock that were run.
    pub fn run_until(&mut self, mut done: impl FnMut(&Testbench) -> bool, max_cycles: u64) -> Result<u64> {
        let start = self.clocks.first().map_or(0, |c| c.cycles);
        loop {
            if done(self) {
                return Ok(self.clocks[0].cycles - start);
            }
            if self
                .clocks
                .first()
                .is_some_and(|c| c.cycles - start >= max_cycles)
            {
                return Err(self.timeout(max_cycles));
            }
            while self.advance()? == 0 {}
        }
    }

    /// Runs until every agent is idle, then `settle` more cycles of the first
    /// clock (so that anything still in the design can come out and be
    /// caught by monitors).
    pub fn run_until_idle(&mut self, max_cycles: u64, settle: u64) -> Result<u64> {
        let n = self.run_until(|tb| tb.agents.iter().all(|a| a.agent.is_idle()), max_cycles)?;
        let first = self.clocks[0].name.clone();
        self.run(&first, settle)?;
        Ok(n)
    }

    fn timeout(&self, cycles: u64) -> Error {
        let status: Vec<String> = self
            .agents
            .iter()
            .enumerate()
            .map(|(i, a)| {
                format!(
                    "  #{i} on `{}`: {} {}",
                    self.clocks[a.clock].name,
                    if a.agent.is_idle() { "idle" } else { "busy" },
                    a.agent.status()
                )
            })
            .collect();
        Error::Timeout {
            cycles,
            clock: self.clocks[0].name.clone(),
            status: status.join("\n"),
        }
    }

    /// Holds input `port` at its active level for `cycles` cycles of the
    /// first clock, then releases it (`active_high`: active level 1).
    pub fn reset(&mut self, port: &str, active_high: bool, cycles: u64) -> Result<()> {
        self.resets(&[(port, active_high)], cycles)
    }

    /// Like [`Testbench::reset`] for several reset inputs at once (of several
    /// clock domains), held for `cycles` cycles of the slowest clock.
    pub fn resets(&mut self, ports: &[(&str, bool)], cycles: u64) -> Result<()> {
        let handles = ports
            .iter()
            .map(|(p, high)| Ok((self.model.port(p)?, *high)))
            .collect::<Result<Vec<_>>>()?;
        for &(p, high) in &handles {
            self.model.set_u64(p, u64::from(high))?;
        }
        self.dirty = true;
        let slowest = (0..self.clocks.len())
            .max_by_key(|&i| self.clocks[i].half)
            .ok_or_else(|| Error::Setup("reset needs a clock".into()))?;
        let name = self.clocks[slowest].name.clone();
        self.run(&name, cycles)?;
        for &(p, high) in &handles {
            self.model.set_u64(p, u64::from(!high))?;
        }
        self.dirty = true;
        Ok(())
    }
}
