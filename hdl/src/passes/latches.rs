//! Pass `latches`: a combinational signal must be assigned on every path
//! through the statement tree, or have a default; otherwise the Verilog would
//! infer a latch (E0201 [`Code::Latch`]).
//!
//! For each block the pass computes the signals it assigns on *every* path
//! ("definite") and on *some* path ("maybe"): an assignment is definite; a
//! `when` is definite for what both branches assign definitely; a `switch` for
//! what every case and the default assign (the default is ignored when the
//! cases cover every selector value). A signal assigned somewhere but not
//! definitely by the root block is a latch, unless it is a register, a memory's
//! read data, an input port or has a default. The diagnostic points at the
//! signal's declaration, with a note naming the innermost `when`/`switch` that
//! has a branch without any assignment to it.

use crate::diag::{Code, Diagnostic, Diagnostics, Loc};
use crate::ir::{BlockId, Design, Dir, Module, Role, Stmt};
use std::collections::BTreeMap;

/// Sorted, deduplicated signal indices.
type Set = Vec<u32>;

fn union(a: &Set, b: &Set) -> Set {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

fn intersect(a: &Set, b: &Set) -> Set {
    a.iter().copied().filter(|x| b.binary_search(x).is_ok()).collect()
}

struct Walk<'a> {
    m: &'a Module,
    /// Signal -> the innermost when/switch with a branch that never assigns it.
    missing_at: BTreeMap<u32, Loc>,
}

impl Walk<'_> {
    /// (definite, maybe) of a block.
    fn block(&mut self, b: BlockId) -> (Set, Set) {
        let mut definite: Set = Vec::new();
        let mut maybe: Set = Vec::new();
        for s in self.m.block(b) {
            let (d, mb) = match s {
                Stmt::Assign { target, .. } => (vec![target.0], vec![target.0]),
                Stmt::When { then, els, loc, .. } => self.branches(&[*then, *els], loc),
                Stmt::Switch {
                    sel,
                    cases,
                    default,
                    loc,
                } => {
                    let width = self.m.node(*sel).width;
                    let covered: u128 = cases.iter().map(|(v, _)| v.len() as u128).sum();
                    let full = width < 64 && covered >= 1u128 << width;
                    let mut blocks: Vec<BlockId> = cases.iter().map(|(_, b)| *b).collect();
                    if !full || blocks.is_empty() {
                        blocks.push(*default);
                    }
                    self.branches(&blocks, loc)
                }
            };
            definite.extend(d);
            maybe.extend(mb);
        }
        definite.sort_unstable();
        definite.dedup();
        maybe.sort_unstable();
        maybe.dedup();
        (definite, maybe)
    }

    fn branches(&mut self, blocks: &[BlockId], loc: Loc) -> (Set, Set) {
        let results: Vec<(Set, Set)> = blocks.iter().map(|&b| self.block(b)).collect();
        let mut maybe = Vec::new();
        for (_, mb) in &results {
            maybe = union(&maybe, mb);
        }
        let mut definite = results.first().map(|r| r.0.clone()).unwrap_or_default();
        for (d, _) in &results[1..] {
            definite = intersect(&definite, d);
        }
        for s in &maybe {
            if definite.binary_search(s).is_err()
                && results.iter().any(|(_, mb)| mb.binary_search(s).is_err())
            {
                self.missing_at.entry(*s).or_insert(loc);
            }
        }
        (definite, maybe)
    }
}

fn check(m: &Module, diags: &mut Diagnostics) {
    let mut w = Walk {
        m,
        missing_at: BTreeMap::new(),
    };
    let (definite, maybe) = w.block(Module::ROOT);
    for s in maybe {
        if definite.binary_search(&s).is_ok() {
            continue;
        }
        let sig = &m.signals[s as usize];
        let combinational =
            sig.reg.is_none() && !matches!(sig.role, Role::Port(Dir::Input) | Role::MemData { .. });
        if !combinational || sig.default.is_some() {
            continue;
        }
        let mut d = Diagnostic::error(
            Code::Latch,
            sig.loc,
            &m.name,
            format!(
                "`{}` is not assigned on every path and would become a latch",
                sig.name
            ),
        );
        if let Some(loc) = w.missing_at.get(&s) {
            d = d.with_note(format!(
                "a branch of this condition does not assign it: {}:{}",
                loc.file(),
                loc.line()
            ));
        }
        diags.push(d);
    }
}

/// Checks every module.
pub fn run(design: &mut Design, diags: &mut Diagnostics) {
    for m in &design.modules {
        check(m, diags);
    }
}

#[cfg(test)]
mod tests {
    use crate::prelude::*;
    use crate::Code;
    use std::sync::atomic::{AtomicU32, Ordering};

    static INNER: AtomicU32 = AtomicU32::new(0);

    fn mark(line: u32, b: Bool) -> Bool {
        INNER.store(line, Ordering::Relaxed);
        b
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
            let a = input("a", Bool::ty());
            let s = input("s", UInt::ty(2));
            let y = output("y", UInt::ty(4));
            match self.0 {
                // when without otherwise
                0 => {
                    when(a, || y.set(1u32));
                }
                // when/otherwise
                1 => when(a, || y.set(1u32)).otherwise(|| y.set(2u32)),
                // a root assignment before the when
                2 => {
                    y.set(0u32);
                    when(a, || y.set(1u32));
                }
                // default value
                3 => {
                    let w = wire("w", UInt::ty(4)).default_value(0);
                    when(a, || w.set(1u32));
                    y.set(w);
                }
                // switch covering every value: no default needed
                4 => switch(s, |sw| {
                    for v in 0..4u32 {
                        sw.is(v, || y.set(v));
                    }
                }),
                // switch missing a value and no default
                5 => switch(s, |sw| {
                    for v in 0..3u32 {
                        sw.is(v, || y.set(v));
                    }
                }),
                // switch with a default that assigns
                6 => switch(s, |sw| {
                    sw.is(0u32, || y.set(1u32));
                    sw.default(|| y.set(0u32));
                }),
                // nested: inner when partial inside a full outer when
                7 => when(a, || {
                    when(mark(line!(), s.bit(0)), || y.set(1u32));
                })
                .otherwise(|| y.set(2u32)),
                // registers need no full assignment
                _ => {
                    let r = reg("r", UInt::ty(4)).init(0);
                    when(a, || r.set(r + 1));
                    y.set(r);
                }
            }
        }
    }

    fn result(t: u8) -> Result<crate::Elaborated, crate::Diagnostics> {
        crate::elaborate(&T(t))
    }

    #[test]
    fn fully_assigned_signals_pass() {
        for t in [1, 2, 3, 4, 6, 8] {
            if let Err(d) = result(t) {
                panic!("case {t}: {d}");
            }
        }
    }

    #[test]
    fn partial_assignments_are_latches() {
        for t in [0, 5, 7] {
            let d = result(t).expect_err("latch");
            assert_eq!(d.codes(), vec![Code::Latch], "case {t}: {d}");
            assert!(d.list[0].message.contains("`y`"));
            assert_eq!(d.list[0].notes.len(), 1, "case {t}: {d}");
        }
    }

    #[test]
    fn the_note_points_at_the_inner_condition() {
        let d = result(7).unwrap_err();
        // The inner `when(s.bit(0), ..)` is the one without an otherwise.
        let line = d.list[0].notes[0]
            .rsplit(':')
            .next()
            .unwrap()
            .parse::<u32>()
            .unwrap();
        assert!(d.list[0].notes[0].contains("latches.rs:"));
        assert_eq!(line, INNER.load(Ordering::Relaxed));
    }
}
