//! Pass `drivers`: every signal has exactly one kind of driver, and every
//! signal that needs a driver has one.
//!
//! The DSL is last-assignment-wins (SpinalHDL semantics), so several
//! assignments to one signal are *one* driver: a process whose last applicable
//! assignment decides the value. The real hazards are:
//! - E0103 [`Code::NotAssignable`]: an assignment to an input port (including
//!   clock and reset ports). It is reported at the assignment.
//! - E0101 [`Code::MultipleDrivers`]: an assignment to a signal that already has
//!   a hardware driver: the registered read data of a memory's synchronous read
//!   port (the memory drives it), or a signal listed as the data of several
//!   read ports. Reported at the assignment (or the second read port).
//! - E0102 [`Code::Undriven`]: an output port, wire or child-instance input with
//!   no assignment and no default, or a register with no assignment and no
//!   reset value. Reported at the signal's declaration.
//!
//! Black boxes are skipped: their outputs are driven by the vendor's Verilog.

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::ir::{for_each_assign, Design, Dir, Module, Role, Stmt};

fn check(m: &Module, diags: &mut Diagnostics) {
    let mut assigned = vec![false; m.signals.len()];
    for_each_assign(m, Module::ROOT, &mut |t, _, _| assigned[t.0 as usize] = true);

    // Signals driven by a memory read port: which memory, and where.
    let mut mem_driven = vec![None; m.signals.len()];
    for (mi, mem) in m.memories.iter().enumerate() {
        for rd in &mem.sync_reads {
            let slot = &mut mem_driven[rd.data.0 as usize];
            if slot.is_some() {
                diags.push(Diagnostic::error(
                    Code::MultipleDrivers,
                    rd.loc,
                    &m.name,
                    format!(
                        "`{}` is already the read data of another port of a memory",
                        m.signal(rd.data).name
                    ),
                ));
            }
            *slot = Some(mi);
        }
    }

    // Assignments in source order (blocks are visited in tree order).
    let mut stack = vec![Module::ROOT];
    let mut assigns = Vec::new();
    while let Some(b) = stack.pop() {
        for s in m.block(b) {
            match s {
                Stmt::Assign { target, loc, .. } => assigns.push((*target, *loc)),
                Stmt::When { then, els, .. } => stack.extend([*els, *then]),
                Stmt::Switch { cases, default, .. } => {
                    stack.push(*default);
                    stack.extend(cases.iter().rev().map(|(_, b)| *b));
                }
            }
        }
    }
    assigns.sort_by_key(|(_, loc)| (loc.file(), loc.line(), loc.column()));
    for (target, loc) in assigns {
        let sig = m.signal(target);
        match &sig.role {
            Role::Port(Dir::Input) => diags.push(Diagnostic::error(
                Code::NotAssignable,
                loc,
                &m.name,
                format!(
                    "`{}` is an input port of `{}`; it is driven from outside",
                    sig.name, m.name
                ),
            )),
            Role::MemData { mem } => {
                let mem = &m.memories[*mem as usize];
                diags.push(
                    Diagnostic::error(
                        Code::MultipleDrivers,
                        loc,
                        &m.name,
                        format!(
                            "`{}` is driven by a read port of memory `{}` and assigned here as well",
                            sig.name, mem.name
                        ),
                    )
                    .with_note(format!(
                        "the memory `{}` was created at {}:{}",
                        mem.name,
                        mem.loc.file(),
                        mem.loc.line()
                    )),
                )
            }
            _ => {}
        }
    }

    for (i, sig) in m.signals.iter().enumerate() {
        if assigned[i] || mem_driven[i].is_some() {
            continue;
        }
        let what = match (&sig.reg, &sig.role) {
            (Some(r), _) if r.init.is_none() => "register has no assignment and no reset value",
            (Some(_), _) => continue,
            (None, Role::Port(Dir::Output)) => "output port is never driven",
            (None, Role::Wire) => "wire is never driven",
            (None, Role::InstIn { .. }) => "child-instance input is never driven",
            (None, Role::Port(Dir::Input) | Role::MemData { .. }) => continue,
        };
        if sig.default.is_some() {
            continue;
        }
        diags.push(Diagnostic::error(
            Code::Undriven,
            sig.loc,
            &m.name,
            format!("`{}`: {what}", sig.name),
        ));
    }
}

/// Checks every module that has a body.
pub fn run(design: &mut Design, diags: &mut Diagnostics) {
    for m in design.modules.iter().filter(|m| m.blackbox.is_none()) {
        check(m, diags);
    }
}

#[cfg(test)]
mod tests {
    use crate::prelude::*;
    use crate::Code;

    #[derive(Debug)]
    struct T(u8);
    impl Component for T {
        type Io = ();
        fn name(&self) -> String {
            format!("t{}", self.0)
        }
        fn io(&self) {}
        fn build(&self, _: &()) {
            let a = input("a", UInt::ty(4));
            let y = output("y", UInt::ty(4));
            match self.0 {
                0 => y.set(a),
                1 => a.set(y),
                2 => {}
                3 => {
                    let r = reg("r", UInt::ty(4));
                    y.set(r);
                }
                4 => {
                    let r = reg("r", UInt::ty(4)).init(3);
                    y.set(r);
                }
                5 => {
                    let w = wire("w", UInt::ty(4)).default_value(1);
                    y.set(w);
                }
                6 => {
                    let m = Mem::new("m", 4, 4);
                    let d = m.read_sync(a.truncate(2), Bool::lit(true));
                    d.set(a.as_bits());
                    y.set(d.as_uint());
                }
                _ => {
                    y.set(a);
                    y.set(a + 1);
                }
            }
        }
    }

    fn codes(t: u8) -> Vec<Code> {
        match crate::elaborate(&T(t)) {
            Ok(_) => Vec::new(),
            Err(d) => d.codes(),
        }
    }

    #[test]
    fn driven_designs_pass() {
        assert_eq!(codes(0), vec![]);
        assert_eq!(
            codes(4),
            vec![],
            "a register with only a reset value is a constant"
        );
        assert_eq!(codes(5), vec![], "a default is a driver");
        assert_eq!(codes(7), vec![], "last assignment wins: not a second driver");
    }

    #[test]
    fn assigning_an_input_is_not_assignable() {
        assert_eq!(codes(1), vec![Code::NotAssignable, Code::Undriven]);
    }

    #[test]
    fn undriven_output_and_register() {
        assert_eq!(codes(2), vec![Code::Undriven]);
        assert_eq!(codes(3), vec![Code::Undriven]);
        let d = crate::elaborate(&T(3)).unwrap_err();
        assert!(d.list[0].message.contains("`r`"), "{}", d.list[0].message);
    }

    #[test]
    fn assigning_memory_read_data_is_a_second_driver() {
        assert_eq!(codes(6), vec![Code::MultipleDrivers]);
    }
}
