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
//! ```
//! // A complete test: a 16-bit, 8-deep FIFO from the `hdl` standard library
//! // under random gaps and stalls, against a scoreboard.
//! use hdl::stdlib::fifo::StreamFifo;
//! use testbenches::axis::{AxisFrame, AxisSink, AxisSource, Pace};
//! use testbenches::{rng, Scoreboard, Testbench};
//! use verilator::{Model, Source};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let design = hdl::elaborate(&StreamFifo { width: 16, depth: 8 }).map_err(|d| d.to_string())?;
//! // Built once, then loaded from the cache by content hash.
//! let model = Model::builder(Source::from_hdl(&design)?).cxx_opt("-O1").build()?;
//! let seed = rng::seed_for("fifo_keeps_order"); // LAUBERHORN_SEED overrides it
//! let mut tb = Testbench::new(model, seed);
//! tb.clock("clk", 4_000)?; // 4 ns: 250 MHz
//! tb.reset("rst", true, 4)?;
//! // `s_valid`/`s_ready`/`s_payload` in, `m_*` out: one word per "frame".
//! let src = tb.attach("clk", AxisSource::stream(tb.model(), "s", Pace::random(70, seed))?);
//! let sink = tb.attach("clk", AxisSink::stream(tb.model(), "m", Pace::random(60, seed + 1))?);
//! let mut board = Scoreboard::new("fifo");
//! for i in 0..500u16 {
//!     let word = i.wrapping_mul(40_503).to_le_bytes().to_vec();
//!     board.expect(word.clone());
//!     tb.agent_mut(src).push(AxisFrame::new(word));
//! }
//! tb.run_until(|tb| tb.agent(sink).frames().len() == 500, 100_000)?;
//! board.observe_all(tb.agent_mut(sink).take_frames().into_iter().map(|f| f.data))?;
//! board.finish()?; // the first mismatch, with context, on failure
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
