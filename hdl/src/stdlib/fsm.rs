//! A finite-state-machine builder on top of [`crate::hw_enum!`] / [`EnumSig`].
//!
//! ```
//! use hdl::prelude::*;
//! use hdl::stdlib::fsm::Fsm;
//! hdl::hw_enum! {
//!     /// States of a tiny controller.
//!     pub enum Phase: Binary { Idle, Busy }
//! }
//! # fn build(go: Bool, finished: Bool) {
//! let fsm = Fsm::new("ctrl", Phase::Idle);
//! fsm.states(|s| {
//!     s.on(Phase::Idle, || {
//!         when(go, || fsm.goto(Phase::Busy));
//!     });
//!     s.on(Phase::Busy, || {
//!         when(finished, || fsm.goto(Phase::Idle));
//!     });
//! });
//! # }
//! ```
//!
//! The state register is `{name}_state`, the next state `{name}_next` (it
//! defaults to the current state, so a state without `goto` stays put). The
//! per-state closures become one readable `case ({name}_state)` whose labels
//! are the variants' localparams (`PHASE_IDLE`, ...). Unused codes (e.g. 3 in a
//! 3-state binary encoding) go back to the initial state.

use crate::dsl::cond::Switch;
use crate::prelude::*;

/// A state machine over the variants of `E`.
#[derive(Clone, Copy, Debug)]
pub struct Fsm<E: HwEnum> {
    state: EnumSig<E>,
    next: EnumSig<E>,
    first: Bool,
    initial: E,
}

/// The cases of [`Fsm::states`].
pub struct FsmCases<'a, E: HwEnum> {
    sw: &'a mut Switch,
    fsm: Fsm<E>,
    seen: Vec<E>,
}

impl<E: HwEnum> FsmCases<'_, E> {
    /// What the machine does while in `state`: assignments in `f` apply only
    /// then; call [`Fsm::goto`] inside to leave.
    #[track_caller]
    pub fn on(&mut self, state: E, f: impl FnOnce()) {
        self.seen.push(state);
        EnumSig::<E>::case(self.sw, state, f);
    }
}

impl<E: HwEnum> Fsm<E> {
    /// A state machine named `name` that resets into `initial` (in the current clock domain).
    #[track_caller]
    pub fn new(name: &str, initial: E) -> Fsm<E> {
        let state = reg(&format!("{name}_state"), EnumSig::<E>::ty()).init(initial);
        let next = wire(&format!("{name}_next"), EnumSig::<E>::ty());
        next.set_from(state);
        state.set_from(next);
        let changing = next.as_bits().is_ne(state.as_bits());
        let first = reg(&format!("{name}_entered"), Bool::ty()).init(true);
        first.set(changing);
        Fsm {
            state,
            next,
            first,
            initial,
        }
    }

    /// Describes every state: call [`FsmCases::on`] once per state inside `f`.
    /// Codes that belong to no variant return to the initial state.
    #[track_caller]
    pub fn states(&self, f: impl FnOnce(&mut FsmCases<'_, E>)) {
        let fsm = *self;
        self.state.switch(|sw| {
            let mut cases = FsmCases {
                sw,
                fsm,
                seen: Vec::new(),
            };
            f(&mut cases);
            let all_listed = E::VARIANTS.iter().all(|v| cases.seen.contains(v));
            let codes_used = E::VARIANTS.len() as u128;
            let full = match E::ENCODING {
                Encoding::OneHot => false,
                _ => codes_used == 1u128 << E::width(),
            };
            if !(all_listed && full) {
                let init = cases.fsm.initial;
                let unlisted: Vec<E> = E::VARIANTS
                    .iter()
                    .copied()
                    .filter(|v| !cases.seen.contains(v))
                    .collect();
                let next = cases.fsm.next;
                let state = cases.fsm.state;
                cases.sw.default(move || {
                    // Unlisted variants stay put; codes of no variant recover.
                    let valid = unlisted.iter().map(|&v| state.is(v)).reduce(|a, b| a | b);
                    match valid {
                        Some(v) => {
                            when(!v, || next.set(init));
                        }
                        None => next.set(init),
                    }
                });
            }
        });
    }

    /// Go to `state` in the next cycle (last `goto` of a cycle wins).
    #[track_caller]
    pub fn goto(&self, state: E) {
        self.next.set(state);
    }

    /// The current state is `state`.
    #[track_caller]
    pub fn is_active(&self, state: E) -> Bool {
        self.state.is(state)
    }

    /// The machine moves into `state` at the end of this cycle (combinational).
    #[track_caller]
    pub fn is_entering(&self, state: E) -> Bool {
        self.next.is(state) & !self.state.is(state)
    }

    /// The machine leaves `state` at the end of this cycle (combinational).
    #[track_caller]
    pub fn is_exiting(&self, state: E) -> Bool {
        self.state.is(state) & !self.next.is(state)
    }

    /// This is the first cycle in `state` (also right after reset, for the
    /// initial state): the registered "on entry" condition.
    #[track_caller]
    pub fn just_entered(&self, state: E) -> Bool {
        self.first & self.state.is(state)
    }

    /// The state register.
    pub fn state(&self) -> EnumSig<E> {
        self.state
    }

    /// The next-state signal.
    pub fn next(&self) -> EnumSig<E> {
        self.next
    }
}
