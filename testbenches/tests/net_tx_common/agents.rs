//! Small agents for the ports that are not AXI-Stream: multi-field
//! valid/ready streams, statistics pulses, flows.

use std::collections::{BTreeMap, VecDeque};
use testbenches::axis::Pace;
use testbenches::{Agent, Result};
use verilator::{Model, PortHandle};

/// Drives a valid/ready stream whose payload is several ports
/// (`<prefix>_valid`, `<prefix>_ready`, `<prefix>_payload_<field>`), holding
/// each item until it is taken.
pub struct FieldSource {
    valid: PortHandle,
    ready: Option<PortHandle>,
    fields: Vec<PortHandle>,
    queue: VecDeque<Vec<u64>>,
    pace: Pace,
    offering: bool,
    sent: u64,
}

impl FieldSource {
    /// A source for `<prefix>_payload_<field>` in the order of `fields`.
    pub fn new(m: &Model, prefix: &str, fields: &[&str], pace: Pace) -> Result<FieldSource> {
        let field = |f: &str| {
            let name = if f.is_empty() {
                format!("{prefix}_payload")
            } else {
                format!("{prefix}_payload_{f}")
            };
            m.port(&name)
        };
        Ok(FieldSource {
            valid: m.port(&format!("{prefix}_valid"))?,
            ready: m.port(&format!("{prefix}_ready")).ok(),
            fields: fields
                .iter()
                .map(|f| field(f))
                .collect::<verilator::Result<_>>()?,
            queue: VecDeque::new(),
            pace,
            offering: false,
            sent: 0,
        })
    }

    /// Queues an item (one value per field).
    pub fn push(&mut self, values: Vec<u64>) {
        assert_eq!(values.len(), self.fields.len(), "one value per field");
        self.queue.push_back(values);
    }

    /// Items taken by the design.
    pub fn sent(&self) -> u64 {
        self.sent
    }

    /// Items still queued.
    pub fn pending(&self) -> usize {
        self.queue.len()
    }
}

impl Agent for FieldSource {
    fn sample(&mut self, m: &Model, _cycle: u64) -> Result<()> {
        if self.offering {
            let taken = match self.ready {
                Some(r) => m.get_u64(r)? == 1,
                None => true,
            };
            if taken {
                self.offering = false;
                self.queue.pop_front();
                self.sent += 1;
            }
        }
        Ok(())
    }

    fn drive(&mut self, m: &mut Model, cycle: u64) -> Result<()> {
        if self.offering {
            return Ok(());
        }
        match self.queue.front() {
            Some(item) if self.pace.next(cycle) => {
                for (p, v) in self.fields.iter().zip(item) {
                    m.set_u64(*p, *v)?;
                }
                m.set_u64(self.valid, 1)?;
                self.offering = true;
            }
            _ => m.set_u64(self.valid, 0)?,
        }
        Ok(())
    }

    fn is_idle(&self) -> bool {
        self.queue.is_empty() && !self.offering
    }

    fn status(&self) -> String {
        format!("field source: {} sent, {} queued", self.sent, self.queue.len())
    }
}

/// Counts one-cycle pulses on 1-bit outputs (`stat_*`).
pub struct PulseCounter {
    ports: Vec<(String, PortHandle)>,
    counts: BTreeMap<String, u64>,
}

impl PulseCounter {
    /// Watches every port of `m` whose name starts with `prefix`.
    pub fn new(m: &Model, prefix: &str) -> Result<PulseCounter> {
        let mut ports = Vec::new();
        for name in m.port_names() {
            if name.starts_with(prefix) {
                ports.push((name.to_string(), m.port(name)?));
            }
        }
        assert!(!ports.is_empty(), "no port starts with {prefix}");
        Ok(PulseCounter {
            ports,
            counts: BTreeMap::new(),
        })
    }

    /// Pulses seen on `port` so far.
    pub fn count(&self, port: &str) -> u64 {
        assert!(
            self.ports.iter().any(|(n, _)| n == port),
            "no counted port {port}"
        );
        self.counts.get(port).copied().unwrap_or(0)
    }

    /// Every count.
    pub fn counts(&self) -> &BTreeMap<String, u64> {
        &self.counts
    }
}

impl Agent for PulseCounter {
    fn sample(&mut self, m: &Model, _cycle: u64) -> Result<()> {
        for (name, p) in &self.ports {
            if m.get_u64(*p)? != 0 {
                *self.counts.entry(name.clone()).or_default() += 1;
            }
        }
        Ok(())
    }

    fn drive(&mut self, _m: &mut Model, _cycle: u64) -> Result<()> {
        Ok(())
    }
}

/// Records the values of some ports in every cycle where `valid` is high.
pub struct FlowMonitor {
    valid: PortHandle,
    fields: Vec<PortHandle>,
    seen: Vec<(u64, Vec<u64>)>,
}

impl FlowMonitor {
    /// Watches `valid` and records `fields`.
    pub fn new(m: &Model, valid: &str, fields: &[&str]) -> Result<FlowMonitor> {
        Ok(FlowMonitor {
            valid: m.port(valid)?,
            fields: fields
                .iter()
                .map(|f| m.port(f))
                .collect::<verilator::Result<_>>()?,
            seen: Vec::new(),
        })
    }

    /// (cycle, values) of every valid cycle so far.
    pub fn seen(&self) -> &[(u64, Vec<u64>)] {
        &self.seen
    }
}

impl Agent for FlowMonitor {
    fn sample(&mut self, m: &Model, cycle: u64) -> Result<()> {
        if m.get_u64(self.valid)? == 1 {
            let v = self
                .fields
                .iter()
                .map(|p| m.get_u64(*p))
                .collect::<verilator::Result<_>>()?;
            self.seen.push((cycle, v));
        }
        Ok(())
    }

    fn drive(&mut self, _m: &mut Model, _cycle: u64) -> Result<()> {
        Ok(())
    }
}

/// Sets an input port by name.
pub fn set(m: &mut Model, port: &str, v: u64) {
    let p = m.port(port).unwrap_or_else(|e| panic!("{port}: {e}"));
    m.set_u64(p, v).unwrap_or_else(|e| panic!("{port}: {e}"));
}

/// Reads an output port by name.
pub fn get(m: &Model, port: &str) -> u64 {
    let p = m.port(port).unwrap_or_else(|e| panic!("{port}: {e}"));
    m.get_u64(p).unwrap_or_else(|e| panic!("{port}: {e}"))
}
