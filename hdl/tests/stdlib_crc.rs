//! Parallel CRC and LFSR from `hdl::stdlib::crc`, simulated under Icarus and
//! checked against independent oracles: `crc32fast`, catalogue check values,
//! and the maximal period of a primitive polynomial.

mod support;

use hdl::stdlib::crc::{Crc, CrcParams, Lfsr, LfsrKind, CRC16_CCITT_FALSE, CRC32, CRC32_BZIP2, CRC64_XZ};
use std::fmt::Write;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn hex_bytes_le(bytes: &[u8], nbytes: usize) -> String {
    // Byte 0 is data[7:0]: print most significant byte first.
    let mut s = String::new();
    for i in (0..nbytes).rev() {
        write!(s, "{:02x}", bytes.get(i).copied().unwrap_or(0)).unwrap();
    }
    s
}

/// A testbench that streams `packets` (with random idle cycles and garbage on
/// invalid beats) into `module` and compares each result with `expected`.
fn crc_testbench(
    module: &str,
    data_width: u32,
    crc_width: u32,
    packets: &[Vec<u8>],
    expected: &[u64],
) -> String {
    let nbytes = (data_width / 8) as usize;
    let mut beats = Vec::new();
    for p in packets {
        if p.is_empty() {
            beats.push((Vec::new(), true));
        }
        let chunks: Vec<&[u8]> = p.chunks(nbytes).collect();
        for (i, c) in chunks.iter().enumerate() {
            beats.push((c.to_vec(), i + 1 == chunks.len()));
        }
    }
    let mut init = String::new();
    for (i, (bytes, last)) in beats.iter().enumerate() {
        let keep = if bytes.len() == 128 {
            u128::MAX
        } else {
            (1u128 << bytes.len()) - 1
        };
        writeln!(
            init,
            "    beat_data[{i}] = {data_width}'h{}; beat_keep[{i}] = {nbytes}'h{keep:x}; beat_last[{i}] = 1'b{};",
            hex_bytes_le(bytes, nbytes),
            u8::from(*last)
        )
        .unwrap();
    }
    for (i, e) in expected.iter().enumerate() {
        writeln!(init, "    expected[{i}] = {crc_width}'h{e:x};").unwrap();
    }
    let nb = beats.len();
    let np = expected.len();
    format!(
        r#"`timescale 1ns/1ps
module tb;
  reg clk = 1'b0;
  reg rst = 1'b1;
  reg [{dw1}:0] data;
  reg [{nb1}:0] keep;
  reg valid, last;
  wire [{cw1}:0] crc;
  wire done;
  {module} dut (.clk(clk), .rst(rst), .data(data), .keep(keep), .valid(valid), .last(last), .crc(crc), .done(done));
  reg [{dw1}:0] beat_data [0:{nbm1}];
  reg [{nb1}:0] beat_keep [0:{nbm1}];
  reg beat_last [0:{nbm1}];
  reg [{cw1}:0] expected [0:{npm1}];
  integer i, npkt, errors, seed;
  always #5 clk = ~clk;
  always @(posedge clk) begin
    if (!rst && done) begin
      if (crc !== expected[npkt]) begin
        $display("FAIL packet %0d: got %h expected %h", npkt, crc, expected[npkt]);
        errors = errors + 1;
      end
      npkt = npkt + 1;
    end
  end
  initial begin
{init}
    npkt = 0; errors = 0; seed = 7;
    valid = 1'b0; last = 1'b0; data = 0; keep = 0;
    repeat (3) @(posedge clk);
    rst <= 1'b0;
    for (i = 0; i < {nb}; i = i + 1) begin
      while (($random(seed) & 3) == 0) begin
        valid <= 1'b0; last <= $random(seed); keep <= {{{nbytes}{{1'b1}}}};
        data <= {{{words}{{$random(seed)}}}};
        @(posedge clk);
      end
      valid <= 1'b1; data <= beat_data[i]; keep <= beat_keep[i]; last <= beat_last[i];
      @(posedge clk);
    end
    valid <= 1'b0;
    repeat (4) @(posedge clk);
    $display("DONE packets=%0d errors=%0d", npkt, errors);
    $finish;
  end
endmodule
"#,
        dw1 = data_width - 1,
        nb1 = nbytes - 1,
        cw1 = crc_width - 1,
        nbm1 = nb - 1,
        npm1 = np - 1,
        words = data_width.div_ceil(32),
    )
}

fn run_crc(params: CrcParams, data_width: u32, packets: &[Vec<u8>], expected: &[u64], test: &str) {
    let c = Crc { params, data_width };
    let e = hdl::elaborate(&c).unwrap_or_else(|d| panic!("{d}"));
    support::check_rtl(&e, &format!("{test}_lint"));
    let tb = crc_testbench(e.top_name(), data_width, params.width, packets, expected);
    let out = support::icarus_sim(&e, test, &tb, "tb");
    assert!(!out.contains("FAIL"), "{test}:\n{out}");
    assert!(
        out.contains(&format!("DONE packets={} errors=0", expected.len())),
        "{test}:\n{out}"
    );
}

fn crc32_every_length(data_width: u32, test: &str) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ u64::from(data_width));
    let packets: Vec<Vec<u8>> = (0..=300usize)
        .map(|n| (0..n).map(|_| rng.next() as u8).collect())
        .collect();
    let expected: Vec<u64> = packets.iter().map(|p| u64::from(crc32fast::hash(p))).collect();
    run_crc(CRC32, data_width, &packets, &expected, test);
}

#[test]
fn crc32_w64_matches_crc32fast_for_every_length_0_to_300() {
    crc32_every_length(64, "stdlib_crc32_w64");
}

#[test]
fn crc32_w512_matches_crc32fast_for_every_length_0_to_300() {
    crc32_every_length(512, "stdlib_crc32_w512");
}

#[test]
fn module_name_says_what_and_how_wide() {
    let e = hdl::elaborate(&Crc {
        params: CRC32,
        data_width: 64,
    })
    .unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(e.top_name(), "crc32_w64");
}

#[test]
fn other_polynomials_give_catalogue_check_values_in_hardware() {
    // "123456789" twice in a row, then an empty packet, at 32 bits per beat
    // (beats of 4, 4 and 1 bytes): unreflected, 16-bit and 64-bit algorithms.
    let msg = b"123456789".to_vec();
    for (p, check, empty) in [
        (CRC16_CCITT_FALSE, 0x29B1u64, 0xFFFFu64),
        (CRC32_BZIP2, 0xFC89_1918, 0),
        (CRC64_XZ, 0x995D_C9BB_DF19_39FA, 0),
    ] {
        let packets = vec![msg.clone(), msg.clone(), Vec::new()];
        let expected = vec![check, check, empty];
        run_crc(
            p,
            32,
            &packets,
            &expected,
            &format!("stdlib_crc_check_{}", p.name),
        );
    }
}

fn lfsr_period(kind: LfsrKind, test: &str) {
    let l = Lfsr {
        kind,
        width: 8,
        taps: 0x1D,
        init: 1,
    };
    let e = hdl::elaborate(&l).unwrap_or_else(|d| panic!("{d}"));
    support::check_rtl(&e, &format!("{test}_lint"));
    let tb = format!(
        r#"`timescale 1ns/1ps
module tb;
  reg clk = 1'b0;
  reg rst = 1'b1;
  reg enable = 1'b0;
  reg seed = 1'b0;
  reg [7:0] seed_value = 8'h00;
  wire [7:0] state;
  wire out;
  reg [255:0] seen;
  integer n, repeats;
  {top} dut (.clk(clk), .rst(rst), .enable(enable), .seed(seed), .seed_value(seed_value), .state(state), .out(out));
  always #5 clk = ~clk;
  initial begin
    seen = 0; repeats = 0; n = 0;
    repeat (2) @(posedge clk);
    rst <= 1'b0; enable <= 1'b1;
    seen[1] = 1'b1;
    @(posedge clk); #1 n = 1;
    while (n < 600 && state != 8'h01) begin
      if (seen[state]) repeats = repeats + 1;
      if (state == 8'h00) repeats = repeats + 1000;
      seen[state] = 1'b1;
      @(posedge clk); #1 n = n + 1;
    end
    enable <= 1'b0; seed <= 1'b1; seed_value <= 8'h5a;
    @(posedge clk); #1;
    $display("PERIOD %0d REPEATS %0d SEEDED %h", n, repeats, state);
    $finish;
  end
endmodule
"#,
        top = e.top_name()
    );
    let out = support::icarus_sim(&e, test, &tb, "tb");
    assert!(out.contains("PERIOD 255 REPEATS 0 SEEDED 5a"), "{test}:\n{out}");
}

#[test]
fn fibonacci_lfsr_walks_all_255_states() {
    lfsr_period(LfsrKind::Fibonacci, "stdlib_lfsr_fib");
}

#[test]
fn galois_lfsr_walks_all_255_states() {
    lfsr_period(LfsrKind::Galois, "stdlib_lfsr_galois");
}
