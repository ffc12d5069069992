//! Breaking long assignments over several lines, so that no generated line is
//! longer than [`MAX_LINE`] (Verible's `line-length` default).
//!
//! Works on the printed expression, whose form the printer controls: at
//! bracket depth 0 a `?:` chain breaks after each ` :` (one arm per line); a
//! chain of binary operators breaks before the operator with the lowest
//! precedence; a list breaks after its commas. Without any of these at depth
//! 0, the longest bracketed group is broken inside, aligned under its first
//! character. A hex literal too long for a line (the masks of a 512-bit CRC)
//! is written as the concatenation of its 64-bit pieces, which means the same.
//! Continuation lines are aligned under the start of what they continue and
//! packed greedily. Short lines are never touched.

use crate::ir::group_hex;

/// Longest line the printer aims for.
pub const MAX_LINE: usize = 100;

/// `lead` + `expr` + `tail`, broken over several lines when longer than
/// [`MAX_LINE`]. `lead` is the indentation and the left-hand side (e.g.
/// `"  assign x = "`), `tail` the rest (`";"`); `comment` (a source location)
/// goes after the last line and does not count towards the length.
pub fn statement(lead: &str, expr: &str, tail: &str, comment: &str) -> String {
    let col = lead.chars().count();
    let mut lines = wrap(expr, col, tail.len());
    let mut lead = lead.to_string();
    // A long left-hand side pushes everything to the right: when that leaves
    // lines too long, start the expression on the next line, indented by 4.
    let indent = lead.len() - lead.trim_start().len();
    let alt_col = indent + 4;
    if widest(&lines, tail.len()) > MAX_LINE && alt_col + 8 < col {
        let alt = wrap(expr, alt_col, tail.len());
        if widest(&alt, tail.len()) < widest(&lines, tail.len()) {
            lead = format!("{}\n{}", lead.trim_end(), " ".repeat(alt_col));
            lines = alt;
        }
    }
    let mut out = String::with_capacity(lead.len() + expr.len() + tail.len() + comment.len());
    for (i, (indent, text)) in lines.iter().enumerate() {
        if i == 0 {
            out.push_str(&lead);
        } else {
            out.push('\n');
            out.push_str(&" ".repeat(*indent));
        }
        out.push_str(text.trim_end());
    }
    out.push_str(tail);
    out.push_str(comment);
    out
}

/// The longest of `lines` (with `tail` after the last).
fn widest(lines: &[(usize, String)], tail: usize) -> usize {
    let n = lines.len();
    lines
        .iter()
        .enumerate()
        .map(|(i, (indent, t))| indent + t.chars().count() + if i + 1 == n { tail } else { 0 })
        .max()
        .unwrap_or(0)
}

/// Lines of `text` starting at column `col`, with `tail` more characters
/// after the last one: `(indent, text)`, where the first line's indent is `col`.
fn wrap(text: &str, col: usize, tail: usize) -> Vec<(usize, String)> {
    if col + text.chars().count() + tail <= MAX_LINE {
        return vec![(col, text.to_string())];
    }
    if let Some(arms) = split_mux(text) {
        let n = arms.len();
        return arms
            .into_iter()
            .enumerate()
            .flat_map(|(i, a)| wrap(&a, col, if i + 1 == n { tail } else { 0 }))
            .collect();
    }
    if let Some(parts) = split_binary(text) {
        return pack(&parts, col, tail);
    }
    if let Some(items) = split_commas(text) {
        return pack(&items, col, tail);
    }
    if let Some(lines) = descend(text, col, tail) {
        return lines;
    }
    if let Some(expanded) = expand_literal(text) {
        return wrap(&expanded, col, tail);
    }
    vec![(col, text.to_string())]
}

/// Breaks inside the longest bracketed group of `text` (`prefix(inner)suffix`):
/// the inner lines are aligned under the first character after the bracket.
/// `None` when no group can be broken.
fn descend(text: &str, col: usize, tail: usize) -> Option<Vec<(usize, String)>> {
    let (open, close) = longest_group(text)?;
    let prefix = &text[..=open];
    let inner = &text[open + 1..close];
    let suffix = &text[close..];
    let inner_col = col + prefix.chars().count();
    let mut lines = wrap(inner, inner_col, tail + suffix.chars().count());
    if lines.len() < 2 {
        return None;
    }
    lines[0] = (col, format!("{prefix}{}", lines[0].1));
    let last = lines.len() - 1;
    lines[last].1.push_str(suffix);
    Some(lines)
}

/// Byte offsets of the opening and closing bracket of the longest `(...)` or
/// `{...}` group at depth 0 (index brackets `[...]` are never broken).
fn longest_group(text: &str) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let mut best: Option<(usize, usize)> = None;
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'(' | b'{' | b'[' => {
                if depth == 0 {
                    start = i;
                }
                depth += 1;
            }
            b')' | b'}' | b']' => {
                depth -= 1;
                if depth == 0 && b[start] != b'[' && best.is_none_or(|(o, e)| i - start > e - o) {
                    best = Some((start, i));
                }
            }
            _ => {}
        }
    }
    best.filter(|(o, e)| e - o > 1)
}

/// Shortest hex literal (in characters) that is written in pieces when it does not fit.
const LONG_LITERAL: usize = 48;

/// `text` with its first long hex literal (`488'h71_e370_...`) written as the
/// concatenation of its 64-bit pieces, most significant first
/// (`{40'h71_e370_51cf, 64'h840e_..., ...}`); `None` when there is none.
fn expand_literal(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // A literal starts with its width, after a character that cannot end a name.
        let boundary = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_' || b[i - 1] == b'$');
        if !(boundary && b[i].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if !text[i..].starts_with("'h") {
            continue;
        }
        let width: usize = text[start..i].parse().ok()?;
        let digits_start = i + 2;
        let mut end = digits_start;
        while end < b.len() && (b[end].is_ascii_hexdigit() || b[end] == b'_') {
            end += 1;
        }
        if end - start < LONG_LITERAL || width <= 64 {
            i = end;
            continue;
        }
        let digits: String = text[digits_start..end].chars().filter(|c| *c != '_').collect();
        if digits.len() != width.div_ceil(4) {
            i = end;
            continue;
        }
        let mut pieces = Vec::new();
        let mut hi = width;
        while hi > 0 {
            let w = if hi.is_multiple_of(64) { 64 } else { hi % 64 };
            let lo = hi - w;
            // Hex digits of bits [hi-1:lo]: counted from the right of the string.
            let (d_lo, d_hi) = (lo / 4, hi.div_ceil(4));
            let n = digits.len();
            let piece = &digits[n - d_hi..n - d_lo];
            pieces.push(format!("{w}'h{}", group_hex(piece)));
            hi = lo;
        }
        return Some(format!(
            "{}{{{}}}{}",
            &text[..start],
            pieces.join(", "),
            &text[end..]
        ));
    }
    None
}

/// Greedily packs `parts` (joined by single spaces) into lines from `col`; a
/// part too long for a line of its own is broken further (deeper indents).
fn pack(parts: &[String], col: usize, tail: usize) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut cur = String::new();
    let n = parts.len();
    for (i, p) in parts.iter().enumerate() {
        let t = if i + 1 == n { tail } else { 0 };
        if cur.is_empty() {
            cur = p.clone();
        } else if col + cur.chars().count() + 1 + p.chars().count() + t <= MAX_LINE {
            cur.push(' ');
            cur.push_str(p);
        } else {
            out.extend(wrap(&cur, col, 0));
            cur = p.clone();
        }
    }
    if !cur.is_empty() {
        out.extend(wrap(&cur, col, tail));
    }
    out
}

/// For every byte of `text`: whether it stands outside all brackets.
fn depth0(text: &str) -> Vec<bool> {
    let mut depth = 0i32;
    text.bytes()
        .map(|b| {
            let at0 = depth == 0 && !matches!(b, b')' | b']' | b'}');
            match b {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth -= 1,
                _ => {}
            }
            at0
        })
        .collect()
}

/// Offsets where `pat` occurs entirely outside brackets.
fn find0(text: &str, top: &[bool], pat: &str) -> Vec<usize> {
    text.match_indices(pat)
        .map(|(i, _)| i)
        .filter(|&i| top[i..i + pat.len()].iter().all(|&t| t))
        .collect()
}

/// `c1 ? a1 : c2 ? a2 : d` as `["c1 ? a1 :", "c2 ? a2 :", "d"]`.
fn split_mux(text: &str) -> Option<Vec<String>> {
    let top = depth0(text);
    if find0(text, &top, " ? ").is_empty() {
        return None;
    }
    let cuts = find0(text, &top, " : ");
    if cuts.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    let mut start = 0;
    for c in cuts {
        out.push(text[start..c + 2].to_string());
        start = c + 3;
    }
    out.push(text[start..].to_string());
    Some(out)
}

/// Binary operators by precedence, lowest first (Verilog-2005 table 5-4);
/// operators of one entry share a level. Only reached when the text is not a
/// whole `?:` chain (see [`split_mux`]).
const LEVELS: &[&[&str]] = &[
    // A single arm `c ? a :` of a broken `?:` chain breaks before its `?`.
    &[" ? "],
    &[" || "],
    &[" && "],
    &[" | "],
    &[" ^ ", " ~^ "],
    &[" & "],
    &[" == ", " != "],
    &[" < ", " <= ", " > ", " >= "],
    &[" << ", " >> ", " >>> "],
    &[" + ", " - "],
];

/// `a | b | c` as `["a", "| b", "| c"]`, at the lowest-precedence operator
/// outside brackets.
fn split_binary(text: &str) -> Option<Vec<String>> {
    let top = depth0(text);
    for level in LEVELS {
        let mut cuts: Vec<usize> = level.iter().flat_map(|op| find0(text, &top, op)).collect();
        // Spaces on both sides keep ` < ` from matching `<=`, `<<` or a unary operator.
        cuts.sort_unstable();
        cuts.dedup();
        if cuts.is_empty() {
            continue;
        }
        let mut out = Vec::new();
        let mut start = 0;
        for c in cuts {
            out.push(text[start..c].to_string());
            start = c + 1;
        }
        out.push(text[start..].to_string());
        return Some(out);
    }
    None
}

/// `a, b, c` (commas outside brackets) as `["a,", "b,", "c"]`.
fn split_commas(text: &str) -> Option<Vec<String>> {
    let top = depth0(text);
    let cuts = find0(text, &top, ", ");
    if cuts.is_empty() {
        return None;
    }
    let mut items = Vec::new();
    let mut start = 0;
    for c in cuts {
        items.push(text[start..c + 1].to_string());
        start = c + 2;
    }
    items.push(text[start..].to_string());
    Some(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn longest(s: &str) -> usize {
        s.lines().map(|l| l.chars().count()).max().unwrap_or(0)
    }

    /// Removes the layout: the broken text must mean the same as the original.
    fn squash(s: &str) -> String {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn short_lines_stay() {
        assert_eq!(
            statement("  assign y = ", "a | b", ";", ""),
            "  assign y = a | b;"
        );
    }

    #[test]
    fn mux_chains_break_after_each_arm() {
        let arms: Vec<String> = (0..8)
            .map(|i| format!("entry{i}_match ? entry{i}_value"))
            .collect();
        let expr = format!("{} : 48'h0000_0000_0000", arms.join(" : "));
        let s = statement("  assign match_value = ", &expr, ";", "");
        assert!(longest(&s) <= MAX_LINE, "{s}");
        assert_eq!(squash(&s), squash(&format!("  assign match_value = {expr};")));
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines.len(), 9);
        assert_eq!(lines[1], "                       entry1_match ? entry1_value :");
        assert_eq!(lines[8], "                       48'h0000_0000_0000;");
    }

    #[test]
    fn concatenations_break_after_commas() {
        let items: Vec<String> = (0..12).map(|i| format!("entry{i}_match")).collect();
        let expr = format!("|{{{}}}", items.join(", "));
        let s = statement("  assign match_hit = ", &expr, ";", "");
        assert!(longest(&s) <= MAX_LINE, "{s}");
        assert_eq!(squash(&s), squash(&format!("  assign match_hit = {expr};")));
        assert!(s.starts_with("  assign match_hit = |{entry0_match, entry1_match,"));
        // Continuations align under the first element.
        let under_first = format!("{}entry", " ".repeat("  assign match_hit = |{".len()));
        assert!(s.lines().nth(1).unwrap().starts_with(&under_first), "{s}");
        assert!(s.ends_with("entry11_match};"));
    }

    #[test]
    fn binary_chains_break_before_the_lowest_operator() {
        let terms: Vec<String> = (0..10).map(|i| format!("(state & 32'd{i}) ^ d{i}")).collect();
        let expr = terms.join(" | ");
        let s = statement("    next <= ", &expr, ";", "  // x.rs:1");
        assert!(s.lines().all(|l| l.chars().count() <= MAX_LINE + 11), "{s}");
        assert_eq!(squash(&s), squash(&format!("    next <= {expr};  // x.rs:1")));
        assert!(s.lines().skip(1).all(|l| l.trim_start().starts_with("| ")), "{s}");
    }

    #[test]
    fn nested_concatenations_of_long_terms_break_inside() {
        let terms: Vec<String> = (0..6)
            .map(|i| format!("^(state & 32'd{i}{i}{i}{i}{i}) ^ ^(data[15:0] & 16'd{i}{i}{i}{i})"))
            .collect();
        let expr = format!("{{{}}}", terms.join(", "));
        let s = statement("  assign crc_bytes2 = ", &expr, ";", "");
        assert!(longest(&s) <= MAX_LINE, "{s}");
        assert_eq!(squash(&s), squash(&format!("  assign crc_bytes2 = {expr};")));
    }

    #[test]
    fn groups_break_inside_when_nothing_else_breaks() {
        let items: Vec<String> = (0..8).map(|i| format!("lfsr_bit_{i}")).collect();
        let expr = format!("{{lfsr[6:0], 1'b0}} ^ ({{{}}} & 8'd29)", items.join(", "));
        let s = statement("      lfsr <= ", &expr, ";", "");
        assert!(longest(&s) <= MAX_LINE, "{s}");
        assert_eq!(squash(&s), squash(&format!("      lfsr <= {expr};")));
    }

    #[test]
    fn long_hex_literals_become_concatenations_of_64_bit_pieces() {
        // 300 bits = 75 hex digits: pieces of 44, 64, 64, 64 and 64 bits.
        let digits = "abc".to_string() + &"0123456789abcdef".repeat(4) + "01234567";
        assert_eq!(digits.len(), 75);
        let lit = format!("300'h{}", group_hex(&digits));
        let expr = format!("^(data[299:0] & {lit})");
        let s = statement("  assign crc_bit17 = ", &expr, ";", "");
        assert!(longest(&s) <= MAX_LINE, "{s}");
        let pieces: Vec<&str> = s
            .split(|c: char| c == '{' || c == '}' || c == ',' || c.is_whitespace())
            .filter(|p| p.contains("'h"))
            .collect();
        let widths: Vec<&str> = pieces.iter().map(|p| p.split("'h").next().unwrap()).collect();
        assert_eq!(widths, ["44", "64", "64", "64", "64"], "{s}");
        // The same value: the pieces' digits, in order, are the literal's.
        let joined: String = pieces
            .iter()
            .map(|p| p.split("'h").nth(1).unwrap().replace('_', ""))
            .collect();
        assert_eq!(joined, digits);
        assert!(s.contains("& {44'h"), "{s}");
        // A width that is a multiple of 64 gives full pieces; names are not literals.
        let w192 = "192'h0000_0000_0000_0001_ffff_ffff_ffff_fffe_1234_5678_9abc_def0";
        let e = expand_literal(&format!("x & {w192}_0")).map(|_| ());
        assert_eq!(e, None, "the digits must match the width");
        let e = expand_literal(&format!("x & {w192}")).unwrap();
        assert_eq!(
            e,
            "x & {64'h0000_0000_0000_0001, 64'hffff_ffff_ffff_fffe, 64'h1234_5678_9abc_def0}"
        );
        assert_eq!(expand_literal(&format!("a_{w192}")), None);
        assert_eq!(expand_literal("32'hdead_beef"), None);
    }

    #[test]
    fn a_long_left_hand_side_moves_the_expression_to_the_next_line() {
        let name = "x_plus_x_plus_x_plus_x_plus_x_ext_plus_x_1";
        let a = "x_plus_x_plus_x_plus_x_plus_x_ext_plus_x";
        let expr = format!("{{1'd0, {a}[15:0]}} + {{13'd0, {a}[19:16]}}");
        let s = statement(&format!("  assign {name} = "), &expr, ";", "");
        assert!(longest(&s) <= MAX_LINE, "{s}");
        assert!(s.starts_with(&format!("  assign {name} =\n      {{1'd0")), "{s}");
        assert_eq!(squash(&s), squash(&format!("  assign {name} = {expr};")));
    }

    #[test]
    fn a_long_arm_of_a_mux_breaks_before_its_question_mark() {
        let cond = "(s3_chk_promiscuous_only_or_s3_chk_multicast | ~s3_chk_ip_dst_ours_and_something)";
        let inner =
            "(s3_chk_promiscuous_only ? 3'd5 : (s3_chk_multicast | s3_chk_ip_dst_group) ? 3'd4 : 3'd5)";
        let expr = format!("s3_chk_is_ipv4 ? ({cond} ? {inner} : 3'd2) : s3_chk_is_arp ? 3'd1 : 3'd0");
        let s = statement("    out_meta_class <= ", &expr, ";", "");
        assert!(longest(&s) <= MAX_LINE, "{s}");
        assert_eq!(squash(&s), squash(&format!("    out_meta_class <= {expr};")));
    }

    #[test]
    fn unbreakable_text_is_left_alone() {
        let name = "x".repeat(120);
        assert_eq!(
            statement("  assign y = ", &name, ";", ""),
            format!("  assign y = {name};")
        );
    }
}
