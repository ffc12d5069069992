//! Building models and checking RTL with the external tools.

use hdl::{Component, Elaborated};
use verilator::{Model, Source};

/// Elaborates `c`, failing the test with every diagnostic.
pub fn elaborate<C: Component>(c: &C) -> Elaborated {
    hdl::elaborate(c).unwrap_or_else(|d| panic!("{d}"))
}

/// A Verilator model of `c` (cached by content hash).
pub fn model_of<C: Component>(c: &C) -> Model {
    let e = elaborate(c);
    Model::builder(Source::from_hdl(&e).expect("source"))
        .cxx_opt("-O1")
        .build()
        .expect("model")
}

/// Lint with Verilator, Icarus and Yosys (the shared `testbenches::rtl_check`).
pub use testbenches::rtl_check::check_rtl;
