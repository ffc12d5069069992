//! Every diagnostic, by code.
//!
//! Each problem found while building or checking a design is a
//! [`Diagnostic`](crate::Diagnostic) with a stable [`Code`](crate::Code), a
//! one-line help ([`Code::help`](crate::Code::help), repeated below), and the
//! file:line of the user's Rust code that caused it. [`crate::elaborate`] runs
//! every pass even after errors and returns all problems together, grouped by
//! where they were found: the builder (while `Component::build` runs), then
//! the passes in [`crate::passes::PASSES`] order: `widths`, `drivers`,
//! `latches`, `comb_loops`, `cdc`, `names`.
//!
//! Codes never change meaning; new ones are only appended.
//!
//! | Code  | Name | Raised by |
//! |-------|------|-----------|
//! | E0001 | WidthMismatch | builder, `widths` |
//! | E0002 | LiteralTooWide | builder |
//! | E0003 | SliceOutOfRange | builder, `widths` |
//! | E0004 | BadConditionWidth | `widths` |
//! | E0010 | ForeignSignal | builder |
//! | E0101 | MultipleDrivers | `drivers` |
//! | E0102 | Undriven | `drivers` |
//! | E0103 | NotAssignable | builder, `drivers` |
//! | E0201 | Latch | `latches` |
//! | E0301 | CombLoop | `comb_loops` |
//! | E0401 | ClockCrossing | `cdc` |
//! | E0402 | NoClockDomain | `cdc` |
//! | E0501 | IllegalName | `names` |
//! | E0502 | ModuleNameConflict | builder |
//! | E0601 | UnconnectedDomain | `cdc` |
//! | E0602 | UnknownPort | builder |
//! | E0701 | DuplicateCase | builder |
//!
//! In the examples, `a: UInt` is a 4-bit input, `en: Bool` an input and `y`
//! an output, declared inside `Component::build`.
//!
//! ## E0001 WidthMismatch
//! Two operands of an operator, the two arms of a mux, the options of a
//! select, or an assignment's target and value have different widths; or a
//! value has width 0. Nothing is extended or truncated silently.
//!
//! Help: say which width you mean with .resize(), .zext(), .sext() or .truncate()
//! ```rust,ignore
//! let y = output("y", UInt::ty(8));
//! y.set(a);            // E0001: assigning 4 bits to `y` of 8 bits
//! y.set(a.zext(8));    // fine
//! ```
//!
//! ## E0002 LiteralTooWide
//! A constant does not fit the width it is given (an assignment, an operand,
//! a reset value, a switch case or a memory init word).
//!
//! Help: widen the target or use a smaller constant
//! ```rust,ignore
//! y.set(300u32);       // E0002 when `y` is 4 bits
//! ```
//!
//! ## E0003 SliceOutOfRange
//! A bit range or index lies outside the value, a variable slice's elements do
//! not divide it, or a memory has more init words than depth.
//!
//! Help: slice bounds are bit indices from 0 to width-1
//! ```rust,ignore
//! y.set(a.range(9, 2)); // E0003: bits [9:2] of a 4-bit value
//! ```
//!
//! ## E0004 BadConditionWidth
//! A when-condition, mux select or memory enable is not one bit.
//!
//! Help: conditions are Bool; reduce a vector with .any() / .all() or compare it
//! ```rust,ignore
//! let wide = Bool::from_sig(a.sig()); // a 4-bit "Bool"
//! when(wide, || y.set(1u32));         // E0004
//! when(a.any(), || y.set(1u32));      // fine
//! ```
//!
//! ## E0010 ForeignSignal
//! A signal of another component (or a type template that is not hardware)
//! was used as a value.
//!
//! Help: a signal belongs to the component that created it; pass it through a port
//! ```rust,ignore
//! y.set(UInt::ty(4));  // E0010: a type template, not a signal
//! ```
//!
//! ## E0101 MultipleDrivers
//! A signal that already has a hardware driver is also assigned: the
//! registered read data of a memory's synchronous read port. (Several
//! assignments to one ordinary signal are not multiple drivers: the last
//! applicable one wins, as in SpinalHDL.)
//!
//! Help: drive a signal from one place; use when/otherwise to choose between values
//! ```rust,ignore
//! let d = mem.read_sync(addr, en);
//! d.set(Bits::lit(0, 8)); // E0101: `d` is driven by the memory
//! ```
//!
//! ## E0102 Undriven
//! An output port, wire or child-instance input has no assignment and no
//! default, or a register has no assignment and no reset value. Reported at
//! the declaration.
//!
//! Help: assign the signal, or give it a default with .default_value()
//! ```rust,ignore
//! let w = wire("w", UInt::ty(4)); // E0102: never assigned
//! y.set(w);
//! ```
//!
//! ## E0103 NotAssignable
//! An assignment to something that cannot be assigned: an input port
//! (including clock and reset), an expression, a child instance's output; or
//! a reset value on a non-register or from a non-constant.
//!
//! Help: only outputs, wires, registers and child-instance inputs can be assigned
//! ```rust,ignore
//! a.set(1u32);         // E0103: `a` is an input port
//! (a + 1).set(2u32);   // E0103: an expression
//! ```
//!
//! ## E0201 Latch
//! A combinational signal (not a register, no default) is assigned on some
//! paths through `when`/`switch` but not all. Reported at the declaration with
//! a note giving the file:line of the condition that has a branch without
//! an assignment.
//!
//! Help: assign the signal on every path, or give it a default with .default_value()
//! ```rust,ignore
//! let w = wire("w", UInt::ty(4));
//! when(en, || w.set(1u32));                            // E0201
//! when(en, || w.set(1u32)).otherwise(|| w.set(0u32));  // fine
//! ```
//!
//! ## E0301 CombLoop
//! A cycle through combinational logic: signal, expression, assignment (or
//! the condition controlling it) and back, possibly through a child instance
//! that has a combinational path from input to output. The message lists the
//! loop's signals in data-flow order.
//!
//! Help: break the loop with a register
//! ```rust,ignore
//! let p = wire("p", UInt::ty(4));
//! let q = wire("q", UInt::ty(4));
//! q.set(p + a);
//! p.set(q);            // E0301: `p` -> `q` -> `p`
//! ```
//!
//! ## E0401 ClockCrossing
//! A register, memory write port or synchronous read port samples a value
//! that comes combinationally from a register of another clock domain, or a
//! child instance samples such a value on an input (reported at the instance).
//!
//! Help: pass the signal through a synchroniser (stdlib::cdc) or mark the first stage with .cdc_sync()
//! ```rust,ignore
//! let ra = ca.within(|| reg_next_init("ra", &d, 0));
//! let rb = cb.within(|| reg_next_init("rb", &ra, 0));           // E0401
//! let s1 = cb.within(|| reg_next_init("s1", &ra, 0).cdc_sync()); // fine
//! ```
//!
//! ## E0402 NoClockDomain
//! A register or memory port refers to a clock domain its module does not
//! have. The builder always gives registers a domain (the component's implicit
//! `clk`/`rst` when no `ClockDomain::within` is open), so this appears only
//! for IR built or edited by other means.
//!
//! Help: create registers inside ClockDomain::within, or let the component use its implicit clk/rst
//! ```rust,ignore
//! reg_info.domain = DomainId(7); // E0402 when the module has fewer domains
//! ```
//!
//! ## E0501 IllegalName
//! A module name is not a legal Verilog identifier. (Signal, instance and
//! memory names are legalised silently and predictably by the `names` pass.)
//!
//! Help: names are ASCII letters, digits and '_', starting with a letter
//! ```rust,ignore
//! fn name(&self) -> String { "my-fifo".into() } // E0501
//! ```
//!
//! ## E0502 ModuleNameConflict
//! Two component specialisations with different parameters return the same
//! `Component::name`; they would overwrite each other in the Verilog.
//!
//! Help: include every parameter that changes the hardware in Component::name
//! ```rust,ignore
//! fn name(&self) -> String { "fifo".into() } // E0502 once depth 16 and depth 32 both exist
//! ```
//!
//! ## E0601 UnconnectedDomain
//! A child instance has a named clock domain that the parent never connected.
//! (The implicit domain is connected automatically.)
//!
//! Help: connect the child's clock domain with Instance::connect_domain
//! ```rust,ignore
//! let u = instance("u", &DualClockFifo::new()); // E0601: domains `wr`, `rd`
//! u.connect_domain("wr", &wr);
//! u.connect_domain("rd", &rd);                  // fine
//! ```
//!
//! ## E0602 UnknownPort
//! A child port or clock domain referred to by name does not exist.
//!
//! Help: check the port name against the child component's io
//! ```rust,ignore
//! u.connect_domain("nope", &cd); // E0602
//! ```
//!
//! ## E0701 DuplicateCase
//! A switch has the same value in two cases.
//!
//! Help: each switch value may appear in one case only
//! ```rust,ignore
//! switch(s, |sw| {
//!     sw.is(1u32, || y.set(1u32));
//!     sw.is(1u32, || y.set(2u32)); // E0701
//! });
//! ```

#[cfg(test)]
mod tests {
    use crate::Code;

    #[test]
    fn every_code_is_documented_with_its_help() {
        let page = include_str!("diagnostics.rs");
        for &c in Code::ALL {
            let heading = format!("//! ## {} {:?}\n", c.as_str(), c);
            assert!(page.contains(&heading), "no section for {c}");
            let help = format!("//! Help: {}\n", c.help());
            assert!(page.contains(&help), "help of {c} differs from Code::help");
        }
    }
}
