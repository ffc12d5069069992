//! Checking passes, run in a fixed order after elaboration. Each pass lives in
//! its own file, reads (and, for `names`, rewrites) the design and reports
//! every problem it finds; all passes run even when an earlier one failed, so a
//! user sees every problem of a design at once.

pub mod cdc;
pub mod comb_loops;
pub mod drivers;
pub(crate) mod graph;
pub mod latches;
pub mod names;
pub mod widths;

use crate::diag::Diagnostics;
use crate::ir::Design;

/// A named pass.
pub struct Pass {
    /// Stable name (used in docs and `--skip` lists).
    pub name: &'static str,
    /// What it checks.
    pub about: &'static str,
    /// The pass.
    pub run: fn(&mut Design, &mut Diagnostics),
}

/// Every pass, in the order they run.
pub const PASSES: &[Pass] = &[
    Pass {
        name: "widths",
        about: "operand, assignment and port widths agree",
        run: widths::run,
    },
    Pass {
        name: "drivers",
        about: "one driver per signal, no undriven outputs, wires or registers",
        run: drivers::run,
    },
    Pass {
        name: "latches",
        about: "combinational signals assigned on every path",
        run: latches::run,
    },
    Pass {
        name: "comb_loops",
        about: "no combinational loops (the loop's signals are listed)",
        run: comb_loops::run,
    },
    Pass {
        name: "cdc",
        about: "no clock-domain crossing without a synchroniser; child domains connected",
        run: cdc::run,
    },
    Pass {
        name: "names",
        about: "legal, unique Verilog identifiers",
        run: names::run,
    },
];

/// Runs every pass in order.
pub fn run_all(design: &mut Design, diags: &mut Diagnostics) {
    for p in PASSES {
        (p.run)(design, diags);
    }
}
