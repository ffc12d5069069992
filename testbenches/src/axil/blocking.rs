//! Blocking reads and writes: queue one transaction and run the bench until
//! it completes.

use super::{AxilMaster, AxilResult, Resp, Ticket};
use crate::{Error, Handle, Result, Testbench};

/// A master attached to a bench, for one-at-a-time transactions:
/// `tb.axil(m).write(addr, value)?`. Each call runs the bench until the
/// response arrives, or fails with [`Error::Timeout`] after the master's
/// [`AxilMaster::timeout`] cycles.
pub struct AxilBus<'a> {
    tb: &'a mut Testbench,
    master: Handle<AxilMaster>,
}

impl Testbench {
    /// Blocking access through the AXI4-Lite master `master`.
    pub fn axil(&mut self, master: Handle<AxilMaster>) -> AxilBus<'_> {
        AxilBus { tb: self, master }
    }
}

impl AxilBus<'_> {
    /// Waits for `ticket` (queued earlier on the master) and returns its result.
    pub fn wait(&mut self, ticket: Ticket) -> Result<AxilResult> {
        let m = self.master;
        let limit = self.tb.agent(m).timeout();
        self.tb
            .run_until(|tb| tb.agent(m).result(ticket).is_some(), limit)?;
        self.tb
            .agent_mut(m)
            .take_result(ticket)
            .ok_or_else(|| Error::Setup(format!("result {ticket:?} vanished")))
    }

    /// Writes `value` with every byte enabled; returns the response.
    pub fn write(&mut self, addr: u64, value: u64) -> Result<Resp> {
        let strb = self.tb.agent(self.master).ports().full_strb();
        self.write_strb(addr, value, strb)
    }

    /// Writes the bytes of `value` selected by `strb`; returns the response.
    pub fn write_strb(&mut self, addr: u64, value: u64, strb: u64) -> Result<Resp> {
        let t = self.tb.agent_mut(self.master).write(addr, value, strb);
        Ok(self.wait(t)?.resp)
    }

    /// Reads `addr`; returns the data and the response.
    pub fn read(&mut self, addr: u64) -> Result<(u64, Resp)> {
        let t = self.tb.agent_mut(self.master).read(addr);
        let r = self.wait(t)?;
        Ok((r.data, r.resp))
    }
}
