//! The AXI4-Lite master: queued reads and writes, paced channels, and checks
//! of what the slave answers.

use super::{AxilOp, AxilPace, AxilPorts, AxilResult, Resp, Ticket};
use crate::{Agent, Error, Result, Rng};
use std::collections::{BTreeMap, VecDeque};
use verilator::Model;

/// A write in flight: its request, and when its address and data went out.
#[derive(Debug)]
struct Write {
    ticket: Ticket,
    addr: u64,
    data: u64,
    strb: u64,
    aw_cycle: Option<u64>,
    w_cycle: Option<u64>,
}

/// A read in flight.
#[derive(Debug)]
struct Read {
    ticket: Ticket,
    addr: u64,
    ar_cycle: Option<u64>,
}

/// A response the slave offered while we were not ready: it must stay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Held {
    resp: u64,
    data: u64,
}

/// Drives the master side of an AXI4-Lite interface.
///
/// Reads and writes are queued ([`AxilMaster::write`], [`AxilMaster::read`])
/// and go out in order on their channels, paced by [`AxilPace`]: the address
/// and the data of a write are offered independently, so either may come
/// first, and several transactions may be in flight (up to
/// [`AxilMaster::with_max_outstanding`] per direction). An offered address or
/// data word is held, unchanged, until the slave takes it; idle channels carry
/// random values. Results come back with the slave's response code
/// ([`AxilMaster::take_results`], in issue order).
///
/// What the slave does is checked, and a violation fails the run with
/// [`Error::Protocol`]: a write response before both the address and the data
/// of the oldest open write were accepted, read data before its address was
/// accepted, `bvalid`/`rvalid` dropped or `bresp`/`rresp`/`rdata` changed
/// while the master was not ready, and EXOKAY (which AXI4-Lite does not have).
pub struct AxilMaster {
    name: String,
    ports: AxilPorts,
    pace: AxilPace,
    max_outstanding: usize,
    timeout: u64,
    next_ticket: u64,
    /// Writes without a response yet, oldest first; `writes[0]` is write number `b_seq`.
    writes: VecDeque<Write>,
    b_seq: u64,
    aw_seq: u64,
    w_seq: u64,
    reads: VecDeque<Read>,
    r_seq: u64,
    ar_seq: u64,
    /// Offering on AW / W / AR (the value is held until taken).
    aw_offer: bool,
    w_offer: bool,
    ar_offer: bool,
    bready: bool,
    rready: bool,
    b_held: Option<Held>,
    r_held: Option<Held>,
    results: BTreeMap<Ticket, AxilResult>,
    filler: Rng,
}

impl AxilMaster {
    /// A master for the interface `<prefix>_*` of `m`, paced by `pace`.
    pub fn new(m: &Model, prefix: &str, pace: AxilPace) -> Result<AxilMaster> {
        Ok(AxilMaster::from_ports(AxilPorts::find(m, prefix)?, prefix, pace))
    }

    /// A master on ports found some other way; `name` appears in messages.
    pub fn from_ports(ports: AxilPorts, name: &str, pace: AxilPace) -> AxilMaster {
        AxilMaster {
            name: format!("axil master {name}"),
            ports,
            pace,
            max_outstanding: 4,
            timeout: 10_000,
            next_ticket: 0,
            writes: VecDeque::new(),
            b_seq: 0,
            aw_seq: 0,
            w_seq: 0,
            reads: VecDeque::new(),
            r_seq: 0,
            ar_seq: 0,
            aw_offer: false,
            w_offer: false,
            ar_offer: false,
            bready: false,
            rready: false,
            b_held: None,
            r_held: None,
            results: BTreeMap::new(),
            filler: Rng::new(0xa11 ^ u64::from(ports.addr_width())),
        }
    }

    /// At most `n` (at least 1) writes and `n` reads in flight; default 4.
    pub fn with_max_outstanding(mut self, n: usize) -> AxilMaster {
        self.max_outstanding = n.max(1);
        self
    }

    /// Cycles the blocking calls ([`crate::axil::AxilBus`]) wait; default 10,000.
    pub fn with_timeout(mut self, cycles: u64) -> AxilMaster {
        self.timeout = cycles;
        self
    }

    /// The blocking calls' limit in cycles.
    pub fn timeout(&self) -> u64 {
        self.timeout
    }

    /// The port set.
    pub fn ports(&self) -> &AxilPorts {
        &self.ports
    }

    fn ticket(&mut self) -> Ticket {
        self.next_ticket += 1;
        Ticket(self.next_ticket - 1)
    }

    /// Queues a write of `data` to byte address `addr` with byte strobes `strb`.
    pub fn write(&mut self, addr: u64, data: u64, strb: u64) -> Ticket {
        let ticket = self.ticket();
        self.writes.push_back(Write {
            ticket,
            addr,
            data,
            strb,
            aw_cycle: None,
            w_cycle: None,
        });
        ticket
    }

    /// Queues a read of byte address `addr`.
    pub fn read(&mut self, addr: u64) -> Ticket {
        let ticket = self.ticket();
        self.reads.push_back(Read {
            ticket,
            addr,
            ar_cycle: None,
        });
        ticket
    }

    /// The result of `t`, once complete.
    pub fn result(&self, t: Ticket) -> Option<&AxilResult> {
        self.results.get(&t)
    }

    /// Takes the result of `t`, once complete.
    pub fn take_result(&mut self, t: Ticket) -> Option<AxilResult> {
        self.results.remove(&t)
    }

    /// Takes every completed result, in the order the transactions were queued.
    pub fn take_results(&mut self) -> Vec<AxilResult> {
        std::mem::take(&mut self.results).into_values().collect()
    }

    /// Transactions queued or in flight.
    pub fn pending(&self) -> usize {
        self.writes.len() + self.reads.len()
    }

    /// Writes and reads completed so far.
    pub fn completed(&self) -> (u64, u64) {
        (self.b_seq, self.r_seq)
    }

    fn violation(&self, cycle: u64, message: String) -> Error {
        Error::Protocol {
            agent: self.name.clone(),
            cycle,
            message,
        }
    }

    fn write_at(&mut self, seq: u64) -> Option<&mut Write> {
        self.writes.get_mut((seq - self.b_seq) as usize)
    }

    /// Checks a response channel: a held response must stay unchanged.
    fn check_held(&self, held: Option<Held>, valid: bool, now: Held, ch: &str, cycle: u64) -> Result<()> {
        if let Some(h) = held {
            if !valid {
                return Err(self.violation(cycle, format!("{ch}valid fell before the response was taken")));
            }
            if h != now {
                return Err(self.violation(
                    cycle,
                    format!(
                        "{ch} response changed while {ch}ready was low: resp/data {}/{:#x} became {}/{:#x}",
                        h.resp, h.data, now.resp, now.data
                    ),
                ));
            }
        }
        if valid && now.resp == u64::from(Resp::ExOkay.code()) {
            return Err(self.violation(cycle, format!("{ch}resp EXOKAY does not exist in AXI4-Lite")));
        }
        Ok(())
    }

    fn sample_b(&mut self, m: &Model, cycle: u64) -> Result<()> {
        let valid = m.get_u64(self.ports.bvalid)? == 1;
        let now = Held {
            resp: m.get_u64(self.ports.bresp)?,
            data: 0,
        };
        let held = self.b_held.take();
        self.check_held(held, valid, now, "b", cycle)?;
        if !valid {
            return Ok(());
        }
        let Some(w) = self.writes.front() else {
            return Err(self.violation(cycle, "write response without any write".into()));
        };
        let (Some(aw), Some(wc)) = (w.aw_cycle, w.w_cycle) else {
            return Err(self.violation(
                cycle,
                format!(
                    "write response for the write to {:#x} before its {} was accepted",
                    w.addr,
                    if w.aw_cycle.is_none() { "address" } else { "data" }
                ),
            ));
        };
        if !self.bready {
            self.b_held = Some(now);
            return Ok(());
        }
        let w = self.writes.pop_front().expect("front write");
        self.b_seq += 1;
        self.results.insert(
            w.ticket,
            AxilResult {
                ticket: w.ticket,
                op: AxilOp::Write {
                    addr: w.addr,
                    data: w.data,
                    strb: w.strb,
                },
                data: 0,
                resp: Resp::from_code(now.resp),
                addr_cycle: aw,
                data_cycle: wc,
                resp_cycle: cycle,
            },
        );
        Ok(())
    }

    fn sample_r(&mut self, m: &Model, cycle: u64) -> Result<()> {
        let valid = m.get_u64(self.ports.rvalid)? == 1;
        let now = Held {
            resp: m.get_u64(self.ports.rresp)?,
            data: m.get_u64(self.ports.rdata)?,
        };
        let held = self.r_held.take();
        self.check_held(held, valid, now, "r", cycle)?;
        if !valid {
            return Ok(());
        }
        let ar = match self.reads.front() {
            Some(Read {
                ar_cycle: Some(c), ..
            }) => *c,
            _ => return Err(self.violation(cycle, "read data without an accepted read address".into())),
        };
        if !self.rready {
            self.r_held = Some(now);
            return Ok(());
        }
        let r = self.reads.pop_front().expect("front read");
        self.r_seq += 1;
        self.results.insert(
            r.ticket,
            AxilResult {
                ticket: r.ticket,
                op: AxilOp::Read { addr: r.addr },
                data: now.data,
                resp: Resp::from_code(now.resp),
                addr_cycle: ar,
                data_cycle: cycle,
                resp_cycle: cycle,
            },
        );
        Ok(())
    }

    /// Random bits for an idle signal of `width` bits.
    fn noise(&mut self, width: u32) -> u64 {
        let v = self.filler.next_u64();
        if width >= 64 {
            v
        } else {
            v & ((1u64 << width) - 1)
        }
    }

    fn drive_aw(&mut self, m: &mut Model, cycle: u64) -> Result<()> {
        let p = self.ports;
        let waiting = (self.aw_seq - self.b_seq) as usize;
        if waiting < self.writes.len() && waiting < self.max_outstanding && self.pace.aw.next(cycle) {
            let seq = self.aw_seq;
            let addr = self.write_at(seq).expect("queued write").addr;
            m.set_u64(p.awaddr, addr)?;
            if let Some(prot) = p.awprot {
                m.set_u64(prot, 0)?;
            }
            m.set_u64(p.awvalid, 1)?;
            self.aw_offer = true;
        } else {
            let n = self.noise(p.awaddr.width());
            m.set_u64(p.awaddr, n)?;
            m.set_u64(p.awvalid, 0)?;
        }
        Ok(())
    }

    fn drive_w(&mut self, m: &mut Model, cycle: u64) -> Result<()> {
        let p = self.ports;
        let waiting = (self.w_seq - self.b_seq) as usize;
        if waiting < self.writes.len() && waiting < self.max_outstanding && self.pace.w.next(cycle) {
            let seq = self.w_seq;
            let full = p.full_strb();
            let w = self.write_at(seq).expect("queued write");
            let (data, strb) = (w.data, w.strb);
            m.set_u64(p.wdata, data)?;
            match p.wstrb {
                Some(s) => m.set_u64(s, strb)?,
                None if strb != full => {
                    return Err(Error::Setup(format!(
                        "{}: strobes {strb:#x} on an interface without wstrb",
                        self.name
                    )))
                }
                None => {}
            }
            m.set_u64(p.wvalid, 1)?;
            self.w_offer = true;
        } else {
            let n = self.noise(p.wdata.width());
            m.set_u64(p.wdata, n)?;
            if let Some(s) = p.wstrb {
                let n = self.noise(s.width());
                m.set_u64(s, n)?;
            }
            m.set_u64(p.wvalid, 0)?;
        }
        Ok(())
    }

    fn drive_ar(&mut self, m: &mut Model, cycle: u64) -> Result<()> {
        let p = self.ports;
        let waiting = (self.ar_seq - self.r_seq) as usize;
        if waiting < self.reads.len() && waiting < self.max_outstanding && self.pace.ar.next(cycle) {
            let addr = self.reads[waiting].addr;
            m.set_u64(p.araddr, addr)?;
            if let Some(prot) = p.arprot {
                m.set_u64(prot, 0)?;
            }
            m.set_u64(p.arvalid, 1)?;
            self.ar_offer = true;
        } else {
            let n = self.noise(p.araddr.width());
            m.set_u64(p.araddr, n)?;
            m.set_u64(p.arvalid, 0)?;
        }
        Ok(())
    }
}

impl Agent for AxilMaster {
    fn sample(&mut self, m: &Model, cycle: u64) -> Result<()> {
        // Responses first: a response in this cycle answers a request
        // accepted in an earlier cycle.
        self.sample_b(m, cycle)?;
        self.sample_r(m, cycle)?;
        let p = self.ports;
        if self.aw_offer && m.get_u64(p.awready)? == 1 {
            self.aw_offer = false;
            let seq = self.aw_seq;
            self.write_at(seq).expect("offered write").aw_cycle = Some(cycle);
            self.aw_seq += 1;
        }
        if self.w_offer && m.get_u64(p.wready)? == 1 {
            self.w_offer = false;
            let seq = self.w_seq;
            self.write_at(seq).expect("offered write").w_cycle = Some(cycle);
            self.w_seq += 1;
        }
        if self.ar_offer && m.get_u64(p.arready)? == 1 {
            self.ar_offer = false;
            let i = (self.ar_seq - self.r_seq) as usize;
            self.reads[i].ar_cycle = Some(cycle);
            self.ar_seq += 1;
        }
        Ok(())
    }

    fn drive(&mut self, m: &mut Model, cycle: u64) -> Result<()> {
        if !self.aw_offer {
            self.drive_aw(m, cycle)?;
        }
        if !self.w_offer {
            self.drive_w(m, cycle)?;
        }
        if !self.ar_offer {
            self.drive_ar(m, cycle)?;
        }
        self.bready = self.pace.b.next(cycle);
        self.rready = self.pace.r.next(cycle);
        m.set_u64(self.ports.bready, u64::from(self.bready))?;
        m.set_u64(self.ports.rready, u64::from(self.rready))?;
        Ok(())
    }

    fn is_idle(&self) -> bool {
        self.writes.is_empty() && self.reads.is_empty()
    }

    fn status(&self) -> String {
        format!(
            "{}: {} writes done, {} open (address sent for {}, data for {}); {} reads done, {} open (address sent for {})",
            self.name,
            self.b_seq,
            self.writes.len(),
            self.aw_seq - self.b_seq,
            self.w_seq - self.b_seq,
            self.r_seq,
            self.reads.len(),
            self.ar_seq - self.r_seq
        )
    }
}
