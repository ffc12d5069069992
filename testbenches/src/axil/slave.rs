//! An AXI4-Lite slave agent: a sparse memory behind a paced interface, with
//! checks of what the master does and a log of every access it served.

use super::{AxilOp, AxilPace, AxilPorts};
use crate::{Agent, Error, Result};
use std::collections::{HashMap, VecDeque};
use verilator::Model;

/// One access the slave served, in the order it served them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Served {
    /// What the master asked (the address as it arrived at this slave).
    pub op: AxilOp,
    /// Cycle of the response handshake.
    pub cycle: u64,
}

/// A value the master offered while the slave was not ready: it must stay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Offer {
    value: u64,
    extra: u64,
}

/// The slave side of an AXI4-Lite interface: a memory of whole words, OKAY
/// to every access.
///
/// Writes merge `wstrb` bytes into the word at the address (rounded down to
/// a word); reads return the word (0 where nothing was written). The slave
/// takes one write address and one write data word at a time, in either
/// order, answers B once it has both, and takes one read at a time; each
/// ready and each response is paced by [`AxilPace`] (`aw`, `w`, `ar` pace
/// the readies, `b` and `r` the responses).
///
/// The master is checked, and a violation fails the run with
/// [`Error::Protocol`]: `awvalid`, `wvalid` or `arvalid` dropped, or the
/// address, data or strobes changed, before the slave took them.
pub struct AxilSlave {
    name: String,
    ports: AxilPorts,
    pace: AxilPace,
    memory: HashMap<u64, u64>,
    aw: Option<u64>,
    w: Option<(u64, u64)>,
    b_pending: bool,
    r_pending: Option<u64>,
    /// What we drive for the next cycle.
    awready: bool,
    wready: bool,
    arready: bool,
    bvalid: bool,
    rvalid: bool,
    /// Offers seen without ready last cycle.
    aw_held: Option<Offer>,
    w_held: Option<Offer>,
    ar_held: Option<Offer>,
    /// The operation of the response in flight.
    b_op: Option<AxilOp>,
    r_op: Option<AxilOp>,
    served: VecDeque<Served>,
}

impl AxilSlave {
    /// A slave for the interface `<prefix>_*` of `m` (the model drives the
    /// master side), paced by `pace`.
    pub fn new(m: &Model, prefix: &str, pace: AxilPace) -> Result<AxilSlave> {
        Ok(AxilSlave {
            name: prefix.to_string(),
            ports: AxilPorts::find(m, prefix)?,
            pace,
            memory: HashMap::new(),
            aw: None,
            w: None,
            b_pending: false,
            r_pending: None,
            awready: false,
            wready: false,
            arready: false,
            bvalid: false,
            rvalid: false,
            aw_held: None,
            w_held: None,
            ar_held: None,
            b_op: None,
            r_op: None,
            served: VecDeque::new(),
        })
    }

    /// The accesses served so far, oldest first, and forgets them.
    pub fn take_served(&mut self) -> Vec<Served> {
        self.served.drain(..).collect()
    }

    /// The word at byte address `addr`.
    pub fn word(&self, addr: u64) -> u64 {
        self.memory.get(&self.word_of(addr)).copied().unwrap_or(0)
    }

    fn word_of(&self, addr: u64) -> u64 {
        addr / u64::from(self.ports.data_bytes())
    }

    /// Checks that an offer not taken last cycle is still there, unchanged.
    fn check_held(&self, what: &str, held: Option<Offer>, now: Option<Offer>, cycle: u64) -> Result<()> {
        match (held, now) {
            (Some(h), Some(n)) if h != n => Err(Error::Protocol {
                agent: self.name.clone(),
                cycle,
                message: format!(
                    "{what} changed from {:#x}/{:#x} to {:#x}/{:#x} before it was taken",
                    h.value, h.extra, n.value, n.extra
                ),
            }),
            (Some(_), None) => Err(Error::Protocol {
                agent: self.name.clone(),
                cycle,
                message: format!("{what}valid dropped before it was taken"),
            }),
            _ => Ok(()),
        }
    }
}

impl Agent for AxilSlave {
    fn sample(&mut self, m: &Model, cycle: u64) -> Result<()> {
        let p = self.ports;
        let offer = |valid, value, extra: Option<verilator::PortHandle>| -> Result<Option<Offer>> {
            Ok(if m.get_u64(valid)? == 1 {
                Some(Offer {
                    value: m.get_u64(value)?,
                    extra: match extra {
                        Some(e) => m.get_u64(e)?,
                        None => p.full_strb(),
                    },
                })
            } else {
                None
            })
        };
        let aw = offer(p.awvalid, p.awaddr, None)?;
        let w = offer(p.wvalid, p.wdata, p.wstrb)?;
        let ar = offer(p.arvalid, p.araddr, None)?;
        self.check_held("aw", self.aw_held, aw, cycle)?;
        self.check_held("w", self.w_held, w, cycle)?;
        self.check_held("ar", self.ar_held, ar, cycle)?;
        // Handshakes made by this edge.
        if self.bvalid && m.get_u64(p.bready)? == 1 {
            self.bvalid = false;
            self.b_pending = false;
            let op = self.b_op.take().expect("a write was answered");
            self.served.push_back(Served { op, cycle });
        }
        if self.rvalid && m.get_u64(p.rready)? == 1 {
            self.rvalid = false;
            self.r_pending = None;
            let op = self.r_op.take().expect("a read was answered");
            self.served.push_back(Served { op, cycle });
        }
        self.aw_held = aw.filter(|_| !self.awready);
        self.w_held = w.filter(|_| !self.wready);
        self.ar_held = ar.filter(|_| !self.arready);
        if let (Some(a), true) = (aw, self.awready) {
            self.aw = Some(a.value);
        }
        if let (Some(d), true) = (w, self.wready) {
            self.w = Some((d.value, d.extra));
        }
        if let (Some(a), true) = (ar, self.arready) {
            let word = self.word(a.value);
            self.r_pending = Some(word);
            self.r_op = Some(AxilOp::Read { addr: a.value });
        }
        if !self.b_pending {
            if let (Some(addr), Some((data, strb))) = (self.aw, self.w) {
                let key = self.word_of(addr);
                let old = self.memory.get(&key).copied().unwrap_or(0);
                let mask = (0..p.data_bytes())
                    .filter(|i| strb >> i & 1 == 1)
                    .fold(0u64, |m, i| m | 0xff << (8 * i));
                self.memory.insert(key, old & !mask | data & mask);
                self.b_op = Some(AxilOp::Write { addr, data, strb });
                self.b_pending = true;
                self.aw = None;
                self.w = None;
            }
        }
        Ok(())
    }

    fn drive(&mut self, m: &mut Model, cycle: u64) -> Result<()> {
        let p = self.ports;
        self.awready = self.aw.is_none() && self.pace.aw.next(cycle);
        self.wready = self.w.is_none() && self.pace.w.next(cycle);
        self.arready = self.r_pending.is_none() && self.pace.ar.next(cycle);
        if self.b_pending && !self.bvalid {
            self.bvalid = self.pace.b.next(cycle);
        }
        if self.r_pending.is_some() && !self.rvalid {
            self.rvalid = self.pace.r.next(cycle);
        }
        m.set_u64(p.awready, u64::from(self.awready))?;
        m.set_u64(p.wready, u64::from(self.wready))?;
        m.set_u64(p.arready, u64::from(self.arready))?;
        m.set_u64(p.bvalid, u64::from(self.bvalid))?;
        m.set_u64(p.bresp, 0)?;
        m.set_u64(p.rvalid, u64::from(self.rvalid))?;
        m.set_u64(p.rresp, 0)?;
        m.set_u64(
            p.rdata,
            if self.rvalid {
                self.r_pending.unwrap_or(0)
            } else {
                0
            },
        )?;
        Ok(())
    }

    fn is_idle(&self) -> bool {
        self.aw.is_none() && self.w.is_none() && !self.b_pending && self.r_pending.is_none()
    }

    fn status(&self) -> String {
        format!(
            "{}: aw {:?} w {:?} b {} r {:?}",
            self.name, self.aw, self.w, self.b_pending, self.r_pending
        )
    }
}
