//! `generators`: the Lauberhorn NIC written in the `hdl` DSL ([`nic`]), its
//! configuration ([`config`]), and the `lauberhorn` command-line tool
//! ([`cli`]) that generates, lints, diffs and synthesises its Verilog.
#![warn(missing_docs)]

pub mod cli;
pub mod config;
pub mod nic;
