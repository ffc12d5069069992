//! Stream standard library: lint every emitted design, simulate the blocks.

mod support;

use hdl::prelude::*;
use hdl::stdlib::arbiter::{ArbiterPolicy, StreamArbiter};
use hdl::stdlib::async_fifo::AsyncFifo;
use hdl::stdlib::fifo::StreamFifo;
use hdl::stdlib::fork::StreamFork;
use hdl::stdlib::join::StreamJoin;
use hdl::stdlib::mux_demux::{StreamDemux, StreamMux};
use hdl::stdlib::stream::{Flow, StageKind, Stream, StreamIo, StreamStage};

fn elab<C: Component>(c: &C) -> hdl::Elaborated {
    hdl::elaborate(c).unwrap_or_else(|d| panic!("{d}"))
}

#[test]
fn lint_all() {
    for k in [StageKind::Forward, StageKind::Backward, StageKind::Full] {
        let e = elab(&StreamStage { width: 8, kind: k });
        support::check_rtl(&e, &format!("lint_{}", e.top_name()));
    }
    for d in [2, 5, 16] {
        let e = elab(&StreamFifo { width: 8, depth: d });
        support::check_rtl(&e, &format!("lint_{}", e.top_name()));
    }
    for d in [2, 16] {
        let e = elab(&AsyncFifo { width: 8, depth: d });
        support::check_rtl(&e, &format!("lint_{}", e.top_name()));
    }
    for p in [ArbiterPolicy::Priority, ArbiterPolicy::RoundRobin] {
        for n in [1, 3, 4] {
            let e = elab(&StreamArbiter {
                width: 8,
                inputs: n,
                policy: p,
            });
            support::check_rtl(&e, &format!("lint_{}", e.top_name()));
        }
    }
    let e = elab(&StreamFork { width: 8, outputs: 3 });
    support::check_rtl(&e, "lint_fork");
    let e = elab(&StreamJoin { width: 8, inputs: 3 });
    support::check_rtl(&e, "lint_join");
    let e = elab(&StreamMux { width: 8, inputs: 3 });
    support::check_rtl(&e, "lint_mux");
    let e = elab(&StreamDemux { width: 8, outputs: 4 });
    support::check_rtl(&e, "lint_demux");
}

/// How a single-stream testbench drives its DUT.
struct Traffic {
    /// Words to send.
    words: u32,
    /// Percent of cycles the producer offers a word when it may.
    valid_pct: u32,
    /// Percent of cycles the consumer is ready.
    ready_pct: u32,
    /// Seed of both random streams.
    seed: u32,
    /// Push side clock period (ns).
    s_period: f64,
    /// Pop side clock period (ns); `None`: one clock for both sides.
    m_period: Option<f64>,
    /// The DUT has an `occupancy` output.
    occupancy: bool,
}

/// What the testbench printed at the end.
#[derive(Debug, Default)]
struct Outcome {
    sent: u64,
    recv: u64,
    errors: u64,
    extra: u64,
    first: i64,
    last: i64,
    max_occ: u64,
    full_cycles: u64,
}

/// A Verilog testbench: a producer sends `words` scrambled words with random
/// gaps, a consumer takes them with random stalls and checks order, values and
/// the stream rules (a stalled output keeps valid and payload).
fn stream_tb(dut: &str, width: u32, t: &Traffic) -> String {
    let half_s = t.s_period / 2.0;
    let (m_clock, domains) = match t.m_period {
        Some(p) => (
            format!("  always #{:.3} m_clk = ~m_clk;\n", p / 2.0),
            "    .s_clk(s_clk), .s_rst(s_rst), .m_clk(m_clk), .m_rst(m_rst),\n".to_string(),
        ),
        None => (
            "  always @(*) m_clk = s_clk;\n".to_string(),
            "    .clk(s_clk), .rst(s_rst),\n".to_string(),
        ),
    };
    let (occ_decl, occ_port, occ_track) = if t.occupancy {
        (
            "  wire [31:0] occupancy_w;\n  wire [15:0] occupancy;\n  assign occupancy_w = {16'd0, occupancy};\n",
            "    .occupancy(occupancy),\n",
            "      if (occupancy_w > max_occ) max_occ = occupancy_w;\n",
        )
    } else {
        ("", "", "")
    };
    // Dual-clock DUTs: the Gray pointers must change by at most one bit per edge.
    let gray_check = if t.m_period.is_some() {
        r#"  reg [31:0] wg_prev = 0, rg_prev = 0, diff;
  integer ones, b;
  always @(posedge s_clk) begin
    diff = dut.wr_ptr_gray ^ wg_prev;
    ones = 0;
    for (b = 0; b < 32; b = b + 1) ones = ones + diff[b];
    if (ones > 1) begin errors = errors + 1; $display("GRAY write pointer jumped"); end
    wg_prev = dut.wr_ptr_gray;
  end
  always @(posedge m_clk) begin
    diff = dut.rd_ptr_gray ^ rg_prev;
    ones = 0;
    for (b = 0; b < 32; b = b + 1) ones = ones + diff[b];
    if (ones > 1) begin errors = errors + 1; $display("GRAY read pointer jumped"); end
    rg_prev = dut.rd_ptr_gray;
  end"#
    } else {
        ""
    };
    let (words, vp, rp, seed) = (t.words, t.valid_pct, t.ready_pct, t.seed);
    let w1 = width - 1;
    format!(
        r#"`timescale 1ns/1ps
module tb;
  reg s_clk = 1'b0;
  reg m_clk = 1'b0;
  reg s_rst = 1'b1;
  reg m_rst = 1'b1;
  always #{half_s:.3} s_clk = ~s_clk;
{m_clock}
  reg s_valid;
  wire s_ready;
  reg [{w1}:0] s_payload;
  wire m_valid;
  reg m_ready;
  wire [{w1}:0] m_payload;
{occ_decl}
  {dut} dut (
{domains}{occ_port}    .s_valid(s_valid), .s_ready(s_ready), .s_payload(s_payload),
    .m_valid(m_valid), .m_ready(m_ready), .m_payload(m_payload)
  );

  function [{w1}:0] word;
    input [31:0] i;
    reg [31:0] x;
    begin
      x = i * 32'h9E3779B1;
      word = x[31:32-{width}] ^ i[{w1}:0];
    end
  endfunction

  integer seed_s = {seed};
  integer seed_m = {seed} + 7919;
  integer sent = 0;
  integer recv = 0;
  integer errors = 0;
  integer extra = 0;
  integer cycles = 0;
  integer first = -1;
  integer last = -1;
  integer max_occ = 0;
  integer full_cycles = 0;
  integer next;
  reg prev_stall = 1'b0;
  reg [{w1}:0] prev_data;

  always @(posedge s_clk) begin
    if (s_rst) begin
      s_valid <= 1'b0;
      s_payload <= {width}'d0;
    end else begin
      next = sent;
      if (s_valid && !s_ready) full_cycles = full_cycles + 1;
      if (s_valid && s_ready) begin
        sent = sent + 1;
        next = sent;
      end
      if (!s_valid || s_ready) begin
        if (next < {words} && (($random(seed_s) & 32'h7fffffff) % 100) < {vp}) begin
          s_valid <= 1'b1;
          s_payload <= word(next);
        end else begin
          s_valid <= 1'b0;
          s_payload <= {{{width}{{1'bx}}}};
        end
      end
{occ_track}    end
  end

  always @(posedge m_clk) begin
    if (m_rst) begin
      m_ready <= 1'b0;
    end else begin
      cycles = cycles + 1;
      if (prev_stall && (m_valid !== 1'b1 || m_payload !== prev_data)) begin
        errors = errors + 1;
        $display("RULE stalled output changed at word %0d", recv);
      end
      if (m_valid === 1'bx) begin
        errors = errors + 1;
        $display("RULE m_valid is x");
      end
      if (m_valid && m_ready) begin
        if (recv >= {words}) begin
          extra = extra + 1;
        end else if (m_payload !== word(recv)) begin
          errors = errors + 1;
          if (errors < 10) $display("MISMATCH word %0d: got %h expected %h", recv, m_payload, word(recv));
        end
        if (first < 0) first = cycles;
        last = cycles;
        recv = recv + 1;
      end
      prev_stall = m_valid && !m_ready;
      prev_data = m_payload;
      m_ready <= (($random(seed_m) & 32'h7fffffff) % 100) < {rp};
    end
  end

{gray_check}
  initial begin
    #100;
    @(posedge s_clk) s_rst <= 1'b0;
    @(posedge m_clk) m_rst <= 1'b0;
    wait (recv >= {words} || cycles > {words} * 40 + 1000);
    repeat (50) @(posedge m_clk);
    $display("DONE sent=%0d recv=%0d errors=%0d extra=%0d first=%0d last=%0d max_occ=%0d full_cycles=%0d",
      sent, recv, errors, extra, first, last, max_occ, full_cycles);
    $finish;
  end
endmodule
"#
    )
}

fn parse_outcome(text: &str) -> Outcome {
    let line = text
        .lines()
        .find(|l| l.starts_with("DONE "))
        .unwrap_or_else(|| panic!("no DONE line in:\n{text}"));
    let mut o = Outcome::default();
    for kv in line["DONE ".len()..].split_whitespace() {
        let (k, v) = kv.split_once('=').expect("key=value");
        let v: i64 = v.parse().expect("number");
        match k {
            "sent" => o.sent = v as u64,
            "recv" => o.recv = v as u64,
            "errors" => o.errors = v as u64,
            "extra" => o.extra = v as u64,
            "first" => o.first = v,
            "last" => o.last = v,
            "max_occ" => o.max_occ = v as u64,
            "full_cycles" => o.full_cycles = v as u64,
            _ => panic!("unknown key {k}"),
        }
    }
    o
}

/// Runs the stream testbench and returns its outcome (and the printed text).
fn run_stream<C: Component>(c: &C, test: &str, width: u32, t: &Traffic) -> (Outcome, String) {
    let e = elab(c);
    let tb = stream_tb(e.top_name(), width, t);
    let text = support::icarus_sim(&e, test, &tb, "tb");
    (parse_outcome(&text), text)
}

/// Every word arrives once, in order, with nothing extra.
fn assert_lossless(o: &Outcome, words: u32, text: &str) {
    assert_eq!(o.errors, 0, "{text}");
    assert_eq!(o.extra, 0, "{text}");
    assert_eq!(o.sent, u64::from(words), "{text}");
    assert_eq!(o.recv, u64::from(words), "{text}");
}

fn traffic(words: u32, valid_pct: u32, ready_pct: u32, seed: u32) -> Traffic {
    Traffic {
        words,
        valid_pct,
        ready_pct,
        seed,
        s_period: 10.0,
        m_period: None,
        occupancy: false,
    }
}

#[test]
fn stages_keep_order_under_random_traffic() {
    for kind in [StageKind::Forward, StageKind::Backward, StageKind::Full] {
        for (seed, vp, rp) in [(1, 70, 60), (2, 30, 90), (3, 95, 20)] {
            let t = traffic(3000, vp, rp, seed);
            let (o, text) = run_stream(&StreamStage { width: 16, kind }, "sim_stage", 16, &t);
            assert_lossless(&o, 3000, &text);
        }
    }
}

#[test]
fn stages_have_full_throughput() {
    for kind in [StageKind::Forward, StageKind::Backward, StageKind::Full] {
        let t = traffic(2000, 100, 100, 5);
        let (o, text) = run_stream(&StreamStage { width: 16, kind }, "sim_stage_rate", 16, &t);
        assert_lossless(&o, 2000, &text);
        assert_eq!(
            o.last - o.first + 1,
            2000,
            "{kind:?} is not 1 word/cycle:\n{text}"
        );
    }
}

/// A broken slice that ignores back-pressure: it must fail the scoreboard.
#[derive(Debug)]
struct Lossy;

impl Component for Lossy {
    type Io = StreamIo;
    fn name(&self) -> String {
        "lossy_w16".into()
    }
    fn io(&self) -> Self::Io {
        StreamIo::ty(16)
    }
    fn build(&self, io: &Self::Io) {
        io.s.ready.set(true);
        let v = reg("v", Bool::ty()).init(false);
        v.set(io.s.valid);
        let d = reg_next("d", &io.s.payload);
        io.m.valid.set(v);
        io.m.payload.set(d);
    }
}

#[test]
fn scoreboard_catches_a_lossy_design() {
    let t = traffic(500, 70, 60, 9);
    let (o, text) = run_stream(&Lossy, "sim_lossy", 16, &t);
    assert!(
        o.errors > 0 && o.recv != 500,
        "the testbench did not notice lost words:\n{text}"
    );
}

#[test]
fn fifo_keeps_order_and_fills_up() {
    for (depth, seed, vp, rp) in [
        (16, 11, 80, 40),
        (5, 12, 50, 50),
        (2, 13, 90, 90),
        (64, 14, 95, 10),
        (7, 15, 20, 95),
    ] {
        let mut t = traffic(4000, vp, rp, seed);
        t.occupancy = true;
        let (o, text) = run_stream(&StreamFifo { width: 16, depth }, "sim_fifo", 16, &t);
        assert_lossless(&o, 4000, &text);
        if rp < vp {
            assert_eq!(o.max_occ, u64::from(depth), "depth {depth} never filled:\n{text}");
        }
        assert!(o.max_occ <= u64::from(depth), "{text}");
    }
}

#[test]
fn fifo_has_full_throughput() {
    for depth in [3, 16] {
        let mut t = traffic(2000, 100, 100, 21);
        t.occupancy = true;
        let (o, text) = run_stream(&StreamFifo { width: 16, depth }, "sim_fifo_rate", 16, &t);
        assert_lossless(&o, 2000, &text);
        assert_eq!(
            o.last - o.first + 1,
            2000,
            "depth {depth} is not 1 word/cycle:\n{text}"
        );
    }
}

#[test]
fn fifo_uses_block_ram_form() {
    let e = elab(&StreamFifo {
        width: 64,
        depth: 512,
    });
    let v = e.verilog();
    assert!(v.contains("module stream_fifo_w64_d512"), "{v}");
    assert!(v.contains("reg  [63:0] ram [0:511];"), "{v}");
    assert!(v.contains("ram_rdata0 <= ram[pop_ptr_next];"), "{v}");
    support::check_rtl(&e, "lint_fifo_bram");
}

#[test]
fn async_fifo_crosses_unrelated_clocks() {
    // Fast push side and slow pop side, then the other way round.
    for (sp, mp, depth, seed, vp, rp) in [
        (10.0, 7.3, 16, 31, 90, 60),
        (7.3, 10.0, 16, 32, 90, 80),
        (10.0, 7.3, 4, 33, 50, 50),
        (7.3, 10.0, 2, 34, 95, 95),
        (10.0, 7.3, 8, 35, 30, 95),
    ] {
        let mut t = traffic(4000, vp, rp, seed);
        t.s_period = sp;
        t.m_period = Some(mp);
        let (o, text) = run_stream(&AsyncFifo { width: 16, depth }, "sim_async_fifo", 16, &t);
        assert_lossless(&o, 4000, &text);
        // When the pop side is slower, the sender must have seen the FIFO full.
        if f64::from(rp) / mp < f64::from(vp) / sp {
            assert!(o.full_cycles > 0, "never full:\n{text}");
        }
    }
}

#[test]
fn async_fifo_marks_synchronisers() {
    let e = elab(&AsyncFifo { width: 8, depth: 16 });
    let json = e.json();
    let v = e.verilog();
    for s in [
        "wr_ptr_gray_sync1",
        "rd_ptr_gray_sync1",
        "s_clk",
        "s_rst",
        "m_clk",
        "m_rst",
    ] {
        assert!(v.contains(s), "{s} missing:\n{v}");
    }
    let m = &e.design.modules[0];
    let synced: Vec<&str> = m
        .signals
        .iter()
        .filter(|s| s.reg.as_ref().is_some_and(|r| r.cdc_sync))
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(synced, ["rd_ptr_gray_sync1", "wr_ptr_gray_sync1"], "{json}");
}

/// A stream buffered by [`Stream::queue`] and then registered.
#[derive(Debug)]
struct Queued;

impl Component for Queued {
    type Io = StreamIo;
    fn name(&self) -> String {
        "queued_w16".into()
    }
    fn io(&self) -> StreamIo {
        StreamIo::ty(16)
    }
    fn build(&self, io: &StreamIo) {
        let q = io.s.queue("u_fifo", 8).m2s_pipe("out");
        io.m.connect_from(&q);
    }
}

#[test]
fn queue_instantiates_a_fifo() {
    let e = elab(&Queued);
    support::check_rtl(&e, "lint_queued");
    assert!(e.verilog().contains("stream_fifo_w16_d8 u_fifo ("));
    let t = traffic(3000, 80, 50, 41);
    let (o, text) = run_stream(&Queued, "sim_queued", 16, &t);
    assert_lossless(&o, 3000, &text);
    assert!(o.full_cycles > 0, "{text}");
}

bundle! {
    /// A flow in, a flow out.
    pub struct FlowIo {
        #[input]
        pub s: Flow<Bits>,
        pub m: Flow<Bits>,
        /// What the stream side transferred.
        pub seen: Flow<Bits>,
        #[input]
        pub x: Stream<Bits>,
    }
}

#[derive(Debug)]
struct FlowStage;

impl Component for FlowStage {
    type Io = FlowIo;
    fn name(&self) -> String {
        "flow_stage".into()
    }
    fn io(&self) -> FlowIo {
        FlowIo {
            s: Flow::ty(Bits::ty(8)),
            m: Flow::ty(Bits::ty(8)),
            seen: Flow::ty(Bits::ty(8)),
            x: Stream::ty(Bits::ty(8)),
        }
    }
    fn build(&self, io: &FlowIo) {
        let staged = io.s.stage("st");
        io.m.valid.set(staged.valid);
        io.m.payload.set(staged.payload);
        io.x.ready.set(true);
        let f = io.x.as_flow();
        io.seen.valid.set(f.valid);
        io.seen.payload.set(f.payload);
    }
}

#[test]
fn flows_stage_and_observe() {
    let e = elab(&FlowStage);
    support::check_rtl(&e, "lint_flow_stage");
    let v = e.verilog();
    for s in [
        "st_valid <= s_valid;",
        "st_payload <= s_payload;",
        "st_valid <= 1'b0;",
    ] {
        assert!(v.contains(s), "missing `{s}`:\n{v}");
    }
}

#[test]
fn fifo_memory_is_inferred_by_yosys() {
    let e = elab(&StreamFifo {
        width: 32,
        depth: 1024,
    });
    let files = support::check_rtl(&e, "yosys_fifo_mem");
    let reads: Vec<String> = files
        .iter()
        .map(|f| format!("read_verilog {};", f.display()))
        .collect();
    let script = format!(
        "{} hierarchy -top {}; proc; opt; memory -nomap; stat",
        reads.join(" "),
        e.top_name()
    );
    let out = std::process::Command::new("yosys")
        .args(["-p", &script])
        .output()
        .expect("run yosys");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    // The storage is one memory cell, not 32768 flip-flops.
    assert!(text.contains("$mem_v2"), "no memory cell inferred:\n{text}");
}
