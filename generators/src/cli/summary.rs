//! What a design contains: per module and in total, instances counted.

use super::term::{Style, Table, Term};
use hdl::backend::json::DesignDesc;
use std::collections::BTreeMap;

/// The numbers of one module (its own contents, children not included).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModuleStats {
    /// Module name.
    pub name: String,
    /// How many times it is instantiated under the top (1 for the top).
    pub instances: u64,
    /// Ports.
    pub ports: u64,
    /// Port bits.
    pub port_bits: u64,
    /// Registers.
    pub registers: u64,
    /// Register bits.
    pub register_bits: u64,
    /// Memories.
    pub memories: u64,
    /// Memory bits (width x depth).
    pub memory_bits: u64,
}

/// A design's numbers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// Top module.
    pub top: String,
    /// Every module, children first, top last.
    pub modules: Vec<ModuleStats>,
}

impl Summary {
    /// Of `desc`.
    pub fn of(desc: &DesignDesc) -> Summary {
        let mut count: BTreeMap<&str, u64> = BTreeMap::new();
        count.insert(desc.top.as_str(), 1);
        // Modules are listed children first, so parents come first in reverse.
        for m in desc.modules.iter().rev() {
            let n = count.get(m.name.as_str()).copied().unwrap_or(0);
            for i in &m.instances {
                *count.entry(i.module.as_str()).or_insert(0) += n;
            }
        }
        let modules = desc
            .modules
            .iter()
            .map(|m| ModuleStats {
                name: m.name.clone(),
                instances: count.get(m.name.as_str()).copied().unwrap_or(0),
                ports: m.ports.len() as u64,
                port_bits: m.ports.iter().map(|p| u64::from(p.width)).sum(),
                registers: m.registers.len() as u64,
                register_bits: m.registers.iter().map(|r| u64::from(r.width)).sum(),
                memories: m.memories.len() as u64,
                memory_bits: m
                    .memories
                    .iter()
                    .map(|x| u64::from(x.width) * u64::from(x.depth))
                    .sum(),
            })
            .collect();
        Summary {
            top: desc.top.clone(),
            modules,
        }
    }

    /// The top module's numbers.
    pub fn top_stats(&self) -> &ModuleStats {
        self.modules
            .iter()
            .find(|m| m.name == self.top)
            .expect("the top is a module")
    }

    /// `(registers, bits)` across the hierarchy, each instance counted.
    pub fn total_registers(&self) -> (u64, u64) {
        self.modules.iter().fold((0, 0), |(n, b), m| {
            (n + m.instances * m.registers, b + m.instances * m.register_bits)
        })
    }

    /// `(memories, bits)` across the hierarchy, each instance counted.
    pub fn total_memories(&self) -> (u64, u64) {
        self.modules.iter().fold((0, 0), |(n, b), m| {
            (n + m.instances * m.memories, b + m.instances * m.memory_bits)
        })
    }

    /// Total instances of modules below and including the top.
    pub fn total_instances(&self) -> u64 {
        self.modules.iter().map(|m| m.instances).sum()
    }

    /// A table of the modules and the totals.
    pub fn render(&self, t: &Term) -> String {
        let mut table = Table::new(&[
            "module",
            "inst",
            "ports",
            "port bits",
            "regs",
            "reg bits",
            "mems",
            "mem bits",
        ]);
        for m in &self.modules {
            table.row(vec![
                m.name.clone().into(),
                m.instances.into(),
                m.ports.into(),
                m.port_bits.into(),
                m.registers.into(),
                m.register_bits.into(),
                m.memories.into(),
                m.memory_bits.into(),
            ]);
        }
        let top = self.top_stats();
        let (regs, reg_bits) = self.total_registers();
        let (mems, mem_bits) = self.total_memories();
        let bold = |v: u64| super::term::styled(v, Style::Bold);
        table.row(vec![
            super::term::styled("total (each instance)", Style::Bold),
            bold(self.total_instances()),
            bold(top.ports),
            bold(top.port_bits),
            bold(regs),
            bold(reg_bits),
            bold(mems),
            bold(mem_bits),
        ]);
        table.render(t)
    }
}
