//! The FSM builder from `hdl::stdlib::fsm`: a controller's state sequence,
//! entry/exit queries and recovery from an illegal code, simulated under Icarus
//! and compared with the sequence the specification below gives.

mod support;

use hdl::prelude::*;
use hdl::stdlib::fsm::Fsm;

hw_enum! {
    /// Controller phases (5 states in 3 bits: codes 5..7 are illegal).
    pub enum Phase: Binary { Idle, Load, Run, Done, Flush }
}

hw_enum! {
    /// A one-hot traffic light.
    pub enum Light: OneHot { Red, Green, Yellow }
}

bundle! {
    /// Ports of the test controller.
    pub struct CtrlIo {
        #[input]
        pub start: Bool,
        pub phase: Bits,
        pub light: Bits,
        pub entering_run: Bool,
        pub exiting_run: Bool,
        pub first_done: Bool,
    }
}

/// Idle -(start)-> Load -> Run (3 cycles) -> Done -> Flush -> Idle; the light
/// advances Red -> Green -> Yellow -> Red in every cycle spent in Run.
#[derive(Debug)]
struct Ctrl;

impl Component for Ctrl {
    type Io = CtrlIo;
    fn name(&self) -> String {
        "fsm_ctrl".into()
    }
    fn io(&self) -> CtrlIo {
        CtrlIo {
            start: Bool::ty(),
            phase: Bits::ty(3),
            light: Bits::ty(3),
            entering_run: Bool::ty(),
            exiting_run: Bool::ty(),
            first_done: Bool::ty(),
        }
    }
    fn build(&self, io: &CtrlIo) {
        let count = reg("run_count", UInt::ty(2)).init(0);
        let fsm = Fsm::new("ctrl", Phase::Idle);
        fsm.states(|s| {
            s.on(Phase::Idle, || {
                when(io.start, || fsm.goto(Phase::Load));
            });
            s.on(Phase::Load, || {
                count.set(0);
                fsm.goto(Phase::Run);
            });
            s.on(Phase::Run, || {
                count.set(count + 1);
                when(count.is_eq(2), || fsm.goto(Phase::Done));
            });
            s.on(Phase::Done, || fsm.goto(Phase::Flush));
            s.on(Phase::Flush, || fsm.goto(Phase::Idle));
        });
        let light = Fsm::new("light", Light::Red);
        let running = fsm.is_active(Phase::Run);
        light.states(|s| {
            s.on(Light::Red, || {
                when(running, || light.goto(Light::Green));
            });
            s.on(Light::Green, || {
                when(running, || light.goto(Light::Yellow));
            });
            s.on(Light::Yellow, || {
                when(running, || light.goto(Light::Red));
            });
        });
        io.phase.set(fsm.state().as_bits());
        io.light.set(light.state().as_bits());
        io.entering_run.set(fsm.is_entering(Phase::Run));
        io.exiting_run.set(fsm.is_exiting(Phase::Run));
        io.first_done.set(fsm.just_entered(Phase::Done));
    }
}

const TB: &str = r#"`timescale 1ns/1ps
module tb;
  reg clk = 1'b0;
  reg rst = 1'b1;
  reg start = 1'b0;
  wire [2:0] phase, light;
  wire entering_run, exiting_run, first_done;
  integer cyc;
  fsm_ctrl dut (.clk(clk), .rst(rst), .start(start), .phase(phase), .light(light),
    .entering_run(entering_run), .exiting_run(exiting_run), .first_done(first_done));
  always #5 clk = ~clk;
  always @(posedge clk) begin
    if (!rst) $display("C %0d %b %0d %b %b %b %b", cyc, start, phase, light, entering_run, exiting_run, first_done);
    cyc = cyc + 1;
  end
  initial begin
    cyc = 0;
    repeat (2) @(posedge clk);
    #1 rst = 1'b0;
    repeat (2) @(posedge clk);
    #1 start = 1'b1;
    @(posedge clk);
    #1 start = 1'b0;
    repeat (9) @(posedge clk);
    // an illegal code must recover to Idle
    @(negedge clk) force dut.ctrl_state = 3'd7;
    @(negedge clk) release dut.ctrl_state;
    repeat (3) @(posedge clk);
    $finish;
  end
endmodule
"#;

#[test]
fn controller_follows_its_specification() {
    let e = hdl::elaborate(&Ctrl).unwrap_or_else(|d| panic!("{d}"));
    support::check_rtl(&e, "stdlib_fsm_lint");
    let v = e.verilog();
    assert!(v.contains("case (ctrl_state)"), "{v}");
    for name in ["PHASE_IDLE = 3'd0", "PHASE_FLUSH = 3'd4", "LIGHT_YELLOW = 3'd4"] {
        assert!(
            v.contains(&format!("localparam [2:0] {name};")),
            "no localparam {name}:\n{v}"
        );
    }
    let out = support::icarus_sim(&e, "stdlib_fsm", TB, "tb");
    // (start, phase, light, entering_run, exiting_run, first_done) per cycle.
    let rows: Vec<(String, u32, String, String, String, String)> = out
        .lines()
        .filter_map(|l| l.strip_prefix("C "))
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (
                f[1].into(),
                f[2].parse().unwrap(),
                f[3].into(),
                f[4].into(),
                f[5].into(),
                f[6].into(),
            )
        })
        .collect();
    let phases: Vec<u32> = rows.iter().map(|r| r.1).collect();
    // Binary codes: Idle 0, Load 1, Run 2, Done 3, Flush 4.
    // Cycles: 2 idle, start seen in Idle, Load, Run x3, Done, Flush, Idle...,
    // then the illegal code 7 (forced across one clock edge, so seen twice;
    // after the release it lasts one cycle), then Idle again.
    let want: Vec<u32> = vec![0, 0, 0, 1, 2, 2, 2, 3, 4, 0, 0, 0, 7, 7, 0, 0];
    assert_eq!(&phases[..want.len()], &want[..], "{out}");
    let lights: Vec<&str> = rows.iter().map(|r| r.2.as_str()).collect();
    // One-hot: Red 001, Green 010, Yellow 100; advances once per Run cycle.
    assert_eq!(
        &lights[..10],
        &["001", "001", "001", "001", "001", "010", "100", "001", "001", "001"],
        "{out}"
    );
    let entering: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|r| r.1 .3 == "1")
        .map(|r| r.0)
        .collect();
    let exiting: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|r| r.1 .4 == "1")
        .map(|r| r.0)
        .collect();
    let first_done: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|r| r.1 .5 == "1")
        .map(|r| r.0)
        .collect();
    assert_eq!(entering, vec![3], "enter Run at the end of the Load cycle\n{out}");
    assert_eq!(exiting, vec![6], "leave Run at the end of its third cycle\n{out}");
    assert_eq!(first_done, vec![7], "first cycle of Done\n{out}");
    assert_eq!(rows[2].0, "1", "start is seen in cycle 2\n{out}");
}
