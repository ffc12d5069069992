//! Yosys `synth_xilinx -family xcup` rows for the bench tables, through the
//! library of `lauberhorn synth` (`generators::cli::synth`): the same cell
//! counts and depth estimate as the command line tool. Each module is
//! synthesised as the top of its own run with its children, flattened and
//! out of context, so a parent's row includes its children.

use generators::cli::synth::{synth_elaborated, ModuleResult};
use hdl::Elaborated;

/// Synthesises `modules` of `design` (all of its modules when empty) with
/// the further `synth_xilinx` `options` (e.g. `-nowidelut`).
pub fn synth(design: &Elaborated, modules: &[&str], options: &str) -> Vec<ModuleResult> {
    synth_elaborated(design, modules, options)
        .unwrap_or_else(|f| panic!("synthesis of {}: {}", design.top_name(), f.message))
        .modules
}

/// The Markdown header of [`row`]s.
const HEADER: &str = "| module | options | LUT | LUTRAM+SRL | FF | CARRY8 | MUXF | BRAM36 | LUT levels (goal <= 6) | logic levels (LUT+MUXF+CARRY8) |\n|---|---|---|---|---|---|---|---|---|---|";

/// One module's Markdown row.
fn row(m: &ModuleResult, options: &str) -> String {
    let r = &m.resources;
    format!(
        "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
        m.module,
        if options.is_empty() { "(default)" } else { options },
        r.lut,
        r.lutram_luts + r.srl,
        r.ff,
        r.carry8,
        r.muxf,
        r.bram36,
        m.depth.lut_levels,
        m.depth.levels
    )
}

/// A whole table: the header and a row per (module, options it was
/// synthesised with).
pub fn table<'a>(rows: impl IntoIterator<Item = (&'a ModuleResult, &'a str)>) -> String {
    let mut t = HEADER.to_string();
    for (m, options) in rows {
        t.push('\n');
        t.push_str(&row(m, options));
    }
    t
}
