//! AXI4-Lite: the master and slave agents, their pacing, and a blocking API on the
//! [`Testbench`](crate::Testbench).
//!
//! Ports follow the verilog-axi / cocotbext-axi names of
//! [`hdl::stdlib::axi_lite::AxiLite`]: `<prefix>_awaddr`, `_awprot`,
//! `_awvalid`, `_awready`, `_wdata`, `_wstrb`, `_wvalid`, `_wready`, `_bresp`,
//! `_bvalid`, `_bready`, `_araddr`, `_arprot`, `_arvalid`, `_arready`,
//! `_rdata`, `_rresp`, `_rvalid`, `_rready` (`*prot` and `wstrb` optional).
//!
//! ```no_run
//! use testbenches::axil::{AxilMaster, AxilPace, Resp};
//! use testbenches::{rng, Testbench};
//! use verilator::{Model, Source};
//!
//! # fn main() -> testbenches::Result<()> {
//! let model = Model::build(Source::from_files(["csr_demo.v"], "csr_demo"))?;
//! let seed = rng::seed_for("csr_demo");
//! let mut tb = Testbench::new(model, seed);
//! tb.clock("clk", 4_000)?;
//! tb.reset("rst", true, 4)?;
//! let m = tb.attach("clk", AxilMaster::new(tb.model(), "s_axil", AxilPace::random(50, seed))?);
//! // Blocking: runs the bench until the response is there.
//! assert_eq!(tb.axil(m).write(0x4, 0x1234)?, Resp::Okay);
//! assert_eq!(tb.axil(m).read(0x4)?, (0x1234, Resp::Okay));
//! // Queued: many transactions in flight, results in issue order.
//! for i in 0..8 {
//!     tb.agent_mut(m).write(0x4, i, 0xf);
//!     tb.agent_mut(m).read(0x4);
//! }
//! tb.run_until_idle(10_000, 0)?;
//! let results = tb.agent_mut(m).take_results();
//! assert_eq!(results.len(), 16);
//! # Ok(()) }
//! ```

mod blocking;
mod master;
mod ports;
mod slave;

pub use blocking::AxilBus;
pub use hdl::stdlib::axi_lite::AxiResp as Resp;
pub use master::AxilMaster;
pub use ports::AxilPorts;
pub use slave::{AxilSlave, Served};

use crate::axis::Pace;

/// How the master paces each channel: when it offers an address or data
/// (`aw`, `w`, `ar`) and when it is ready for a response (`b`, `r`).
/// Independent `aw` and `w` paces put random delays between the address and
/// the data of a write, in both orders.
#[derive(Clone, Debug)]
pub struct AxilPace {
    /// Offers of write addresses.
    pub aw: Pace,
    /// Offers of write data.
    pub w: Pace,
    /// `bready`.
    pub b: Pace,
    /// Offers of read addresses.
    pub ar: Pace,
    /// `rready`.
    pub r: Pace,
}

impl AxilPace {
    /// Every channel every cycle: full throughput.
    pub fn always() -> AxilPace {
        AxilPace {
            aw: Pace::Always,
            w: Pace::Always,
            b: Pace::Always,
            ar: Pace::Always,
            r: Pace::Always,
        }
    }

    /// Every channel yes in `percent` percent of the cycles, independently.
    pub fn random(percent: u32, seed: u64) -> AxilPace {
        let p = |i: u64| Pace::random(percent, seed.wrapping_add(i.wrapping_mul(0x9e37_79b9)));
        AxilPace {
            aw: p(1),
            w: p(2),
            b: p(3),
            ar: p(4),
            r: p(5),
        }
    }

    /// Every channel in random runs of yes (up to `max_on`) and no (up to `max_off`).
    pub fn random_bursts(max_on: u32, max_off: u32, seed: u64) -> AxilPace {
        let p = |i: u64| Pace::random_bursts(max_on, max_off, seed.wrapping_add(i.wrapping_mul(0x9e37_79b9)));
        AxilPace {
            aw: p(1),
            w: p(2),
            b: p(3),
            ar: p(4),
            r: p(5),
        }
    }
}

/// Names a queued transaction; results carry it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ticket(pub u64);

/// A transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AxilOp {
    /// Write `data` to byte address `addr`, bytes chosen by `strb`.
    Write {
        /// Byte address.
        addr: u64,
        /// Data.
        data: u64,
        /// Byte strobes (one bit per data byte).
        strb: u64,
    },
    /// Read byte address `addr`.
    Read {
        /// Byte address.
        addr: u64,
    },
}

/// A completed transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AxilResult {
    /// Which one.
    pub ticket: Ticket,
    /// What was asked.
    pub op: AxilOp,
    /// Read data (0 for writes).
    pub data: u64,
    /// The slave's response.
    pub resp: Resp,
    /// Cycle of the address handshake (AW or AR).
    pub addr_cycle: u64,
    /// Cycle of the W handshake (writes), or of the R handshake (reads).
    pub data_cycle: u64,
    /// Cycle of the response handshake (B or R).
    pub resp_cycle: u64,
}
