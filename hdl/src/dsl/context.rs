//! The elaboration context: which module is being built right now.
//!
//! Signal handles are small `Copy` values so that operators read like hardware
//! (`a + b`). Operators therefore cannot take a builder argument; instead the
//! builder of the component whose `build` is running sits on a per-thread stack
//! that exists only for the duration of [`crate::elaborate`]. Two threads
//! elaborating at once never see each other's state.

use crate::diag::{Code, Diagnostic, Diagnostics, Loc};
use crate::ir::{BlockId, DomainId, Kind, Module, ModuleId, Node, NodeId, NodeKind, SigId, Signal, Stmt};
use std::cell::RefCell;
use std::collections::BTreeMap;

/// An untyped handle to a node of a module under construction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Sig {
    /// The builder the node belongs to (`UNBOUND` for type templates).
    pub(crate) uid: u32,
    /// The node.
    pub(crate) node: u32,
    /// Width in bits.
    pub(crate) width: u32,
}

impl Sig {
    /// Builder id of type templates (a width without hardware).
    pub(crate) const UNBOUND: u32 = u32::MAX;

    /// A template of the given width.
    pub(crate) fn template(width: u32) -> Sig {
        Sig {
            uid: Sig::UNBOUND,
            node: 0,
            width,
        }
    }

    /// Width in bits.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// True for a type template that is not yet hardware.
    pub fn is_template(&self) -> bool {
        self.uid == Sig::UNBOUND
    }
}

/// The module being built.
pub(crate) struct Builder {
    pub uid: u32,
    pub module: Module,
    pub blocks: Vec<BlockId>,
    pub domains: Vec<DomainId>,
    pub implicit_domain: Option<DomainId>,
    /// Number of io ports (the first ports); domain ports follow.
    pub io_ports: usize,
}

pub(crate) struct Elab {
    pub stack: Vec<Builder>,
    pub modules: Vec<Module>,
    pub by_key: BTreeMap<String, ModuleId>,
    pub by_name: BTreeMap<String, ModuleId>,
    pub io_counts: Vec<usize>,
    pub diags: Diagnostics,
    pub next_uid: u32,
}

thread_local! {
    static ELAB: RefCell<Option<Elab>> = const { RefCell::new(None) };
}

/// Runs `f` with a fresh elaboration context installed; returns its result and
/// the context's final state.
pub(crate) fn with_fresh_context<R>(f: impl FnOnce() -> R) -> (R, Elab) {
    let previous = ELAB.with(|e| {
        e.borrow_mut().replace(Elab {
            stack: Vec::new(),
            modules: Vec::new(),
            by_key: BTreeMap::new(),
            by_name: BTreeMap::new(),
            io_counts: Vec::new(),
            diags: Diagnostics::default(),
            next_uid: 0,
        })
    });
    // Restore the outer context even if `f` panics.
    struct Restore(Option<Option<Elab>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            if let Some(prev) = self.0.take() {
                ELAB.with(|e| *e.borrow_mut() = prev);
            }
        }
    }
    let mut guard = Restore(Some(previous));
    let r = f();
    let prev = guard.0.take().expect("restore once");
    let elab = ELAB
        .with(|e| std::mem::replace(&mut *e.borrow_mut(), prev))
        .expect("context present");
    (r, elab)
}

/// Runs `f` on the whole context.
pub(crate) fn with_elab<R>(f: impl FnOnce(&mut Elab) -> R) -> R {
    ELAB.with(|e| {
        let mut e = e.borrow_mut();
        let e = e
            .as_mut()
            .expect("hardware can only be built inside hdl::elaborate (inside Component::build)");
        f(e)
    })
}

/// Runs `f` on the builder of the module under construction.
pub(crate) fn with_builder<R>(f: impl FnOnce(&mut Builder) -> R) -> R {
    with_elab(|e| {
        let b = e
            .stack
            .last_mut()
            .expect("hardware can only be built inside Component::build");
        f(b)
    })
}

/// Records a diagnostic against the module under construction.
pub(crate) fn report(code: Code, loc: Loc, message: String) {
    with_elab(|e| {
        let module = e.stack.last().map(|b| b.module.name.clone()).unwrap_or_default();
        e.diags.push(Diagnostic::error(code, loc, &module, message));
    })
}

impl Builder {
    pub fn new(uid: u32, name: String, key: String, loc: Loc) -> Builder {
        Builder {
            uid,
            module: Module {
                name,
                key,
                nodes: Vec::new(),
                signals: Vec::new(),
                ports: Vec::new(),
                blocks: vec![Vec::new()],
                domains: Vec::new(),
                instances: Vec::new(),
                memories: Vec::new(),
                consts: Vec::new(),
                const_names: BTreeMap::new(),
                blackbox: None,
                annotations: BTreeMap::new(),
                loc,
            },
            blocks: vec![Module::ROOT],
            domains: Vec::new(),
            implicit_domain: None,
            io_ports: 0,
        }
    }

    /// Appends a node and returns its handle.
    pub fn node(&mut self, op: NodeKind, width: u32, kind: Kind, loc: Loc) -> Sig {
        let id = self.module.nodes.len() as u32;
        self.module.nodes.push(Node { op, width, kind, loc });
        Sig {
            uid: self.uid,
            node: id,
            width,
        }
    }

    /// Declares a named signal and returns the handle that reads it.
    pub fn signal(&mut self, mut sig: Signal) -> (SigId, Sig) {
        let id = SigId(self.module.signals.len() as u32);
        let handle = self.node(NodeKind::Sig(id), sig.width, sig.kind, sig.loc);
        sig.node = NodeId(handle.node);
        self.module.signals.push(sig);
        (id, handle)
    }

    /// Appends a statement to the current block.
    pub fn stmt(&mut self, s: Stmt) {
        let b = *self.blocks.last().expect("root block");
        self.module.blocks[b.0 as usize].push(s);
    }

    /// A new empty block.
    pub fn new_block(&mut self) -> BlockId {
        self.module.blocks.push(Vec::new());
        BlockId(self.module.blocks.len() as u32 - 1)
    }

    /// The node id of a handle, checking it belongs here.
    pub fn check(&mut self, s: Sig, loc: Loc, diags: &mut Diagnostics) -> NodeId {
        if s.uid == self.uid {
            return NodeId(s.node);
        }
        let why = if s.is_template() {
            "a type template (not hardware) was used as a value; declare it with input/output/wire/reg first"
                .to_string()
        } else {
            "a signal of another module was used here".to_string()
        };
        diags.push(Diagnostic::error(
            Code::ForeignSignal,
            loc,
            &self.module.name,
            why,
        ));
        // Substitute a constant of the same width so that checking can go on.
        let c = crate::ir::Const::zero(s.width.max(1));
        NodeId(
            self.node(NodeKind::Const(c), s.width.max(1), Kind::Bits, loc)
                .node,
        )
    }
}

/// The node id of `s` in the current module (reporting foreign handles).
pub(crate) fn resolve(s: Sig, loc: Loc) -> NodeId {
    with_elab(|e| {
        let Elab { stack, diags, .. } = e;
        let b = stack.last_mut().expect("inside Component::build");
        b.check(s, loc, diags)
    })
}

/// Appends a node to the current module.
pub(crate) fn push_node(op: NodeKind, width: u32, kind: Kind, loc: Loc) -> Sig {
    with_builder(|b| b.node(op, width, kind, loc))
}
