//! `lauberhorn lint DIR`: Verilator, Verible, Icarus and Yosys on every
//! Verilog file of a directory, one summary table, every finding with its
//! file:line.

use super::args::LintArgs;
use super::rtl_dir::RtlDir;
use super::term::{self, styled, Style, Table, Term};
use super::tools::{self, RunError, TempDir, Tool, ToolRun};
use super::{exit, Failure, Outcome};
use std::path::Path;
use std::time::Duration;

/// The Verible rules (`.rules.verible_lint` at the repository root, with the
/// reason for every disabled rule), built into the binary.
pub const VERIBLE_RULES: &str = include_str!("../../../.rules.verible_lint");

/// One problem a tool reported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// File (relative to the linted directory), when the tool named one.
    pub file: Option<String>,
    /// Line, when the tool named one.
    pub line: Option<u32>,
    /// The message.
    pub message: String,
}

impl Finding {
    /// `file:line` (or what of it is known).
    pub fn place(&self) -> String {
        match (&self.file, self.line) {
            (Some(f), Some(l)) => format!("{f}:{l}"),
            (Some(f), None) => f.clone(),
            _ => "-".into(),
        }
    }
}

/// How a tool's run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// No findings.
    Clean,
    /// Findings (listed).
    Findings(Vec<Finding>),
    /// Not installed: the hint.
    Missing(String),
    /// Crashed or failed without saying why in a form we read: the output's end.
    Crashed(String),
}

/// One tool's result.
#[derive(Clone, Debug)]
pub struct ToolResult {
    /// The tool.
    pub tool: Tool,
    /// Outcome.
    pub status: Status,
    /// Wall time.
    pub elapsed: Duration,
}

/// Splits `file:line[:col[-col]]: rest` into its parts.
fn located(line: &str) -> Option<(String, u32, String)> {
    let (file, rest) = line.split_once(':')?;
    if file.is_empty() || file.contains(' ') {
        return None;
    }
    let (num, rest) = rest.split_once(':')?;
    let n: u32 = num.trim().parse().ok()?;
    // An optional column (`12:` or `12-15:`).
    let rest = match rest.split_once(':') {
        Some((col, after)) if !col.is_empty() && col.chars().all(|c| c.is_ascii_digit() || c == '-') => after,
        _ => rest,
    };
    Some((file.to_string(), n, rest.trim().to_string()))
}

/// Verilator: `%Warning-CODE: file:line:col: message` and `%Error...` lines.
pub fn parse_verilator(out: &str) -> Vec<Finding> {
    out.lines()
        .filter(|l| l.starts_with("%Warning") || l.starts_with("%Error"))
        .filter(|l| !l.starts_with("%Error: Exiting due to"))
        .map(|l| {
            let (kind, rest) = l.split_once(": ").unwrap_or((l, ""));
            let kind = kind.trim_start_matches('%');
            match located(rest) {
                Some((file, line, msg)) => Finding {
                    file: Some(file),
                    line: Some(line),
                    message: format!("{kind}: {msg}"),
                },
                None => Finding {
                    file: None,
                    line: None,
                    message: format!("{kind}: {rest}"),
                },
            }
        })
        .collect()
}

/// Verible, Icarus: `file:line[:col]: message`; any other line is a finding
/// without a place (except Icarus's error-count summaries).
pub fn parse_located(out: &str) -> Vec<Finding> {
    out.lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .filter(|l| !(l.ends_with("error(s) during elaboration.") || l.ends_with("error(s) during parsing.")))
        .filter(|l| !l.starts_with("I give up."))
        .map(|l| match located(l) {
            Some((file, line, msg)) => Finding {
                file: Some(file),
                line: Some(line),
                message: msg,
            },
            None => Finding {
                file: None,
                line: None,
                message: l.to_string(),
            },
        })
        .collect()
}

/// Yosys (run with -q): every `Warning:` and `ERROR:` line; the place is the
/// first `file.v:line` in it.
pub fn parse_yosys(out: &str) -> Vec<Finding> {
    out.lines()
        .filter(|l| l.contains("Warning:") || l.contains("ERROR:"))
        .map(|l| {
            let place = l
                .split(|c: char| c.is_whitespace() || c == '`' || c == '\'')
                .find_map(|w| {
                    let w = w.trim_end_matches(['.', ',', ':', ')']);
                    let (f, n) = w.rsplit_once(':')?;
                    let f = f.rsplit_once(':').map_or(f, |(a, _)| a);
                    (f.ends_with(".v") || f.ends_with(".sv"))
                        .then_some((f.to_string(), n.parse::<u32>().ok()?))
                });
            // `file.v:7: ERROR: ...`: the place is shown once, in front.
            let message = match &place {
                Some((f, n)) => l.trim().trim_start_matches(&format!("{f}:{n}: ")).to_string(),
                None => l.trim().to_string(),
            };
            Finding {
                file: place.as_ref().map(|p| p.0.clone()),
                line: place.map(|p| p.1),
                message,
            }
        })
        .collect()
}

/// Status from a run: findings when there are any, crashed when the tool
/// failed without any (or was killed), else clean.
fn judge(run: &ToolRun, findings: Vec<Finding>, ok_codes: &[i32]) -> Status {
    match run.code {
        None => Status::Crashed(format!("killed by a signal\n{}", tools::tail(&run.output, 20))),
        Some(_) if !findings.is_empty() => Status::Findings(findings),
        Some(c) if ok_codes.contains(&c) => Status::Clean,
        Some(c) => Status::Crashed(format!("exit code {c}\n{}", tools::tail(&run.output, 20))),
    }
}

/// Reads a tool's output into findings.
type Parser = fn(&str) -> Vec<Finding>;

fn lint_one(tool: Tool, rtl: &RtlDir, top: &str, scratch: &Path) -> ToolResult {
    let files = rtl.files.clone();
    let top = top.to_string();
    let (args, parse): (Vec<String>, Parser) = match tool.name {
        "verilator" => (
            [
                vec!["--lint-only".into(), "-Wall".into(), "--top-module".into(), top],
                files,
            ]
            .concat(),
            parse_verilator,
        ),
        "verible" => (
            [
                vec![format!(
                    "--rules_config={}",
                    scratch.join("verible.rules").display()
                )],
                files,
            ]
            .concat(),
            parse_located,
        ),
        "iverilog" => (
            [
                vec![
                    "-g2005".into(),
                    "-o".into(),
                    scratch.join("lint.vvp").display().to_string(),
                    "-s".into(),
                    top,
                ],
                files,
            ]
            .concat(),
            parse_located,
        ),
        _ => {
            let script = format!(
                "read_verilog {}; hierarchy -check -top {top}; proc; check -assert",
                files.join(" ")
            );
            (vec!["-q".into(), "-p".into(), script], parse_yosys)
        }
    };
    match tools::run(&tool, &args, &rtl.dir) {
        Err(RunError::Missing(hint)) => ToolResult {
            tool,
            status: Status::Missing(hint),
            elapsed: Duration::ZERO,
        },
        Err(RunError::Failed(m)) => ToolResult {
            tool,
            status: Status::Crashed(m),
            elapsed: Duration::ZERO,
        },
        Ok(run) => ToolResult {
            tool,
            status: judge(&run, parse(&run.output), &[0]),
            elapsed: run.elapsed,
        },
    }
}

/// Lints `dir` with every tool (in parallel). `Err` when `dir` cannot be read.
pub fn lint_dir(dir: &Path) -> Result<(RtlDir, Vec<ToolResult>), Failure> {
    let rtl = RtlDir::open(dir)?;
    let top = rtl.top()?.to_string();
    let scratch = TempDir::new("lint")?;
    let rules = scratch.path().join("verible.rules");
    std::fs::write(&rules, VERIBLE_RULES).map_err(|e| Failure::io("write", &rules, e))?;
    let results = std::thread::scope(|s| {
        let handles: Vec<_> = [tools::VERILATOR, tools::VERIBLE, tools::IVERILOG, tools::YOSYS]
            .into_iter()
            .map(|t| {
                let (rtl, top, scratch) = (&rtl, top.as_str(), scratch.path());
                s.spawn(move || lint_one(t, rtl, top, scratch))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("lint thread"))
            .collect::<Vec<_>>()
    });
    Ok((rtl, results))
}

/// The exit code for `results`: 3 when a tool is missing or crashed, 1 on
/// findings, else 0.
pub fn exit_code(results: &[ToolResult]) -> u8 {
    if results
        .iter()
        .any(|r| matches!(r.status, Status::Missing(_) | Status::Crashed(_)))
    {
        exit::TOOL
    } else if results.iter().any(|r| matches!(r.status, Status::Findings(_))) {
        exit::FINDINGS
    } else {
        exit::OK
    }
}

/// The report: a table, then findings and problems.
pub fn render(rtl: &RtlDir, results: &[ToolResult], t: &Term) -> String {
    let mut out = format!(
        "{} {} ({} file{}, top {})\n",
        t.paint(Style::Bold, "lauberhorn lint:"),
        rtl.dir.display(),
        rtl.files.len(),
        if rtl.files.len() == 1 { "" } else { "s" },
        rtl.top.as_deref().unwrap_or("?")
    );
    let mut table = Table::new(&["tool", "status", "findings", "time"]);
    for r in results {
        let (status, n) = match &r.status {
            Status::Clean => (styled("ok", Style::Good), "0".to_string()),
            Status::Findings(f) => (styled("FINDINGS", Style::Bad), f.len().to_string()),
            Status::Missing(_) => (styled("MISSING", Style::Bad), "-".into()),
            Status::Crashed(_) => (styled("CRASHED", Style::Bad), "-".into()),
        };
        table.row(vec![
            r.tool.name.into(),
            status,
            n.into(),
            term::duration(r.elapsed).into(),
        ]);
    }
    out.push_str(&table.render(t));
    for r in results {
        match &r.status {
            Status::Findings(list) => {
                out.push_str(&format!("\n{} findings:\n", t.paint(Style::Bold, r.tool.name)));
                for f in list {
                    out.push_str(&format!("  {}: {}\n", f.place(), f.message));
                }
            }
            Status::Missing(hint) => {
                out.push_str(&format!(
                    "\n{} {}: {hint}\n",
                    t.paint(Style::Bad, "missing"),
                    r.tool.name
                ));
            }
            Status::Crashed(why) => {
                out.push_str(&format!(
                    "\n{} {} ({}):\n  {}\n",
                    t.paint(Style::Bad, "crashed"),
                    r.tool.name,
                    r.tool.program(),
                    why.replace('\n', "\n  ")
                ));
            }
            Status::Clean => {}
        }
    }
    out
}

/// `lauberhorn lint`.
pub fn run(args: &LintArgs) -> Outcome {
    let (rtl, results) = lint_dir(&args.dir)?;
    print!("{}", render(&rtl, &results, &Term::stdout()));
    Ok(exit_code(&results))
}
