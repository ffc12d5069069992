//! Readable byte-level differences for failure messages.

use std::fmt::Write;

/// A hex dump of `data[from..to]`, 16 bytes a line, with offsets.
pub fn hexdump(data: &[u8], from: usize, to: usize) -> String {
    let to = to.min(data.len());
    let mut out = String::new();
    let mut line = from - from % 16;
    while line < to {
        let _ = write!(out, "  {line:06x}:");
        for (i, b) in data.iter().enumerate().take(line + 16).skip(line) {
            if i >= from && i < to {
                let _ = write!(out, " {b:02x}");
            } else {
                out.push_str("   ");
            }
        }
        out.push('\n');
        line += 16;
    }
    out
}

/// `None` when equal, else where and how `got` differs from `expected`:
/// lengths, the first differing offset, and both hex dumps around it.
pub fn first_difference(expected: &[u8], got: &[u8]) -> Option<String> {
    let at = expected.iter().zip(got).position(|(a, b)| a != b);
    let at = match at {
        Some(i) => i,
        None if expected.len() == got.len() => return None,
        None => expected.len().min(got.len()),
    };
    let (from, to) = (at.saturating_sub(16), at + 32);
    Some(format!(
        "lengths: expected {} bytes, got {}; first difference at byte {at} ({at:#x})\nexpected:\n{}got:\n{}",
        expected.len(),
        got.len(),
        hexdump(expected, from, to),
        hexdump(got, from, to)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_difference() {
        assert_eq!(first_difference(b"abc", b"abc"), None);
        let d = first_difference(b"abcdef", b"abXdef").unwrap();
        assert!(d.contains("first difference at byte 2"), "{d}");
        assert!(d.contains("61 62 63") && d.contains("61 62 58"), "{d}");
        let d = first_difference(b"abc", b"ab").unwrap();
        assert!(
            d.contains("expected 3 bytes, got 2") && d.contains("byte 2"),
            "{d}"
        );
    }

    #[test]
    fn dumps_with_offsets() {
        let data: Vec<u8> = (0..40).collect();
        let d = hexdump(&data, 14, 18);
        let lines: Vec<&str> = d.lines().collect();
        assert_eq!(lines.len(), 2, "{d}");
        assert!(
            lines[0].starts_with("  000000:") && lines[0].trim_end().ends_with("0e 0f"),
            "{d}"
        );
        assert!(lines[1].starts_with("  000010: 10 11"), "{d}");
    }
}
