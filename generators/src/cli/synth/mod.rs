//! `lauberhorn synth`: Yosys `synth_xilinx -family xcup` per module, with
//! resource counts ([`cells`]) and a logic-depth estimate ([`depth`]) computed
//! from the mapped netlist ([`netlist`]).
//!
//! Each module is synthesised as the top of its own run, with its children,
//! flattened and out of context (`-flatten -noiopad -noclkbuf`): the counts of
//! a parent include its children. Runs go in parallel, up to the number of
//! cores; on a terminal a spinner per run shows the module and the time.
//! Works with Yosys 0.23 (Debian 12).

pub mod carry;
pub mod cells;
pub mod depth;
pub mod netlist;

use super::args::SynthArgs;
use super::rtl_dir::RtlDir;
use super::term::{self, styled, Style, Table, Term};
use super::tools::{self, RunError, TempDir};
use super::{exit, generate, Failure, Outcome};
use cells::Resources;
use depth::{Depth, EndPath};
use serde::Serialize;
use std::io::IsTerminal;
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

/// One module's result.
#[derive(Clone, Debug, Serialize)]
pub struct ModuleResult {
    /// Module name.
    pub module: String,
    /// Resources.
    pub resources: Resources,
    /// Logic depth.
    pub depth: Depth,
    /// The deepest end points, deepest first (`--paths`; empty without).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<EndPath>,
    /// Yosys wall time in seconds.
    pub seconds: f64,
}

/// The whole report (also the `--json` output).
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// Yosys version (the netlist's `creator`).
    pub yosys: String,
    /// The synthesis command, without `-top`.
    pub command: String,
    /// Per module, in the order given.
    pub modules: Vec<ModuleResult>,
}

/// The Yosys synthesis command used for each module, with `options`
/// (further `synth_xilinx` options such as `-uram` or `-nowidelut`) appended.
pub fn synth_command(options: &str) -> String {
    let mut c = String::from("synth_xilinx -family xcup -flatten -noiopad -noclkbuf");
    if !options.trim().is_empty() {
        c.push(' ');
        c.push_str(options.trim());
    }
    c
}

/// Synthesises `module` (with its children) from `rtl` with the further
/// `synth_xilinx` `options`, and lists its `paths` deepest end points; `work`
/// holds the netlist and the log.
pub fn synth_module(
    rtl: &RtlDir,
    module: &str,
    options: &str,
    paths: usize,
    work: &Path,
) -> Result<(ModuleResult, String), Failure> {
    let json = work.join(format!("{module}.json"));
    let log = work.join(format!("{module}.log"));
    let script = format!(
        "read_verilog {}; {} -top {module}; hierarchy -top {module} -purge_lib; write_json {}",
        rtl.files.join(" "),
        synth_command(options),
        json.display()
    );
    let args = vec![
        "-q".to_string(),
        "-l".to_string(),
        log.display().to_string(),
        "-p".to_string(),
        script,
    ];
    let run = tools::run(&tools::YOSYS, &args, &rtl.dir).map_err(|e| match e {
        RunError::Missing(m) | RunError::Failed(m) => Failure::tool(m),
    })?;
    if run.code != Some(0) {
        let text = std::fs::read_to_string(&log).unwrap_or(run.output);
        return Err(Failure::tool(format!(
            "yosys failed on module {module} ({}):\n{}",
            run.code
                .map_or("killed by a signal".into(), |c| format!("exit code {c}")),
            tools::tail(&text, 15)
        )));
    }
    let text = std::fs::read_to_string(&json).map_err(|e| Failure::io("read", &json, e))?;
    let net = netlist::Netlist::from_json(&text).map_err(Failure::tool)?;
    let resources = cells::count(&net, module);
    let (depth, paths) = depth::analyse(&net, module, paths).map_err(Failure::tool)?;
    Ok((
        ModuleResult {
            module: module.to_string(),
            resources,
            depth,
            paths,
            seconds: run.elapsed.as_secs_f64(),
        },
        net.creator,
    ))
}

/// One module's result and the Yosys version that produced it.
pub type RunResult = Result<(ModuleResult, String), Failure>;

/// Synthesises `modules` of `rtl` on up to `jobs` threads, with a progress
/// display when `progress` is set (see [`synth_module`] for `paths`).
pub fn synth_all(
    rtl: &RtlDir,
    modules: &[String],
    options: &str,
    paths: usize,
    jobs: usize,
    progress: bool,
) -> Result<Report, Failure> {
    use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
    let work = TempDir::new("synth")?;
    let multi = MultiProgress::with_draw_target(if progress {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    });
    let overall = multi.add(ProgressBar::new(modules.len() as u64));
    overall.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} modules  {elapsed}").expect("valid template"),
    );
    let next = Mutex::new(0usize);
    let results: Mutex<Vec<Option<RunResult>>> = Mutex::new(vec![None; modules.len()]);
    std::thread::scope(|s| {
        for _ in 0..jobs.clamp(1, modules.len().max(1)) {
            s.spawn(|| loop {
                let i = {
                    let mut n = next.lock().expect("lock");
                    let i = *n;
                    *n += 1;
                    i
                };
                let Some(module) = modules.get(i) else {
                    break;
                };
                let spinner = multi.insert_before(&overall, ProgressBar::new_spinner());
                spinner.set_style(
                    ProgressStyle::with_template("{spinner} yosys {msg}  {elapsed}").expect("valid template"),
                );
                spinner.set_message(module.clone());
                spinner.enable_steady_tick(Duration::from_millis(120));
                let r = synth_module(rtl, module, options, paths, work.path());
                spinner.finish_and_clear();
                multi.remove(&spinner);
                overall.inc(1);
                results.lock().expect("lock")[i] = Some(r);
            });
        }
    });
    overall.finish_and_clear();
    let mut out = Report {
        yosys: String::new(),
        command: synth_command(options),
        modules: Vec::new(),
    };
    let mut failures = Vec::new();
    for r in results.into_inner().expect("lock").into_iter().flatten() {
        match r {
            Ok((m, creator)) => {
                out.yosys = creator;
                out.modules.push(m);
            }
            Err(f) => failures.push(f.message),
        }
    }
    if failures.is_empty() {
        Ok(out)
    } else {
        Err(Failure::tool(failures.join("\n\n")))
    }
}

/// Synthesises `modules` of an elaborated design (every module of it when
/// `modules` is empty) on all cores, without progress display: for benches
/// and tests that report resources of blocks they elaborate themselves.
pub fn synth_elaborated(
    design: &hdl::Elaborated,
    modules: &[&str],
    options: &str,
) -> Result<Report, Failure> {
    let dir = TempDir::new("synth-elaborated")?;
    for f in design.verilog_files(&hdl::VerilogOptions::default()) {
        let path = dir.path().join(&f.file_name);
        std::fs::write(&path, &f.text).map_err(|e| Failure::io("write", &path, e))?;
    }
    let rtl = RtlDir::open(dir.path())?;
    let modules: Vec<String> = if modules.is_empty() {
        rtl.hierarchy(design.top_name())
    } else {
        modules.iter().map(|m| m.to_string()).collect()
    };
    let jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
    synth_all(&rtl, &modules, options, 0, jobs, false)
}

/// The report as a table with the deepest path of each module.
pub fn render(report: &Report, source: &str, t: &Term) -> String {
    let mut out = format!(
        "{} {source}\n  {} ({}); each module synthesised as top with its children, flattened, out of context\n",
        t.paint(Style::Bold, "lauberhorn synth:"),
        report.command,
        report.yosys.split(" (").next().unwrap_or(&report.yosys)
    );
    let mut table = Table::new(&[
        "module",
        "LUT",
        "LUTRAM",
        "SRL",
        "FF",
        "CARRY8",
        "BRAM36",
        "URAM",
        "DSP",
        "depth",
        "LUT levels",
        "time",
    ]);
    for m in &report.modules {
        let r = &m.resources;
        table.row(vec![
            m.module.clone().into(),
            r.lut.into(),
            r.lutram_luts.into(),
            r.srl.into(),
            r.ff.into(),
            r.carry8.into(),
            format!("{}", r.bram36).into(),
            r.uram.into(),
            r.dsp.into(),
            styled(m.depth.levels, Style::Bold),
            m.depth.lut_levels.into(),
            term::duration(Duration::from_secs_f64(m.seconds)).into(),
        ]);
    }
    out.push_str(&table.render(t));
    out.push_str(&format!(
        "  {}\n",
        t.paint(
            Style::Dim,
            "LUTRAM in LUTs; CARRY8 counts two CARRY4 of a chain as one; BRAM36 in RAMB36 \
             equivalents (RAMB18 = 0.5);\n  depth in cell levels (LUT, MUXF, each CARRY8 of a chain) \
             between registers, memories and ports;\n  LUT levels: LUTs only, on the path with \
             the most of them"
        )
    ));
    out.push_str("deepest paths:\n");
    for m in &report.modules {
        out.push_str(&format!(
            "  {}: {} levels, {} -> {}\n",
            m.module, m.depth.levels, m.depth.from, m.depth.to
        ));
        if (&m.depth.lut_from, &m.depth.lut_to) != (&m.depth.from, &m.depth.to) {
            out.push_str(&format!(
                "    most LUTs: {} levels, {} -> {}\n",
                m.depth.lut_levels, m.depth.lut_from, m.depth.lut_to
            ));
        }
        for p in &m.paths {
            out.push_str(&format!("    {:>3} levels  {} -> {}\n", p.levels, p.from, p.to));
        }
        let r = &m.resources;
        if r.latch > 0 {
            out.push_str(&format!(
                "    {} {} latches\n",
                t.paint(Style::Warn, "warning:"),
                r.latch
            ));
        }
        if m.depth.loops > 0 {
            out.push_str(&format!(
                "    {} {} combinational loops cut\n",
                t.paint(Style::Warn, "warning:"),
                m.depth.loops
            ));
        }
        if !r.other.is_empty() {
            let list: Vec<String> = r.other.iter().map(|(k, v)| format!("{k} x{v}")).collect();
            out.push_str(&format!("    other cells: {}\n", list.join(", ")));
        }
    }
    out
}

/// `lauberhorn synth`.
pub fn run(args: &SynthArgs) -> Outcome {
    let scratch;
    let (dir, source) = match &args.dir {
        Some(d) => (d.clone(), d.display().to_string()),
        None => {
            let (cfg, label) = args.config.load()?;
            let rendered = generate::render(&cfg)?;
            scratch = TempDir::new("synth-rtl")?;
            generate::write(scratch.path(), &rendered)?;
            (
                scratch.path().to_path_buf(),
                format!("configuration {label} (generated)"),
            )
        }
    };
    let rtl = RtlDir::open(&dir)?;
    let modules: Vec<String> = match &args.module {
        Some(m) => {
            if !rtl.modules.iter().any(|(_, h)| &h.name == m) {
                let names: Vec<&str> = rtl.modules.iter().map(|(_, h)| h.name.as_str()).collect();
                return Err(Failure::usage(format!(
                    "no module {m} in {source}; modules: {}",
                    names.join(", ")
                )));
            }
            vec![m.clone()]
        }
        None => rtl.hierarchy(rtl.top()?),
    };
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let options = if args.uram { "-uram" } else { "" };
    let report = synth_all(
        &rtl,
        &modules,
        options,
        args.paths,
        jobs,
        std::io::stderr().is_terminal(),
    )?;
    print!("{}", render(&report, &source, &Term::stdout()));
    if let Some(path) = &args.json {
        let text = serde_json::to_string_pretty(&report).expect("serialisable");
        std::fs::write(path, format!("{text}\n")).map_err(|e| Failure::io("write", path, e))?;
        println!("  JSON written to {}", path.display());
    }
    Ok(exit::OK)
}
