//! Co-simulation of generated hardware from plain Rust tests.
//!
//! A [`Testbench`] owns a Verilator [`Model`](verilator::Model), its clocks,
//! and the cycle-driven [`Agent`]s attached to them: AXI-Stream sources and
//! sinks with seeded random gaps and back-pressure ([`axis`]), an AXI4-Lite
//! master with blocking reads and writes ([`axil`]), and whatever a test
//! writes itself. There are no threads and no
//! coroutines: every agent is called twice per edge of its clock, once to
//! [`Agent::sample`] what the edge transfers and once to [`Agent::drive`] the
//! inputs of the next cycle.
//!
//! Randomness comes from a [`Rng`] seeded per test ([`rng::seed_for`]); the
//! seed is printed when the test fails and `LAUBERHORN_SEED` sets it to
//! reproduce a run. A [`Scoreboard`] reports the first mismatch with context,
//! and a [`pcap::PcapWriter`] saves frames for Wireshark or tshark.
//! [`rtl_check`] lints generated designs with every tool we promise and
//! builds their models.
//!
//! ```no_run
//! use testbenches::axis::{AxisFrame, AxisSink, AxisSource, Pace};
//! use testbenches::{rng, Testbench};
//! use verilator::{Model, Source};
//!
//! # fn main() -> testbenches::Result<()> {
//! let model = Model::build(Source::from_files(["fifo.v"], "stream_fifo"))?;
//! let seed = rng::seed_for("fifo_keeps_order");
//! let mut tb = Testbench::new(model, seed);
//! tb.clock("clk", 4_000)?; // 4 ns: 250 MHz
//! tb.reset("rst", true, 4)?;
//! let src = tb.attach("clk", AxisSource::new(tb.model(), "s_axis", Pace::random(70, seed))?);
//! let sink = tb.attach("clk", AxisSink::new(tb.model(), "m_axis", Pace::random(60, seed + 1))?);
//! for len in 1..100 {
//!     tb.agent_mut(src).push(AxisFrame::new(vec![len as u8; len]));
//! }
//! tb.run_until(|tb| tb.agent(sink).frames().len() == 99, 100_000)?;
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

pub mod agent;
pub mod axil;
pub mod axis;
pub mod bench;
pub mod error;
pub mod harness;
pub mod hexdump;
pub mod pcap;
pub mod rng;
pub mod rtl_check;
pub mod scoreboard;
pub mod stats;
pub mod tap;
pub mod xgmii;

pub use agent::{Agent, Handle};
pub use bench::Testbench;
pub use error::{Error, Result};
pub use rng::Rng;
pub use scoreboard::Scoreboard;
