//! Declaring named signals: ports, wires and registers, from any bundle.

use super::bundle::{Bundle, Leaf};
use super::context::{report, resolve, with_builder, Sig};
use super::domain::current_domain;
use super::types::assign;
use crate::diag::{Code, Loc};
use crate::ir::{Const, Dir, Kind, NodeKind, RegInfo, Role, Signal};
use std::panic::Location;

fn declare(name: &str, width: u32, kind: Kind, role: Role, reg: Option<RegInfo>, loc: Loc) -> Sig {
    with_builder(|b| {
        let is_port = matches!(role, Role::Port(_));
        let (id, h) = b.signal(Signal {
            name: name.to_string(),
            width,
            kind,
            role,
            reg,
            default: None,
            loc,
            node: crate::ir::NodeId(0),
            doc: None,
        });
        if is_port {
            b.module.ports.push(id);
        }
        h
    })
}

pub(crate) fn ports_of<T: Bundle>(name: &str, ty: &T, outward: bool, loc: Loc) -> T {
    ty.map_leaves(name, false, &mut |l: &Leaf| {
        let dir = if l.flipped ^ outward {
            Dir::Output
        } else {
            Dir::Input
        };
        declare(&l.name, l.sig.width, l.kind, Role::Port(dir), None, loc)
    })
}

/// Input ports shaped like `ty`, named `name_field...` (flipped fields become outputs).
#[track_caller]
pub fn input<T: Bundle>(name: &str, ty: T) -> T {
    ports_of(name, &ty, false, Location::caller())
}

/// Output ports shaped like `ty` (flipped fields become inputs).
#[track_caller]
pub fn output<T: Bundle>(name: &str, ty: T) -> T {
    ports_of(name, &ty, true, Location::caller())
}

/// Combinational signals shaped like `ty`.
#[track_caller]
pub fn wire<T: Bundle>(name: &str, ty: T) -> T {
    let loc = Location::caller();
    ty.map_leaves(name, false, &mut |l: &Leaf| {
        declare(&l.name, l.sig.width, l.kind, Role::Wire, None, loc)
    })
}

/// Registers shaped like `ty`, in the current clock domain (no reset value
/// until `.init(..)` gives one).
#[track_caller]
pub fn reg<T: Bundle>(name: &str, ty: T) -> T {
    let loc = Location::caller();
    let domain = current_domain(loc);
    ty.map_leaves(name, false, &mut |l: &Leaf| {
        let info = RegInfo {
            domain,
            init: None,
            cdc_sync: false,
        };
        declare(&l.name, l.sig.width, l.kind, Role::Wire, Some(info), loc)
    })
}

/// A register that takes `value` every cycle (a pipeline stage).
#[track_caller]
pub fn reg_next<T: Bundle>(name: &str, value: &T) -> T {
    let loc = Location::caller();
    let r = reg(name, value.clone());
    for (d, s) in r.leaves().iter().zip(value.leaves()) {
        assign(d.sig, s.sig, loc);
    }
    r
}

/// A register with a reset value that takes `value` every cycle.
#[track_caller]
pub fn reg_next_init<T: Bundle>(name: &str, value: &T, init: u128) -> T {
    let loc = Location::caller();
    let r = reg_next(name, value);
    for l in r.leaves() {
        let c = super::types::const_node(&init.into(), l.sig.width, l.kind, loc);
        set_init(l.sig, c, loc);
    }
    r
}

/// A wire named `name` of the given shape (used by `.named()`).
pub(crate) fn wire_of(name: &str, width: u32, kind: Kind, loc: Loc) -> Sig {
    declare(name, width, kind, Role::Wire, None, loc)
}

fn target_signal(s: Sig, loc: Loc, what: &str) -> Option<crate::ir::SigId> {
    let n = resolve(s, loc);
    let found = with_builder(|b| match b.module.node(n).op {
        NodeKind::Sig(id) => Some(id),
        _ => None,
    });
    if found.is_none() {
        report(
            Code::NotAssignable,
            loc,
            format!("{what} needs a named signal, not an expression"),
        );
    }
    found
}

pub(crate) fn set_default(s: Sig, v: Sig, loc: Loc) {
    let value = resolve(v, loc);
    if let Some(id) = target_signal(s, loc, "a default value") {
        with_builder(|b| b.module.signals[id.0 as usize].default = Some(value));
    }
}

pub(crate) fn set_init(s: Sig, v: Sig, loc: Loc) {
    let Some(id) = target_signal(s, loc, "a reset value") else {
        return;
    };
    let value = resolve(v, loc);
    let problem = with_builder(|b| {
        let c: Option<Const> = match &b.module.node(value).op {
            NodeKind::Const(c) => Some(c.clone()),
            _ => None,
        };
        let sig = &mut b.module.signals[id.0 as usize];
        match (&mut sig.reg, c) {
            (Some(r), Some(c)) => {
                r.init = Some(c);
                None
            }
            (None, _) => Some(format!(
                "`{}` is not a register; only registers have reset values",
                sig.name
            )),
            (_, None) => Some("a reset value must be a constant".to_string()),
        }
    });
    if let Some(msg) = problem {
        report(Code::NotAssignable, loc, msg);
    }
}

pub(crate) fn mark_cdc_sync(s: Sig, loc: Loc) {
    if let Some(id) = target_signal(s, loc, "a synchroniser mark") {
        with_builder(|b| {
            if let Some(r) = &mut b.module.signals[id.0 as usize].reg {
                r.cdc_sync = true;
            }
        });
    }
}

/// Connect bundles: forward leaves flow `source -> sink`, flipped ones back.
pub trait Connect: Bundle {
    /// `self <> source`: drive `self`'s forward leaves from `source`, and
    /// `source`'s flipped leaves (e.g. `ready`) from `self`.
    #[track_caller]
    fn connect_from(&self, source: &Self) {
        let loc = Location::caller();
        for (d, s) in self.leaves().iter().zip(source.leaves()) {
            if d.flipped {
                assign(s.sig, d.sig, loc);
            } else {
                assign(d.sig, s.sig, loc);
            }
        }
    }
}

impl<T: Bundle> Connect for T {}
