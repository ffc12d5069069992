//! The mapped netlist that Yosys writes with `write_json`, reduced to what
//! resource counting and the depth estimate need.

use serde_json::Value;
use std::collections::BTreeMap;

/// One bit of a connection: a net (by Yosys's bit number) or a constant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bit {
    /// A net.
    Net(u64),
    /// `0`, `1`, `x` or `z`.
    Const,
}

/// A cell instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    /// Instance name.
    pub name: String,
    /// Cell type (`LUT4`, `FDRE`, a module name, ...).
    pub ty: String,
    /// Input ports and their bits.
    pub inputs: Vec<(String, Vec<Bit>)>,
    /// Output ports and their bits.
    pub outputs: Vec<(String, Vec<Bit>)>,
}

/// One module of the netlist.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Module {
    /// A cell library model (`blackbox` or `whitebox` attribute: `LUT4`,
    /// `FDRE`, ...), not part of the design.
    pub library: bool,
    /// Input ports.
    pub inputs: Vec<(String, Vec<Bit>)>,
    /// Output ports.
    pub outputs: Vec<(String, Vec<Bit>)>,
    /// Cells.
    pub cells: Vec<Cell>,
    /// A readable name for each net: the first visible net name (ports and
    /// named signals), with the bit index when the net is wider than one.
    pub names: BTreeMap<u64, String>,
}

/// A netlist: its modules by name and who wrote it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Netlist {
    /// `creator` of the JSON (the Yosys version).
    pub creator: String,
    /// Modules by name.
    pub modules: BTreeMap<String, Module>,
}

fn bits(v: &Value) -> Vec<Bit> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|b| b.as_u64().map_or(Bit::Const, Bit::Net))
                .collect()
        })
        .unwrap_or_default()
}

impl Netlist {
    /// Reads Yosys `write_json` output.
    pub fn from_json(text: &str) -> Result<Netlist, String> {
        let v: Value = serde_json::from_str(text).map_err(|e| format!("netlist JSON: {e}"))?;
        let mods = v
            .get("modules")
            .and_then(Value::as_object)
            .ok_or("netlist JSON has no `modules`")?;
        let mut out = Netlist {
            creator: v.get("creator").and_then(Value::as_str).unwrap_or("").to_string(),
            modules: BTreeMap::new(),
        };
        for (name, m) in mods {
            let attrs = m.get("attributes").and_then(Value::as_object);
            let mut module = Module {
                library: attrs.is_some_and(|a| {
                    ["blackbox", "whitebox", "lib_whitebox"]
                        .iter()
                        .any(|k| a.contains_key(*k))
                }),
                ..Module::default()
            };
            if let Some(ports) = m.get("ports").and_then(Value::as_object) {
                for (p, desc) in ports {
                    let b = bits(&desc["bits"]);
                    match desc.get("direction").and_then(Value::as_str) {
                        Some("input") => module.inputs.push((p.clone(), b)),
                        Some("output") => module.outputs.push((p.clone(), b)),
                        _ => {
                            module.inputs.push((p.clone(), b.clone()));
                            module.outputs.push((p.clone(), b));
                        }
                    }
                }
            }
            if let Some(cells) = m.get("cells").and_then(Value::as_object) {
                for (cname, c) in cells {
                    let dirs = c.get("port_directions").and_then(Value::as_object);
                    let mut cell = Cell {
                        name: cname.clone(),
                        ty: c.get("type").and_then(Value::as_str).unwrap_or("").to_string(),
                        inputs: Vec::new(),
                        outputs: Vec::new(),
                    };
                    if let Some(conns) = c.get("connections").and_then(Value::as_object) {
                        for (port, b) in conns {
                            let dir = dirs.and_then(|d| d.get(port)).and_then(Value::as_str);
                            match dir {
                                Some("output") => cell.outputs.push((port.clone(), bits(b))),
                                Some("inout") => {
                                    cell.inputs.push((port.clone(), bits(b)));
                                    cell.outputs.push((port.clone(), bits(b)));
                                }
                                _ => cell.inputs.push((port.clone(), bits(b))),
                            }
                        }
                    }
                    module.cells.push(cell);
                }
            }
            if let Some(nets) = m.get("netnames").and_then(Value::as_object) {
                // Visible names first; among them, the shortest (ports and user signals).
                let mut named: Vec<(&String, &Value)> = nets
                    .iter()
                    .filter(|(_, n)| n.get("hide_name").and_then(Value::as_u64) != Some(1))
                    .collect();
                named.sort_by_key(|(n, _)| (n.len(), n.as_str()));
                for (n, desc) in named {
                    let b = bits(&desc["bits"]);
                    let wide = b.len() > 1;
                    for (i, bit) in b.iter().enumerate() {
                        if let Bit::Net(id) = bit {
                            module.names.entry(*id).or_insert_with(|| {
                                if wide {
                                    format!("{n}[{i}]")
                                } else {
                                    n.clone()
                                }
                            });
                        }
                    }
                }
            }
            out.modules.insert(name.clone(), module);
        }
        Ok(out)
    }
}
