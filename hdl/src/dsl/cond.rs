//! Conditional assignment: `when / elsewhen / otherwise` and `switch / is / default`.

use super::context::{report, resolve, with_builder};
use super::types::{Bool, HwValue};
use crate::diag::{Code, Loc};
use crate::ir::{BlockId, Const, Stmt};
use std::panic::Location;

/// Runs `f` with `block` as the current block.
fn in_block<R>(block: BlockId, f: impl FnOnce() -> R) -> R {
    with_builder(|b| b.blocks.push(block));
    struct Pop;
    impl Drop for Pop {
        fn drop(&mut self) {
            with_builder(|b| {
                b.blocks.pop();
            });
        }
    }
    let _pop = Pop;
    f()
}

/// The rest of a `when` chain.
pub struct When {
    els: BlockId,
}

fn when_at(cond: Bool, f: impl FnOnce(), loc: Loc) -> When {
    let c = resolve(cond.sig(), loc);
    let (then, els) = with_builder(|b| {
        let then = b.new_block();
        let els = b.new_block();
        b.stmt(Stmt::When {
            cond: c,
            then,
            els,
            loc,
        });
        (then, els)
    });
    in_block(then, f);
    When { els }
}

/// Assignments made inside `f` apply only while `cond` is 1.
#[track_caller]
pub fn when(cond: Bool, f: impl FnOnce()) -> When {
    when_at(cond, f, Location::caller())
}

impl When {
    /// Assignments inside `f` apply when no earlier condition held and `cond` does.
    #[track_caller]
    pub fn elsewhen(self, cond: Bool, f: impl FnOnce()) -> When {
        let loc = Location::caller();
        in_block(self.els, || when_at(cond, f, loc))
    }

    /// Assignments inside `f` apply when no condition of the chain held.
    pub fn otherwise(self, f: impl FnOnce()) {
        in_block(self.els, f)
    }
}

/// Case values accepted by [`Switch::is`]: one number or several.
pub trait CaseValues {
    /// The values.
    fn values(self) -> Vec<u128>;
}

impl CaseValues for u128 {
    fn values(self) -> Vec<u128> {
        vec![self]
    }
}
impl CaseValues for u64 {
    fn values(self) -> Vec<u128> {
        vec![u128::from(self)]
    }
}
impl CaseValues for u32 {
    fn values(self) -> Vec<u128> {
        vec![u128::from(self)]
    }
}
impl CaseValues for i32 {
    fn values(self) -> Vec<u128> {
        vec![self as u128]
    }
}
impl CaseValues for usize {
    fn values(self) -> Vec<u128> {
        vec![self as u128]
    }
}
impl<const N: usize> CaseValues for [u128; N] {
    fn values(self) -> Vec<u128> {
        self.to_vec()
    }
}
impl CaseValues for Vec<u128> {
    fn values(self) -> Vec<u128> {
        self
    }
}

/// Builds the cases of a [`switch`].
pub struct Switch {
    /// Block holding the switch statement, and its index there.
    at: (BlockId, usize),
    width: u32,
    seen: Vec<u128>,
}

/// `case (sel)`: inside `f`, call [`Switch::is`] per case and optionally
/// [`Switch::default`]. Duplicate case values are reported (E0701).
#[track_caller]
pub fn switch<T: HwValue>(sel: T, f: impl FnOnce(&mut Switch)) {
    let loc = Location::caller();
    let s = resolve(sel.sig(), loc);
    let at = with_builder(|b| {
        let default = b.new_block();
        let block = *b.blocks.last().expect("root");
        b.stmt(Stmt::Switch {
            sel: s,
            cases: Vec::new(),
            default,
            loc,
        });
        (block, b.module.blocks[block.0 as usize].len() - 1)
    });
    let mut sw = Switch {
        at,
        width: sel.width(),
        seen: Vec::new(),
    };
    f(&mut sw);
}

impl Switch {
    fn with_stmt<R>(&self, f: impl FnOnce(&mut Vec<(Vec<Const>, BlockId)>, BlockId) -> R) -> R {
        with_builder(|b| match &mut b.module.blocks[self.at.0 .0 as usize][self.at.1] {
            Stmt::Switch { cases, default, .. } => f(cases, *default),
            _ => unreachable!("switch statement moved"),
        })
    }

    /// Assignments inside `f` apply when the selector equals one of `values`.
    #[track_caller]
    pub fn is(&mut self, values: impl CaseValues, f: impl FnOnce()) {
        let loc = Location::caller();
        let mut consts = Vec::new();
        for v in values.values() {
            if self.seen.contains(&v) {
                report(
                    Code::DuplicateCase,
                    loc,
                    format!("case value {v} appears twice in this switch"),
                );
                continue;
            }
            self.seen.push(v);
            match Const::new(v, self.width) {
                Some(c) => consts.push(c),
                None => report(
                    Code::LiteralTooWide,
                    loc,
                    format!("case value {v} does not fit the {}-bit selector", self.width),
                ),
            }
        }
        let block = with_builder(|b| b.new_block());
        self.with_stmt(|cases, _| cases.push((consts, block)));
        in_block(block, f);
    }

    /// Assignments inside `f` apply when no case matched.
    pub fn default(&mut self, f: impl FnOnce()) {
        let block = self.with_stmt(|_, d| d);
        in_block(block, f);
    }
}
