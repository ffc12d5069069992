//! Shared helpers for the `hdl` integration tests: the RTL checks live in
//! `testbenches::rtl_check` (one copy for every crate's tests).
#![allow(unused_imports)]

pub use testbenches::rtl_check::{check_rtl, check_rtl_with_models, icarus_sim, out_dir, write_verilog};
