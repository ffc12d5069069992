//! `lauberhorn generate`: the NIC's Verilog and everything that describes it.

use super::args::GenerateArgs;
use super::summary::Summary;
use super::term::{self, Style, Term};
use super::{c_header, core_file, exit, Failure, Outcome};
use crate::config::NicConfig;
use std::collections::BTreeSet;
use std::path::Path;
use std::time::Instant;

/// The file list's name.
pub const FILE_LIST: &str = "lauberhorn.f";
/// The JSON description's name.
pub const DESIGN_JSON: &str = "design.json";

/// One output file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutFile {
    /// File name (no directory).
    pub name: String,
    /// Contents.
    pub text: String,
}

/// Everything `generate` writes, in memory.
#[derive(Clone, Debug)]
pub struct Rendered {
    /// Every file: the Verilog files in dependency order (top last), then
    /// `lauberhorn.f`, `lauberhorn.core`, `lauberhorn_config.h`, `design.json`.
    pub files: Vec<OutFile>,
    /// The Verilog file names, in dependency order, top last.
    pub verilog: Vec<String>,
    /// What the design contains.
    pub summary: Summary,
    /// Elaboration warnings and notes about the register map.
    pub warnings: Vec<String>,
}

/// Elaborates the NIC for `cfg` and renders every output file.
pub fn render(cfg: &NicConfig) -> Result<Rendered, Failure> {
    let elab = crate::nic::elaborate(cfg)
        .map_err(|d| Failure::tool(format!("elaboration of the NIC failed (a generator bug):\n{d}")))?;
    render_elaborated(cfg, &elab)
}

/// Renders every output file of an elaborated design (the NIC, or any design
/// in tests) with the constants of `cfg`.
pub fn render_elaborated(cfg: &NicConfig, elab: &hdl::Elaborated) -> Result<Rendered, Failure> {
    let top = elab.top_name().to_string();
    let mut vfiles = elab.verilog_files(&hdl::VerilogOptions::default());
    // The file list promises the top last, whatever order the back end chose.
    if let Some(i) = vfiles.iter().position(|f| f.module == top) {
        let t = vfiles.remove(i);
        vfiles.push(t);
    }
    let verilog: Vec<String> = vfiles.iter().map(|f| f.file_name.clone()).collect();
    let desc = hdl::backend::json::describe(&elab.design);
    let header = c_header::render(cfg, &desc)
        .map_err(|e| Failure::tool(format!("the register map is invalid:\n  {}", e.join("\n  "))))?;
    let mut warnings: Vec<String> = elab.warnings.list.iter().map(|d| d.to_string()).collect();
    if let Ok(banks) = super::csr_map::banks(&desc) {
        for b in banks.iter().filter(|b| b.placement.is_none()) {
            warnings.push(format!(
                "CSR bank `{}` (module {}) is not placed by the top's csr_banks annotation; \
                 its header addresses are offsets within the bank",
                b.map.bank, b.module
            ));
        }
    }
    let mut files: Vec<OutFile> = vfiles
        .into_iter()
        .map(|f| OutFile {
            name: f.file_name,
            text: f.text,
        })
        .collect();
    files.push(OutFile {
        name: FILE_LIST.into(),
        text: verilog.iter().map(|v| format!("{v}\n")).collect(),
    });
    files.push(OutFile {
        name: core_file::FILE_NAME.into(),
        text: core_file::render(cfg, &verilog, &top, c_header::FILE_NAME),
    });
    files.push(OutFile {
        name: c_header::FILE_NAME.into(),
        text: header,
    });
    files.push(OutFile {
        name: DESIGN_JSON.into(),
        text: format!("{}\n", hdl::backend::json::to_json(&elab.design)),
    });
    Ok(Rendered {
        files,
        verilog,
        summary: Summary::of(&desc),
        warnings,
    })
}

/// What writing did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files created or changed.
    pub written: Vec<String>,
    /// Files already up to date (not touched, so their timestamps stay).
    pub unchanged: Vec<String>,
    /// Stale Verilog files removed (listed in the old file list, not written now).
    pub removed: Vec<String>,
}

/// The `.v` entries of `dir/lauberhorn.f` that are plain file names (nothing
/// with a path: those are not ours to delete).
pub fn listed_verilog(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join(FILE_LIST))
        .map(|t| {
            t.lines()
                .map(str::trim)
                .filter(|l| l.ends_with(".v") && !l.contains(['/', '\\']) && !l.starts_with('.'))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Writes `rendered` into `dir` (created when missing). Files with the same
/// content are left alone; `.v` files that the previous `lauberhorn.f` listed
/// and this run does not write are removed. Nothing else in `dir` is touched.
pub fn write(dir: &Path, rendered: &Rendered) -> Result<WriteReport, Failure> {
    std::fs::create_dir_all(dir).map_err(|e| Failure::io("create", dir, e))?;
    let old_list = listed_verilog(dir);
    let mut report = WriteReport::default();
    for f in &rendered.files {
        let path = dir.join(&f.name);
        if std::fs::read(&path).is_ok_and(|old| old == f.text.as_bytes()) {
            report.unchanged.push(f.name.clone());
            continue;
        }
        std::fs::write(&path, &f.text).map_err(|e| Failure::io("write", &path, e))?;
        report.written.push(f.name.clone());
    }
    let now: BTreeSet<&str> = rendered.verilog.iter().map(String::as_str).collect();
    for stale in old_list.iter().filter(|v| !now.contains(v.as_str())) {
        let path = dir.join(stale);
        if path.is_file() {
            std::fs::remove_file(&path).map_err(|e| Failure::io("remove", &path, e))?;
            report.removed.push(stale.clone());
        }
    }
    Ok(report)
}

/// `lauberhorn generate`.
pub fn run(args: &GenerateArgs) -> Outcome {
    let start = Instant::now();
    let (cfg, label) = args.config.load()?;
    let rendered = render(&cfg)?;
    let report = write(&args.out, &rendered)?;
    let elapsed = start.elapsed();

    let t = Term::stdout();
    let e = Term::stderr();
    for w in &rendered.warnings {
        eprintln!("{} {w}", e.paint(Style::Warn, "warning:"));
    }
    println!(
        "{} configuration {} -> {}",
        t.paint(Style::Bold, "lauberhorn generate:"),
        label,
        args.out.display()
    );
    print!("{}", rendered.summary.render(&t));
    println!(
        "  {}",
        t.paint(Style::Dim, "totals count every instance; the ports are the top's")
    );
    let mut files = format!(
        "{} files: {} written, {} unchanged",
        rendered.files.len(),
        report.written.len(),
        report.unchanged.len()
    );
    if !report.removed.is_empty() {
        files.push_str(&format!(
            ", {} stale removed ({})",
            report.removed.len(),
            report.removed.join(", ")
        ));
    }
    println!("  {files}");
    println!(
        "  {} {}",
        t.paint(Style::Good, "done in"),
        term::duration(elapsed)
    );
    Ok(exit::OK)
}
