//! `lauberhorn diff OLD NEW`: a structural diff of two RTL directories
//! (modules added and removed, ports changed, lines per module) and a unified
//! diff of every changed file. `lauberhorn diff --check`: the committed RTL
//! against a fresh generation.

use super::args::DiffArgs;
use super::generate;
use super::term::{styled, Style, Table, Term};
use super::tools::TempDir;
use super::verilog_headers::{self, ModuleHeader, Port, Width};
use super::{exit, Failure, Outcome};
use similar::TextDiff;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Lines of unified diff shown per file before the rest is summarised.
pub const MAX_DIFF_LINES: usize = 400;

/// How one port changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PortChange {
    /// A new port.
    Added(Port),
    /// A port that is gone.
    Removed(Port),
    /// Same name, other direction or width.
    Changed {
        /// Before.
        old: Port,
        /// After.
        new: Port,
    },
    /// Same ports, other order.
    Reordered,
}

/// How one file changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileChange {
    /// Only in NEW.
    Added,
    /// Only in OLD.
    Removed,
    /// In both, different.
    Changed,
}

/// One changed file and its unified diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileDiff {
    /// File name.
    pub name: String,
    /// What changed.
    pub change: FileChange,
    /// `diff -u` style text (empty for binary files).
    pub unified: String,
}

/// Everything that differs between two directories.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DirDiff {
    /// Modules only in NEW.
    pub modules_added: Vec<String>,
    /// Modules only in OLD.
    pub modules_removed: Vec<String>,
    /// Port changes of modules in both.
    pub ports: Vec<(String, Vec<PortChange>)>,
    /// Lines per module: `(module, old, new)` for every module in either.
    pub lines: Vec<(String, Option<usize>, Option<usize>)>,
    /// Files that differ, by name.
    pub files: Vec<FileDiff>,
}

impl DirDiff {
    /// True when every compared file is byte-identical.
    pub fn identical(&self) -> bool {
        self.files.is_empty()
    }
}

/// Regular files of `dir` (not recursive) accepted by `keep`; an absent
/// directory has none.
fn files_of(dir: &Path, keep: &dyn Fn(&str) -> bool) -> Result<BTreeMap<String, Vec<u8>>, Failure> {
    let mut out = BTreeMap::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(Failure::io("read directory", dir, e)),
    };
    for e in entries.filter_map(Result::ok) {
        let path = e.path();
        let Ok(name) = e.file_name().into_string() else {
            continue;
        };
        if path.is_file() && keep(&name) {
            let bytes = std::fs::read(&path).map_err(|err| Failure::io("read", &path, err))?;
            out.insert(name, bytes);
        }
    }
    Ok(out)
}

/// Modules of the `.v` files among `files`.
fn modules_of(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, ModuleHeader> {
    files
        .iter()
        .filter(|(n, _)| n.ends_with(".v") || n.ends_with(".sv"))
        .flat_map(|(_, b)| verilog_headers::parse(&String::from_utf8_lossy(b)))
        .map(|m| (m.name.clone(), m))
        .collect()
}

fn port_changes(old: &[Port], new: &[Port]) -> Vec<PortChange> {
    let mut out = Vec::new();
    for p in old {
        match new.iter().find(|q| q.name == p.name) {
            None => out.push(PortChange::Removed(p.clone())),
            Some(q) if q != p => out.push(PortChange::Changed {
                old: p.clone(),
                new: q.clone(),
            }),
            Some(_) => {}
        }
    }
    for q in new {
        if !old.iter().any(|p| p.name == q.name) {
            out.push(PortChange::Added(q.clone()));
        }
    }
    let names = |v: &[Port]| v.iter().map(|p| p.name.clone()).collect::<Vec<_>>();
    if out.is_empty() && names(old) != names(new) {
        out.push(PortChange::Reordered);
    }
    out
}

fn unified(name: &str, old: &str, new: &str) -> String {
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

/// Compares the files of `old` and `new` accepted by `keep`.
pub fn compare(old: &Path, new: &Path, keep: &dyn Fn(&str) -> bool) -> Result<DirDiff, Failure> {
    let a = files_of(old, keep)?;
    let b = files_of(new, keep)?;
    let (ma, mb) = (modules_of(&a), modules_of(&b));
    let mut d = DirDiff {
        modules_added: mb.keys().filter(|k| !ma.contains_key(*k)).cloned().collect(),
        modules_removed: ma.keys().filter(|k| !mb.contains_key(*k)).cloned().collect(),
        ..DirDiff::default()
    };
    let names: BTreeSet<&String> = ma.keys().chain(mb.keys()).collect();
    for n in names {
        let (o, w) = (ma.get(n), mb.get(n));
        if let (Some(o), Some(w)) = (o, w) {
            let changes = port_changes(&o.ports, &w.ports);
            if !changes.is_empty() {
                d.ports.push((n.clone(), changes));
            }
        }
        d.lines
            .push((n.clone(), o.map(ModuleHeader::lines), w.map(ModuleHeader::lines)));
    }
    let files: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for f in files {
        let (o, w) = (a.get(f), b.get(f));
        if o == w {
            continue;
        }
        let change = match (o, w) {
            (None, _) => FileChange::Added,
            (_, None) => FileChange::Removed,
            _ => FileChange::Changed,
        };
        let text = |x: Option<&Vec<u8>>| x.map(|v| std::str::from_utf8(v).map(str::to_string));
        let diff = match (text(o), text(w)) {
            (Some(Err(_)), _) | (_, Some(Err(_))) => String::new(),
            (o, w) => unified(
                f,
                &o.and_then(Result::ok).unwrap_or_default(),
                &w.and_then(Result::ok).unwrap_or_default(),
            ),
        };
        d.files.push(FileDiff {
            name: f.clone(),
            change,
            unified: diff,
        });
    }
    Ok(d)
}

/// `8 bits`, `1 bit`, or the range as written (`[W-1:0]`).
fn width_text(w: &Width) -> String {
    match w {
        Width::Bits(1) => "1 bit".into(),
        Width::Bits(n) => format!("{n} bits"),
        Width::Expr(e) => e.clone(),
    }
}

fn port_text(p: &Port) -> String {
    format!("{} {} ({})", p.direction, p.name, width_text(&p.width))
}

/// The report.
pub fn render(d: &DirDiff, old: &str, new: &str, t: &Term) -> String {
    let mut out = format!("{} {old} -> {new}\n", t.paint(Style::Bold, "lauberhorn diff:"));
    if d.identical() {
        out.push_str(&format!("  {}\n", t.paint(Style::Good, "identical")));
        return out;
    }
    if !d.modules_added.is_empty() {
        out.push_str(&format!("modules added:   {}\n", d.modules_added.join(", ")));
    }
    if !d.modules_removed.is_empty() {
        out.push_str(&format!("modules removed: {}\n", d.modules_removed.join(", ")));
    }
    if !d.ports.is_empty() {
        out.push_str("ports changed:\n");
        for (m, changes) in &d.ports {
            out.push_str(&format!("  {m}:\n"));
            for c in changes {
                let line = match c {
                    PortChange::Added(p) => t.paint(Style::Good, &format!("+ {}", port_text(p))),
                    PortChange::Removed(p) => t.paint(Style::Bad, &format!("- {}", port_text(p))),
                    PortChange::Changed { old, new } => t.paint(
                        Style::Warn,
                        &format!(
                            "~ {}: {} {} -> {} {}",
                            old.name,
                            old.direction,
                            width_text(&old.width),
                            new.direction,
                            width_text(&new.width)
                        ),
                    ),
                    PortChange::Reordered => "~ same ports in another order".into(),
                };
                out.push_str(&format!("    {line}\n"));
            }
        }
    }
    let mut table = Table::new(&["module", "old lines", "new lines", "change"]);
    for (m, o, n) in &d.lines {
        let show = |x: &Option<usize>| x.map_or("-".to_string(), |v| v.to_string());
        let delta = match (o, n) {
            (Some(a), Some(b)) if a == b => styled("", Style::Plain),
            (Some(a), Some(b)) => styled(format!("{:+}", *b as i64 - *a as i64), Style::Warn),
            (None, _) => styled("added", Style::Good),
            (_, None) => styled("removed", Style::Bad),
        };
        table.row(vec![m.clone().into(), show(o).into(), show(n).into(), delta]);
    }
    if !table.is_empty() {
        out.push_str("lines per module:\n");
        out.push_str(&table.render(t));
    }
    out.push_str("files that differ:\n");
    for f in &d.files {
        let what = match f.change {
            FileChange::Added => format!("only in {new}"),
            FileChange::Removed => format!("only in {old}"),
            FileChange::Changed => "changed".into(),
        };
        out.push_str(&format!("  {} ({what})\n", f.name));
    }
    for f in &d.files {
        out.push('\n');
        if f.unified.is_empty() {
            out.push_str(&format!("binary files {} differ\n", f.name));
            continue;
        }
        let lines: Vec<&str> = f.unified.lines().collect();
        for l in lines.iter().take(MAX_DIFF_LINES) {
            let style = if l.starts_with("+++") || l.starts_with("---") {
                Style::Bold
            } else if l.starts_with('+') {
                Style::Good
            } else if l.starts_with('-') {
                Style::Bad
            } else if l.starts_with("@@") {
                Style::Dim
            } else {
                Style::Plain
            };
            out.push_str(&t.paint(style, l));
            out.push('\n');
        }
        if lines.len() > MAX_DIFF_LINES {
            out.push_str(&format!(
                "... {} more diff lines of {}\n",
                lines.len() - MAX_DIFF_LINES,
                f.name
            ));
        }
    }
    out
}

/// The command that regenerates the committed RTL, for the `--check` hint.
fn regenerate_hint(args: &DiffArgs) -> String {
    let mut cmd = String::from("cargo run -p generators --bin lauberhorn -- generate");
    if let Some(c) = &args.config.config {
        cmd.push_str(&format!(" --config {c}"));
    }
    if let Some(f) = &args.config.config_file {
        cmd.push_str(&format!(" --config-file {}", f.display()));
    }
    cmd.push_str(&format!(" --out {}", args.rtl.display()));
    cmd
}

fn check(args: &DiffArgs) -> Outcome {
    let (cfg, label) = args.config.load()?;
    let rendered = generate::render(&cfg)?;
    let fresh = TempDir::new("check")?;
    generate::write(fresh.path(), &rendered)?;
    // Only what generate owns: the files it writes and the stale Verilog it would remove.
    let mut owned: BTreeSet<String> = rendered.files.iter().map(|f| f.name.clone()).collect();
    owned.extend(generate::listed_verilog(&args.rtl));
    let d = compare(&args.rtl, fresh.path(), &|n| owned.contains(n))?;
    let t = Term::stdout();
    let rtl = args.rtl.display().to_string();
    if d.identical() {
        println!(
            "{} {rtl} matches the generator (configuration {label}, {} files)",
            t.paint(Style::Good, "lauberhorn diff --check:"),
            owned.len()
        );
        return Ok(exit::OK);
    }
    print!("{}", render(&d, &rtl, &format!("generated ({label})"), &t));
    println!(
        "\n{} {rtl} is out of date with the generator (configuration {label}).\nrun: {}",
        t.paint(Style::Bad, "lauberhorn diff --check:"),
        regenerate_hint(args)
    );
    Ok(exit::FINDINGS)
}

/// `lauberhorn diff`.
pub fn run(args: &DiffArgs) -> Outcome {
    if args.check {
        return check(args);
    }
    let (Some(old), Some(new)) = (&args.old, &args.new) else {
        return Err(Failure::usage("diff needs OLD and NEW directories, or --check"));
    };
    for dir in [old, new] {
        if !dir.is_dir() {
            return Err(Failure::usage(format!("{} is not a directory", dir.display())));
        }
    }
    let d = compare(old, new, &|_| true)?;
    print!(
        "{}",
        render(
            &d,
            &old.display().to_string(),
            &new.display().to_string(),
            &Term::stdout()
        )
    );
    Ok(if d.identical() { exit::OK } else { exit::FINDINGS })
}
