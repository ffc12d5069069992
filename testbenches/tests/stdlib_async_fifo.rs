//! `AsyncFifo` through Verilator between two unrelated clocks (4.0 and 6.4 ns
//! both ways round, and 4.000 against 4.002 ns, whose edges slide slowly past
//! each other), with random stalls on both sides: nothing is lost, duplicated
//! or reordered. A probe wrapper exposes the Gray-coded pointers, which must
//! step by one bit, and by one position, per edge of their own clock. A reset
//! in the middle of traffic empties the FIFO.

use hdl::stdlib::async_fifo::AsyncFifo;
use testbenches::axis::{AxisFrame, AxisSink, AxisSource, Pace};
use testbenches::rtl_check::check_rtl;
use testbenches::{rng, Agent, Error, Handle, Result, Scoreboard, Testbench};
use verilator::{Direction, Model, PortHandle, PortSpec, Source};

const WIDTH: u32 = 16;
const DEPTH: u32 = 8;

/// The FIFO inside a hand-written wrapper that brings its Gray pointers out
/// through hierarchical references (test only: the FIFO has no such ports).
fn probe_model(test: &str) -> Model {
    let fifo = AsyncFifo {
        width: WIDTH,
        depth: DEPTH,
    };
    let e = hdl::elaborate(&fifo).unwrap_or_else(|d| panic!("{d}"));
    check_rtl(&e, test);
    let top = e.top_name();
    let (w, p) = (WIDTH - 1, hdl::clog2(DEPTH));
    let wrapper = format!(
        "`default_nettype none
module tb_async_fifo_probe (
  input  wire         s_clk,
  input  wire         s_rst,
  input  wire         m_clk,
  input  wire         m_rst,
  input  wire         s_valid,
  output wire         s_ready,
  input  wire [{w}:0] s_payload,
  output wire         m_valid,
  input  wire         m_ready,
  output wire [{w}:0] m_payload,
  output wire [{p}:0]  probe_wr_ptr_gray,
  output wire [{p}:0]  probe_rd_ptr_gray
);
  {top} dut (
    .s_clk(s_clk), .s_rst(s_rst), .m_clk(m_clk), .m_rst(m_rst),
    .s_valid(s_valid), .s_ready(s_ready), .s_payload(s_payload),
    .m_valid(m_valid), .m_ready(m_ready), .m_payload(m_payload)
  );
  assign probe_wr_ptr_gray = dut.wr_ptr_gray;
  assign probe_rd_ptr_gray = dut.rd_ptr_gray;
endmodule
`default_nettype wire
"
    );
    // The wrapper's ports: the FIFO's, and the probes.
    let desc = hdl::backend::json::describe(&e.design);
    let mut ports = verilator::ports_from_desc(&desc).expect("ports");
    for name in ["probe_wr_ptr_gray", "probe_rd_ptr_gray"] {
        ports.push(PortSpec {
            name: name.into(),
            width: p + 1,
            direction: Direction::Output,
        });
    }
    let source = Source::Hdl {
        top: "tb_async_fifo_probe".into(),
        verilog: format!("{}\n{wrapper}", e.verilog()),
        ports,
    };
    Model::builder(source).cxx_opt("-O1").build().expect("model")
}

/// Checks that a Gray-coded pointer changes by at most one bit, and moves at
/// most one position forward, per edge of its clock (resets excepted).
struct GrayMonitor {
    name: &'static str,
    port: PortHandle,
    reset: PortHandle,
    last: Option<u64>,
    was_reset: bool,
    steps: u64,
}

impl GrayMonitor {
    fn new(m: &Model, name: &'static str, reset: &str) -> Result<GrayMonitor> {
        Ok(GrayMonitor {
            name,
            port: m.port(&format!("probe_{name}"))?,
            reset: m.port(reset)?,
            last: None,
            was_reset: false,
            steps: 0,
        })
    }
}

fn gray_to_binary(g: u64) -> u64 {
    (0..64).fold(0, |b, i| b ^ (g >> i))
}

impl Agent for GrayMonitor {
    fn sample(&mut self, m: &Model, cycle: u64) -> Result<()> {
        let v = m.get_u64(self.port)?;
        if let (Some(last), false) = (self.last, self.was_reset) {
            let mask = (1u64 << self.port.width()) - 1;
            let moved = gray_to_binary(v).wrapping_sub(gray_to_binary(last)) & mask;
            if (v ^ last).count_ones() > 1 || moved > 1 {
                return Err(Error::Mismatch(format!(
                    "{} at cycle {cycle}: {last:#b} -> {v:#b} is not one Gray step",
                    self.name
                )));
            }
            self.steps += moved;
        }
        self.last = Some(v);
        self.was_reset = m.get_u64(self.reset)? == 1;
        Ok(())
    }

    fn drive(&mut self, _m: &mut Model, _cycle: u64) -> Result<()> {
        Ok(())
    }
}

struct Bench {
    tb: Testbench,
    wr: Handle<GrayMonitor>,
    rd: Handle<GrayMonitor>,
}

fn bench(test: &str, s_period: u64, m_period: u64) -> Result<Bench> {
    let mut tb = Testbench::new(probe_model(test), rng::seed_for(test));
    tb.clock("s_clk", s_period)?;
    tb.clock("m_clk", m_period)?;
    tb.resets(&[("s_rst", true), ("m_rst", true)], 4)?;
    let wr = tb.attach("s_clk", GrayMonitor::new(tb.model(), "wr_ptr_gray", "s_rst")?);
    let rd = tb.attach("m_clk", GrayMonitor::new(tb.model(), "rd_ptr_gray", "m_rst")?);
    Ok(Bench { tb, wr, rd })
}

fn word(i: u64) -> Vec<u8> {
    ((i * 0x9e37 + 1) as u16).to_le_bytes().to_vec()
}

fn crossing(test: &str, s_period: u64, m_period: u64, words: u64) -> Result<()> {
    let seed = rng::seed_for(test);
    let Bench { mut tb, wr, rd } = bench(test, s_period, m_period)?;
    let src = tb.attach(
        "s_clk",
        AxisSource::stream(tb.model(), "s", Pace::random(70, seed))?,
    );
    let sink = AxisSink::stream(tb.model(), "m", Pace::random_bursts(10, 10, seed ^ 1))?;
    let sink = tb.attach("m_clk", sink);
    let mut board = Scoreboard::new(test);
    for i in 0..words {
        board.expect(word(i));
        tb.agent_mut(src).push(AxisFrame::new(word(i)));
    }
    // Until every word is out, then a while longer: a duplicate would show.
    tb.run_until(|tb| tb.agent(sink).frames().len() as u64 >= words, words * 20)?;
    tb.run("m_clk", 100)?;
    let got = tb.agent_mut(sink).take_frames();
    board.observe_all(got.into_iter().map(|f| f.data))?;
    board.finish()?;
    // Every word moved each pointer exactly one step.
    assert_eq!(tb.agent(wr).steps, words);
    assert_eq!(tb.agent(rd).steps, words);
    Ok(())
}

#[test]
fn slow_reader() -> Result<()> {
    crossing("async_fifo_4_0_to_6_4", 4_000, 6_400, 3_000)
}

#[test]
fn slow_writer() -> Result<()> {
    crossing("async_fifo_6_4_to_4_0", 6_400, 4_000, 3_000)
}

#[test]
fn nearly_equal_clocks() -> Result<()> {
    // 2 ps apart: the edges take 2,000 cycles to slide by one period, so
    // 8,000 words see every phase between the two clocks.
    crossing("async_fifo_4_000_to_4_002", 4_000, 4_002, 8_000)
}

#[test]
fn reset_empties_the_fifo() -> Result<()> {
    let Bench { mut tb, wr, rd } = bench("async_fifo_reset", 4_000, 6_400)?;
    let src = tb.attach("s_clk", AxisSource::stream(tb.model(), "s", Pace::Always)?);
    let (m_ready, m_valid) = (tb.model().port("m_ready")?, tb.model().port("m_valid")?);
    let s_ready = tb.model().port("s_ready")?;
    tb.model_mut().set_u64(m_ready, 0)?;
    for i in 0..5 {
        tb.agent_mut(src).push(AxisFrame::new(word(100 + i)));
    }
    tb.run_until_idle(100, 10)?;
    assert_eq!(tb.model().get_u64(m_valid)?, 1, "words are waiting");
    assert_eq!(tb.agent(wr).steps, 5);

    tb.resets(&[("s_rst", true), ("m_rst", true)], 4)?;
    tb.run("m_clk", 10)?;
    assert_eq!(tb.model().get_u64(m_valid)?, 0, "nothing left after reset");
    assert_eq!(tb.model().get_u64(s_ready)?, 1);
    for p in ["probe_wr_ptr_gray", "probe_rd_ptr_gray"] {
        let port = tb.model().port(p)?;
        assert_eq!(tb.model().get_u64(port)?, 0, "{p} after reset");
    }

    // Traffic after the reset: exactly the new words come out.
    let sink = tb.attach("m_clk", AxisSink::stream(tb.model(), "m", Pace::random(50, 3))?);
    let mut board = Scoreboard::new("after reset");
    for i in 0..50 {
        board.expect(word(i));
        tb.agent_mut(src).push(AxisFrame::new(word(i)));
    }
    tb.run_until(|tb| tb.agent(sink).frames().len() >= 50, 2_000)?;
    tb.run("m_clk", 100)?;
    board.observe_all(tb.agent_mut(sink).take_frames().into_iter().map(|f| f.data))?;
    board.finish()?;
    assert_eq!(tb.agent(rd).steps, 50);
    Ok(())
}
