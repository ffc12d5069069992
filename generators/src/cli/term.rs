//! Terminal output: colours (only on a terminal, never with `NO_COLOR`) and
//! aligned tables.

use std::io::IsTerminal;

/// How a piece of text is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// As it is.
    Plain,
    /// Good news (green).
    Good,
    /// A failure (red, bold).
    Bad,
    /// A warning (yellow).
    Warn,
    /// Emphasis (bold).
    Bold,
    /// Secondary (dim).
    Dim,
}

/// Whether one output stream gets colours.
#[derive(Clone, Copy, Debug)]
pub struct Term {
    color: bool,
}

/// True when `NO_COLOR` is set to a non-empty value (<https://no-color.org>).
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

impl Term {
    /// For stdout: colours when it is a terminal and `NO_COLOR` is not set.
    pub fn stdout() -> Term {
        Term {
            color: std::io::stdout().is_terminal() && !no_color(),
        }
    }

    /// For stderr: colours when it is a terminal and `NO_COLOR` is not set.
    pub fn stderr() -> Term {
        Term {
            color: std::io::stderr().is_terminal() && !no_color(),
        }
    }

    /// Never colours (files, tests).
    pub fn plain() -> Term {
        Term { color: false }
    }

    /// `text` in `style` (unchanged without colours).
    pub fn paint(&self, style: Style, text: &str) -> String {
        let code = match style {
            Style::Plain => return text.to_string(),
            Style::Good => "32",
            Style::Bad => "1;31",
            Style::Warn => "33",
            Style::Bold => "1",
            Style::Dim => "2",
        };
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// A table cell: text and style.
#[derive(Clone, Debug)]
pub struct Cell {
    /// Text (no escape codes).
    pub text: String,
    /// Style.
    pub style: Style,
}

impl<T: ToString> From<T> for Cell {
    fn from(t: T) -> Cell {
        Cell {
            text: t.to_string(),
            style: Style::Plain,
        }
    }
}

/// A cell in a style.
pub fn styled(text: impl ToString, style: Style) -> Cell {
    Cell {
        text: text.to_string(),
        style,
    }
}

/// A table with a header; columns whose cells are all numbers are right-aligned.
#[derive(Clone, Debug, Default)]
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

impl Table {
    /// An empty table with these column titles.
    pub fn new(header: &[&str]) -> Table {
        Table {
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// Appends a row (as many cells as header columns).
    pub fn row(&mut self, cells: Vec<Cell>) {
        debug_assert_eq!(cells.len(), self.header.len());
        self.rows.push(cells);
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The table as text, indented by two spaces.
    pub fn render(&self, t: &Term) -> String {
        let n = self.header.len();
        let width = |i: usize| {
            self.rows
                .iter()
                .map(|r| r[i].text.chars().count())
                .chain([self.header[i].chars().count()])
                .max()
                .unwrap_or(0)
        };
        let widths: Vec<usize> = (0..n).map(width).collect();
        let numeric: Vec<bool> = (0..n)
            .map(|i| {
                !self.rows.is_empty()
                    && self.rows.iter().all(|r| {
                        let s = r[i].text.trim_end_matches('%');
                        s == "-" || s.parse::<f64>().is_ok()
                    })
            })
            .collect();
        let pad = |text: &str, i: usize| {
            let fill = " ".repeat(widths[i] - text.chars().count());
            if numeric[i] {
                format!("{fill}{text}")
            } else {
                format!("{text}{fill}")
            }
        };
        let mut out = String::new();
        let head: Vec<String> = (0..n).map(|i| pad(&self.header[i], i)).collect();
        out.push_str(&format!(
            "  {}\n",
            t.paint(Style::Bold, head.join("  ").trim_end())
        ));
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        out.push_str(&format!("  {}\n", rule.join("  ")));
        for r in &self.rows {
            let cells: Vec<String> = (0..n).map(|i| t.paint(r[i].style, &pad(&r[i].text, i))).collect();
            out.push_str(&format!("  {}\n", cells.join("  ").trim_end()));
        }
        out
    }
}

/// A duration for people: `12.3 ms`, `4.56 s`.
pub fn duration(d: std::time::Duration) -> String {
    let s = d.as_secs_f64();
    if s < 1.0 {
        format!("{:.1} ms", s * 1e3)
    } else {
        format!("{s:.2} s")
    }
}
