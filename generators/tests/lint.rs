//! `lauberhorn lint`: clean on generated RTL, findings (with file:line) on bad
//! Verilog, missing and crashing tools reported, never skipped.

mod support;

use generators::cli::lint::{parse_located, parse_verilator, parse_yosys};
use support::{arg, generate, lauberhorn, lauberhorn_env, scratch};

#[test]
fn generated_rtl_is_lint_clean() {
    let dir = scratch("lint_clean");
    generate("small", &dir);
    let r = lauberhorn(&["lint", arg(&dir)]);
    assert_eq!(r.code, 0, "{}", r.all());
    for tool in ["verilator", "verible", "iverilog", "yosys"] {
        let row = r
            .stdout
            .lines()
            .find(|l| l.trim_start().starts_with(tool))
            .unwrap_or_else(|| panic!("{}", r.stdout));
        assert!(row.contains(" ok "), "{row}");
    }
    assert!(r.stdout.contains("top lauberhorn_top"), "{}", r.stdout);
}

const BAD: &str = "\
module bad (
  input  wire       clk,
  input  wire [7:0] a,
  output wire [3:0] y
);
  wire [7:0] spare;
  assign spare = a;
  assign y = a;
endmodule
";

#[test]
fn an_unused_signal_and_a_width_mismatch_are_findings() {
    let dir = scratch("lint_bad");
    std::fs::write(dir.join("bad.v"), BAD).unwrap();
    let r = lauberhorn(&["lint", arg(&dir)]);
    assert_eq!(r.code, 1, "{}", r.all());
    let out = &r.stdout;
    assert!(out.contains("FINDINGS"), "{out}");
    // Verilator names both, at their lines.
    assert!(
        out.lines().any(|l| l.contains("bad.v:8") && l.contains("WIDTH")),
        "{out}"
    );
    assert!(
        out.lines().any(|l| l.contains("bad.v:6") && l.contains("UNUSED")),
        "{out}"
    );
    assert!(
        out.lines().any(|l| l.contains("bad.v:2") && l.contains("UNUSED")),
        "clk is unused too:\n{out}"
    );
    // The table row of verilator counts them.
    let row = out
        .lines()
        .find(|l| l.trim_start().starts_with("verilator"))
        .unwrap();
    assert!(row.contains("FINDINGS"), "{row}");
}

#[test]
fn a_syntax_error_is_a_finding_of_every_tool() {
    let dir = scratch("lint_syntax");
    std::fs::write(
        dir.join("broken.v"),
        "module broken (input wire a, output wire b);\n  assign b = a +;\nendmodule\n",
    )
    .unwrap();
    let r = lauberhorn(&["lint", arg(&dir)]);
    assert_eq!(r.code, 1, "{}", r.all());
    for tool in ["verilator", "verible", "iverilog", "yosys"] {
        let row = r
            .stdout
            .lines()
            .find(|l| l.trim_start().starts_with(tool))
            .unwrap();
        assert!(row.contains("FINDINGS"), "{tool}: {}", r.stdout);
    }
    assert!(r.stdout.contains("broken.v:2"), "{}", r.stdout);
}

#[test]
fn a_missing_tool_fails_with_the_install_hint() {
    let dir = scratch("lint_missing");
    generate("small", &dir);
    let r = lauberhorn_env(
        &["lint", arg(&dir)],
        &[("LAUBERHORN_YOSYS", "/nonexistent/yosys")],
    );
    assert_eq!(r.code, 3, "{}", r.all());
    assert!(r.stdout.contains("MISSING"), "{}", r.stdout);
    assert!(r.stdout.contains("scripts/setup.sh"), "{}", r.stdout);
    // The other tools still ran.
    let row = r
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("verilator"))
        .unwrap();
    assert!(row.contains(" ok "), "{row}");
}

#[test]
fn a_tool_that_fails_silently_is_a_crash() {
    let dir = scratch("lint_crash");
    generate("small", &dir);
    let r = lauberhorn_env(&["lint", arg(&dir)], &[("LAUBERHORN_IVERILOG", "false")]);
    assert_eq!(r.code, 3, "{}", r.all());
    assert!(
        r.stdout.contains("CRASHED") && r.stdout.contains("exit code 1"),
        "{}",
        r.stdout
    );
}

#[test]
fn a_directory_without_verilog_is_a_usage_error() {
    let dir = scratch("lint_empty");
    let r = lauberhorn(&["lint", arg(&dir)]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("no Verilog"), "{}", r.all());
    let r = lauberhorn(&["lint", "/nonexistent/rtl"]);
    assert_eq!(r.code, 2, "{}", r.all());
}

#[test]
fn several_tops_need_a_file_list() {
    let dir = scratch("lint_two_tops");
    std::fs::write(
        dir.join("a.v"),
        "module a (input wire x, output wire y); assign y = x; endmodule\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("b.v"),
        "module b (input wire x, output wire y); assign y = x; endmodule\n",
    )
    .unwrap();
    let r = lauberhorn(&["lint", arg(&dir)]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("several top modules (a, b)"), "{}", r.all());
    std::fs::write(dir.join("lauberhorn.f"), "a.v\nb.v\n").unwrap();
    let r = lauberhorn(&["lint", arg(&dir)]);
    assert!(r.stdout.contains("top b"), "{}", r.all());
}

#[test]
fn tool_outputs_are_read_into_places() {
    let v = parse_verilator(
        "%Warning-WIDTH: bad.v:8:12: Operator ASSIGNW expects 4 bits on the Assign RHS, but Assign RHS's VARREF 'a' generates 8 bits.\n\
         \x20   8 |   assign y = a;\n\
         %Warning-UNUSED: bad.v:6:14: Signal is not used: 'spare'\n\
         %Error: Exiting due to 2 warning(s)\n",
    );
    assert_eq!(v.len(), 2);
    assert_eq!(
        (v[0].place(), v[0].message.starts_with("Warning-WIDTH: Operator")),
        ("bad.v:8".into(), true)
    );
    assert_eq!(v[1].place(), "bad.v:6");
    let l = parse_located(
        "x.v:3:5-9: Line length exceeds max [Style: line-length] [line-length]\n\
         x.v:4: error: Unknown module type: foo\n\
         1 error(s) during elaboration.\n\
         something odd\n",
    );
    assert_eq!(l.len(), 3);
    assert_eq!(
        (l[0].place(), l[1].place(), l[2].place()),
        ("x.v:3".into(), "x.v:4".into(), "-".into())
    );
    assert_eq!(l[1].message, "error: Unknown module type: foo");
    let y = parse_yosys(
        "Warning: multiple conflicting drivers for top.\\y [0]:\n\
         Warning: Identifier `\\q' is implicitly declared at top.v:7.\n\
         ERROR: Found 2 problems in 'check -assert'.\n",
    );
    assert_eq!(y.len(), 3);
    assert_eq!((y[0].place(), y[1].place()), ("-".into(), "top.v:7".into()));
}
