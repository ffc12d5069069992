//! Clock domains: a clock, an optional reset, its kind and polarity.
//!
//! A component that creates registers without saying where gets an implicit
//! domain with ports `clk` and `rst` (synchronous, active high: the
//! verilog-ethernet convention), which its parent connects automatically to
//! the parent's current domain.

use super::context::{with_builder, Sig};
use crate::diag::Loc;
use crate::ir::{Dir, Domain, DomainId, Kind, NodeId, Polarity, ResetKind, Role, Signal};
use std::panic::Location;

/// Reset of a clock domain.
#[derive(Clone, Debug)]
pub struct Reset {
    /// Port name.
    pub name: String,
    /// Synchronous or asynchronous.
    pub kind: ResetKind,
    /// Active level.
    pub polarity: Polarity,
}

impl Reset {
    /// Synchronous, active high.
    pub fn sync_high(name: &str) -> Reset {
        Reset {
            name: name.into(),
            kind: ResetKind::Sync,
            polarity: Polarity::High,
        }
    }
    /// Synchronous, active low.
    pub fn sync_low(name: &str) -> Reset {
        Reset {
            name: name.into(),
            kind: ResetKind::Sync,
            polarity: Polarity::Low,
        }
    }
    /// Asynchronous, active high.
    pub fn async_high(name: &str) -> Reset {
        Reset {
            name: name.into(),
            kind: ResetKind::Async,
            polarity: Polarity::High,
        }
    }
    /// Asynchronous, active low.
    pub fn async_low(name: &str) -> Reset {
        Reset {
            name: name.into(),
            kind: ResetKind::Async,
            polarity: Polarity::Low,
        }
    }
}

/// A clock domain of the module under construction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClockDomain {
    uid: u32,
    pub(crate) id: DomainId,
}

fn port(b: &mut super::context::Builder, name: &str, loc: Loc) -> crate::ir::SigId {
    let (id, _) = b.signal(Signal {
        name: name.into(),
        width: 1,
        kind: Kind::Bool,
        role: Role::Port(Dir::Input),
        reg: None,
        default: None,
        loc,
        node: NodeId(0),
        doc: None,
    });
    b.module.ports.push(id);
    id
}

fn create(name: &str, clock: &str, edge: Polarity, reset: Option<Reset>, loc: Loc) -> ClockDomain {
    with_builder(|b| {
        let clock = port(b, clock, loc);
        let reset = reset.map(|r| (port(b, &r.name, loc), r.kind, r.polarity));
        b.module.domains.push(Domain {
            name: name.into(),
            clock,
            edge,
            reset,
            loc,
        });
        ClockDomain {
            uid: b.uid,
            id: DomainId(b.module.domains.len() as u32 - 1),
        }
    })
}

impl ClockDomain {
    /// A new domain with input ports `clock` (rising edge) and, optionally, a reset.
    /// `name` is how a parent refers to it in [`crate::Instance::connect_domain`].
    #[track_caller]
    pub fn new(name: &str, clock: &str, reset: Option<Reset>) -> ClockDomain {
        create(name, clock, Polarity::High, reset, Location::caller())
    }

    /// Like [`ClockDomain::new`] but clocked on the falling edge.
    #[track_caller]
    pub fn new_falling(name: &str, clock: &str, reset: Option<Reset>) -> ClockDomain {
        create(name, clock, Polarity::Low, reset, Location::caller())
    }

    /// The module's implicit domain (`clk`, `rst`), created on first use.
    #[track_caller]
    pub fn implicit() -> ClockDomain {
        let loc = Location::caller();
        let id = implicit_domain(loc);
        with_builder(|b| ClockDomain { uid: b.uid, id })
    }

    /// Runs `f` with this as the current domain: registers, memories and child
    /// instances created inside use it.
    pub fn within<R>(&self, f: impl FnOnce() -> R) -> R {
        with_builder(|b| {
            assert_eq!(b.uid, self.uid, "a clock domain of another module was used");
            b.domains.push(self.id);
        });
        struct Pop;
        impl Drop for Pop {
            fn drop(&mut self) {
                with_builder(|b| {
                    b.domains.pop();
                });
            }
        }
        let _pop = Pop;
        f()
    }

    /// The clock as a signal (for black boxes that take a clock pin).
    pub fn clock(&self) -> super::types::Bool {
        with_builder(|b| {
            let d = &b.module.domains[self.id.0 as usize];
            let s = b.module.signal(d.clock);
            super::types::Bool(Sig {
                uid: b.uid,
                node: s.node.0,
                width: 1,
            })
        })
    }

    /// The reset as a signal, when the domain has one.
    pub fn reset(&self) -> Option<super::types::Bool> {
        with_builder(|b| {
            let d = &b.module.domains[self.id.0 as usize];
            d.reset.map(|(r, _, _)| {
                super::types::Bool(Sig {
                    uid: b.uid,
                    node: b.module.signal(r).node.0,
                    width: 1,
                })
            })
        })
    }
}

fn implicit_domain(loc: Loc) -> DomainId {
    if let Some(d) = with_builder(|b| b.implicit_domain) {
        return d;
    }
    let cd = create("", "clk", Polarity::High, Some(Reset::sync_high("rst")), loc);
    with_builder(|b| b.implicit_domain = Some(cd.id));
    cd.id
}

/// The domain new registers go into: the innermost `within`, else the implicit one.
pub(crate) fn current_domain(loc: Loc) -> DomainId {
    match with_builder(|b| b.domains.last().copied()) {
        Some(d) => d,
        None => implicit_domain(loc),
    }
}
