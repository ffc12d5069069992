//! A JSON description of the elaborated design for tools: hierarchy, ports
//! with widths and directions, registers, memories and annotations such as
//! register maps.

use crate::ir::{Design, Dir, ModuleId};
use serde::Serialize;
use std::collections::BTreeMap;

/// A port.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct PortDesc {
    /// Name.
    pub name: String,
    /// `input` or `output`.
    pub direction: Dir,
    /// Width in bits.
    pub width: u32,
    /// `clock`, `reset` or `data`.
    pub role: &'static str,
}

/// A register.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct RegDesc {
    /// Name.
    pub name: String,
    /// Width in bits.
    pub width: u32,
    /// Clock port name.
    pub clock: String,
    /// Reset value, if any, as a Verilog literal.
    pub init: Option<String>,
}

/// A memory.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct MemDesc {
    /// Name.
    pub name: String,
    /// Word width.
    pub width: u32,
    /// Words.
    pub depth: u32,
    /// Write ports.
    pub write_ports: usize,
    /// Synchronous read ports.
    pub sync_read_ports: usize,
}

/// A child instance.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct InstDesc {
    /// Instance name.
    pub name: String,
    /// Module name.
    pub module: String,
}

/// A module.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct ModuleDesc {
    /// Name.
    pub name: String,
    /// True for vendor black boxes.
    pub blackbox: bool,
    /// Ports in Verilog order.
    pub ports: Vec<PortDesc>,
    /// Registers.
    pub registers: Vec<RegDesc>,
    /// Memories.
    pub memories: Vec<MemDesc>,
    /// Children.
    pub instances: Vec<InstDesc>,
    /// Annotations (e.g. `register_map`).
    pub annotations: BTreeMap<String, serde_json::Value>,
}

/// The design.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct DesignDesc {
    /// Top module name.
    pub top: String,
    /// Modules, children first.
    pub modules: Vec<ModuleDesc>,
}

/// Describes `design`.
pub fn describe(design: &Design) -> DesignDesc {
    let modules = design
        .modules
        .iter()
        .map(|m| {
            let clocks: Vec<_> = m.domains.iter().map(|d| d.clock).collect();
            let resets: Vec<_> = m.domains.iter().filter_map(|d| d.reset.map(|r| r.0)).collect();
            let ports = super::verilog::port_order(m)
                .into_iter()
                .map(|p| {
                    let s = m.signal(p);
                    PortDesc {
                        name: s.name.clone(),
                        direction: if s.is_port(Dir::Input) {
                            Dir::Input
                        } else {
                            Dir::Output
                        },
                        width: s.width,
                        role: if clocks.contains(&p) {
                            "clock"
                        } else if resets.contains(&p) {
                            "reset"
                        } else {
                            "data"
                        },
                    }
                })
                .collect();
            let registers = m
                .signals
                .iter()
                .filter_map(|s| {
                    let r = s.reg.as_ref()?;
                    Some(RegDesc {
                        name: s.name.clone(),
                        width: s.width,
                        clock: m.signal(m.domains[r.domain.0 as usize].clock).name.clone(),
                        init: r.init.as_ref().map(|c| c.to_verilog()),
                    })
                })
                .collect();
            ModuleDesc {
                name: m.name.clone(),
                blackbox: m.blackbox.is_some(),
                ports,
                registers,
                memories: m
                    .memories
                    .iter()
                    .map(|mm| MemDesc {
                        name: mm.name.clone(),
                        width: mm.width,
                        depth: mm.depth,
                        write_ports: mm.writes.len(),
                        sync_read_ports: mm.sync_reads.len(),
                    })
                    .collect(),
                instances: m
                    .instances
                    .iter()
                    .map(|i| InstDesc {
                        name: i.name.clone(),
                        module: design.module(i.module).name.clone(),
                    })
                    .collect(),
                annotations: m.annotations.clone(),
            }
        })
        .collect();
    DesignDesc {
        top: design.module(design.top).name.clone(),
        modules,
    }
}

/// The description as pretty JSON (stable key order).
pub fn to_json(design: &Design) -> String {
    serde_json::to_string_pretty(&describe(design)).expect("serialisable")
}

/// The module id by name (for tools that start from JSON names).
pub fn module_id(design: &Design, name: &str) -> Option<ModuleId> {
    design
        .modules
        .iter()
        .position(|m| m.name == name)
        .map(|i| ModuleId(i as u32))
}
