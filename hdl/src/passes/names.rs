//! Pass `names`: legal, unique Verilog identifiers that stay recognisable.
//!
//! Rules, applied in this order and so predictable: characters other than
//! ASCII letters, digits and `_` become `_`; a leading digit gets the prefix
//! `n_`; a Verilog or SystemVerilog keyword gets the suffix `_` (`reg` ->
//! `reg_`); a name already taken in the module gets `_1`, `_2`, ... in
//! declaration order. The first declaration keeps the plain name.

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::ir::Design;
use std::collections::HashSet;

/// Keywords of Verilog-2005 and SystemVerilog-2017 (tools parse `.v` as SV).
const KEYWORDS: &[&str] = &[
    "accept_on",
    "alias",
    "always",
    "always_comb",
    "always_ff",
    "always_latch",
    "and",
    "assert",
    "assign",
    "assume",
    "automatic",
    "before",
    "begin",
    "bind",
    "bins",
    "binsof",
    "bit",
    "break",
    "buf",
    "bufif0",
    "bufif1",
    "byte",
    "case",
    "casex",
    "casez",
    "cell",
    "chandle",
    "checker",
    "class",
    "clocking",
    "cmos",
    "config",
    "const",
    "constraint",
    "context",
    "continue",
    "cover",
    "covergroup",
    "coverpoint",
    "cross",
    "deassign",
    "default",
    "defparam",
    "design",
    "disable",
    "dist",
    "do",
    "edge",
    "else",
    "end",
    "endcase",
    "endchecker",
    "endclass",
    "endclocking",
    "endconfig",
    "endfunction",
    "endgenerate",
    "endgroup",
    "endinterface",
    "endmodule",
    "endpackage",
    "endprimitive",
    "endprogram",
    "endproperty",
    "endsequence",
    "endspecify",
    "endtable",
    "endtask",
    "enum",
    "event",
    "eventually",
    "expect",
    "export",
    "extends",
    "extern",
    "final",
    "first_match",
    "for",
    "force",
    "foreach",
    "forever",
    "fork",
    "forkjoin",
    "function",
    "generate",
    "genvar",
    "global",
    "highz0",
    "highz1",
    "if",
    "iff",
    "ifnone",
    "ignore_bins",
    "illegal_bins",
    "implements",
    "implies",
    "import",
    "incdir",
    "include",
    "initial",
    "inout",
    "input",
    "inside",
    "instance",
    "int",
    "integer",
    "interconnect",
    "interface",
    "intersect",
    "join",
    "join_any",
    "join_none",
    "large",
    "let",
    "liblist",
    "library",
    "local",
    "localparam",
    "logic",
    "longint",
    "macromodule",
    "matches",
    "medium",
    "modport",
    "module",
    "nand",
    "negedge",
    "nettype",
    "new",
    "nexttime",
    "nmos",
    "nor",
    "noshowcancelled",
    "not",
    "notif0",
    "notif1",
    "null",
    "or",
    "output",
    "package",
    "packed",
    "parameter",
    "pmos",
    "posedge",
    "primitive",
    "priority",
    "program",
    "property",
    "protected",
    "pull0",
    "pull1",
    "pulldown",
    "pullup",
    "pulsestyle_ondetect",
    "pulsestyle_onevent",
    "pure",
    "rand",
    "randc",
    "randcase",
    "randsequence",
    "rcmos",
    "real",
    "realtime",
    "ref",
    "reg",
    "reject_on",
    "release",
    "repeat",
    "restrict",
    "return",
    "rnmos",
    "rpmos",
    "rtran",
    "rtranif0",
    "rtranif1",
    "s_always",
    "s_eventually",
    "s_nexttime",
    "s_until",
    "s_until_with",
    "scalared",
    "sequence",
    "shortint",
    "shortreal",
    "showcancelled",
    "signed",
    "small",
    "soft",
    "solve",
    "specify",
    "specparam",
    "static",
    "string",
    "strong",
    "strong0",
    "strong1",
    "struct",
    "super",
    "supply0",
    "supply1",
    "sync_accept_on",
    "sync_reject_on",
    "table",
    "tagged",
    "task",
    "this",
    "throughout",
    "time",
    "timeprecision",
    "timeunit",
    "tran",
    "tranif0",
    "tranif1",
    "tri",
    "tri0",
    "tri1",
    "triand",
    "trior",
    "trireg",
    "type",
    "typedef",
    "union",
    "unique",
    "unique0",
    "unsigned",
    "until",
    "until_with",
    "untyped",
    "use",
    "uwire",
    "var",
    "vectored",
    "virtual",
    "void",
    "wait",
    "wait_order",
    "wand",
    "weak",
    "weak0",
    "weak1",
    "while",
    "wildcard",
    "wire",
    "with",
    "within",
    "wor",
    "xnor",
    "xor",
];

/// True for a reserved word.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.binary_search(&name).is_ok()
}

/// The legal form of `name` (not yet made unique).
pub fn legalize(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() {
        out.push_str("unnamed");
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "n_");
    }
    if is_keyword(&out) {
        out.push('_');
    }
    out
}

/// Hands out unique names within one module.
#[derive(Default)]
pub struct Namer {
    used: HashSet<String>,
}

impl Namer {
    /// Legalises `base` and makes it unique; the first claimant keeps it plain.
    pub fn claim(&mut self, base: &str) -> String {
        let base = legalize(base);
        if self.used.insert(base.clone()) {
            return base;
        }
        let mut i = 1;
        loop {
            let candidate = format!("{base}_{i}");
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
            i += 1;
        }
    }

    /// True when `name` is taken.
    pub fn is_taken(&self, name: &str) -> bool {
        self.used.contains(name)
    }
}

/// Legalises module, signal, instance, memory and constant names.
pub fn run(design: &mut Design, diags: &mut Diagnostics) {
    for m in &mut design.modules {
        if m.blackbox.is_none() {
            let legal = legalize(&m.name);
            if legal != m.name {
                diags.push(Diagnostic::error(
                    Code::IllegalName,
                    m.loc,
                    &m.name,
                    format!(
                        "module name `{}` is not a legal Verilog identifier (would be `{legal}`)",
                        m.name
                    ),
                ));
            }
        }
        let mut namer = Namer::default();
        // Ports first: their names are the module's interface and must not move.
        for &p in &m.ports {
            let s = &mut m.signals[p.0 as usize];
            s.name = namer.claim(&s.name);
        }
        let ports: HashSet<_> = m.ports.iter().copied().collect();
        for (i, s) in m.signals.iter_mut().enumerate() {
            if !ports.contains(&crate::ir::SigId(i as u32)) {
                s.name = namer.claim(&s.name);
            }
        }
        for inst in &mut m.instances {
            inst.name = namer.claim(&inst.name);
        }
        for mem in &mut m.memories {
            mem.name = namer.claim(&mem.name);
        }
        for c in &mut m.consts {
            c.name = namer.claim(&c.name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_list_is_sorted_for_binary_search() {
        let mut sorted = KEYWORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, KEYWORDS);
    }

    #[test]
    fn legalisation_is_predictable() {
        assert_eq!(legalize("reg"), "reg_");
        assert_eq!(legalize("logic"), "logic_");
        assert_eq!(legalize("3way"), "n_3way");
        assert_eq!(legalize("a.b-c"), "a_b_c");
        assert_eq!(legalize("count"), "count");
    }

    #[test]
    fn later_duplicates_get_suffixes() {
        let mut n = Namer::default();
        assert_eq!(n.claim("stage"), "stage");
        assert_eq!(n.claim("stage"), "stage_1");
        assert_eq!(n.claim("stage"), "stage_2");
        assert_eq!(n.claim("stage_1"), "stage_1_1");
    }
}
