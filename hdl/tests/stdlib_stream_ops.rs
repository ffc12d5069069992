//! Stream standard library: arbiters, fork, join, mux, demux and AXI-Stream,
//! simulated with Icarus against scoreboards in the Verilog testbenches.

mod support;

use hdl::prelude::*;
use hdl::stdlib::arbiter::{ArbiterPolicy, StreamArbiter};
use hdl::stdlib::axis::Axis;
use hdl::stdlib::fork::StreamFork;
use hdl::stdlib::join::StreamJoin;
use hdl::stdlib::mux_demux::{StreamDemux, StreamMux};
use hdl::stdlib::stream::Stream;
use std::fmt::Write;

fn elab<C: Component>(c: &C) -> hdl::Elaborated {
    hdl::elaborate(c).unwrap_or_else(|d| panic!("{d}"))
}

const RAND: &str = "(($random(seed) & 32'h7fffffff) % 100)";

/// Testbench frame: clock, reset, error counter, and after `cycles` cycles the
/// line `DONE errors=.. <fmt>` with `args` (each preceded by a comma).
fn tb(body: &str, fmt: &str, args: &str, cycles: u32) -> String {
    format!(
        r#"`timescale 1ns/1ps
module tb;
  reg clk = 1'b0;
  reg rst = 1'b1;
  always #5 clk = ~clk;
  integer seed = 12345;
  integer errors = 0;
  integer cycle = 0;
  integer k;
  always @(posedge clk) cycle <= cycle + 1;
{body}
  initial begin
    #100;
    @(posedge clk) rst <= 1'b0;
    repeat ({cycles}) @(posedge clk);
    $display("DONE errors=%0d {fmt}", errors{args});
    $finish;
  end
endmodule
"#
    )
}

/// A producer of 16-bit words `{{tag[1:0], seq[13:0]}}` on stream `p` with
/// random gaps; it keeps valid and payload while stalled.
fn producer(p: &str, tag: u32, words: u32, valid_pct: u32) -> String {
    format!(
        r#"
  reg {p}_valid;
  wire {p}_ready;
  reg [15:0] {p}_payload;
  integer {p}_sent = 0;
  always @(posedge clk) begin
    if (rst) begin
      {p}_valid <= 1'b0;
      {p}_payload <= 16'd0;
    end else begin
      if ({p}_valid && {p}_ready) {p}_sent = {p}_sent + 1;
      if (!{p}_valid || {p}_ready) begin
        if ({p}_sent < {words} && {RAND} < {valid_pct}) begin
          {p}_valid <= 1'b1;
          {p}_payload <= {{2'd{tag}, {p}_sent[13:0]}};
        end else begin
          {p}_valid <= 1'b0;
        end
      end
    end
  end
"#
    )
}

/// A consumer of stream `c` (payload `width` bits) with random stalls: checks
/// the stream rules, runs `on_fire` for every transfer and counts them.
fn consumer(c: &str, width: u32, ready_pct: u32, on_fire: &str) -> String {
    let w1 = width - 1;
    format!(
        r#"
  reg {c}_ready;
  integer {c}_recv = 0;
  reg {c}_stalled = 1'b0;
  reg [{w1}:0] {c}_held;
  always @(posedge clk) begin
    if (rst) begin
      {c}_ready <= 1'b0;
    end else begin
      if ({c}_stalled && ({c}_valid !== 1'b1 || {c}_payload !== {c}_held)) begin
        errors = errors + 1;
        $display("RULE {c} changed while stalled at cycle %0d", cycle);
      end
      if ({c}_valid && {c}_ready) begin
{on_fire}
        {c}_recv = {c}_recv + 1;
      end
      {c}_stalled = {c}_valid && !{c}_ready;
      {c}_held = {c}_payload;
      {c}_ready <= {RAND} < {ready_pct};
    end
  end
"#
    )
}

fn parse(text: &str) -> std::collections::BTreeMap<String, i64> {
    let line = text
        .lines()
        .find(|l| l.starts_with("DONE "))
        .unwrap_or_else(|| panic!("no DONE line in:\n{text}"));
    line["DONE ".len()..]
        .split_whitespace()
        .map(|kv| {
            let (k, v) = kv.split_once('=').expect("key=value");
            (k.to_string(), v.parse().expect("number"))
        })
        .collect()
}

fn ports(prefixes: &[String]) -> String {
    prefixes
        .iter()
        .map(|p| format!("    .{p}_valid({p}_valid), .{p}_ready({p}_ready), .{p}_payload({p}_payload)"))
        .collect::<Vec<_>>()
        .join(",\n")
}

/// Arbiter testbench: `n` producers, one consumer that checks per-input order,
/// that `chosen` names the source, and (for priority) that the lowest valid
/// index wins whenever the choice is free.
fn arbiter_tb(dut: &str, n: usize, words: u32, vp: u32, rp: u32, check_priority: bool) -> String {
    let mut body = String::new();
    let ins: Vec<String> = (0..n).map(|i| format!("s_{i}")).collect();
    for (i, p) in ins.iter().enumerate() {
        body += &producer(p, i as u32, words, vp);
    }
    let _ = writeln!(
        body,
        "  wire m_valid;\n  wire [15:0] m_payload;\n  wire [1:0] chosen;"
    );
    let _ = writeln!(body, "  integer expect_seq [0:{}];", n - 1);
    let _ = writeln!(body, "  integer grants [0:{}];", n - 1);
    let _ = writeln!(
        body,
        "  initial for (k = 0; k < {n}; k = k + 1) begin expect_seq[k] = 0; grants[k] = 0; end"
    );
    let _ = writeln!(
        body,
        "  {dut} dut (\n    .clk(clk), .rst(rst),\n{},\n    .m_valid(m_valid), .m_ready(m_ready), .m_payload(m_payload),\n    .chosen(chosen)\n  );",
        ports(&ins)
    );
    let on_fire = r#"        if (chosen !== m_payload[15:14]) begin
          errors = errors + 1;
          $display("chosen %0d but payload from %0d", chosen, m_payload[15:14]);
        end
        if (m_payload[13:0] !== expect_seq[m_payload[15:14]]) begin
          errors = errors + 1;
          $display("input %0d: got %0d expected %0d", m_payload[15:14], m_payload[13:0], expect_seq[m_payload[15:14]]);
        end
        expect_seq[m_payload[15:14]] = expect_seq[m_payload[15:14]] + 1;
        grants[m_payload[15:14]] = grants[m_payload[15:14]] + 1;"#;
    body += &consumer("m", 16, rp, on_fire);
    if check_priority {
        let valids: Vec<String> = (0..n).rev().map(|i| format!("s_{i}_valid")).collect();
        let _ = writeln!(
            body,
            r#"  reg [{}:0] req;
  integer lowest;
  reg was_stalled = 1'b0;
  always @(posedge clk) begin
    was_stalled <= m_valid && !m_ready;
    if (!rst && m_valid && !was_stalled) begin
      req = {{{}}};
      lowest = -1;
      for (k = {}; k >= 0; k = k - 1) if (req[k]) lowest = k;
      if (chosen !== lowest) begin
        errors = errors + 1;
        $display("priority: chose %0d, lowest valid is %0d", chosen, lowest);
      end
    end
  end"#,
            n - 1,
            valids.join(", "),
            n - 1
        );
    }
    let sent: Vec<String> = ins.iter().map(|p| format!("{p}_sent")).collect();
    let grants: Vec<String> = (0..n).map(|i| format!("grants[{i}]")).collect();
    let report_keys: String = (0..n).map(|i| format!(" g{i}=%0d")).collect();
    let fmt = format!("recv=%0d sent=%0d{report_keys}");
    let args = format!(", m_recv, {}, {}", sent.join(" + "), grants.join(", "));
    tb(&body, &fmt, &args, words * n as u32 * 6 + 2000)
}

fn run(e: &hdl::Elaborated, test: &str, tb: &str) -> (std::collections::BTreeMap<String, i64>, String) {
    let text = support::icarus_sim(e, test, tb, "tb");
    (parse(&text), text)
}

#[test]
fn arbiters_keep_per_input_order() {
    for policy in [ArbiterPolicy::Priority, ArbiterPolicy::RoundRobin] {
        for (n, vp, rp) in [(4, 30, 90), (3, 60, 60), (4, 90, 40)] {
            let c = StreamArbiter {
                width: 16,
                inputs: n,
                policy,
            };
            let e = elab(&c);
            support::check_rtl(&e, "lint_arbiter_sim");
            let words = 600;
            let tb = arbiter_tb(e.top_name(), n, words, vp, rp, policy == ArbiterPolicy::Priority);
            let (o, text) = run(&e, "sim_arbiter", &tb);
            assert_eq!(o["errors"], 0, "{text}");
            assert_eq!(o["recv"], (words as usize * n) as i64, "{text}");
            assert_eq!(o["sent"], o["recv"], "{text}");
        }
    }
}

#[test]
fn round_robin_is_fair() {
    for (n, rp) in [(4, 100), (3, 70), (4, 55)] {
        let c = StreamArbiter {
            width: 16,
            inputs: n,
            policy: ArbiterPolicy::RoundRobin,
        };
        let e = elab(&c);
        // Always valid, never run dry within the simulated time.
        let tb = arbiter_tb(e.top_name(), n, 10_000, 100, rp, false);
        let tb = tb.replace(&format!("repeat ({})", 10_000 * n * 6 + 2000), "repeat (3000)");
        let (o, text) = run(&e, "sim_rr_fair", &tb);
        assert_eq!(o["errors"], 0, "{text}");
        let grants: Vec<i64> = (0..n).map(|i| o[&format!("g{i}")]).collect();
        assert!(o["recv"] > 1000, "{text}");
        let (min, max) = (grants.iter().min().unwrap(), grants.iter().max().unwrap());
        assert!(max - min <= 1, "unfair grants {grants:?}:\n{text}");
    }
}

#[test]
fn priority_serves_lowest_index_first() {
    let n = 4;
    let c = StreamArbiter {
        width: 16,
        inputs: n,
        policy: ArbiterPolicy::Priority,
    };
    let e = elab(&c);
    let tb = arbiter_tb(e.top_name(), n, 10_000, 100, 80, true);
    let tb = tb.replace(&format!("repeat ({})", 10_000 * n * 6 + 2000), "repeat (2000)");
    let (o, text) = run(&e, "sim_prio", &tb);
    assert_eq!(o["errors"], 0, "{text}");
    assert!(o["g0"] > 1000, "{text}");
    assert_eq!((o["g1"], o["g2"], o["g3"]), (0, 0, 0), "{text}");
}

/// Declarations of DUT-driven stream wires `valid`/`payload` for `c`.
fn out_wires(c: &str, width: u32) -> String {
    format!("  wire {c}_valid;\n  wire [{}:0] {c}_payload;\n", width - 1)
}

#[test]
fn fork_gives_every_output_every_word() {
    let (n, words) = (3, 2000);
    let e = elab(&StreamFork {
        width: 16,
        outputs: n,
    });
    let outs: Vec<String> = (0..n).map(|i| format!("m_{i}")).collect();
    let mut body = producer("s", 0, words, 70);
    for (i, o) in outs.iter().enumerate() {
        body += &out_wires(o, 16);
        let check = format!(
            "        if ({o}_payload !== {{2'd0, {o}_recv[13:0]}}) begin errors = errors + 1; $display(\"{o}: got %h at %0d\", {o}_payload, {o}_recv); end"
        );
        body += &consumer(o, 16, [40, 80, 95][i], &check);
    }
    let _ = writeln!(
        body,
        "  {} dut (\n    .clk(clk), .rst(rst),\n{},\n{}\n  );",
        e.top_name(),
        ports(&["s".to_string()]),
        ports(&outs)
    );
    let tb = tb(
        &body,
        "sent=%0d r0=%0d r1=%0d r2=%0d",
        ", s_sent, m_0_recv, m_1_recv, m_2_recv",
        words * 8 + 1000,
    );
    let (o, text) = run(&e, "sim_fork", &tb);
    assert_eq!(o["errors"], 0, "{text}");
    for k in ["sent", "r0", "r1", "r2"] {
        assert_eq!(o[k], i64::from(words), "{k}:\n{text}");
    }
}

#[test]
fn join_takes_one_word_from_each_input() {
    let (n, words) = (3, 2000);
    let e = elab(&StreamJoin { width: 16, inputs: n });
    let ins: Vec<String> = (0..n).map(|i| format!("s_{i}")).collect();
    let mut body = String::new();
    for (i, p) in ins.iter().enumerate() {
        body += &producer(p, i as u32, words, [50, 80, 95][i]);
    }
    body += &out_wires("m", 48);
    let check = "        for (k = 0; k < 3; k = k + 1)\n          if (m_payload[16*k +: 16] !== {k[1:0], m_recv[13:0]}) begin errors = errors + 1; $display(\"part %0d: %h at %0d\", k, m_payload[16*k +: 16], m_recv); end";
    body += &consumer("m", 48, 70, check);
    let _ = writeln!(
        body,
        "  {} dut (\n{},\n{}\n  );",
        e.top_name(),
        ports(&ins),
        ports(&["m".to_string()])
    );
    let tb = tb(
        &body,
        "recv=%0d s0=%0d s1=%0d s2=%0d",
        ", m_recv, s_0_sent, s_1_sent, s_2_sent",
        words * 6 + 1000,
    );
    let (o, text) = run(&e, "sim_join", &tb);
    assert_eq!(o["errors"], 0, "{text}");
    for k in ["recv", "s0", "s1", "s2"] {
        assert_eq!(o[k], i64::from(words), "{k}:\n{text}");
    }
}

#[test]
fn mux_passes_the_selected_input() {
    let (n, words) = (3, 1000);
    let e = elab(&StreamMux { width: 16, inputs: n });
    let ins: Vec<String> = (0..n).map(|i| format!("s_{i}")).collect();
    let mut body = String::new();
    for (i, p) in ins.iter().enumerate() {
        body += &producer(p, i as u32, words, 60);
    }
    body += &out_wires("m", 16);
    // `sel` changes only when the output is not stalled; 3 selects no input.
    body += &format!(
        "  reg [1:0] sel = 2'd0;\n  integer expect_seq [0:2];\n  initial for (k = 0; k < 3; k = k + 1) expect_seq[k] = 0;\n  always @(posedge clk) if (!(m_valid && !m_ready)) sel <= {RAND} % 4;\n"
    );
    let check = r#"        if (m_payload[15:14] !== sel) begin errors = errors + 1; $display("from %0d, sel %0d", m_payload[15:14], sel); end
        if (m_payload[13:0] !== expect_seq[m_payload[15:14]]) begin errors = errors + 1; $display("order of %0d", m_payload[15:14]); end
        expect_seq[m_payload[15:14]] = expect_seq[m_payload[15:14]] + 1;"#;
    body += &consumer("m", 16, 75, check);
    let _ = writeln!(
        body,
        "  {} dut (\n    .sel(sel),\n{},\n{}\n  );",
        e.top_name(),
        ports(&ins),
        ports(&["m".to_string()])
    );
    let tb = tb(
        &body,
        "recv=%0d sent=%0d",
        ", m_recv, s_0_sent + s_1_sent + s_2_sent",
        words * 12 + 2000,
    );
    let (o, text) = run(&e, "sim_mux", &tb);
    assert_eq!(o["errors"], 0, "{text}");
    assert_eq!(o["recv"], i64::from(words) * 3, "{text}");
    assert_eq!(o["sent"], o["recv"], "{text}");
}

#[test]
fn demux_steers_to_the_selected_output() {
    let (n, words) = (3, 3000);
    let e = elab(&StreamDemux {
        width: 16,
        outputs: n,
    });
    let outs: Vec<String> = (0..n).map(|i| format!("m_{i}")).collect();
    let mut body = producer("s", 0, words, 80);
    // `sel` 3 steers nowhere: the producer must wait.
    body += &format!(
        "  reg [1:0] sel = 2'd0;\n  integer next_seq = 0;\n  always @(posedge clk) if (!(s_valid && !s_ready) || sel == 2'd3) sel <= {RAND} % 4;\n"
    );
    for (i, o) in outs.iter().enumerate() {
        body += &out_wires(o, 16);
        let check = format!(
            "        if (sel !== {i} || {o}_payload[13:0] !== next_seq) begin errors = errors + 1; $display(\"{o}: sel %0d word %0d expected %0d\", sel, {o}_payload[13:0], next_seq); end\n        next_seq = next_seq + 1;"
        );
        body += &consumer(o, 16, [50, 70, 90, 100][i], &check);
    }
    let _ = writeln!(
        body,
        "  {} dut (\n    .sel(sel),\n{},\n{}\n  );",
        e.top_name(),
        ports(&["s".to_string()]),
        ports(&outs)
    );
    let tb = tb(
        &body,
        "sent=%0d recv=%0d r0=%0d r2=%0d",
        ", s_sent, m_0_recv + m_1_recv + m_2_recv, m_0_recv, m_2_recv",
        words * 6 + 1000,
    );
    let (o, text) = run(&e, "sim_demux", &tb);
    assert_eq!(o["errors"], 0, "{text}");
    assert_eq!(o["sent"], i64::from(words), "{text}");
    assert_eq!(o["recv"], i64::from(words), "{text}");
    assert!(o["r0"] > 100 && o["r2"] > 100, "{text}");
}

bundle! {
    /// AXI-Stream pass-through ports.
    pub struct AxisIo {
        #[input]
        pub s_axis: Axis,
        pub m_axis: Axis,
    }
}

#[derive(Debug)]
struct AxisPass {
    bytes: u32,
    user: Option<u32>,
}

impl Component for AxisPass {
    type Io = AxisIo;
    fn name(&self) -> String {
        format!("axis_pass_{}", 8 * self.bytes)
    }
    fn io(&self) -> AxisIo {
        AxisIo {
            s_axis: Axis::ty(self.bytes, self.user),
            m_axis: Axis::ty(self.bytes, self.user),
        }
    }
    fn build(&self, io: &AxisIo) {
        io.m_axis.connect_from(&io.s_axis);
    }
}

#[test]
fn axis_ports_use_verilog_ethernet_names() {
    let e = elab(&AxisPass {
        bytes: 8,
        user: Some(1),
    });
    support::check_rtl(&e, "lint_axis");
    let v = e.verilog();
    for p in [
        "input  wire [63:0] s_axis_tdata",
        "input  wire [7:0]  s_axis_tkeep",
        "input  wire        s_axis_tvalid",
        "output wire        s_axis_tready",
        "input  wire        s_axis_tlast",
        "input  wire        s_axis_tuser",
        "output wire [63:0] m_axis_tdata",
        "input  wire        m_axis_tready",
        "output wire        m_axis_tuser",
    ] {
        assert!(v.contains(p), "missing `{p}`:\n{v}");
    }
    let e = elab(&AxisPass { bytes: 2, user: None });
    support::check_rtl(&e, "lint_axis_nouser");
    assert!(!e.verilog().contains("tuser"));
    assert_eq!(Axis::ty(2, None).bytes(), 2);
}

bundle! {
    /// A payload bundle with two fields.
    pub struct Beat {
        pub data: Bits,
        pub last: Bool,
    }
}

bundle! {
    /// Ports with bundle payloads.
    pub struct BeatIo {
        #[input]
        pub s: Stream<Beat>,
        pub m: Stream<Beat>,
    }
}

#[derive(Debug)]
struct BeatPipe;

impl Component for BeatPipe {
    type Io = BeatIo;
    fn name(&self) -> String {
        "beat_pipe".into()
    }
    fn io(&self) -> BeatIo {
        let t = || {
            Stream::ty(Beat {
                data: Bits::ty(32),
                last: Bool::ty(),
            })
        };
        BeatIo { s: t(), m: t() }
    }
    fn build(&self, io: &BeatIo) {
        let out = io.s.full_pipe("p");
        io.m.connect_from(&out);
    }
}

#[test]
fn bundle_payloads_keep_field_names() {
    let e = elab(&BeatPipe);
    support::check_rtl(&e, "lint_beat_pipe");
    let v = e.verilog();
    for n in [
        "s_payload_data",
        "s_payload_last",
        "m_payload_last",
        "p_s2m_skid_payload_data",
        "p_m2s_payload_last",
    ] {
        assert!(v.contains(n), "missing `{n}`:\n{v}");
    }
}
