//! Lint and synthesis-readiness of generated RTL: `verilator --lint-only
//! -Wall` with zero warnings, `iverilog -g2005`, and Yosys (the shared
//! `testbenches::rtl_check`).

use hdl::Elaborated;

/// Panics unless Verilator (-Wall, zero warnings), Icarus and Yosys accept
/// the design.
pub fn check_rtl(e: &Elaborated, test: &str) {
    testbenches::rtl_check::check_rtl(e, test);
}
