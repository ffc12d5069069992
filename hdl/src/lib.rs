//! `hdl`: a hardware construction DSL in the spirit of SpinalHDL, in Rust.
//!
//! Designs are ordinary Rust code that *builds* hardware. The library checks
//! the result with ordered, named passes ([`passes::PASSES`]) and prints
//! readable, deterministic Verilog ([`backend::verilog`]) plus a JSON
//! description ([`backend::json`]).
//!
//! Layers, from the user down: [`dsl`] (builder API) -> [`ir`] (elaborated
//! modules) -> [`passes`] (checks) -> [`backend`] (Verilog, JSON). The
//! [`stdlib`] is written only against the public API. See [`tutorial`] for a
//! first design and [`diagnostics`] for every error code.

pub mod backend;
pub mod diag;
pub mod diagnostics;
pub mod dsl;
pub mod ir;
pub mod passes;
pub mod stdlib;
pub mod tutorial;

pub use backend::verilog::{VerilogFile, VerilogOptions};
pub use diag::{Code, Diagnostic, Diagnostics, Severity};
pub use dsl::bundle::{Bundle, Leaf};
pub use dsl::component::{instance, Component, Instance};
pub use dsl::cond::{switch, when, Switch, When};
pub use dsl::domain::{ClockDomain, Reset};
pub use dsl::enums::{Encoding, EnumSig, HwEnum};
pub use dsl::memory::Mem;
pub use dsl::ops::{cat, mux, select};
pub use dsl::signal::{input, output, reg, reg_next, reg_next_init, wire, Connect};
pub use dsl::types::{Bits, Bool, HwValue, Operand, SInt, UInt};
pub use dsl::Sig;
pub use ir::{BlackBox, Design, ParamValue, Polarity, ResetKind};

/// Everything component code needs, in one `use hdl::prelude::*;`.
pub mod prelude {
    pub use crate::{
        bundle, cat, hw_enum, input, instance, mux, output, reg, reg_next, reg_next_init, select, switch,
        when, wire, Bits, BlackBox, Bool, Bundle, ClockDomain, Component, Connect, Encoding, EnumSig, HwEnum,
        HwValue, Instance, Mem, Operand, ParamValue, Reset, SInt, UInt,
    };
}

/// Smallest `n` with `2^n >= x` (0 for x <= 1).
pub fn clog2(x: u32) -> u32 {
    if x <= 1 {
        0
    } else {
        32 - (x - 1).leading_zeros()
    }
}

/// A checked design, ready to print.
#[derive(Clone, Debug)]
pub struct Elaborated {
    /// The design.
    pub design: Design,
    /// Warnings (the design has no errors).
    pub warnings: Diagnostics,
}

impl Elaborated {
    /// Every module as its own Verilog file.
    pub fn verilog_files(&self, opts: &VerilogOptions) -> Vec<VerilogFile> {
        backend::verilog::emit_files(&self.design, opts)
    }

    /// The whole design as one Verilog text.
    pub fn verilog(&self) -> String {
        backend::verilog::emit(&self.design, &VerilogOptions::default())
    }

    /// The JSON description.
    pub fn json(&self) -> String {
        backend::json::to_json(&self.design)
    }

    /// Name of the top module.
    pub fn top_name(&self) -> &str {
        &self.design.top_module().name
    }
}

/// Elaborates `top` and runs every checking pass. Returns all problems together
/// when any is an error.
#[track_caller]
pub fn elaborate<C: Component>(top: &C) -> Result<Elaborated, Diagnostics> {
    let loc = std::panic::Location::caller();
    let (top_id, elab) = dsl::context::with_fresh_context(|| dsl::component::elaborate_component(top, loc));
    let mut design = Design {
        modules: elab.modules,
        top: top_id,
    };
    let mut diags = elab.diags;
    passes::run_all(&mut design, &mut diags);
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(Elaborated {
            design,
            warnings: diags,
        })
    }
}
