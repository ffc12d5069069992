//! The shim's evaluation step (`src/eval_step.rs`): a single-threaded model
//! built with a Verilator whose `eval_step()` keeps per-thread mtask state
//! (5.006) runs a copy without it; a multi-threaded model calls `eval()`; both
//! compute the same thing.

use verilator::{Model, Source};

mod common;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Two independent pipelines (work for two simulation threads) folded into
/// one output, and a `$display` once, from a clocked block, to show that
/// messages from the eval thread still run at once.
const DESIGN: &str = "module two_lanes(input clk, input rst, input [31:0] a, input [31:0] b,
                 output [31:0] y, output reg [7:0] shown);
  reg [31:0] pa [0:3];
  reg [31:0] pb [0:3];
  integer i;
  always @(posedge clk) begin
    pa[0] <= rst ? 32'd0 : a * 32'd2654435761;
    pb[0] <= rst ? 32'd0 : (b ^ (b >> 7)) + 32'd40503;
    for (i = 1; i < 4; i = i + 1) begin
      pa[i] <= pa[i-1] + (pa[i-1] << 3);
      pb[i] <= pb[i-1] ^ (pb[i-1] >> 5);
    end
    if (rst) shown <= 8'd0;
    else if (shown == 8'd0 && pa[3] != 32'd0) begin
      $display(\"two_lanes: first result %0d\", pa[3]);
      shown <= 8'd1;
    end
  end
  assign y = pa[3] ^ pb[3];
endmodule
";

/// `n` cycles of pseudo-random inputs `(a, b)`.
fn stimulus(n: u32) -> Vec<(u32, u32)> {
    let mut x: u64 = 0x1234_5678_9abc_def1;
    (0..n)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((x >> 32) as u32, x as u32)
        })
        .collect()
}

/// Drives `m` with `ins`, a cycle each; returns every output.
fn run(m: &mut Model, ins: &[(u32, u32)]) -> Result<Vec<(u64, u64)>, verilator::Error> {
    let (a, b, y, shown) = (m.port("a")?, m.port("b")?, m.port("y")?, m.port("shown")?);
    m.add_clock("clk", 10)?;
    m.reset("rst", true, 2)?;
    let mut out = Vec::new();
    for &(va, vb) in ins {
        m.set_u64(a, u64::from(va))?;
        m.set_u64(b, u64::from(vb))?;
        m.step()?;
        out.push((m.get_u64(y)?, m.get_u64(shown)?));
    }
    Ok(out)
}

fn source() -> Result<Source, std::io::Error> {
    let file = common::verilog_file("lhv-eval-step", "two_lanes.v", DESIGN)?;
    Ok(Source::from_files([&file], "two_lanes"))
}

/// Whether the model's shim calls `eval()` rather than a copy of `eval_step()`.
fn calls_eval(m: &Model) -> Result<bool, std::io::Error> {
    let shim = std::fs::read_to_string(m.build_info().dir.join("lhv_shim.cpp"))?;
    Ok(shim.contains("top->eval();"))
}

#[test]
fn single_and_multi_threaded_models_agree() -> TestResult {
    let mut single = Model::builder(source()?).cxx_opt("-O1").trace(None).build()?;
    let mut multi = Model::builder(source()?)
        .cxx_opt("-O1")
        .trace(None)
        .verilator_arg("--threads")
        .verilator_arg("2")
        .build()?;

    // The direct step only where this Verilator's eval_step() has the
    // per-thread bookkeeping to drop; a multi-threaded model never.
    let generated = std::fs::read_to_string(single.build_info().dir.join("obj/Vlhv.cpp"))?;
    let has_bookkeeping = generated.contains("Verilated::mtaskId(0);");
    assert_eq!(calls_eval(&single)?, !has_bookkeeping, "single-threaded shim");
    assert!(calls_eval(&multi)?, "a multi-threaded model calls eval()");

    let n = 2000;
    let ins = stimulus(n);
    let (s, m) = (run(&mut single, &ins)?, run(&mut multi, &ins)?);
    assert_eq!(s, m, "single- and multi-threaded models differ");
    // Independent check of the datapath against a Rust model.
    let lane_a = |a: u32| (0..3).fold(a.wrapping_mul(2654435761), |p, _| p.wrapping_add(p << 3));
    let lane_b = |b: u32| (0..3).fold((b ^ (b >> 7)).wrapping_add(40503), |p, _| p ^ (p >> 5));
    // The output after cycle k shows the inputs of cycle k - 3 (four stages,
    // the last read right after its clock edge).
    for k in 3..n as usize {
        let (a, b) = ins[k - 3];
        assert_eq!(s[k].0, u64::from(lane_a(a) ^ lane_b(b)), "cycle {k}");
    }
    assert_eq!(s[n as usize - 1].1, 1, "the clocked $display branch ran");
    Ok(())
}
