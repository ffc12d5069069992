//! `lauberhorn diff`: structural differences of RTL directories, and the
//! `--check` of committed RTL against a fresh generation. Also the Verilog
//! header reader it relies on.

mod support;

use generators::cli::verilog_headers::{parse, tops, Width};
use support::{arg, copy_dir, generate, lauberhorn, scratch};

#[test]
fn identical_directories_exit_0() {
    let (a, b) = (scratch("diff_same_a"), scratch("diff_same_b"));
    generate("small", &a);
    generate("small", &b);
    let r = lauberhorn(&["diff", arg(&a), arg(&b)]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("identical"), "{}", r.stdout);
}

#[test]
fn a_changed_port_an_added_module_and_line_counts_are_reported() {
    let (old, new) = (scratch("diff_ports_old"), scratch("diff_ports_new"));
    std::fs::write(
        old.join("core.v"),
        "module core (\n  input  wire       clk,\n  input  wire [7:0] a,\n  output wire       gone,\n  output wire [7:0] y\n);\n  assign y = a;\n  assign gone = 1'b0;\nendmodule\n",
    )
    .unwrap();
    std::fs::write(
        new.join("core.v"),
        "module core (\n  input  wire        clk,\n  input  wire [15:0] a,\n  output wire [7:0]  y,\n  output wire        fresh\n);\n  assign y = a[7:0];\n  assign fresh = 1'b1;\n  // one more line\nendmodule\n",
    )
    .unwrap();
    std::fs::write(
        new.join("extra.v"),
        "module extra (input wire x, output wire z);\n  assign z = x;\nendmodule\n",
    )
    .unwrap();
    let r = lauberhorn(&["diff", arg(&old), arg(&new)]);
    assert_eq!(r.code, 1, "{}", r.all());
    let out = &r.stdout;
    for needle in [
        "modules added:   extra",
        "  core:",
        "~ a: input 8 bits -> input 16 bits",
        "- output gone (1 bit)",
        "+ output fresh (1 bit)",
        "extra.v (only in",
        "core.v (changed)",
        "--- a/core.v",
        "+++ b/core.v",
        "-  input  wire [7:0] a,",
        "+  input  wire [15:0] a,",
        "+  // one more line",
    ] {
        assert!(out.contains(needle), "missing `{needle}` in:\n{out}");
    }
    // Lines per module: core grew from 9 to 10 lines, extra is new (3 lines).
    let core = out.lines().find(|l| l.trim_start().starts_with("core ")).unwrap();
    let cols: Vec<&str> = core.split_whitespace().collect();
    assert_eq!(cols, ["core", "9", "10", "+1"], "{core}");
    let extra = out
        .lines()
        .find(|l| l.trim_start().starts_with("extra "))
        .unwrap();
    assert_eq!(
        extra.split_whitespace().collect::<Vec<_>>(),
        ["extra", "-", "3", "added"]
    );
}

#[test]
fn check_fails_on_a_stale_copy_with_a_readable_diff_and_the_fix() {
    let fresh = scratch("diff_check_fresh");
    generate("small", &fresh);
    let rtl = scratch("diff_check_rtl").join("rtl");
    copy_dir(&fresh, &rtl);
    // Up to date (user files next to the RTL are not the generator's business).
    std::fs::write(rtl.join("README.txt"), "notes").unwrap();
    let ok = lauberhorn(&["diff", "--check", "--config", "small", "--rtl", arg(&rtl)]);
    assert_eq!(ok.code, 0, "{}", ok.all());
    assert!(ok.stdout.contains("matches the generator"), "{}", ok.stdout);
    // Somebody edits the committed RTL by hand.
    let top = rtl.join("lauberhorn_top.v");
    let text = std::fs::read_to_string(&top).unwrap();
    let edited = text.replacen(
        "assign m_axis_rpc_tvalid = u_net_rx_m_axis_rpc_tvalid;",
        "assign m_axis_rpc_tvalid = 1'b1;",
        1,
    );
    assert_ne!(text, edited);
    std::fs::write(&top, edited).unwrap();
    let r = lauberhorn(&["diff", "--check", "--config", "small", "--rtl", arg(&rtl)]);
    assert_eq!(r.code, 1, "{}", r.all());
    for needle in [
        "--- a/lauberhorn_top.v",
        "+++ b/lauberhorn_top.v",
        "-  assign m_axis_rpc_tvalid = 1'b1;",
        "+  assign m_axis_rpc_tvalid = u_net_rx_m_axis_rpc_tvalid;",
        "is out of date with the generator (configuration small)",
        "run: cargo run -p generators --bin lauberhorn -- generate --config small --out",
    ] {
        assert!(r.stdout.contains(needle), "missing `{needle}` in:\n{}", r.stdout);
    }
    assert!(!r.stdout.contains("README.txt"), "{}", r.stdout);
    // A missing file is a difference too; regenerating fixes everything.
    std::fs::remove_file(rtl.join("lauberhorn.core")).unwrap();
    let r = lauberhorn(&["diff", "--check", "--config", "small", "--rtl", arg(&rtl)]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("lauberhorn.core (only in generated"),
        "{}",
        r.stdout
    );
    generate("small", &rtl);
    let r = lauberhorn(&["diff", "--check", "--config", "small", "--rtl", arg(&rtl)]);
    assert_eq!(r.code, 0, "{}", r.all());
}

#[test]
fn check_of_another_configuration_fails() {
    let rtl = scratch("diff_check_other");
    generate("small", &rtl);
    let r = lauberhorn(&["diff", "--check", "--rtl", arg(&rtl)]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stdout
            .contains("modules added:   arp_tx_e4_512, axis_async_fifo_512_d16_u1,"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("modules removed: arp_tx_e4_64, axis_async_fifo_64_d32_u1,"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("~ m_axis_rpc_tdata: output 64 bits -> output 512 bits"),
        "{}",
        r.stdout
    );
}

#[test]
fn usage_errors_exit_2() {
    let r = lauberhorn(&["diff", "/nonexistent/a", "/nonexistent/b"]);
    assert_eq!(r.code, 2, "{}", r.all());
    let r = lauberhorn(&["diff", "only_one"]);
    assert_eq!(r.code, 2, "{}", r.all());
    let r = lauberhorn(&["diff", "--rtl", "x", "a", "b"]);
    assert_eq!(r.code, 2, "--rtl needs --check: {}", r.all());
}

#[test]
fn headers_of_general_ansi_and_non_ansi_modules_are_read() {
    let src = "\
// comment with module fake(input x);
`timescale 1ns/1ps
(* keep_hierarchy *)
module fifo #(parameter W = 8, parameter D = 16) (
  input  wire             clk,
  input  wire [W-1:0]     din, din2,
  input  logic signed [3:0][1:0] packed2d,
  output reg  [2*4-1:0]   count,
  inout  tri              pad,
  output integer          n,
  axi_if.master           bus
);
  sub #(.W(W)) u_sub (.a(din));
  sub u_sub2 [1:0] (.a(din));
  always @(posedge clk) begin
    count <= count + 1;
  end
endmodule

module sub (a, b);
  input [7:0] a;
  output b;
  assign b = ^a;
endmodule
";
    let m = parse(src);
    assert_eq!(m.len(), 2);
    let f = &m[0];
    assert_eq!(f.name, "fifo");
    let ports: Vec<(String, String, String)> = f
        .ports
        .iter()
        .map(|p| (p.name.clone(), p.direction.clone(), p.width.to_string()))
        .collect();
    let want = [
        ("clk", "input", "1"),
        ("din", "input", "[W-1:0]"),
        ("din2", "input", "[W-1:0]"),
        ("packed2d", "input", "8"),
        ("count", "output", "8"),
        ("pad", "inout", "1"),
        ("n", "output", "32"),
        ("bus", "interface", "axi_if.master"),
    ];
    let want: Vec<(String, String, String)> = want
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(ports, want);
    assert_eq!(f.instantiates, ["sub"]);
    assert_eq!((f.first_line, f.last_line), (4, 18));
    let s = &m[1];
    assert_eq!(s.ports[0].width, Width::Bits(8));
    assert_eq!(
        (s.ports[1].name.as_str(), s.ports[1].direction.as_str()),
        ("b", "output")
    );
    let t: Vec<&str> = tops(&m).iter().map(|h| h.name.as_str()).collect();
    assert_eq!(t, ["fifo"]);
}

#[test]
fn headers_of_the_generated_verilog_are_read_exactly() {
    let dir = scratch("diff_headers_generated");
    generate("small", &dir);
    let text = std::fs::read_to_string(dir.join("lauberhorn_top.v")).unwrap();
    let m = parse(&text);
    assert_eq!(m.len(), 1);
    let top = &m[0];
    // Independent count: every `input`/`output` line in the port list.
    let header = &text[..text.find(");").unwrap()];
    let declared = header
        .lines()
        .filter(|l| {
            let l = l.trim_start();
            l.starts_with("input ") || l.starts_with("output ")
        })
        .count();
    assert_eq!(top.ports.len(), declared);
    assert_eq!(top.ports.len(), 69);
    let tdata = top.ports.iter().find(|p| p.name == "xgmii_rxd").unwrap();
    assert_eq!(
        (tdata.direction.as_str(), &tdata.width),
        ("input", &Width::Bits(64))
    );
    let mut inst = top.instantiates.clone();
    inst.sort();
    assert_eq!(
        inst,
        [
            "axil_split_a13_n2_0s8_1000s12",
            "csr_nic_csr",
            "mac_port_xgmii_64",
            "net_rx_64_l4_b3036_a4",
            "net_tx_n4_l2_a4_d512_f32_64",
            "stat_counters_nic_stats",
        ]
    );
    assert_eq!(
        top.last_line,
        text.lines().position(|l| l == "endmodule").unwrap() + 1
    );
}

#[test]
fn a_reader_that_goes_away_ends_the_output_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    // `lauberhorn diff ... | head -1`: the pipe closes after the first line.
    let rtl = scratch("diff_broken_pipe");
    generate("small", &rtl);
    let mut child = Command::new(env!("CARGO_BIN_EXE_lauberhorn"))
        .args(["diff", "--check", "--rtl", arg(&rtl)])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    child.wait().unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
}
