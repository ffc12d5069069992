//! Which bits of each value are read. Verilator's `-Wall` flags signals (or bits
//! of them) that nothing reads; a reusable component often has such inputs on
//! purpose, so the printer wraps exactly those declarations in a lint waiver
//! instead of leaving the user with warnings.

use super::expr::Exprs;
use crate::ir::{Dir, Module, NodeId, NodeKind, Role, SigId};
use std::collections::HashMap;

/// Bit usage of every node.
pub struct Usage {
    full: Vec<bool>,
    partial: HashMap<u32, Vec<bool>>,
    sig_used: Vec<bool>,
}

impl Usage {
    /// Computes usage for module `m`.
    pub fn new(m: &Module, e: &Exprs) -> Usage {
        let n = m.nodes.len();
        let mut u = Usage {
            full: vec![false; n],
            partial: HashMap::new(),
            sig_used: vec![false; m.signals.len()],
        };
        // Roots (statements, defaults, memory ports) are the uses not made by nodes.
        let mut node_uses = vec![0u32; n];
        for node in &m.nodes {
            crate::ir::node_operands(&node.op, |o| node_uses[o.0 as usize] += 1);
        }
        for ((full, &uses), &by_nodes) in u.full.iter_mut().zip(&e.uses).zip(&node_uses) {
            if uses > by_nodes {
                *full = true;
            }
        }
        for s in &m.signals {
            let read_outside = s.is_port(Dir::Output) || matches!(s.role, Role::InstIn { .. });
            if read_outside {
                u.full[s.node.0 as usize] = true;
            }
        }
        // Operands are created before their users: walk users first.
        for i in (0..n).rev() {
            let used_full = u.full[i];
            let used_part = u.partial.get(&(i as u32)).cloned();
            if !used_full && used_part.is_none() {
                continue;
            }
            let node = &m.nodes[i];
            match &node.op {
                NodeKind::Slice { src, lo } => {
                    let ws = m.node(*src).width as usize;
                    if u.full[src.0 as usize] {
                        continue;
                    }
                    let entry = u.partial.entry(src.0).or_insert_with(|| vec![false; ws]);
                    for b in 0..node.width as usize {
                        let on = used_full || used_part.as_ref().is_some_and(|p| p[b]);
                        if on && (*lo as usize + b) < ws {
                            entry[*lo as usize + b] = true;
                        }
                    }
                }
                op => crate::ir::node_operands(op, |o| u.full[o.0 as usize] = true),
            }
        }
        for (i, s) in m.signals.iter().enumerate() {
            u.sig_used[i] = u.node_fully_used(s.node);
        }
        for d in &m.domains {
            u.sig_used[d.clock.0 as usize] = true;
        }
        // Resets are used when a register with a reset value or a child with a
        // reset sits in their domain.
        let mut reset_used = vec![false; m.domains.len()];
        for s in &m.signals {
            if let Some(r) = &s.reg {
                if r.init.is_some() {
                    reset_used[r.domain.0 as usize] = true;
                }
            }
        }
        for d in m.domains.iter().zip(&reset_used) {
            if let (Some((r, _, _)), true) = (d.0.reset, *d.1) {
                u.sig_used[r.0 as usize] = true;
            }
        }
        u
    }

    /// Marks a reset port used by a child instance's domain.
    pub fn mark_used(&mut self, s: SigId) {
        self.sig_used[s.0 as usize] = true;
    }

    fn node_fully_used(&self, n: NodeId) -> bool {
        self.full[n.0 as usize] || self.partial.get(&n.0).is_some_and(|p| p.iter().all(|&b| b))
    }

    /// True when every bit of signal `s` is read.
    pub fn used(&self, s: SigId) -> bool {
        self.sig_used[s.0 as usize]
    }

    /// True when every bit of a temporary is read.
    pub fn temp_fully_used(&self, n: NodeId) -> bool {
        self.node_fully_used(n)
    }
}
