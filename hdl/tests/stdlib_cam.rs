//! The CAM from `hdl::stdlib::cam`, simulated under Icarus against a
//! behavioural table kept by the testbench, at every supported latency.

mod support;

use hdl::stdlib::cam::Cam;

fn cam_case(latency: u32, test: &str) {
    let cam = Cam {
        entries: 8,
        key_width: 16,
        value_width: 12,
        latency,
    };
    let e = hdl::elaborate(&cam).unwrap_or_else(|d| panic!("{d}"));
    support::check_rtl(&e, &format!("{test}_lint"));
    let tb = format!(
        r#"`timescale 1ns/1ps
module tb;
  reg clk = 1'b0;
  reg rst = 1'b1;
  reg wr_en = 1'b0, wr_valid = 1'b0, lookup_valid = 1'b0;
  reg [2:0] wr_index = 3'd0;
  reg [15:0] wr_key = 16'd0, lookup_key = 16'd0;
  reg [11:0] wr_value = 12'd0;
  wire result_valid, hit;
  wire [11:0] value;
  wire [2:0] index;
  {top} dut (.clk(clk), .rst(rst), .wr_en(wr_en), .wr_index(wr_index), .wr_valid(wr_valid),
    .wr_key(wr_key), .wr_value(wr_value), .lookup_valid(lookup_valid), .lookup_key(lookup_key),
    .result_valid(result_valid), .hit(hit), .value(value), .index(index));
  reg m_valid [0:7];
  reg [15:0] m_key [0:7];
  reg [11:0] m_value [0:7];
  reg q_rv [1:3];
  reg q_hit [1:3];
  reg [11:0] q_value [1:3];
  reg [2:0] q_index [1:3];
  reg e_hit;
  reg [11:0] e_value;
  reg [2:0] e_index;
  integer i, k, errors, hits, misses, seed, cyc;
  always #5 clk = ~clk;
  always @(posedge clk) begin
    if (!rst) begin
      // 1. the outputs answer the lookup of {latency} cycle(s) ago
      if (result_valid !== q_rv[{latency}] ||
          (q_rv[{latency}] && (hit !== q_hit[{latency}] || value !== q_value[{latency}] || index !== q_index[{latency}]))) begin
        $display("FAIL cycle %0d: rv %b hit %b value %h index %0d; want rv %b hit %b value %h index %0d",
          cyc, result_valid, hit, value, index, q_rv[{latency}], q_hit[{latency}], q_value[{latency}], q_index[{latency}]);
        errors = errors + 1;
      end
      if (result_valid && hit) hits = hits + 1;
      if (result_valid && !hit) misses = misses + 1;
      // 2. this cycle's lookup against the table as it is before this cycle's write
      e_hit = 1'b0; e_value = 12'd0; e_index = 3'd0;
      for (i = 7; i >= 0; i = i - 1) begin
        if (m_valid[i] && m_key[i] == lookup_key) begin
          e_hit = 1'b1; e_value = m_value[i]; e_index = i;
        end
      end
      for (k = 3; k > 1; k = k - 1) begin
        q_rv[k] = q_rv[k-1]; q_hit[k] = q_hit[k-1]; q_value[k] = q_value[k-1]; q_index[k] = q_index[k-1];
      end
      q_rv[1] = lookup_valid; q_hit[1] = e_hit; q_value[1] = e_value; q_index[1] = e_index;
      // 3. this cycle's write
      if (wr_en) begin
        m_valid[wr_index] = wr_valid; m_key[wr_index] = wr_key; m_value[wr_index] = wr_value;
      end
    end
    cyc = cyc + 1;
  end
  always @(negedge clk) begin
    if (!rst) begin
      wr_en <= ($random(seed) % 3) == 0;
      wr_index <= $random(seed);
      wr_valid <= ($random(seed) % 5) != 0;
      wr_key <= $random(seed) & 16'h000f;
      wr_value <= $random(seed);
      lookup_valid <= ($random(seed) & 3) != 0;
      lookup_key <= ($random(seed) & 16'h000f) | ((($random(seed) % 16) == 0) ? 16'h0100 : 16'h0000);
    end
  end
  initial begin
    errors = 0; hits = 0; misses = 0; seed = 11; cyc = 0;
    for (i = 0; i < 8; i = i + 1) begin m_valid[i] = 1'b0; m_key[i] = 16'd0; m_value[i] = 12'd0; end
    for (k = 1; k <= 3; k = k + 1) begin q_rv[k] = 1'b0; q_hit[k] = 1'b0; q_value[k] = 12'd0; q_index[k] = 3'd0; end
    repeat (3) @(posedge clk);
    #1 rst = 1'b0;
    repeat (2000) @(posedge clk);
    $display("DONE errors=%0d hits=%0d misses=%0d", errors, hits, misses);
    $finish;
  end
endmodule
"#,
        top = e.top_name()
    );
    let out = support::icarus_sim(&e, test, &tb, "tb");
    assert!(out.contains("DONE errors=0 "), "{test}:\n{out}");
    let num = |tag: &str| -> u32 {
        out.split(tag)
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
            .and_then(|s| s.parse().ok())
            .expect("count")
    };
    assert!(num("hits=") > 100 && num("misses=") > 100, "{out}");
}

#[test]
fn cam_latency1_matches_model() {
    cam_case(1, "stdlib_cam_l1");
}

#[test]
fn cam_latency2_matches_model() {
    cam_case(2, "stdlib_cam_l2");
}

#[test]
fn cam_latency3_matches_model() {
    cam_case(3, "stdlib_cam_l3");
}
