//! `lauberhorn generate`: the files it writes, determinism, the C header
//! (compiled by the system C compiler), and configuration errors.

mod support;

use generators::cli::generate::render_elaborated;
use generators::config::presets;
use hdl::prelude::*;
use std::path::Path;
use std::process::Command;
use support::{arg, generate, lauberhorn, scratch};

/// Module names declared in the `.v` files of `dir` (read with a plain text
/// search, independent of the tool's own Verilog reader).
fn declared_modules(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let name = e.file_name().into_string().unwrap();
        if !name.ends_with(".v") {
            continue;
        }
        for line in std::fs::read_to_string(e.path()).unwrap().lines() {
            if let Some(rest) = line.strip_prefix("module ") {
                let m = rest.split([' ', '(', '#']).next().unwrap().to_string();
                out.push((name.clone(), m));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn writes_one_file_per_module_a_file_list_a_core_a_header_and_json() {
    let dir = scratch("generate_files");
    let r = generate("small", &dir);
    let modules = declared_modules(&dir);
    assert!(modules.len() >= 3, "{modules:?}");
    // One module per file, named after it.
    for (file, module) in &modules {
        assert_eq!(file, &format!("{module}.v"));
    }
    // The file list names every Verilog file once, the top last.
    let list = std::fs::read_to_string(dir.join("lauberhorn.f")).unwrap();
    let listed: Vec<&str> = list.lines().collect();
    let mut sorted = listed.clone();
    sorted.sort();
    let files: Vec<&str> = modules.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(sorted, files);
    assert_eq!(listed.last(), Some(&"lauberhorn_top.v"));
    // Dependency order: every module is listed after the modules it instantiates.
    for (i, f) in listed.iter().enumerate() {
        let text = std::fs::read_to_string(dir.join(f)).unwrap();
        for (_, child) in &modules {
            if text.contains(&format!("  {child} u_")) {
                let j = listed.iter().position(|x| *x == format!("{child}.v")).unwrap();
                assert!(j < i, "{child} must come before {f}");
            }
        }
    }
    // The FuseSoC core lists every file and the top.
    let core = std::fs::read_to_string(dir.join("lauberhorn.core")).unwrap();
    assert!(core.starts_with("CAPI=2:\n"));
    for f in &files {
        assert!(
            core.contains(&format!("      - {f}\n")),
            "{f} missing from the core:\n{core}"
        );
    }
    assert!(core.contains("toplevel: lauberhorn_top"));
    assert!(core.contains("lauberhorn_config.h: {is_include_file: true}"));
    // design.json describes the same modules.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("design.json")).unwrap()).unwrap();
    let mut in_json: Vec<String> = json["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap().to_string())
        .collect();
    in_json.sort();
    let mut names: Vec<String> = modules.iter().map(|(_, m)| m.clone()).collect();
    names.sort();
    assert_eq!(in_json, names);
    assert_eq!(json["top"], "lauberhorn_top");
    // The configuration is recorded on the top.
    let top = json["modules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "lauberhorn_top")
        .unwrap();
    assert_eq!(top["annotations"]["nic_config"]["datapath"]["bytes"], 8);
    // The summary: a row per module, the totals, the file count and the time.
    for (_, m) in &modules {
        assert!(r.stdout.contains(m.as_str()), "{}", r.stdout);
    }
    assert!(r.stdout.contains("total (each instance)"), "{}", r.stdout);
    // Every Verilog file plus the file list, the core, the header and the JSON.
    let n = modules.len() + 4;
    assert!(
        r.stdout.contains(&format!("{n} files: {n} written")),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("done in "), "{}", r.stdout);
}

#[test]
fn the_configuration_shapes_the_hardware() {
    let (big, small) = (scratch("generate_shape_enzian"), scratch("generate_shape_small"));
    generate("enzian", &big);
    generate("small", &small);
    // The MAC kind picks the port (CMAC at 512 bits, XGMII at 64), the datapath
    // width every stream block, tables.neighbours the neighbour table and
    // tables.services the listen table.
    for f in [
        "mac_port_cmac_512.v",
        "net_rx_512_l16_b19236_a4.v",
        "neighbour_table_e8_l2.v",
    ] {
        assert!(big.join(f).is_file(), "{f}");
    }
    for f in [
        "mac_port_xgmii_64.v",
        "eth_mac_10g_64.v",
        "neighbour_table_e4_l2.v",
    ] {
        assert!(small.join(f).is_file(), "{f}");
    }
    assert!(!big.join("eth_mac_10g_64.v").exists());
    let top = std::fs::read_to_string(big.join("lauberhorn_top.v")).unwrap();
    for port in [
        "input  wire         mac_rx_clk",
        "input  wire [511:0] rx_axis_tdata",
        "output wire [63:0]  m_axis_rpc_tkeep",
    ] {
        assert!(top.contains(port), "{port} missing:\n{top}");
    }
    let top = std::fs::read_to_string(small.join("lauberhorn_top.v")).unwrap();
    assert!(top.contains("input  wire [63:0] xgmii_rxd"), "{top}");
}

#[test]
fn output_is_deterministic_and_unchanged_files_are_not_rewritten() {
    let (a, b) = (scratch("generate_det_a"), scratch("generate_det_b"));
    generate("small", &a);
    generate("small", &b);
    for e in std::fs::read_dir(&a).unwrap().flatten() {
        let other = std::fs::read(b.join(e.file_name())).unwrap();
        assert_eq!(
            std::fs::read(e.path()).unwrap(),
            other,
            "{:?} differs",
            e.file_name()
        );
    }
    let stamp = std::fs::metadata(a.join("lauberhorn_top.v"))
        .unwrap()
        .modified()
        .unwrap();
    let again = generate("small", &a);
    let files = std::fs::read_dir(&a).unwrap().count();
    assert!(
        again.stdout.contains(&format!("0 written, {files} unchanged")),
        "{}",
        again.stdout
    );
    let after = std::fs::metadata(a.join("lauberhorn_top.v"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(stamp, after);
}

#[test]
fn stale_verilog_from_the_old_file_list_goes_and_user_files_stay() {
    let dir = scratch("generate_stale");
    generate("enzian", &dir);
    let listed = |d: &Path| -> std::collections::BTreeSet<String> {
        let f = std::fs::read_to_string(d.join("lauberhorn.f")).unwrap();
        f.lines().map(str::to_string).collect()
    };
    let old = listed(&dir);
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    std::fs::write(dir.join("my_block.v"), "module my_block; endmodule\n").unwrap();
    let r = generate("small", &dir);
    assert!(!dir.join("mac_port_cmac_512.v").exists());
    assert!(!dir.join("neighbour_table_e8_l2.v").exists());
    assert!(dir.join("mac_port_xgmii_64.v").is_file());
    assert!(dir.join("notes.txt").is_file() && dir.join("my_block.v").is_file());
    // Every file of the old list that the new one lacks, counted from the
    // two file lists.
    let stale = old.difference(&listed(&dir)).count();
    assert!(stale > 0);
    assert!(
        r.stdout.contains(&format!("{stale} stale removed")),
        "{}",
        r.stdout
    );
}

/// Compiles `main` (which includes the header) with `cc -std=c11 -Wall -Werror`.
fn compile_c(dir: &Path, main: &str) {
    let c = dir.join("check_header.c");
    std::fs::write(&c, main).unwrap();
    let out = Command::new("cc")
        .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-c", "-o"])
        .arg(dir.join("check_header.o"))
        .arg("-I")
        .arg(dir)
        .arg(&c)
        .output()
        .expect("run cc");
    assert!(
        out.status.success(),
        "cc failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_c_header_compiles_and_holds_the_configuration() {
    let dir = scratch("generate_header");
    generate("small", &dir);
    // Values from the `small` preset's definition (8-byte datapath, 10G XGMII
    // at 156.25 MHz, 1518-byte frames, 2 workers).
    compile_c(
        &dir,
        "#include \"lauberhorn_config.h\"\n\
         #include \"lauberhorn_config.h\" /* twice: the include guard works */\n\
         _Static_assert(LAUBERHORN_DATAPATH_BYTES == 8u, \"bytes\");\n\
         _Static_assert(LAUBERHORN_DATAPATH_CORE_CLOCK_HZ == 250000000u, \"core clock\");\n\
         _Static_assert(LAUBERHORN_MAC_CLOCK_HZ == 156250000u, \"mac clock\");\n\
         _Static_assert(LAUBERHORN_MAC_KIND == LAUBERHORN_MAC_KIND_XGMII, \"kind\");\n\
         _Static_assert(LAUBERHORN_MAC_MTU == 1518u, \"mtu\");\n\
         _Static_assert(LAUBERHORN_HOST_WORKER_CORES == 2u, \"workers\");\n\
         int lauberhorn_header_used(void) { return (int)LAUBERHORN_TABLES_NEIGHBOURS; }\n",
    );
    let enzian = scratch("generate_header_enzian");
    generate("enzian", &enzian);
    compile_c(
        &enzian,
        "#include \"lauberhorn_config.h\"\n\
         _Static_assert(LAUBERHORN_DATAPATH_BYTES == 64u, \"bytes\");\n\
         _Static_assert(LAUBERHORN_MAC_CLOCK_HZ == 322265625u, \"cmac clock\");\n\
         _Static_assert(LAUBERHORN_MAC_KIND == LAUBERHORN_MAC_KIND_CMAC, \"kind\");\n\
         _Static_assert(LAUBERHORN_RPC_INLINE_ARG_BYTES == 48u, \"inline\");\n\
         _Static_assert(LAUBERHORN_TABLES_THREADS == 64u, \"threads\");\n\
         int lauberhorn_header_used(void) { return (int)LAUBERHORN_HOST_CACHE_LINE_BYTES; }\n",
    );
}

bundle! {
    /// A register bank stand-in: one input, one output.
    struct BankIo {
        #[input]
        x: Bool,
        y: Bool,
    }
}

/// A module carrying a `csr_map` annotation as the CSR bank will.
#[derive(Debug)]
struct FakeBank {
    map: serde_json::Value,
}

impl Component for FakeBank {
    type Io = BankIo;
    fn name(&self) -> String {
        "fake_csr_bank".into()
    }
    fn io(&self) -> BankIo {
        BankIo {
            x: Bool::ty(),
            y: Bool::ty(),
        }
    }
    fn build(&self, io: &BankIo) {
        hdl::dsl::annotate("csr_map", self.map.clone());
        io.y.set(io.x);
    }
}

/// A top placing the bank with a `csr_banks` annotation.
#[derive(Debug)]
struct BankTop {
    map: serde_json::Value,
    banks: serde_json::Value,
}

impl Component for BankTop {
    type Io = BankIo;
    fn name(&self) -> String {
        "bank_top".into()
    }
    fn io(&self) -> BankIo {
        BankIo {
            x: Bool::ty(),
            y: Bool::ty(),
        }
    }
    fn build(&self, io: &BankIo) {
        hdl::dsl::annotate("csr_banks", self.banks.clone());
        let b = instance(
            "u_csr",
            &FakeBank {
                map: self.map.clone(),
            },
        );
        b.io.x.set(io.x);
        io.y.set(b.io.y);
    }
}

fn nic_csr_map() -> serde_json::Value {
    serde_json::json!({
        "bank": "nic_csr",
        "address_width": 12,
        "data_width": 32,
        "registers": [
            {"name": "mac_addr_lo", "offset": 0, "access": "rw", "reset": 0,
             "doc": "Our MAC address, bytes 2..5 (network order, byte 2 in bits 31..24) */ not a comment end"},
            {"name": "ctrl", "offset": 8, "access": "rw", "reset": 17, "doc": "Control",
             "fields": [
                 {"name": "enable", "lsb": 0, "width": 1, "doc": "Receive enable"},
                 {"name": "mode", "lsb": 4, "width": 3, "doc": "Mode"},
                 {"name": "all_high", "lsb": 16, "width": 16}
             ]},
            {"name": "rx_frames_lo", "offset": 16, "access": "ro", "reset": 0, "doc": "Frames received, low half"},
            {"name": "rx_frames_hi", "offset": 20, "access": "ro", "reset": 0, "doc": "Frames received, high half"},
            {"name": "irq", "offset": 24, "access": "w1c", "reset": 4294967295u32}
        ]
    })
}

#[test]
fn the_register_map_becomes_c_macros_at_the_banks_base() {
    let top = BankTop {
        map: nic_csr_map(),
        banks: serde_json::json!([{"bank": "nic_csr", "instance": "u_csr", "base": 4096}]),
    };
    let elab = hdl::elaborate(&top).unwrap_or_else(|d| panic!("{d}"));
    let r = render_elaborated(&presets::small(), &elab).unwrap();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let header = &r
        .files
        .iter()
        .find(|f| f.name == "lauberhorn_config.h")
        .unwrap()
        .text;
    let dir = scratch("generate_csr_header");
    std::fs::write(dir.join("lauberhorn_config.h"), header).unwrap();
    // Addresses, resets and field macros worked out by hand from CSR_FORMAT.md.
    compile_c(
        &dir,
        "#include \"lauberhorn_config.h\"\n\
         _Static_assert(LAUBERHORN_NIC_CSR_BASE == 0x1000u, \"base\");\n\
         _Static_assert(LAUBERHORN_NIC_CSR_MAC_ADDR_LO == 0x1000u, \"reg 0\");\n\
         _Static_assert(LAUBERHORN_NIC_CSR_CTRL == 0x1008u, \"ctrl\");\n\
         _Static_assert(LAUBERHORN_NIC_CSR_CTRL_RESET == 0x11u, \"ctrl reset\");\n\
         _Static_assert(LAUBERHORN_NIC_CSR_CTRL_ENABLE_LSB == 0u, \"lsb\");\n\
         _Static_assert(LAUBERHORN_NIC_CSR_CTRL_ENABLE_MASK == 0x1u, \"mask\");\n\
         _Static_assert(LAUBERHORN_NIC_CSR_CTRL_MODE_LSB == 4u, \"mode lsb\");\n\
         _Static_assert(LAUBERHORN_NIC_CSR_CTRL_MODE_WIDTH == 3u, \"mode width\");\n\
         _Static_assert(LAUBERHORN_NIC_CSR_CTRL_MODE_MASK == 0x70u, \"mode mask\");\n\
         _Static_assert(LAUBERHORN_NIC_CSR_CTRL_ALL_HIGH_MASK == 0xFFFF0000u, \"high mask\");\n\
         _Static_assert(LAUBERHORN_NIC_CSR_RX_FRAMES_HI == 0x1014u, \"hi\");\n\
         _Static_assert(LAUBERHORN_NIC_CSR_IRQ == 0x1018u, \"irq\");\n\
         _Static_assert(LAUBERHORN_NIC_CSR_IRQ_RESET == 0xFFFFFFFFu, \"irq reset\");\n\
         int lauberhorn_header_used(void) { return (int)LAUBERHORN_NIC_CSR_CTRL; }\n",
    );
    assert!(header.contains("/* mode: Mode */"), "{header}");
    assert!(header.contains("(rw)"), "{header}");
}

#[test]
fn an_unplaced_bank_is_written_relative_with_a_warning() {
    let top = BankTop {
        map: nic_csr_map(),
        banks: serde_json::json!([]),
    };
    let elab = hdl::elaborate(&top).unwrap_or_else(|d| panic!("{d}"));
    let r = render_elaborated(&presets::small(), &elab).unwrap();
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert!(r.warnings[0].contains("nic_csr"));
    let header = &r
        .files
        .iter()
        .find(|f| f.name == "lauberhorn_config.h")
        .unwrap()
        .text;
    assert!(
        header.contains("#define LAUBERHORN_NIC_CSR_CTRL 0x00000008u"),
        "{header}"
    );
}

#[test]
fn bad_register_maps_report_every_problem() {
    let mut map = nic_csr_map();
    let regs = map["registers"].as_array_mut().unwrap();
    regs.push(serde_json::json!({"name": "ctrl", "offset": 8, "access": "rw", "reset": 0}));
    regs.push(serde_json::json!({"name": "odd", "offset": 6, "access": "ro", "reset": 0}));
    regs.push(serde_json::json!({"name": "far", "offset": 8192, "access": "ro", "reset": 0}));
    regs.push(
        serde_json::json!({"name": "ovl", "offset": 28, "access": "rw", "reset": 0,
        "fields": [{"name": "a", "lsb": 0, "width": 4}, {"name": "b", "lsb": 2, "width": 4},
                   {"name": "c", "lsb": 30, "width": 4}]}),
    );
    let top = BankTop {
        map,
        banks: serde_json::json!([{"bank": "nic_csr", "instance": "u_csr", "base": 4096},
                                  {"bank": "other", "instance": "u_x", "base": 0}]),
    };
    let elab = hdl::elaborate(&top).unwrap_or_else(|d| panic!("{d}"));
    let err = render_elaborated(&presets::small(), &elab).unwrap_err();
    assert_eq!(err.code, 3);
    assert!(
        !err.message.contains("bank `nic_csr` (instance u_csr)"),
        "{}",
        err.message
    );
    // The map's own problems come from the CSR library's checks; the
    // placement problems from the design-level checks.
    for needle in [
        "module fake_csr_bank: register map `nic_csr`",
        "two registers are named `ctrl`",
        "`odd`: offset 0x6 is not a multiple of 4",
        "`far`: offset 0x2000 is outside the 12-bit address space",
        "`ovl`: field `b` overlaps another field",
        "`ovl`: field `c` (bits 30..34) does not fit 32 bits",
        "places bank `other` (instance u_x) but no module has a csr_map",
    ] {
        assert!(
            err.message.contains(needle),
            "missing `{needle}` in:\n{}",
            err.message
        );
    }
}

#[test]
fn bad_placements_are_reported() {
    let top = BankTop {
        map: nic_csr_map(),
        banks: serde_json::json!([{"bank": "nic_csr", "instance": "u_csr", "base": 100},
                                  {"bank": "nic_csr", "instance": "u_csr2", "base": 8192}]),
    };
    let elab = hdl::elaborate(&top).unwrap_or_else(|d| panic!("{d}"));
    let err = render_elaborated(&presets::small(), &elab).unwrap_err();
    for needle in [
        "bank `nic_csr` at base 0x64 is not aligned to its 12-bit address space",
        "places bank `nic_csr` twice (instances u_csr and u_csr2)",
    ] {
        assert!(
            err.message.contains(needle),
            "missing `{needle}` in:\n{}",
            err.message
        );
    }
}

#[test]
fn a_bad_config_file_names_every_bad_field() {
    let dir = scratch("generate_bad_config");
    let cfg = dir.join("bad.toml");
    std::fs::write(
        &cfg,
        "base = \"small\"\n\
         [datapath]\nbytes = 12\nwidth = 3\n\
         [mac]\nkind = \"sgmii\"\nmtu = 40\n\
         [tables]\nneighbours = 0\nservices = \"many\"\n\
         [rpc]\nqueued_per_process = 6\ninline_arg_bytes = 50\n\
         [turbo]\non = true\n",
    )
    .unwrap();
    let out = dir.join("rtl");
    let r = lauberhorn(&["generate", "--config-file", arg(&cfg), "--out", arg(&out)]);
    assert_eq!(r.code, 2, "{}", r.all());
    for needle in [
        "9 problems",
        "datapath.bytes = 12: must be one of 8, 16, 32, 64",
        "datapath.width: unknown key ([datapath] has: bytes, core_clock_mhz)",
        "mac.kind = \"sgmii\": must be one of \"cmac\", \"xgmii\"",
        "mac.mtu = 40: must be in 64..=16384",
        "tables.neighbours = 0: must be in 1..=256",
        "tables.services = \"many\": must be an integer",
        "rpc.queued_per_process = 6: must be a power of two in 1..=1024",
        "rpc.inline_arg_bytes = 50: must be a multiple of 4 in 0..=48",
        "turbo: unknown key",
    ] {
        assert!(r.stderr.contains(needle), "missing `{needle}` in:\n{}", r.all());
    }
    assert!(!out.exists(), "nothing is written for a bad configuration");
}

#[test]
fn a_config_file_overrides_a_subset_of_its_base() {
    let dir = scratch("generate_override");
    let cfg = dir.join("two.toml");
    std::fs::write(
        &cfg,
        "base = \"small\"\n[tables]\nneighbours = 2\n[datapath]\ncore_clock_mhz = 200\n",
    )
    .unwrap();
    let out = dir.join("rtl");
    let r = lauberhorn(&["generate", "--config-file", arg(&cfg), "--out", arg(&out)]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(out.join("neighbour_table_e2_l2.v").is_file());
    assert!(
        out.join("mac_port_xgmii_64.v").is_file(),
        "the rest comes from `small`"
    );
    let h = std::fs::read_to_string(out.join("lauberhorn_config.h")).unwrap();
    assert!(h.contains("#define LAUBERHORN_TABLES_NEIGHBOURS 2u"));
    assert!(h.contains("#define LAUBERHORN_DATAPATH_CORE_CLOCK_HZ 200000000u"));
}

#[test]
fn an_unknown_config_name_lists_the_presets() {
    let r = lauberhorn(&["generate", "--config", "huge", "--out", "/nonexistent/never"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(
        r.stderr
            .contains("--config = huge: unknown configuration; presets: enzian, small"),
        "{}",
        r.all()
    );
}

#[test]
fn usage_errors_exit_2_and_help_documents_the_exit_codes() {
    let r = lauberhorn(&["generate"]);
    assert_eq!(r.code, 2, "{}", r.all());
    let r = lauberhorn(&[
        "generate",
        "--config",
        "small",
        "--config-file",
        "x.toml",
        "--out",
        "x",
    ]);
    assert_eq!(r.code, 2, "{}", r.all());
    let help = lauberhorn(&["--help"]);
    assert_eq!(help.code, 0);
    for needle in [
        "Exit codes:",
        "3  a tool is missing",
        "lauberhorn generate --out rtl",
    ] {
        assert!(help.stdout.contains(needle), "{needle}:\n{}", help.stdout);
    }
    let help = lauberhorn(&["generate", "--help"]);
    assert!(
        help.stdout.contains("lauberhorn.f") && help.stdout.contains("Exit codes"),
        "{}",
        help.stdout
    );
}
