//! Counters and timers from `hdl::stdlib::counter`, simulated under Icarus
//! against a behavioural model in the testbench and the timer's specification.

mod support;

use hdl::stdlib::counter::{Counter, Timer, TimerMode};

fn counter_case(modulo: u64, test: &str) {
    let e = hdl::elaborate(&Counter { modulo }).unwrap_or_else(|d| panic!("{d}"));
    support::check_rtl(&e, &format!("{test}_lint"));
    let w = (64 - (modulo - 1).leading_zeros()).max(1);
    let tb = format!(
        r#"`timescale 1ns/1ps
module tb;
  reg clk = 1'b0;
  reg rst = 1'b1;
  reg enable = 1'b0;
  reg clear = 1'b0;
  wire [{w1}:0] value;
  wire wrap, overflow;
  integer model, model_ovf, errors, wraps, cyc, seed;
  {top} dut (.clk(clk), .rst(rst), .enable(enable), .clear(clear), .value(value), .wrap(wrap), .overflow(overflow));
  always #5 clk = ~clk;
  always @(posedge clk) begin
    if (!rst) begin
      if (value !== model[{w1}:0] || wrap !== (enable && !clear && model == {last}) || overflow !== model_ovf[0]) begin
        $display("FAIL cycle %0d: value %0d wrap %b overflow %b, model %0d ovf %0d", cyc, value, wrap, overflow, model, model_ovf);
        errors = errors + 1;
      end
      if (clear) begin
        model = 0; model_ovf = 0;
      end else if (enable) begin
        if (model == {last}) begin
          model = 0; model_ovf = 1; wraps = wraps + 1;
        end else begin
          model = model + 1;
        end
      end
    end
    cyc = cyc + 1;
  end
  always @(negedge clk) begin
    enable <= ($random(seed) & 3) != 0;
    clear <= ($random(seed) % 29) == 0;
  end
  initial begin
    model = 0; model_ovf = 0; errors = 0; wraps = 0; cyc = 0; seed = 3;
    repeat (2) @(posedge clk);
    #1 rst = 1'b0;
    repeat (400) @(posedge clk);
    $display("DONE errors=%0d wraps=%0d", errors, wraps);
    $finish;
  end
endmodule
"#,
        w1 = w - 1,
        last = modulo - 1,
        top = e.top_name()
    );
    let out = support::icarus_sim(&e, test, &tb, "tb");
    assert!(out.contains("DONE errors=0 wraps="), "{test}:\n{out}");
    let wraps: u32 = out
        .split("wraps=")
        .nth(1)
        .and_then(|s| s.trim().parse().ok())
        .expect("wrap count");
    assert!(wraps >= 5, "too few wraps to mean anything:\n{out}");
}

#[test]
fn counter_mod5_follows_model() {
    counter_case(5, "stdlib_counter_m5");
}

#[test]
fn counter_mod8_follows_model() {
    counter_case(8, "stdlib_counter_m8");
}

/// Simulates a timer with a fixed schedule of start/stop pulses and returns
/// the cycles of (starts, stops, ticks).
fn timer_events(t: &Timer, test: &str) -> (Vec<u64>, Vec<u64>, Vec<u64>) {
    let e = hdl::elaborate(t).unwrap_or_else(|d| panic!("{d}"));
    support::check_rtl(&e, &format!("{test}_lint"));
    let tb = format!(
        r#"`timescale 1ns/1ps
module tb;
  reg clk = 1'b0;
  reg rst = 1'b1;
  reg start = 1'b0;
  reg stop = 1'b0;
  wire tick, running;
  integer cyc;
  {top} dut (.clk(clk), .rst(rst), .start(start), .stop(stop), .tick(tick), .running(running));
  always #5 clk = ~clk;
  always @(posedge clk) begin
    if (start) $display("START %0d", cyc);
    if (stop) $display("STOP %0d", cyc);
    if (tick) $display("TICK %0d", cyc);
    cyc = cyc + 1;
  end
  always @(negedge clk) begin
    start <= !rst && (cyc == 5 || cyc == 30 || cyc == 33 || cyc == 70 || cyc == 80 || cyc == 101);
    stop <= !rst && (cyc == 60 || cyc == 72 || cyc == 101);
  end
  initial begin
    cyc = 0;
    repeat (2) @(posedge clk);
    #1 rst = 1'b0;
    repeat (130) @(posedge clk);
    $display("END %0d", cyc);
    $finish;
  end
endmodule
"#,
        top = e.top_name()
    );
    let out = support::icarus_sim(&e, test, &tb, "tb");
    let grab = |tag: &str| -> Vec<u64> {
        out.lines()
            .filter_map(|l| l.strip_prefix(tag))
            .map(|n| n.trim().parse().expect("cycle"))
            .collect()
    };
    let end = grab("END ");
    assert_eq!(end.len(), 1, "{out}");
    let mut stops = grab("STOP ");
    stops.push(end[0]);
    (grab("START "), stops, grab("TICK "))
}

/// The specification: a start in cycle `s` gives ticks at `s + k*N` (k >= 1;
/// only k = 1 for one-shot) strictly before the next start or stop.
fn expected_ticks(period: u64, mode: TimerMode, starts: &[u64], stops: &[u64]) -> Vec<u64> {
    let mut out = Vec::new();
    for &s in starts {
        let next = starts
            .iter()
            .chain(stops)
            .copied()
            .filter(|&c| c > s)
            .min()
            .unwrap_or(u64::MAX);
        let stopped_now = stops.contains(&s);
        if stopped_now {
            continue;
        }
        let mut k = 1;
        while s + k * period < next {
            out.push(s + k * period);
            if mode == TimerMode::OneShot {
                break;
            }
            k += 1;
        }
    }
    out
}

fn timer_case(period: u64, mode: TimerMode, test: &str) {
    let t = Timer { period, mode };
    let (starts, stops, ticks) = timer_events(&t, test);
    assert_eq!(starts.len(), 6, "schedule as written");
    let want = expected_ticks(period, mode, &starts, &stops);
    assert!(!want.is_empty());
    assert_eq!(ticks, want, "starts {starts:?} stops {stops:?}");
}

#[test]
fn oneshot_timer_ticks_once_n_cycles_after_start() {
    timer_case(7, TimerMode::OneShot, "stdlib_timer_oneshot");
}

#[test]
fn periodic_timer_ticks_every_n_cycles() {
    timer_case(4, TimerMode::Periodic, "stdlib_timer_periodic4");
}

#[test]
fn periodic_timer_with_period_one_ticks_every_cycle() {
    timer_case(1, TimerMode::Periodic, "stdlib_timer_periodic1");
}
