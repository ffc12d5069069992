//! Back ends: Verilog for tools, JSON for programs.

pub mod json;
pub mod verilog;
