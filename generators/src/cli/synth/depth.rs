//! Logic depth of a mapped netlist: the longest combinational path, counted
//! in cell levels, between timing start and end points.
//!
//! Rules (one level is one cell on the path):
//! - every `LUT1`..`LUT6`, `LUT6_2` and `INV` is one level;
//! - every `CARRY8` is one level, so a carry chain of n CARRY8 cells adds n
//!   (Vivado counts CARRY8s in a chain the same way in its logic levels);
//!   of a chain of `CARRY4`s (what Yosys 0.23 maps to, see [`super::carry`])
//!   the first, third, ... add a level: two `CARRY4`s become one `CARRY8`;
//! - every `MUXF7`/`MUXF8`/`MUXF9` is one level;
//! - a distributed RAM (`RAM32M`, `RAM64X1D`, ...) is one level from its read
//!   address to its data output, and an SRL one level from its address `A`
//!   to `Q`; their data, write-enable and shift inputs are end points;
//! - buffers (`BUFG`, `IBUF`, ...) are zero levels;
//! - flip-flops, latches, block RAM, UltraRAM, DSP slices and any other cell
//!   (including children that were not flattened) are start points at their
//!   outputs and end points at their inputs, as are the module's ports.
//!
//! A combinational loop (none should exist) is cut where it is found and
//! counted in [`Depth::loops`].

use super::cells::{classify, Kind};
use super::netlist::{Bit, Cell, Module, Netlist};
use serde::Serialize;

/// The result.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Depth {
    /// Levels on the longest path.
    pub levels: u32,
    /// LUT levels only (`LUT1`..`LUT6`, `INV`, distributed RAM and SRL
    /// reads; carries and wide muxes count zero) on the path with the most
    /// of them, which need not be the path of `levels`.
    pub lut_levels: u32,
    /// Where the path of `lut_levels` starts.
    pub lut_from: String,
    /// Where it ends.
    pub lut_to: String,
    /// Where it starts (a register, port or cell output).
    pub from: String,
    /// Where it ends (a register, port or cell input).
    pub to: String,
    /// Combinational loops cut while measuring.
    pub loops: u32,
}

/// The deepest path into one end point (a register, memory input or port,
/// all bits of a bus together), for `lauberhorn synth --paths`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EndPath {
    /// Logic levels (as [`Depth::levels`]) of the deepest path into it.
    pub levels: u32,
    /// Where that path starts.
    pub from: String,
    /// The end point; the bit of a bus that path ends at.
    pub to: String,
}

/// True for the inputs of a distributed RAM that address its read port.
fn is_read_address(port: &str) -> bool {
    let digits_after = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit());
    port.starts_with("ADDR")
        || port.starts_with("DPRA")
        || port == "A"
        || port.strip_prefix('A').is_some_and(digits_after)
}

/// For output `port` of `cell`: its level weight and the input bits it
/// depends on combinationally, or `None` when the output starts a path.
fn comb_inputs(cell: &Cell, port: &str, carry4_pos: Option<u32>, lut_only: bool) -> Option<(u32, Vec<Bit>)> {
    let all = |f: &dyn Fn(&str) -> bool| {
        cell.inputs
            .iter()
            .filter(|(p, _)| f(p))
            .flat_map(|(_, b)| b.iter().copied())
            .collect::<Vec<_>>()
    };
    match classify(&cell.ty) {
        Kind::Carry if lut_only => Some((0, all(&|_| true))),
        Kind::Carry => Some((carry4_pos.map_or(1, |p| u32::from(p % 2 == 0)), all(&|_| true))),
        Kind::MuxF if lut_only => Some((0, all(&|_| true))),
        Kind::Lut | Kind::MuxF => Some((1, all(&|_| true))),
        Kind::Buffer => Some((0, all(&|_| true))),
        Kind::LutRam(_) => Some((1, all(&is_read_address))),
        Kind::Srl if port == "Q" => Some((
            1,
            all(&|p| p == "A" || p.starts_with('A') && p[1..].chars().all(|c| c.is_ascii_digit())),
        )),
        _ => None,
    }
}

/// True when input `port` of `cell` ends paths (is not a combinational input).
fn is_end_point(cell: &Cell, port: &str) -> bool {
    match classify(&cell.ty) {
        Kind::Lut | Kind::Carry | Kind::MuxF | Kind::Buffer => false,
        Kind::LutRam(_) => !is_read_address(port),
        Kind::Srl => !(port == "A" || port.starts_with('A') && port[1..].chars().all(|c| c.is_ascii_digit())),
        _ => true,
    }
}

/// The module `top` of `netlist`.
fn module<'a>(netlist: &'a Netlist, top: &str) -> Result<&'a Module, String> {
    netlist
        .modules
        .get(top)
        .ok_or_else(|| format!("the netlist has no module {top}"))
}

/// The longest combinational path of module `top`, in logic levels and in
/// LUT levels.
pub fn measure(netlist: &Netlist, top: &str) -> Result<Depth, String> {
    Ok(analyse(netlist, top, 0)?.0)
}

/// [`measure`], and the `paths` deepest end points of `top` in logic levels,
/// deepest first, each with its deepest path; the bits of one bus (names
/// that differ only in a final `[i]`) are one end point. One walk of the
/// netlist serves both.
pub fn analyse(netlist: &Netlist, top: &str, paths: usize) -> Result<(Depth, Vec<EndPath>), String> {
    let m = module(netlist, top)?;
    let walk = Walk::new(m, false);
    let logic = walk.longest();
    let luts = Walk::new(m, true).longest();
    let depth = Depth {
        levels: logic.levels,
        from: logic.from,
        to: logic.to,
        loops: logic.loops,
        lut_levels: luts.levels,
        lut_from: luts.from,
        lut_to: luts.to,
    };
    Ok((depth, walk.deepest_ends(paths)))
}

/// End point `name` (`<net> (<cell type> <pin>)` or `output <port>`)
/// without the bit index at the end of its net: the bus it belongs to.
/// Indices inside the name (generate scopes, `g[3].x`) stay.
fn without_bit_index(name: &str) -> String {
    let (net, pin) = name.split_at(name.find(" (").unwrap_or(name.len()));
    let bus = net
        .strip_suffix(']')
        .and_then(|n| n.rsplit_once('['))
        .filter(|(_, i)| !i.is_empty() && i.chars().all(|c| c.is_ascii_digit()))
        .map_or(net, |(bus, _)| bus);
    format!("{bus}{pin}")
}

/// One longest path: its levels, ends, and the loops cut on the way.
#[derive(Default)]
struct Path {
    levels: u32,
    from: String,
    to: String,
    loops: u32,
}

/// Every end point of a module resolved to its level, with the way back to
/// where each path starts.
struct Walk<'a> {
    m: &'a Module,
    /// Who drives each net: (cell index, output port).
    driver: Vec<Option<(usize, &'a str)>>,
    /// The input net on the deepest path into each net.
    pred: Vec<Option<usize>>,
    /// Every end point: (levels, net, name).
    ends: Vec<(u32, usize, String)>,
    /// Combinational loops cut.
    loops: u32,
}

impl<'a> Walk<'a> {
    /// Resolves every end point of `m`, counting LUT levels only when `lut_only`.
    fn new(m: &'a Module, lut_only: bool) -> Walk<'a> {
        let max_net = m
            .cells
            .iter()
            .flat_map(|c| c.inputs.iter().chain(&c.outputs))
            .chain(m.inputs.iter().chain(&m.outputs))
            .flat_map(|(_, b)| b.iter())
            .filter_map(|b| match b {
                Bit::Net(n) => Some(*n),
                Bit::Const => None,
            })
            .max()
            .unwrap_or(0) as usize;
        let mut driver: Vec<Option<(usize, &str)>> = vec![None; max_net + 1];
        for (ci, c) in m.cells.iter().enumerate() {
            for (p, bits) in &c.outputs {
                for b in bits {
                    if let Bit::Net(n) = b {
                        driver[*n as usize] = Some((ci, p.as_str()));
                    }
                }
            }
        }
        let carry4 = super::carry::carry4_positions(m);
        const UNSEEN: u32 = u32::MAX;
        const VISITING: u32 = u32::MAX - 1;
        let mut level = vec![UNSEEN; max_net + 1];
        let mut pred: Vec<Option<usize>> = vec![None; max_net + 1];
        let mut loops = 0u32;
        let mut stack: Vec<usize> = Vec::new();

        let mut resolve = |net: usize, level: &mut Vec<u32>, pred: &mut Vec<Option<usize>>| {
            stack.push(net);
            while let Some(&n) = stack.last() {
                if level[n] != UNSEEN && level[n] != VISITING {
                    stack.pop();
                    continue;
                }
                let deps = driver[n].and_then(|(ci, port)| {
                    comb_inputs(&m.cells[ci], port, carry4.get(&ci).copied(), lut_only)
                });
                let Some((weight, inputs)) = deps else {
                    level[n] = 0;
                    stack.pop();
                    continue;
                };
                let nets: Vec<usize> = inputs
                    .iter()
                    .filter_map(|b| match b {
                        Bit::Net(x) => Some(*x as usize),
                        Bit::Const => None,
                    })
                    .collect();
                if level[n] == UNSEEN {
                    level[n] = VISITING;
                    let mut pushed = false;
                    for &x in &nets {
                        if level[x] == UNSEEN {
                            stack.push(x);
                            pushed = true;
                        } else if level[x] == VISITING {
                            loops += 1;
                        }
                    }
                    if pushed {
                        continue;
                    }
                }
                // Every input is resolved now (inputs still VISITING close a loop: cut).
                let mut best = 0u32;
                let mut best_net = None;
                for &x in &nets {
                    let l = if level[x] >= VISITING { 0 } else { level[x] };
                    if best_net.is_none() || l > best {
                        best = l;
                        best_net = Some(x);
                    }
                }
                level[n] = best + weight;
                pred[n] = best_net;
                stack.pop();
            }
        };

        // End points: module outputs and the path-ending inputs of cells.
        let mut ends: Vec<(u32, usize, String)> = Vec::new();
        for (p, bits) in &m.outputs {
            for (i, b) in bits.iter().enumerate() {
                if let Bit::Net(n) = b {
                    let name = if bits.len() > 1 {
                        format!("{p}[{i}]")
                    } else {
                        p.clone()
                    };
                    ends.push((0, *n as usize, format!("output {name}")));
                }
            }
        }
        for c in &m.cells {
            // A register's or memory's readable name is that of its output.
            let output_name = c
                .outputs
                .iter()
                .flat_map(|(_, q)| q.iter())
                .find_map(|q| match q {
                    Bit::Net(x) => m.names.get(x).cloned(),
                    Bit::Const => None,
                })
                .unwrap_or_else(|| c.name.clone());
            for (p, bits) in c.inputs.iter().filter(|(p, _)| is_end_point(c, p)) {
                for b in bits {
                    if let Bit::Net(n) = b {
                        ends.push((0, *n as usize, format!("{output_name} ({} {p})", c.ty)));
                    }
                }
            }
        }
        for end in &mut ends {
            resolve(end.1, &mut level, &mut pred);
            end.0 = level[end.1];
        }
        Walk {
            m,
            driver,
            pred,
            ends,
            loops,
        }
    }

    /// The `n` deepest end points, a bus once (see [`analyse`]).
    fn deepest_ends(&self, n: usize) -> Vec<EndPath> {
        if n == 0 {
            return Vec::new();
        }
        let mut order: Vec<usize> = (0..self.ends.len()).collect();
        // Deepest first; among equals, in name order, for a stable report.
        order.sort_by(|&a, &b| {
            let (ea, eb) = (&self.ends[a], &self.ends[b]);
            eb.0.cmp(&ea.0).then_with(|| ea.2.cmp(&eb.2))
        });
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for i in order {
            if out.len() == n {
                break;
            }
            let (levels, net, to) = &self.ends[i];
            if seen.insert(without_bit_index(to)) {
                out.push(EndPath {
                    levels: *levels,
                    from: self.start_of(*net),
                    to: to.clone(),
                });
            }
        }
        out
    }

    /// The longest path (the first end point of the most levels).
    fn longest(&self) -> Path {
        let mut best: Option<&(u32, usize, String)> = None;
        for e in &self.ends {
            if best.is_none_or(|b| e.0 > b.0) {
                best = Some(e);
            }
        }
        let Some((levels, net, to)) = best else {
            return Path::default();
        };
        Path {
            levels: *levels,
            from: self.start_of(*net),
            to: to.clone(),
            loops: self.loops,
        }
    }

    /// Where the deepest path into `net` starts.
    fn start_of(&self, net: usize) -> String {
        let mut start = net;
        let mut steps = 0;
        while let Some(p) = self.pred[start] {
            start = p;
            steps += 1;
            if steps > self.pred.len() {
                break;
            }
        }
        self.m
            .names
            .get(&(start as u64))
            .cloned()
            .unwrap_or_else(|| match self.driver[start] {
                Some((ci, port)) => format!("{} ({} {port})", self.m.cells[ci].name, self.m.cells[ci].ty),
                None => format!("net {start}"),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::without_bit_index;

    #[test]
    fn bit_indices_end_nets_only() {
        assert_eq!(without_bit_index("state_q[12] (FDRE D)"), "state_q (FDRE D)");
        assert_eq!(without_bit_index("output o[3]"), "output o");
        assert_eq!(without_bit_index("g[3].x[5] (FDRE D)"), "g[3].x (FDRE D)");
        assert_eq!(without_bit_index("g[3].x (FDRE D)"), "g[3].x (FDRE D)");
        assert_eq!(without_bit_index("m[a] (RAM64X1D D)"), "m[a] (RAM64X1D D)");
    }
}
