//! Pass `comb_loops`: no cycle through combinational logic (E0301
//! [`Code::CombLoop`]).
//!
//! The module's dependency graph (`passes/graph.rs`) links each signal to the
//! values assigned to it, the when-conditions and switch selectors controlling
//! those assignments, its default, and through expression nodes (including
//! asynchronous memory reads) to the signals they read. Registers, memory read
//! data and input ports have no incoming combinational edges, so they break
//! loops. Strongly connected components (iterative Tarjan, linear time) of more
//! than one vertex are loops; each is reported once, at the declaration of its
//! first signal, with the signals listed in data-flow order (the first 64 of
//! a longer loop, then how many more).
//!
//! Hierarchy: modules are checked children first; each gets a summary of which
//! input ports reach which output ports combinationally, and a child output
//! depends only on the parent signals driving those inputs. A loop through a
//! child is therefore reported in the parent only if the child really has a
//! combinational path. Black boxes are assumed to have none (vendor IP
//! registers its ports); a black box with a combinational path is not seen.

use super::graph::{self, CombPaths, Graph, Sccs};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::ir::{Design, Dir, Module};
use std::collections::VecDeque;

/// At most this many signals are named in a loop's message.
const MAX_LISTED: usize = 64;

/// The shortest cycle from `start` back to itself inside its component,
/// as vertices in dependency order (`start` first).
fn cycle(g: &Graph, s: &Sccs, start: u32) -> Vec<u32> {
    let c = s.comp[start as usize];
    let mut parent: std::collections::HashMap<u32, u32> = std::collections::HashMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &w in g.succ(v) {
            if s.comp[w as usize] != c {
                continue;
            }
            if w == start {
                let mut path = vec![v];
                let mut x = v;
                while x != start {
                    x = parent[&x];
                    path.push(x);
                }
                path.reverse();
                return path;
            }
            if let std::collections::hash_map::Entry::Vacant(e) = parent.entry(w) {
                e.insert(v);
                queue.push_back(w);
            }
        }
    }
    vec![start]
}

fn check(m: &Module, g: &Graph, s: &Sccs, diags: &mut Diagnostics) {
    for c in 0..s.count() {
        let members = s.of(c);
        let self_loop = members.len() == 1 && g.succ(members[0]).contains(&members[0]);
        if members.len() < 2 && !self_loop {
            continue;
        }
        let Some(&first_sig) = members.iter().filter(|&&v| g.vertex_sig(v).is_some()).min() else {
            continue;
        };
        // Dependency order reversed = data-flow order.
        let mut names: Vec<u32> = cycle(g, s, first_sig)
            .into_iter()
            .filter_map(|v| g.vertex_sig(v))
            .collect();
        names[1..].reverse();
        let first = m.signal(crate::ir::SigId(names[0]));
        let shown = names.len().min(MAX_LISTED);
        let mut listed: Vec<String> = names[..shown]
            .iter()
            .map(|&i| format!("`{}`", m.signals[i as usize].name))
            .collect();
        if shown < names.len() {
            listed.push(format!("... ({} more)", names.len() - shown));
        }
        listed.push(format!("`{}`", first.name));
        let mut d = Diagnostic::error(
            Code::CombLoop,
            first.loc,
            &m.name,
            format!("combinational loop: {}", listed.join(" -> ")),
        );
        for &i in &names[1..shown] {
            let sig = &m.signals[i as usize];
            d = d.with_note(format!(
                "`{}` declared at {}:{}",
                sig.name,
                sig.loc.file(),
                sig.loc.line()
            ));
        }
        diags.push(d);
    }
}

/// For every port of `m`: the input ports reaching it combinationally.
fn summarise(m: &Module, g: &Graph, s: &Sccs) -> CombPaths {
    let inputs: Vec<(usize, u32)> = m
        .ports
        .iter()
        .enumerate()
        .filter(|(_, &p)| m.signal(p).is_port(Dir::Input))
        .map(|(i, &p)| (i, p.0))
        .collect();
    let mut paths: CombPaths = vec![Vec::new(); m.ports.len()];
    if inputs.is_empty() || m.ports.len() == inputs.len() {
        return paths;
    }
    let words = inputs.len().div_ceil(64);
    let mut bit_of_vertex = vec![u32::MAX; 0];
    bit_of_vertex.resize(m.signals.len(), u32::MAX);
    for (b, &(_, sig)) in inputs.iter().enumerate() {
        bit_of_vertex[sig as usize] = b as u32;
    }
    let mut bits = vec![0u64; s.count() * words];
    for c in 0..s.count() {
        let mut acc = vec![0u64; words];
        for &v in s.of(c) {
            if let Some(sig) = g.vertex_sig(v) {
                let b = bit_of_vertex[sig as usize];
                if b != u32::MAX {
                    acc[b as usize / 64] |= 1 << (b % 64);
                }
            }
            for &w in g.succ(v) {
                let wc = s.comp[w as usize] as usize;
                if wc != c {
                    for (a, x) in acc.iter_mut().zip(&bits[wc * words..(wc + 1) * words]) {
                        *a |= x;
                    }
                }
            }
        }
        bits[c * words..(c + 1) * words].copy_from_slice(&acc);
    }
    for (i, &p) in m.ports.iter().enumerate() {
        if !m.signal(p).is_port(Dir::Output) {
            continue;
        }
        let c = s.comp[g.sig_vertex(p.0) as usize] as usize;
        let row = &bits[c * words..(c + 1) * words];
        paths[i] = inputs
            .iter()
            .enumerate()
            .filter(|(b, _)| row[b / 64] >> (b % 64) & 1 == 1)
            .map(|(_, &(port, _))| port as u32)
            .collect();
    }
    paths
}

/// Checks every module, children first, and reports every loop.
pub fn run(design: &mut Design, diags: &mut Diagnostics) {
    let mut summaries: Vec<CombPaths> = Vec::with_capacity(design.modules.len());
    for (i, m) in design.modules.iter().enumerate() {
        if m.blackbox.is_some() {
            summaries.push(vec![Vec::new(); m.ports.len()]);
            continue;
        }
        let g = graph::build(m, &summaries);
        let s = graph::sccs(&g);
        check(m, &g, &s, diags);
        summaries.push(if i == design.top.0 as usize {
            Vec::new()
        } else {
            summarise(m, &g, &s)
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::prelude::*;
    use crate::Code;

    /// A child that passes `a` to `y` either directly or through a register.
    #[derive(Debug)]
    struct Child {
        registered: bool,
    }
    bundle! {
        pub struct ChildIo {
            #[input]
            pub a: UInt,
            pub y: UInt,
        }
    }
    impl Component for Child {
        type Io = ChildIo;
        fn name(&self) -> String {
            format!("child_{}", self.registered)
        }
        fn io(&self) -> ChildIo {
            ChildIo {
                a: UInt::ty(4),
                y: UInt::ty(4),
            }
        }
        fn build(&self, io: &ChildIo) {
            if self.registered {
                io.y.set(reg_next("q", &io.a));
            } else {
                io.y.set(io.a + 1);
            }
        }
    }

    #[derive(Debug)]
    struct T(u8);
    impl Component for T {
        type Io = ();
        fn name(&self) -> String {
            format!("t{}", self.0)
        }
        fn io(&self) {}
        fn build(&self, _: &()) {
            let i = input("i", UInt::ty(4));
            let o = output("o", UInt::ty(4));
            match self.0 {
                // a -> b -> c -> a
                0 => {
                    let a = wire("a", UInt::ty(4));
                    let b = wire("b", UInt::ty(4));
                    let c = wire("c", UInt::ty(4));
                    b.set(a + 1);
                    c.set(b ^ i);
                    a.set(c);
                    o.set(a);
                }
                // broken by a register
                1 => {
                    let a = wire("a", UInt::ty(4));
                    let r = reg_next_init("r", &a, 0);
                    a.set(r + i);
                    o.set(a);
                }
                // a loop through a when-condition
                2 => {
                    let a = wire("a", Bool::ty());
                    a.set(false);
                    when(a, || a.set(true));
                    o.set(i);
                }
                // through a combinational child
                3 | 4 => {
                    let u = instance(
                        "u",
                        &Child {
                            registered: self.0 == 4,
                        },
                    );
                    u.io.a.set(u.io.y);
                    o.set(u.io.y);
                }
                // a wire driving itself
                _ => {
                    let a = wire("a", UInt::ty(4));
                    a.set(a + i);
                    o.set(a);
                }
            }
        }
    }

    #[test]
    fn loop_names_are_listed_in_order() {
        let d = crate::elaborate(&T(0)).unwrap_err();
        assert_eq!(d.codes(), vec![Code::CombLoop]);
        assert!(
            d.list[0].message.ends_with("`a` -> `b` -> `c` -> `a`"),
            "{}",
            d.list[0].message
        );
    }

    #[test]
    fn registers_break_loops() {
        crate::elaborate(&T(1)).unwrap_or_else(|d| panic!("{d}"));
    }

    #[test]
    fn conditions_are_part_of_the_loop() {
        let d = crate::elaborate(&T(2)).unwrap_err();
        assert_eq!(d.codes(), vec![Code::CombLoop]);
        assert!(d.list[0].message.contains("`a` -> `a`"), "{}", d.list[0].message);
    }

    #[test]
    fn loops_through_children_need_a_combinational_path() {
        let d = crate::elaborate(&T(3)).unwrap_err();
        assert_eq!(d.codes(), vec![Code::CombLoop]);
        assert!(d.list[0].message.contains("`u_a`"), "{}", d.list[0].message);
        crate::elaborate(&T(4)).unwrap_or_else(|d| panic!("{d}"));
    }

    #[test]
    fn self_loop() {
        let d = crate::elaborate(&T(5)).unwrap_err();
        assert_eq!(d.codes(), vec![Code::CombLoop]);
    }
}
