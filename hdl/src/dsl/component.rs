//! Components, their instances, and black boxes.

use super::bundle::{Bundle, Leaf};
use super::context::{with_builder, with_elab, Builder, Sig};
use super::domain::{current_domain, ClockDomain};
use super::signal::ports_of;
use crate::diag::{Code, Diagnostic, Loc};
use crate::ir::{BlackBox, Dir, Instance as IrInstance, ModuleId, NodeId, NodeKind, Role, Signal};
use std::collections::BTreeMap;
use std::panic::Location;

/// A hardware component: a Rust value whose fields are its parameters.
///
/// `name` must include every parameter that changes the hardware (it becomes
/// the Verilog module name); instances with equal parameters share one module.
pub trait Component: std::fmt::Debug {
    /// The ports, seen from inside: plain fields are outputs, `#[flip]` /
    /// `#[input]` fields are inputs.
    type Io: Bundle;

    /// Verilog module name, e.g. `axis_fifo_w64_d16`.
    fn name(&self) -> String;

    /// The port template (widths).
    fn io(&self) -> Self::Io;

    /// Builds the hardware behind `io`.
    fn build(&self, io: &Self::Io);

    /// `Some` for vendor IP: only the ports exist, `build` is not called.
    fn blackbox(&self) -> Option<BlackBox> {
        None
    }
}

/// A child instance, seen from the parent: drive `io`'s child inputs, read its outputs.
pub struct Instance<Io> {
    /// The child's ports as parent-side signals.
    pub io: Io,
    index: u32,
    module: ModuleId,
}

/// Elaborates `c` into a module (or reuses an equal specialisation) and returns its id.
pub(crate) fn elaborate_component<C: Component>(c: &C, loc: Loc) -> ModuleId {
    let key = format!("{}::{:?}", std::any::type_name::<C>(), c);
    if let Some(id) = with_elab(|e| e.by_key.get(&key).copied()) {
        return id;
    }
    let name = c.name();
    let uid = with_elab(|e| {
        e.next_uid += 1;
        let uid = e.next_uid;
        e.stack.push(Builder::new(uid, name.clone(), key.clone(), loc));
        uid
    });
    // Pop the builder even if `build` panics, so the context stays consistent.
    struct Pop(bool);
    impl Drop for Pop {
        fn drop(&mut self) {
            if self.0 {
                with_elab(|e| {
                    e.stack.pop();
                });
            }
        }
    }
    let mut guard = Pop(true);
    let io = ports_of("", &c.io(), true, loc);
    let io_count = with_builder(|b| {
        b.io_ports = b.module.ports.len();
        b.io_ports
    });
    match c.blackbox() {
        Some(bb) => with_builder(|b| b.module.blackbox = Some(bb)),
        None => c.build(&io),
    }
    guard.0 = false;
    with_elab(|e| {
        let b = e.stack.pop().expect("builder pushed above");
        debug_assert_eq!(b.uid, uid);
        let module = b.module;
        if let Some(&other) = e.by_name.get(&name) {
            let first = &e.modules[other.0 as usize];
            let parent = e.stack.last().map(|b| b.module.name.clone()).unwrap_or_default();
            e.diags.push(
                Diagnostic::error(
                    Code::ModuleNameConflict,
                    loc,
                    &parent,
                    format!("two different specialisations are both named `{name}`"),
                )
                .with_note(format!("first: {}", first.key))
                .with_note(format!("second: {key}")),
            );
        }
        let id = ModuleId(e.modules.len() as u32);
        e.modules.push(module);
        e.io_counts.push(io_count);
        e.by_key.insert(key, id);
        e.by_name.entry(name).or_insert(id);
        id
    })
}

/// Instantiates `c` as `name` in the component being built. The child's
/// implicit clock domain (if any) is connected to the current domain.
#[track_caller]
pub fn instance<C: Component>(name: &str, c: &C) -> Instance<C::Io> {
    let loc = Location::caller();
    let module = elaborate_component(c, loc);
    let (child_ports, child_domains): (Vec<(Dir, u32, crate::ir::Kind)>, Vec<String>) = with_elab(|e| {
        let m = &e.modules[module.0 as usize];
        let n = e.io_counts[module.0 as usize];
        let ports = m.ports[..n]
            .iter()
            .map(|&p| {
                let s = m.signal(p);
                let dir = if s.is_port(Dir::Input) {
                    Dir::Input
                } else {
                    Dir::Output
                };
                (dir, s.width, s.kind)
            })
            .collect();
        (ports, m.domains.iter().map(|d| d.name.clone()).collect())
    });
    let index = with_builder(|b| {
        b.module.instances.push(IrInstance {
            name: name.to_string(),
            module,
            inputs: BTreeMap::new(),
            domains: BTreeMap::new(),
            loc,
        });
        b.module.instances.len() as u32 - 1
    });
    let mut port = 0u32;
    let io = c.io().map_leaves("", false, &mut |l: &Leaf| {
        let (dir, width, kind) = child_ports[port as usize];
        let p = port;
        port += 1;
        with_builder(|b| match dir {
            Dir::Input => {
                let (id, h) = b.signal(Signal {
                    name: super::bundle::join(name, &l.name),
                    width,
                    kind,
                    role: Role::InstIn { inst: index, port: p },
                    reg: None,
                    default: None,
                    loc,
                    node: NodeId(0),
                    doc: None,
                });
                b.module.instances[index as usize].inputs.insert(p, id);
                h
            }
            Dir::Output => b.node(NodeKind::InstOut { inst: index, port: p }, width, kind, loc),
        })
    });
    for (i, d) in child_domains.iter().enumerate() {
        if d.is_empty() {
            let parent = current_domain(loc);
            with_builder(|b| {
                b.module.instances[index as usize]
                    .domains
                    .insert(i as u32, parent);
            });
        }
    }
    Instance { io, index, module }
}

impl<Io> Instance<Io> {
    /// Connects the child's clock domain called `child_domain` to `cd`.
    #[track_caller]
    pub fn connect_domain(&self, child_domain: &str, cd: &ClockDomain) {
        let loc = Location::caller();
        let found = with_elab(|e| {
            let m = &e.modules[self.module.0 as usize];
            m.domains.iter().position(|d| d.name == child_domain)
        });
        match found {
            Some(i) => with_builder(|b| {
                b.module.instances[self.index as usize]
                    .domains
                    .insert(i as u32, cd.id);
            }),
            None => super::context::report(
                Code::UnknownPort,
                loc,
                format!("the child has no clock domain called `{child_domain}`"),
            ),
        }
    }

    /// A child port by its Verilog name, for code that does not know the io type.
    #[track_caller]
    pub fn pin(&self, port: &str) -> Option<Sig> {
        with_elab(|e| {
            let m = &e.modules[self.module.0 as usize];
            let p = m.ports.iter().position(|&p| m.signal(p).name == port)? as u32;
            let b = e.stack.last()?;
            let inst = &b.module.instances[self.index as usize];
            if let Some(&s) = inst.inputs.get(&p) {
                let sig = b.module.signal(s);
                return Some(Sig {
                    uid: b.uid,
                    node: sig.node.0,
                    width: sig.width,
                });
            }
            b.module.nodes.iter().enumerate().find_map(|(i, n)| match n.op {
                NodeKind::InstOut { inst, port } if inst == self.index && port == p => Some(Sig {
                    uid: b.uid,
                    node: i as u32,
                    width: n.width,
                }),
                _ => None,
            })
        })
    }
}
