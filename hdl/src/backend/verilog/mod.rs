//! The Verilog back end: one file per module, byte-identical for the same design.

mod expr;
mod module;
mod usage;
mod wrap;

pub use module::port_order;

use crate::ir::Design;

/// Output options.
#[derive(Clone, Debug, Default)]
pub struct VerilogOptions {
    /// Append `// file.rs:line` of the user's code to declarations and assignments.
    pub source_locations: bool,
}

/// One emitted file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerilogFile {
    /// Module name.
    pub module: String,
    /// File name (`<module>.v`).
    pub file_name: String,
    /// Contents.
    pub text: String,
}

/// Every module of `design` as its own file, children before parents. Black
/// boxes are not emitted, unless they carry Verilog to pass through.
pub fn emit_files(design: &Design, opts: &VerilogOptions) -> Vec<VerilogFile> {
    let mut out = Vec::new();
    for m in &design.modules {
        let text = match &m.blackbox {
            Some(bb) => match &bb.verilog {
                Some(v) => v.clone(),
                None => continue,
            },
            None => module::print_module(design, m, opts),
        };
        out.push(VerilogFile {
            module: m.name.clone(),
            file_name: format!("{}.v", m.name),
            text,
        });
    }
    out
}

/// The whole design as one text (files concatenated in order).
pub fn emit(design: &Design, opts: &VerilogOptions) -> String {
    emit_files(design, opts)
        .into_iter()
        .map(|f| f.text)
        .collect::<Vec<_>>()
        .join("\n")
}
