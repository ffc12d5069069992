//! Statistics counters readable through a CSR bank.
//!
//! Blocks of the NIC do not own counters: every event is a one-cycle pulse
//! output `stat_<block>_<event>` (docs/network.md, "Statistics").
//! [`StatCounters`] takes those pulses as inputs `stat_<name>` and counts each
//! in its own counter; several pulses may come in the same cycle. An event
//! input may also be wider than one bit ([`StatEvent::amount`]): its value is
//! added every cycle, which counts bytes (`stat_rx_bytes` carrying the frame
//! length in the frame's last cycle) as easily as events.
//!
//! The counters are 64 bits wide by default (32 is an option) and **wrap**
//! rather than saturate: software reads them periodically and takes the
//! difference of two readings modulo 2^64 (or 2^32), which stays right across
//! a wrap, whereas a saturated counter would silently stop counting. At one
//! event per cycle at 250 MHz a 64-bit counter wraps after 2,300 years, a
//! 32-bit one after 17 seconds.
//!
//! The registers (bank `<bank>`, module `stat_counters_<bank>` around a
//! [`crate::stdlib::csr::CsrBank`] instance `u_csr`):
//!
//! | offset | register | |
//! |---|---|---|
//! | 0x0 | `ctrl` (w1s) | bit 0 `clear`: write 1 to clear every counter; reads 1 for the one cycle the clear takes |
//! | 0x4 | `info` (ro) | bits 15..0 `count`: number of counters; bits 23..16 `counter_bits`: 32 or 64 |
//! | 0x8 + 8i | `<name>_lo` (ro) | counter `i`, bits 31..0; reading it latches bits 63..32 into `<name>_hi` |
//! | 0xc + 8i | `<name>_hi` (ro) | bits 63..32 of counter `i` as they were when `<name>_lo` was last read |
//!
//! With 32-bit counters, counter `i` is the single register `<name>` at
//! `0x8 + 4i`. Reading `_lo` then `_hi` gives a consistent 64-bit value even
//! while the counter runs. An event in the cycle the clear takes effect is
//! counted in the new period, so no event is lost to a clear.
//!
//! With [`StatCounters::with_registered_inputs`] every input passes a
//! register first, so that a counter's adder starts at a flop rather than at
//! the end of the logic that decides the event: each count lands one cycle
//! later, which no reader can tell (a read only ever sees a moment of the
//! event stream, now one cycle older).
//!
//! ```
//! use hdl::stdlib::stat_counters::{StatCounters, StatEvent};
//!
//! let stats = StatCounters::new(
//!     "nic_stats",
//!     vec![
//!         StatEvent::pulse("rx_bad_fcs", "Frames dropped for a bad FCS"),
//!         StatEvent::amount("rx_bytes", 16, "Bytes received in good frames"),
//!     ],
//! );
//! let map = stats.map();
//! assert_eq!(map.register("rx_bytes_hi").unwrap().offset, 0x14);
//! let v = hdl::elaborate(&stats).unwrap().verilog();
//! assert!(v.contains("module stat_counters_nic_stats ("));
//! assert!(v.contains("input  wire        stat_rx_bad_fcs,"));
//! assert!(v.contains("input  wire [15:0] stat_rx_bytes"));
//! assert!(v.contains("csr_nic_stats u_csr ("));
//! ```

use super::axi_lite::AxiLite;
use super::csr::CsrBank;
use super::csr_map::{CsrMap, Register};
use crate::dsl::bundle::join;
use crate::prelude::*;
use crate::{Leaf, Sig};

/// One counted event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatEvent {
    /// Name without the `stat_` prefix: input `stat_<name>`, registers `<name>_lo/_hi`.
    pub name: String,
    /// Bits of the input: 1 for a pulse; more for an amount added every cycle.
    pub width: u32,
    /// What is counted.
    pub doc: String,
}

impl StatEvent {
    /// A one-cycle pulse per event: input `stat_<name>` of 1 bit.
    pub fn pulse(name: &str, doc: &str) -> StatEvent {
        StatEvent::amount(name, 1, doc)
    }

    /// An amount of `width` bits added in every cycle (0 when nothing happens).
    pub fn amount(name: &str, width: u32, doc: &str) -> StatEvent {
        StatEvent {
            name: name.to_string(),
            width,
            doc: doc.to_string(),
        }
    }
}

/// An event input of [`StatCounters`]: `stat_<name>`.
#[derive(Clone, Debug)]
pub struct StatInput {
    /// The event's name (without `stat_`).
    pub name: String,
    /// The pulse or amount.
    pub value: UInt,
}

impl Bundle for StatInput {
    fn map_leaves(&self, prefix: &str, flipped: bool, f: &mut dyn FnMut(&Leaf) -> Sig) -> Self {
        StatInput {
            name: self.name.clone(),
            value: self
                .value
                .map_leaves(&join(prefix, &format!("stat_{}", self.name)), !flipped, f),
        }
    }
}

/// Ports of [`StatCounters`].
#[derive(Clone, Debug)]
pub struct StatIo {
    /// The AXI4-Lite slave port of the counters' CSR bank.
    pub s_axil: AxiLite,
    /// The event inputs, in the order of [`StatCounters::events`].
    pub events: Vec<StatInput>,
}

impl StatIo {
    /// The input `stat_<name>`.
    #[track_caller]
    pub fn event(&self, name: &str) -> UInt {
        self.events
            .iter()
            .find(|e| e.name == name)
            .map(|e| e.value)
            .unwrap_or_else(|| panic!("no statistics input `stat_{name}`"))
    }
}

impl Bundle for StatIo {
    fn map_leaves(&self, prefix: &str, flipped: bool, f: &mut dyn FnMut(&Leaf) -> Sig) -> Self {
        StatIo {
            s_axil: self.s_axil.map_leaves(&join(prefix, "s_axil"), !flipped, f),
            events: self
                .events
                .iter()
                .map(|e| e.map_leaves(prefix, flipped, f))
                .collect(),
        }
    }
}

/// A counter per event behind a CSR bank (see the module docs):
/// `stat_counters_<bank>`.
#[derive(Clone, Debug)]
pub struct StatCounters {
    /// Name of the CSR bank (a C identifier).
    pub bank: String,
    /// 64 (split into `_lo`/`_hi` registers) or 32.
    pub counter_bits: u32,
    /// The events, at least one.
    pub events: Vec<StatEvent>,
    /// Register every input before its counter (a count lands a cycle later).
    pub registered_inputs: bool,
}

/// Offset of the first counter register.
const FIRST_COUNTER: u64 = 0x8;

impl StatCounters {
    /// 64-bit counters of `events` in bank `bank`.
    pub fn new(bank: &str, events: Vec<StatEvent>) -> StatCounters {
        StatCounters {
            bank: bank.to_string(),
            counter_bits: 64,
            events,
            registered_inputs: false,
        }
    }

    /// The same counters, each input registered first (see the module docs).
    pub fn with_registered_inputs(mut self) -> StatCounters {
        self.registered_inputs = true;
        self
    }

    /// Cycles from an event at an input to its count in the counter: 0, or 1
    /// with registered inputs.
    pub fn input_latency(&self) -> u64 {
        u64::from(self.registered_inputs)
    }

    /// Bytes of register space per counter.
    fn stride(&self) -> u64 {
        u64::from(self.counter_bits / 8)
    }

    /// Byte offset of counter `i` (of its `_lo` half for 64-bit counters).
    pub fn counter_offset(&self, i: usize) -> u64 {
        FIRST_COUNTER + i as u64 * self.stride()
    }

    /// The value of the `info` register.
    pub fn info(&self) -> u64 {
        self.events.len() as u64 | u64::from(self.counter_bits) << 16
    }

    /// The register map of the bank.
    pub fn map(&self) -> CsrMap {
        assert!(
            self.counter_bits == 32 || self.counter_bits == 64,
            "StatCounters: counters are 32 or 64 bits (got {})",
            self.counter_bits
        );
        assert!(!self.events.is_empty(), "StatCounters: no events to count");
        assert!(
            self.events.len() < 1 << 16,
            "StatCounters: at most 65535 counters"
        );
        let end = self.counter_offset(self.events.len());
        let mut map = CsrMap::new(&self.bank, crate::clog2(end as u32).max(3))
            .with_register(
                Register::w1s("ctrl", 0x0)
                    .with_doc("Statistics control")
                    .with_field(
                        "clear",
                        0,
                        1,
                        "Write 1 to clear every counter; reads 1 for the cycle the clear takes",
                    ),
            )
            .with_register(
                Register::ro("info", 0x4)
                    .with_reset(self.info())
                    .with_doc("Layout of this bank")
                    .with_field("count", 0, 16, "Number of counters")
                    .with_field("counter_bits", 16, 8, "Bits per counter: 32 or 64"),
            );
        for (i, e) in self.events.iter().enumerate() {
            let off = self.counter_offset(i);
            map = if self.counter_bits == 64 {
                map.with_register(
                    Register::ro(&format!("{}_lo", e.name), off)
                        .with_doc(&format!(
                            "{} (bits 31..0; reading latches bits 63..32 into {}_hi)",
                            e.doc, e.name
                        ))
                        .with_read_strobe(),
                )
                .with_register(
                    Register::ro(&format!("{}_hi", e.name), off + 4).with_doc(&format!(
                        "{} (bits 63..32, latched when {}_lo was read)",
                        e.doc, e.name
                    )),
                )
            } else {
                map.with_register(Register::ro(&e.name, off).with_doc(&e.doc))
            };
        }
        map
    }
}

impl Component for StatCounters {
    type Io = StatIo;

    fn name(&self) -> String {
        format!("stat_counters_{}", self.bank)
    }

    fn io(&self) -> StatIo {
        let map = self.map();
        for e in &self.events {
            assert!(
                (1..=32).contains(&e.width),
                "StatCounters: input stat_{} is {} bits (1..=32)",
                e.name,
                e.width
            );
        }
        StatIo {
            s_axil: AxiLite::ty(map.address_width, map.data_width),
            events: self
                .events
                .iter()
                .map(|e| StatInput {
                    name: e.name.clone(),
                    value: UInt::ty(e.width),
                })
                .collect(),
        }
    }

    fn build(&self, io: &StatIo) {
        let bits = self.counter_bits;
        let csr = instance("u_csr", &CsrBank { map: self.map() });
        csr.io.s_axil.connect_from(&io.s_axil);
        let ctrl = csr.io.reg("ctrl");
        let clear = ctrl.value.bit(0).named("clear_all");
        // The clear bit stays set for one cycle: the cycle the counters clear.
        ctrl.clear_input().set(ctrl.value);
        csr.io
            .reg("info")
            .value
            .set(Bits::lit(u128::from(self.info()), 32));
        for (e, input) in self.events.iter().zip(&io.events) {
            let count = reg(&format!("{}_count", e.name), UInt::ty(bits)).init(0);
            let event = if self.registered_inputs {
                reg_next_init(&format!("stat_{}_q", e.name), &input.value, 0)
            } else {
                input.value
            };
            let amount = event.zext(bits);
            when(clear, || count.set(amount)).otherwise(|| count.set(count + amount));
            if bits == 64 {
                let lo = csr.io.reg(&format!("{}_lo", e.name));
                let hi = csr.io.reg(&format!("{}_hi", e.name));
                let hi_q = reg(&format!("{}_hi_q", e.name), Bits::ty(32)).init(0);
                when(lo.read_strobe(), || hi_q.set(count.msbs(32).as_bits())).elsewhen(clear, || hi_q.set(0));
                lo.value.set(count.lsbs(32).as_bits());
                hi.value.set(hi_q);
            } else {
                csr.io.reg(&e.name).value.set(count.as_bits());
            }
        }
    }
}
