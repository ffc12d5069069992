//! The command line (clap derive): every command, option, example and exit code.

use crate::config::{self, NicConfig};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

const EXIT_CODES: &str = "\
Exit codes:
  0  success (generated; lint-clean; identical)
  1  findings (lint) or differences (diff)
  2  usage or configuration error
  3  a tool is missing (run scripts/setup.sh) or crashed, or an internal error";

/// Generate, lint, diff and synthesise the Verilog of the Lauberhorn NIC.
#[derive(Parser, Debug)]
#[command(
    name = "lauberhorn",
    version,
    about = "Generate, lint, diff and synthesise the Verilog of the Lauberhorn NIC",
    long_about = "Generate, lint, diff and synthesise the Verilog of the Lauberhorn NIC.\n\n\
        Lauberhorn is a smart NIC on the Enzian cache-coherent CPU/FPGA machine. This tool \
        elaborates it for a configuration (a named preset or a TOML file), writes one Verilog \
        file per module with a file list, a FuseSoC core, a C header and a JSON description, \
        checks the result with Verilator, Verible, Icarus and Yosys, compares RTL directories, \
        and estimates FPGA resources with Yosys.",
    after_help = EXIT_CODES,
    after_long_help = concat!(
        "Examples:\n",
        "  lauberhorn generate --out rtl                 # the default (enzian) configuration\n",
        "  lauberhorn generate --config small --out /tmp/small\n",
        "  lauberhorn lint rtl\n",
        "  lauberhorn diff --check                       # is the committed rtl/ up to date?\n",
        "  lauberhorn synth rtl --json synth.json\n",
        "  lauberhorn config --config enzian > my.toml   # a commented configuration to edit\n\n",
        "Exit codes:\n",
        "  0  success (generated; lint-clean; identical)\n",
        "  1  findings (lint) or differences (diff)\n",
        "  2  usage or configuration error\n",
        "  3  a tool is missing (run scripts/setup.sh) or crashed, or an internal error"
    )
)]
pub struct Cli {
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Write the NIC's Verilog, file list, FuseSoC core, C header and JSON description.
    #[command(
        long_about = "Elaborate the NIC for a configuration and write, into DIR:\n\
            \n  <module>.v             one Verilog file per module\
            \n  lauberhorn.f           the files in dependency order, top last (paths relative to it: use -F)\
            \n  lauberhorn.core        a FuseSoC CAPI=2 core (targets default and lint)\
            \n  lauberhorn_config.h    the configuration constants and the CSR register map, for C\
            \n  design.json            the JSON description (ports, registers, memories, annotations)\
            \n\nOutput is deterministic; files whose content did not change are not rewritten. \
            Verilog files listed in the previous lauberhorn.f that this run does not write are \
            removed; no other file in DIR is touched. Prints a summary and the elapsed time.",
        after_long_help = concat!(
            "Examples:\n",
            "  lauberhorn generate --out rtl\n",
            "  lauberhorn generate --config small --out build/small\n",
            "  lauberhorn generate --config-file my.toml --out build/my\n\n",
            "Exit codes: 0 written; 2 bad configuration or unwritable DIR; 3 internal error."
        )
    )]
    Generate(GenerateArgs),
    /// Lint every Verilog file of a directory with Verilator, Verible, Icarus and Yosys.
    #[command(
        long_about = "Run, on every .v file of DIR (in the order of DIR/lauberhorn.f when present, \
            whose last file is the top):\n\
            \n  verilator --lint-only -Wall          zero warnings\
            \n  verible-verilog-lint                 rules of .rules.verible_lint (see its comments)\
            \n  iverilog -g2005\
            \n  yosys                                read_verilog; hierarchy -check -top; proc; check -assert\
            \n\nPrints one table (tool, status, findings) and every finding with file:line. \
            A missing tool is a failure with the install hint, never a silent skip.",
        after_long_help = concat!(
            "Examples:\n",
            "  lauberhorn lint rtl\n",
            "  lauberhorn lint build/small\n\n",
            "Exit codes: 0 clean; 1 findings; 2 DIR unreadable or without Verilog; 3 a tool missing or crashed."
        )
    )]
    Lint(LintArgs),
    /// Compare two RTL directories structurally, or check the committed RTL (--check).
    #[command(
        long_about = "Compare two RTL directories: modules added and removed, ports changed per \
            module (name, direction, width), line counts per module, and a unified diff of every \
            changed file.\n\n\
            With --check, regenerate the configuration into a temporary directory and compare \
            the committed RTL (--rtl, default rtl/) with it: the test that rtl/ is up to date.",
        after_long_help = concat!(
            "Examples:\n",
            "  lauberhorn diff old_rtl rtl\n",
            "  lauberhorn diff --check\n",
            "  lauberhorn diff --check --config small --rtl build/small\n\n",
            "Exit codes: 0 identical; 1 different; 2 usage error or unreadable directory; 3 internal error."
        )
    )]
    Diff(DiffArgs),
    /// Synthesise every module with Yosys for UltraScale+ and report resources and LUT depth.
    #[command(
        long_about = "Synthesise each module with Yosys (synth_xilinx -family xcup -flatten \
            -noiopad -noclkbuf: out of context, as top with its children, flattened) and report \
            LUT, LUTRAM, SRL, FF, CARRY8, BRAM (RAMB36 equivalents: a RAMB18 counts 0.5), URAM and \
            DSP counts, and the logic depth: the longest combinational path between flip-flops, \
            memories and ports, counted in cells (each LUT, MUXF7/8/9 and each CARRY8 of a chain \
            is one level; LUTRAM and SRL reads are one level). Yosys 0.23 maps carry chains to \
            CARRY4 even for UltraScale+; two CARRY4 of a chain count as one CARRY8, as Vivado \
            packs them.\n\n\
            The RTL comes from DIR (its lauberhorn.f gives the order), or is generated for the \
            configuration (default: enzian). Modules run in parallel, up to the number of cores; \
            a progress display shows on a terminal.",
        after_long_help = concat!(
            "Examples:\n",
            "  lauberhorn synth                         # generate enzian and synthesise every module\n",
            "  lauberhorn synth rtl --module lauberhorn_top --json synth.json\n",
            "  lauberhorn synth --config small\n\n",
            "Exit codes: 0 synthesised; 2 usage or configuration error; 3 yosys missing or failed."
        )
    )]
    Synth(SynthArgs),
    /// Print a configuration as commented TOML (a starting point for --config-file).
    #[command(
        long_about = "Print a configuration (a preset, or a file resolved on its base preset) as \
            complete, commented TOML: every field with its documentation. configs/*.toml in the \
            repository are made this way.",
        after_long_help = concat!(
            "Examples:\n",
            "  lauberhorn config                      # the enzian preset\n",
            "  lauberhorn config --config small > small.toml\n",
            "  lauberhorn config --config-file my.toml # check a file and show the result\n\n",
            "Exit codes: 0 printed; 2 unknown preset or bad configuration file."
        )
    )]
    Config(ConfigCmdArgs),
}

/// Which configuration: a preset or a file.
#[derive(Args, Debug, Clone, Default)]
pub struct ConfigArgs {
    /// A named preset: enzian (the default; 512-bit datapath, 100G CMAC) or small (fast tests).
    #[arg(long, value_name = "NAME", conflicts_with = "config_file")]
    pub config: Option<String>,
    /// A TOML file overriding any subset of a preset (its `base` key; default enzian).
    #[arg(long, value_name = "FILE.toml")]
    pub config_file: Option<PathBuf>,
}

impl ConfigArgs {
    /// The configuration and a label for messages (`enzian`, `my.toml`).
    pub fn load(&self) -> Result<(NicConfig, String), super::Failure> {
        let (cfg, label) = match (&self.config, &self.config_file) {
            (_, Some(path)) => (config::from_file(path), path.display().to_string()),
            (Some(name), None) => (config::from_name(name), name.clone()),
            (None, None) => (Ok(config::presets::enzian()), "enzian".to_string()),
        };
        cfg.map(|c| (c, label))
            .map_err(|e| super::Failure::usage(e.to_string()))
    }
}

/// `lauberhorn generate`.
#[derive(Args, Debug, Clone)]
pub struct GenerateArgs {
    /// The configuration.
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Output directory (created when missing).
    #[arg(long, short, value_name = "DIR")]
    pub out: PathBuf,
}

/// `lauberhorn lint`.
#[derive(Args, Debug, Clone)]
pub struct LintArgs {
    /// Directory with the Verilog files (and optionally lauberhorn.f).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

/// `lauberhorn diff`.
#[derive(Args, Debug, Clone)]
pub struct DiffArgs {
    /// The old RTL directory.
    #[arg(value_name = "OLD", required_unless_present = "check")]
    pub old: Option<PathBuf>,
    /// The new RTL directory.
    #[arg(value_name = "NEW", required_unless_present = "check")]
    pub new: Option<PathBuf>,
    /// Regenerate the configuration and compare the committed RTL (--rtl) with it.
    #[arg(long, conflicts_with_all = ["old", "new"])]
    pub check: bool,
    /// The configuration (with --check).
    #[command(flatten)]
    pub config: ConfigArgs,
    /// The committed RTL directory (with --check).
    #[arg(long, value_name = "DIR", default_value = "rtl", requires = "check")]
    pub rtl: PathBuf,
}

/// `lauberhorn synth`.
#[derive(Args, Debug, Clone)]
pub struct SynthArgs {
    /// RTL directory to synthesise; without it, the configuration is generated first.
    #[arg(value_name = "DIR", conflicts_with_all = ["config", "config_file"])]
    pub dir: Option<PathBuf>,
    /// The configuration (when no DIR is given).
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Also write the results as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Synthesise only this module (with its children).
    #[arg(long, value_name = "NAME")]
    pub module: Option<String>,
    /// Let Yosys map large memories to UltraRAM (synth_xilinx -uram).
    #[arg(long)]
    pub uram: bool,
    /// Also list the N deepest end points of each module (registers, memory
    /// inputs, ports; a bus counts once), each with its deepest path.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub paths: usize,
    /// Parallel Yosys runs (default: the number of cores).
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,
}

/// `lauberhorn config`.
#[derive(Args, Debug, Clone)]
pub struct ConfigCmdArgs {
    /// The configuration.
    #[command(flatten)]
    pub config: ConfigArgs,
}
