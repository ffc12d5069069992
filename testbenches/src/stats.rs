//! Counts a design's statistics outputs, as the CSR bank of the NIC would.
//!
//! A design reports events as `stat_*` outputs: one-cycle pulses (1 bit) or
//! per-cycle amounts (several bits, e.g. bytes). [`StatCounters`] adds up
//! every output whose name starts with a prefix, cycle by cycle.

use crate::{Agent, Result};
use std::collections::BTreeMap;
use verilator::{Model, PortHandle};

/// Sums of every `<prefix>*` output, sampled at each edge of its clock.
pub struct StatCounters {
    ports: Vec<(String, PortHandle)>,
    counts: BTreeMap<String, u64>,
}

impl StatCounters {
    /// Counters for every port of `m` whose name starts with `prefix`.
    pub fn new(m: &Model, prefix: &str) -> Result<StatCounters> {
        let names: Vec<String> = m
            .port_names()
            .into_iter()
            .filter(|n| n.starts_with(prefix))
            .map(str::to_string)
            .collect();
        let ports = names
            .iter()
            .map(|n| Ok((n.clone(), m.port(n)?)))
            .collect::<Result<Vec<_>>>()?;
        let counts = names.into_iter().map(|n| (n, 0)).collect();
        Ok(StatCounters { ports, counts })
    }

    /// The sum of output `name` so far (0 for a name that is not counted).
    pub fn get(&self, name: &str) -> u64 {
        self.counts.get(name).copied().unwrap_or(0)
    }

    /// Every counter.
    pub fn all(&self) -> &BTreeMap<String, u64> {
        &self.counts
    }

    /// The counters that are not zero, as `name=value` pairs.
    pub fn nonzero(&self) -> String {
        let v: Vec<String> = self
            .counts
            .iter()
            .filter(|(_, &v)| v != 0)
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        v.join(" ")
    }
}

impl Agent for StatCounters {
    fn sample(&mut self, m: &Model, _cycle: u64) -> Result<()> {
        for (name, p) in &self.ports {
            let v = m.get_u64(*p)?;
            if v != 0 {
                *self.counts.get_mut(name).expect("counted port") += v;
            }
        }
        Ok(())
    }

    fn drive(&mut self, _m: &mut Model, _cycle: u64) -> Result<()> {
        Ok(())
    }
}
