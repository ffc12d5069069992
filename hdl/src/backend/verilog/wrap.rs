//! Breaking long assignments over several lines, so that no generated line is
//! longer than [`MAX_LINE`] (Verible's `line-length` default) where the
//! expression has a place to break.
//!
//! Works on the printed expression, whose form the printer controls: at
//! bracket depth 0 a `?:` chain breaks after each ` :` (one arm per line); a
//! chain of binary operators breaks before the operator with the lowest
//! precedence; a concatenation breaks after its commas. Continuation lines
//! are aligned under the start of the expression (under the first element,
//! for a concatenation), and packed greedily. Short lines are never touched.

/// Longest line the printer aims for.
pub const MAX_LINE: usize = 100;

/// `lead` + `expr` + `tail`, broken over several lines when longer than
/// [`MAX_LINE`]. `lead` is the indentation and the left-hand side (e.g.
/// `"  assign x = "`), `tail` the rest (`";"`); `comment` (a source location)
/// goes after the last line and does not count towards the length.
pub fn statement(lead: &str, expr: &str, tail: &str, comment: &str) -> String {
    let col = lead.chars().count();
    let lines = wrap(expr, col, tail.len());
    let mut out = String::with_capacity(lead.len() + expr.len() + tail.len() + comment.len());
    for (i, (indent, text)) in lines.iter().enumerate() {
        if i == 0 {
            out.push_str(lead);
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
    if let Some((prefix, items)) = split_concat(text) {
        let inner = col + prefix.chars().count() + 1;
        let mut lines = pack(&items, inner, tail + 1);
        if let Some(first) = lines.first_mut() {
            first.0 = col;
            first.1 = format!("{prefix}{{{}", first.1);
        }
        if let Some(last) = lines.last_mut() {
            last.1.push('}');
        }
        return lines;
    }
    vec![(col, text.to_string())]
}

/// Greedily packs `parts` (joined by single spaces) into lines from `col`.
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
    for l in out.iter_mut() {
        l.0 = col;
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
/// operators of one entry share a level.
const LEVELS: &[&[&str]] = &[
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

/// `p{a, b, c}` (with an optional unary prefix such as `|`) as `("p", ["a,", "b,", "c"])`.
fn split_concat(text: &str) -> Option<(String, Vec<String>)> {
    let open = text.find('{')?;
    let prefix = &text[..open];
    if !prefix.chars().all(|c| "~|&^!-".contains(c)) || !text.ends_with('}') {
        return None;
    }
    let inner = &text[open + 1..text.len() - 1];
    let top = depth0(inner);
    // The braces must be one pair: the inner text is balanced.
    let mut depth = 0i32;
    for b in inner.bytes() {
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return None;
        }
    }
    let cuts = find0(inner, &top, ", ");
    if cuts.is_empty() {
        return None;
    }
    let mut items = Vec::new();
    let mut start = 0;
    for c in cuts {
        items.push(inner[start..c + 1].to_string());
        start = c + 2;
    }
    items.push(inner[start..].to_string());
    Some((prefix.to_string(), items))
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
    fn unbreakable_text_is_left_alone() {
        let name = "x".repeat(120);
        assert_eq!(
            statement("  assign y = ", &name, ";", ""),
            format!("  assign y = {name};")
        );
    }
}
