//! A small reader of Verilog module headers: module names, ANSI (and
//! non-ANSI) port lists with direction and width, the modules each module
//! instantiates, and line spans. Enough for `diff` and for finding the top
//! in `lint` and `synth`; not a Verilog parser.
//!
//! Widths of ranges with constant bounds (`[7:0]`, `[8*4-1:0]`) are
//! evaluated; ranges that name parameters are kept as written (`[W-1:0]`).

use std::fmt;

/// A port's width.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Width {
    /// Known number of bits.
    Bits(u64),
    /// A range that could not be evaluated, as written (e.g. `[W-1:0]`).
    Expr(String),
}

impl fmt::Display for Width {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Width::Bits(n) => write!(f, "{n}"),
            Width::Expr(e) => f.write_str(e),
        }
    }
}

/// A port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Port {
    /// Name.
    pub name: String,
    /// `input`, `output`, `inout` (or `interface` for `if.modport name`, `?` when unknown).
    pub direction: String,
    /// Width.
    pub width: Width,
}

/// A module as seen from its header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModuleHeader {
    /// Name.
    pub name: String,
    /// Ports in declaration order.
    pub ports: Vec<Port>,
    /// Names of the modules it instantiates (unresolved: may name primitives
    /// or modules of other files), in order, without duplicates.
    pub instantiates: Vec<String>,
    /// Line of `module` (1-based).
    pub first_line: usize,
    /// Line of `endmodule` (the last line when missing).
    pub last_line: usize,
}

impl ModuleHeader {
    /// Lines from `module` to `endmodule`, both included.
    pub fn lines(&self) -> usize {
        self.last_line + 1 - self.first_line
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Tok {
    text: String,
    line: usize,
}

/// Tokens outside comments, strings, attributes and compiler directives.
fn tokens(src: &str) -> Vec<Tok> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    let ident = |c: u8| c == b'_' || c == b'$' || c.is_ascii_alphanumeric();
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' => {
                line += 1;
                i += 1;
            }
            _ if c.is_ascii_whitespace() => i += 1,
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                    line += usize::from(b[i] == b'\n');
                    i += 1;
                }
                i += 2;
            }
            b'(' if b.get(i + 1) == Some(&b'*') && b.get(i + 2) != Some(&b')') => {
                // An attribute instance `(* ... *)`.
                i += 2;
                while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b')')) {
                    line += usize::from(b[i] == b'\n');
                    i += 1;
                }
                i += 2;
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'`' => {
                // A directive: skip to the end of the line (continuations included).
                while i < b.len() && b[i] != b'\n' {
                    if b[i] == b'\\' && b.get(i + 1) == Some(&b'\n') {
                        line += 1;
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'\\' => {
                let s = i;
                while i < b.len() && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                out.push(Tok {
                    text: src[s..i].to_string(),
                    line,
                });
            }
            _ if ident(c) || c == b'\'' => {
                let s = i;
                i += 1;
                // Sized literals such as 8'hff stay one token.
                while i < b.len() && (ident(b[i]) || b[i] == b'\'') {
                    i += 1;
                }
                out.push(Tok {
                    text: src[s..i].to_string(),
                    line,
                });
            }
            _ => {
                // Multi-byte UTF-8 outside comments is not Verilog; keep it whole.
                let len = src[i..].chars().next().map_or(1, char::len_utf8);
                out.push(Tok {
                    text: src[i..i + len].to_string(),
                    line,
                });
                i += len;
            }
        }
    }
    out
}

const KEYWORDS: &[&str] = &[
    "always",
    "always_comb",
    "always_ff",
    "always_latch",
    "assign",
    "begin",
    "case",
    "casex",
    "casez",
    "default",
    "else",
    "end",
    "endcase",
    "endfunction",
    "endgenerate",
    "endtask",
    "for",
    "forever",
    "function",
    "generate",
    "genvar",
    "if",
    "initial",
    "inout",
    "input",
    "integer",
    "localparam",
    "logic",
    "output",
    "parameter",
    "real",
    "reg",
    "repeat",
    "signed",
    "task",
    "tri",
    "unsigned",
    "var",
    "while",
    "wire",
    "module",
    "endmodule",
    "assert",
    "property",
    "defparam",
    "specify",
];

const NET_TYPES: &[&str] = &[
    "wire", "reg", "logic", "signed", "unsigned", "var", "tri", "wand", "wor", "supply0", "supply1", "bit",
];

fn is_ident(s: &str) -> bool {
    s.starts_with('\\')
        || s.chars()
            .next()
            .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c == '_' || c == '$' || c.is_ascii_alphanumeric())
}

/// Index of the token closing the bracket opened at `open`.
fn matching(t: &[Tok], open: usize) -> usize {
    let (o, c) = match t[open].text.as_str() {
        "(" => ("(", ")"),
        "[" => ("[", "]"),
        _ => ("{", "}"),
    };
    let mut depth = 0;
    for (i, tok) in t.iter().enumerate().skip(open) {
        if tok.text == o {
            depth += 1;
        } else if tok.text == c {
            depth -= 1;
            if depth == 0 {
                return i;
            }
        }
    }
    t.len() - 1
}

/// Evaluates a constant integer expression of + - * / and parentheses.
fn eval(t: &[Tok]) -> Option<i64> {
    fn expr(t: &[Tok], i: &mut usize) -> Option<i64> {
        let mut v = term(t, i)?;
        while let Some(op) = t.get(*i).map(|x| x.text.as_str()) {
            match op {
                "+" => {
                    *i += 1;
                    v = v.checked_add(term(t, i)?)?;
                }
                "-" => {
                    *i += 1;
                    v = v.checked_sub(term(t, i)?)?;
                }
                _ => break,
            }
        }
        Some(v)
    }
    fn term(t: &[Tok], i: &mut usize) -> Option<i64> {
        let mut v = atom(t, i)?;
        while let Some(op) = t.get(*i).map(|x| x.text.as_str()) {
            match op {
                "*" => {
                    *i += 1;
                    v = v.checked_mul(atom(t, i)?)?;
                }
                "/" => {
                    *i += 1;
                    v = v.checked_div(atom(t, i)?)?;
                }
                _ => break,
            }
        }
        Some(v)
    }
    fn atom(t: &[Tok], i: &mut usize) -> Option<i64> {
        let tok = t.get(*i)?;
        *i += 1;
        match tok.text.as_str() {
            "(" => {
                let v = expr(t, i)?;
                (t.get(*i)?.text == ")").then(|| *i += 1)?;
                Some(v)
            }
            "-" => atom(t, i).map(|v| -v),
            s => s.replace('_', "").parse().ok(),
        }
    }
    let mut i = 0;
    let v = expr(t, &mut i)?;
    (i == t.len()).then_some(v)
}

/// Width of the packed ranges `[a:b][c:d]...` in `t` (1 when there are none).
fn width_of(ranges: &[&[Tok]]) -> Width {
    let mut bits: u64 = 1;
    for r in ranges {
        let colon = r.iter().position(|x| x.text == ":");
        let n = colon.and_then(|c| Some((eval(&r[..c])?, eval(&r[c + 1..])?)));
        match n {
            Some((a, b)) => bits *= a.abs_diff(b) + 1,
            None => {
                let text: Vec<String> = ranges
                    .iter()
                    .map(|r| format!("[{}]", r.iter().map(|x| x.text.as_str()).collect::<String>()))
                    .collect();
                return Width::Expr(text.concat());
            }
        }
    }
    Width::Bits(bits)
}

/// Declarations `dir [type] [range] name, name` in `items` (comma-separated
/// parts), each inheriting what it leaves out from the one before.
fn declarations(items: &[&[Tok]], first_dir: Option<&str>) -> Vec<Port> {
    let mut out = Vec::new();
    let mut dir = first_dir.unwrap_or("?").to_string();
    let mut width = Width::Bits(1);
    for item in items {
        let mut i = 0;
        let mut new_type = false;
        if let Some(d) = item
            .first()
            .filter(|x| ["input", "output", "inout"].contains(&x.text.as_str()))
        {
            dir = d.text.clone();
            width = Width::Bits(1);
            new_type = true;
            i += 1;
        }
        let mut ranges: Vec<&[Tok]> = Vec::new();
        while i < item.len() {
            let s = item[i].text.as_str();
            if NET_TYPES.contains(&s) {
                new_type = true;
                i += 1;
            } else if s == "integer" {
                new_type = true;
                ranges.push(&[]);
                i += 1;
            } else if s == "[" {
                let close = i + matching(&item[i..], 0);
                ranges.push(&item[i + 1..close]);
                new_type = true;
                i = close + 1;
            } else if i + 2 < item.len() && item[i + 1].text == "." && is_ident(s) {
                // An interface port `bus.master name`.
                dir = "interface".into();
                width = Width::Expr(format!("{s}.{}", item[i + 2].text));
                i += 3;
            } else {
                break;
            }
        }
        if new_type && dir != "interface" {
            width = if ranges.iter().any(|r| r.is_empty()) {
                Width::Bits(32)
            } else {
                width_of(&ranges)
            };
        }
        if let Some(name) = item.get(i).filter(|x| is_ident(&x.text)) {
            out.push(Port {
                name: name.text.clone(),
                direction: dir.clone(),
                width: width.clone(),
            });
        }
    }
    out
}

/// Splits `t` at commas outside brackets.
fn split_commas(t: &[Tok]) -> Vec<&[Tok]> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, x) in t.iter().enumerate() {
        match x.text.as_str() {
            "(" | "[" | "{" => depth += 1,
            ")" | "]" | "}" => depth -= 1,
            "," if depth == 0 => {
                out.push(&t[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < t.len() {
        out.push(&t[start..]);
    }
    out
}

/// Every module in `src`.
pub fn parse(src: &str) -> Vec<ModuleHeader> {
    let t = tokens(src);
    let last_line = src.lines().count().max(1);
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        if t[i].text != "module" && t[i].text != "macromodule" {
            i += 1;
            continue;
        }
        let first_line = t[i].line;
        let Some(name) = t.get(i + 1).filter(|x| is_ident(&x.text)) else {
            i += 1;
            continue;
        };
        let mut j = i + 2;
        if t.get(j).is_some_and(|x| x.text == "#") && t.get(j + 1).is_some_and(|x| x.text == "(") {
            j = matching(&t, j + 1) + 1;
        }
        let mut list: &[Tok] = &[];
        if t.get(j).is_some_and(|x| x.text == "(") {
            let close = matching(&t, j);
            list = &t[j + 1..close];
            j = close + 1;
        }
        let end = (j..t.len())
            .find(|&k| t[k].text == "endmodule")
            .unwrap_or(t.len());
        let body = &t[j.min(end)..end];
        let items = split_commas(list);
        let ansi =
            items.first().and_then(|it| it.first()).is_some_and(|x| {
                ["input", "output", "inout"].contains(&x.text.as_str()) || x.text.contains('.')
            }) || items.first().is_some_and(|it| it.len() > 2 && it[1].text == ".");
        let ports = if ansi {
            declarations(&items, None)
        } else {
            non_ansi_ports(&items, body)
        };
        out.push(ModuleHeader {
            name: name.text.clone(),
            ports,
            instantiates: instances(body),
            first_line,
            last_line: t.get(end).map_or(last_line, |x| x.line),
        });
        i = end + 1;
    }
    out
}

/// Ports of a non-ANSI header: names from the list, directions and widths
/// from the body's declarations.
fn non_ansi_ports(items: &[&[Tok]], body: &[Tok]) -> Vec<Port> {
    let mut decls = Vec::new();
    let mut k = 0;
    while k < body.len() {
        if ["input", "output", "inout"].contains(&body[k].text.as_str()) {
            let semi = (k..body.len())
                .find(|&m| body[m].text == ";")
                .unwrap_or(body.len());
            let parts = split_commas(&body[k..semi]);
            decls.extend(declarations(&parts, None));
            k = semi;
        }
        k += 1;
    }
    items
        .iter()
        .filter_map(|it| it.first())
        .filter(|x| is_ident(&x.text))
        .map(|x| {
            decls.iter().find(|d| d.name == x.text).cloned().unwrap_or(Port {
                name: x.text.clone(),
                direction: "?".into(),
                width: Width::Bits(1),
            })
        })
        .collect()
}

/// Module names instantiated in `body`: `type [#(...)] name [range] (`.
fn instances(body: &[Tok]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in 0..body.len() {
        let at_start = i == 0
            || matches!(
                body[i - 1].text.as_str(),
                ";" | "begin" | "end" | "generate" | "endgenerate" | "else" | ":"
            );
        let ty = &body[i].text;
        if !at_start || !is_ident(ty) || KEYWORDS.contains(&ty.as_str()) {
            continue;
        }
        let mut j = i + 1;
        if body.get(j).is_some_and(|x| x.text == "#") {
            if body.get(j + 1).is_some_and(|x| x.text == "(") {
                j = matching(body, j + 1) + 1;
            } else {
                continue;
            }
        }
        if !body
            .get(j)
            .is_some_and(|x| is_ident(&x.text) && !KEYWORDS.contains(&x.text.as_str()))
        {
            continue;
        }
        j += 1;
        if body.get(j).is_some_and(|x| x.text == "[") {
            j = matching(body, j) + 1;
        }
        if body.get(j).is_some_and(|x| x.text == "(") && !out.contains(ty) {
            out.push(ty.clone());
        }
    }
    out
}

/// The modules of `modules` that no other of them instantiates, in order.
pub fn tops(modules: &[ModuleHeader]) -> Vec<&ModuleHeader> {
    modules
        .iter()
        .filter(|m| {
            !modules
                .iter()
                .any(|o| o.name != m.name && o.instantiates.contains(&m.name))
        })
        .collect()
}
