//! Golden tests: small designs that together exercise the whole DSL, each with
//! its expected Verilog checked in under `tests/golden/<name>.v`.
//!
//! Every test compares the emitted Verilog byte for byte with the checked-in
//! file and also runs it through `support::check_rtl` (Verilator `-Wall`,
//! Icarus, Yosys). The signed-arithmetic, memory and operator-precedence
//! designs are additionally simulated in Icarus against values computed in Rust.
//!
//! After an intended change of the printer, regenerate the expected files with
//!
//! ```sh
//! UPDATE_GOLDEN=1 cargo test -p hdl --test golden
//! ```
//!
//! and review the diff of `hdl/tests/golden/` like any other code change.
//!
//! Black boxes have no body in our output (`BlackBox { verilog: None }`), so the
//! lint tools would not know their ports. The black-box test therefore writes a
//! tiny behavioural model of the vendor module next to the generated files and
//! lints both together (`support::check_rtl_with_models`).

mod support;

use hdl::prelude::*;
use hdl::Elaborated;
use num_bigint::BigUint;
use std::path::Path;

/// Compares `e.verilog()` with `tests/golden/<name>.v` (or rewrites it when
/// `UPDATE_GOLDEN=1`).
fn golden(e: &Elaborated, name: &str) {
    let text = e.verilog();
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{name}.v"));
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("create golden dir");
        std::fs::write(&path, &text).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1 to create it)", path.display()));
    if expected != text {
        let first = expected
            .lines()
            .zip(text.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(text.lines().count()));
        panic!(
            "{} differs from the emitted Verilog at line {}:\n  expected: {:?}\n  emitted:  {:?}\n\
             full output:\n{text}\n(UPDATE_GOLDEN=1 rewrites the file after an intended change)",
            path.display(),
            first + 1,
            expected.lines().nth(first).unwrap_or("<end of file>"),
            text.lines().nth(first).unwrap_or("<end of file>"),
        );
    }
}

fn elab<C: Component>(c: &C) -> Elaborated {
    hdl::elaborate(c).unwrap_or_else(|d| panic!("{d}"))
}

// ---------------------------------------------------------------------------
// 1. Counter with enable and an asynchronous, active-low reset.

bundle! {
    /// Counter ports.
    pub struct CounterIo {
        #[input]
        pub enable: Bool,
        pub count: UInt,
        pub at_max: Bool,
    }
}

#[derive(Debug)]
struct AsyncCounter {
    width: u32,
}

impl Component for AsyncCounter {
    type Io = CounterIo;
    fn name(&self) -> String {
        format!("async_counter_w{}", self.width)
    }
    fn io(&self) -> CounterIo {
        CounterIo {
            enable: Bool::ty(),
            count: UInt::ty(self.width),
            at_max: Bool::ty(),
        }
    }
    fn build(&self, io: &CounterIo) {
        let cd = ClockDomain::new("main", "clk", Some(Reset::async_low("rst_n")));
        cd.within(|| {
            let counter = reg("counter", UInt::ty(self.width)).init(0);
            when(io.enable, || counter.set(counter + 1));
            io.count.set(counter);
            io.at_max.set(counter.all());
        });
    }
}

#[test]
fn counter_async_reset() {
    let e = elab(&AsyncCounter { width: 8 });
    golden(&e, "counter_async_reset");
    support::check_rtl(&e, "golden_counter_async_reset");
}

// ---------------------------------------------------------------------------
// 2. Decoder: when / elsewhen / otherwise and switch / is / default.

bundle! {
    /// Decoder ports.
    pub struct DecoderIo {
        #[input]
        pub opcode: UInt,
        #[input]
        pub a: UInt,
        #[input]
        pub b: UInt,
        #[input]
        pub force_zero: Bool,
        #[input]
        pub pass_a: Bool,
        pub result: UInt,
        pub is_store: Bool,
        pub class: Bits,
    }
}

#[derive(Debug)]
struct Decoder;

impl Component for Decoder {
    type Io = DecoderIo;
    fn name(&self) -> String {
        "decoder".into()
    }
    fn io(&self) -> DecoderIo {
        DecoderIo {
            opcode: UInt::ty(3),
            a: UInt::ty(8),
            b: UInt::ty(8),
            force_zero: Bool::ty(),
            pass_a: Bool::ty(),
            result: UInt::ty(8),
            is_store: Bool::ty(),
            class: Bits::ty(2),
        }
    }
    fn build(&self, io: &DecoderIo) {
        let alu = wire("alu", UInt::ty(8)).default_value(0);
        switch(io.opcode, |sw| {
            sw.is(0u32, || alu.set(io.a + io.b));
            sw.is(1u32, || alu.set(io.a - io.b));
            sw.is([2u128, 3], || alu.set(io.a & io.b));
            sw.is(4u32, || alu.set(io.a ^ (io.b >> 1)));
            sw.default(|| alu.set(io.a | io.b));
        });
        when(io.force_zero, || io.result.set(0))
            .elsewhen(io.pass_a, || io.result.set(io.a))
            .otherwise(|| io.result.set(alu));
        io.is_store.set(io.opcode.is_eq(7));
        let class = wire("class_code", Bits::ty(2));
        when(io.opcode.is_lt(2), || class.set(0))
            .elsewhen(io.opcode.is_lt(4), || class.set(1))
            .otherwise(|| class.set(2));
        io.class.set(class);
    }
}

#[test]
fn decoder_when_switch() {
    let e = elab(&Decoder);
    golden(&e, "decoder_when_switch");
    support::check_rtl(&e, "golden_decoder_when_switch");
}

// ---------------------------------------------------------------------------
// 3. An enum-encoded FSM.

hw_enum! {
    /// States of a request/acknowledge handshake.
    pub enum Phase: Binary { Idle, Request, Wait, Done }
}

bundle! {
    /// FSM ports.
    pub struct FsmIo {
        #[input]
        pub start: Bool,
        #[input]
        pub ack: Bool,
        pub req: Bool,
        pub busy: Bool,
        pub done: Bool,
    }
}

#[derive(Debug)]
struct Handshake;

impl Component for Handshake {
    type Io = FsmIo;
    fn name(&self) -> String {
        "handshake_fsm".into()
    }
    fn io(&self) -> FsmIo {
        FsmIo {
            start: Bool::ty(),
            ack: Bool::ty(),
            req: Bool::ty(),
            busy: Bool::ty(),
            done: Bool::ty(),
        }
    }
    fn build(&self, io: &FsmIo) {
        let state = reg("state", EnumSig::<Phase>::ty()).init(Phase::Idle);
        state.switch(|sw| {
            EnumSig::case(sw, Phase::Idle, || {
                when(io.start, || state.set(Phase::Request)).otherwise(|| {})
            });
            EnumSig::case(sw, Phase::Request, || state.set(Phase::Wait));
            EnumSig::case(sw, Phase::Wait, || {
                when(io.ack, || state.set(Phase::Done));
            });
            EnumSig::case(sw, Phase::Done, || state.set(Phase::Idle));
        });
        io.req.set(state.is(Phase::Request));
        io.busy.set(!state.is(Phase::Idle));
        io.done.set(state.is(Phase::Done));
    }
}

#[test]
fn fsm_enum() {
    let e = elab(&Handshake);
    golden(&e, "fsm_enum");
    support::check_rtl(&e, "golden_fsm_enum");
}

// ---------------------------------------------------------------------------
// 4. Memory: byte-enable write, synchronous read, asynchronous read, init.

bundle! {
    /// Memory ports.
    pub struct RamIo {
        #[input]
        pub wr_en: Bool,
        #[input]
        pub wr_addr: UInt,
        #[input]
        pub wr_data: Bits,
        #[input]
        pub wr_strb: Bits,
        #[input]
        pub rd_en: Bool,
        #[input]
        pub rd_addr: UInt,
        pub rd_data: Bits,
        #[input]
        pub peek_addr: UInt,
        pub peek_data: Bits,
    }
}

#[derive(Debug)]
struct Ram {
    depth: u32,
}

const RAM_INIT: [u128; 4] = [0x1122_3344, 0x5566_7788, 0x99aa_bbcc, 0xddee_ff00];

impl Component for Ram {
    type Io = RamIo;
    fn name(&self) -> String {
        format!("ram_32x{}", self.depth)
    }
    fn io(&self) -> RamIo {
        let aw = hdl::clog2(self.depth);
        RamIo {
            wr_en: Bool::ty(),
            wr_addr: UInt::ty(aw),
            wr_data: Bits::ty(32),
            wr_strb: Bits::ty(4),
            rd_en: Bool::ty(),
            rd_addr: UInt::ty(aw),
            rd_data: Bits::ty(32),
            peek_addr: UInt::ty(aw),
            peek_data: Bits::ty(32),
        }
    }
    fn build(&self, io: &RamIo) {
        let mem = Mem::new("storage", 32, self.depth).init(&RAM_INIT);
        mem.write(io.wr_addr, io.wr_data, io.wr_en, Some(io.wr_strb));
        io.rd_data.set(mem.read_sync(io.rd_addr, io.rd_en));
        io.peek_data.set(mem.read_async(io.peek_addr));
    }
}

#[test]
fn memory_byte_enable() {
    let e = elab(&Ram { depth: 8 });
    golden(&e, "memory_byte_enable");
    support::check_rtl(&e, "golden_memory_byte_enable");
}

/// A pseudo-random sequence for test vectors (no dependency needed).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn memory_simulates_like_a_rust_model() {
    let depth = 8u32;
    let e = elab(&Ram { depth });
    // Rust model of the memory, and a testbench that applies the same operations.
    let mut model: Vec<u32> = (0..depth as usize)
        .map(|i| RAM_INIT.get(i).copied().unwrap_or(0) as u32)
        .collect();
    let mut rng = Lcg(7);
    let mut tb = String::from(
        "`timescale 1ns/1ns\nmodule tb;\n  reg clk = 0, wr_en = 0, rd_en = 0;\n  reg [2:0] wr_addr = 0, rd_addr = 0, peek_addr = 0;\n  reg [31:0] wr_data = 0;\n  reg [3:0] wr_strb = 0;\n  wire [31:0] rd_data, peek_data;\n  ram_32x8 dut (.clk(clk), .wr_en(wr_en), .wr_addr(wr_addr), .wr_data(wr_data), .wr_strb(wr_strb),\n    .rd_en(rd_en), .rd_addr(rd_addr), .rd_data(rd_data), .peek_addr(peek_addr), .peek_data(peek_data));\n  initial begin\n",
    );
    let mut expected = Vec::new();
    // First read the initial contents back through both ports.
    for a in 0..depth {
        tb.push_str(&format!(
            "    rd_en = 1; rd_addr = {a}; peek_addr = {a}; #1 clk = 1; #1 clk = 0; #1;\n    $display(\"%h %h\", rd_data, peek_data);\n"
        ));
        expected.push(format!("{:08x} {:08x}", model[a as usize], model[a as usize]));
    }
    for _ in 0..64 {
        let wa = (rng.next() % u64::from(depth)) as u32;
        let wd = rng.next() as u32;
        let strb = (rng.next() % 16) as u32;
        let we = !rng.next().is_multiple_of(4);
        let ra = (rng.next() % u64::from(depth)) as u32;
        let re = !rng.next().is_multiple_of(4);
        let pa = (rng.next() % u64::from(depth)) as u32;
        tb.push_str(&format!(
            "    wr_en = {}; wr_addr = {wa}; wr_data = 32'h{wd:08x}; wr_strb = 4'h{strb:x}; rd_en = {}; rd_addr = {ra}; peek_addr = {pa};\n    #1 clk = 1; #1 clk = 0; #1;\n    $display(\"%h %h\", rd_data, peek_data);\n",
            u8::from(we),
            u8::from(re)
        ));
        // Read-before-write at the same edge: the sync read sees the old word.
        let old = model[ra as usize];
        if we {
            let mut word = model[wa as usize];
            for lane in 0..4 {
                if strb >> lane & 1 == 1 {
                    let m = 0xffu32 << (8 * lane);
                    word = (word & !m) | (wd & m);
                }
            }
            model[wa as usize] = word;
        }
        let rd = if re {
            old
        } else {
            // Data holds its previous value.
            u32::from_str_radix(expected.last().map(|l: &String| &l[..8]).unwrap_or("0"), 16).expect("hex")
        };
        expected.push(format!("{rd:08x} {:08x}", model[pa as usize]));
    }
    tb.push_str("    $finish;\n  end\nendmodule\n");
    let out = support::icarus_sim(&e, "golden_memory_sim", &tb, "tb");
    let got: Vec<&str> = out.lines().filter(|l| !l.contains("$finish")).collect();
    assert_eq!(got.len(), expected.len(), "simulation output:\n{out}");
    for (i, (g, x)) in got.iter().zip(&expected).enumerate() {
        assert_eq!(g, x, "vector {i}");
    }
}

// ---------------------------------------------------------------------------
// 5. Hierarchy: two specialisations of one component, one of them twice.

bundle! {
    /// Ports of a scaling stage.
    pub struct ScaleIo {
        #[input]
        pub x: UInt,
        pub y: UInt,
    }
}

#[derive(Debug)]
struct Scale {
    width: u32,
    shift: u32,
}

impl Component for Scale {
    type Io = ScaleIo;
    fn name(&self) -> String {
        format!("scale_w{}_s{}", self.width, self.shift)
    }
    fn io(&self) -> ScaleIo {
        ScaleIo {
            x: UInt::ty(self.width),
            y: UInt::ty(self.width),
        }
    }
    fn build(&self, io: &ScaleIo) {
        let scaled = reg_next("scaled", &(io.x + (io.x << self.shift)));
        io.y.set(scaled);
    }
}

bundle! {
    /// Ports of the hierarchy top.
    pub struct HierIo {
        #[input]
        pub a: UInt,
        #[input]
        pub b: UInt,
        #[input]
        pub c: UInt,
        pub sum_ab: UInt,
        pub wide: UInt,
    }
}

#[derive(Debug)]
struct Hier;

impl Component for Hier {
    type Io = HierIo;
    fn name(&self) -> String {
        "hier_top".into()
    }
    fn io(&self) -> HierIo {
        HierIo {
            a: UInt::ty(8),
            b: UInt::ty(8),
            c: UInt::ty(16),
            sum_ab: UInt::ty(8),
            wide: UInt::ty(16),
        }
    }
    fn build(&self, io: &HierIo) {
        let narrow = Scale { width: 8, shift: 1 };
        let u_a = instance("u_a", &narrow);
        let u_b = instance("u_b", &narrow);
        let u_c = instance("u_c", &Scale { width: 16, shift: 2 });
        u_a.io.x.set(io.a);
        u_b.io.x.set(io.b);
        u_c.io.x.set(io.c);
        io.sum_ab.set(u_a.io.y + u_b.io.y);
        io.wide.set(u_c.io.y);
    }
}

#[test]
fn hierarchy_specialisations() {
    let e = elab(&Hier);
    golden(&e, "hierarchy_specialisations");
    support::check_rtl(&e, "golden_hierarchy_specialisations");
    let v = e.verilog();
    assert_eq!(
        v.matches("module scale_w8_s1 (").count(),
        1,
        "one module per specialisation"
    );
    assert_eq!(v.matches("module scale_w16_s2 (").count(), 1);
    assert_eq!(
        v.matches("scale_w8_s1 u_").count(),
        2,
        "two instances of the narrow one"
    );
}

// ---------------------------------------------------------------------------
// 6. Streams: bundles with a flipped `ready`, connected with `connect_from`.

bundle! {
    /// A valid/ready stream of `payload`.
    pub struct Stream {
        pub valid: Bool,
        #[flip]
        pub ready: Bool,
        pub payload: Bits,
    }
}

impl Stream {
    fn ty(width: u32) -> Stream {
        Stream {
            valid: Bool::ty(),
            ready: Bool::ty(),
            payload: Bits::ty(width),
        }
    }
}

bundle! {
    /// A stream in, a stream out.
    pub struct PipeIo {
        #[input]
        pub s: Stream,
        pub m: Stream,
    }
}

/// A register slice: forward path registered, `ready` passed straight back.
#[derive(Debug)]
struct StreamStage {
    width: u32,
}

impl Component for StreamStage {
    type Io = PipeIo;
    fn name(&self) -> String {
        format!("stream_stage_w{}", self.width)
    }
    fn io(&self) -> PipeIo {
        PipeIo {
            s: Stream::ty(self.width),
            m: Stream::ty(self.width),
        }
    }
    fn build(&self, io: &PipeIo) {
        let valid = reg("valid", Bool::ty()).init(false);
        let payload = reg("payload", Bits::ty(self.width));
        io.s.ready.set(io.m.ready | !valid);
        when(io.s.ready, || {
            valid.set(io.s.valid);
            payload.set(io.s.payload);
        });
        io.m.valid.set(valid);
        io.m.payload.set(payload);
    }
}

#[derive(Debug)]
struct StreamChain;

impl Component for StreamChain {
    type Io = PipeIo;
    fn name(&self) -> String {
        "stream_chain".into()
    }
    fn io(&self) -> PipeIo {
        PipeIo {
            s: Stream::ty(16),
            m: Stream::ty(16),
        }
    }
    fn build(&self, io: &PipeIo) {
        let first = instance("u_first", &StreamStage { width: 16 });
        let second = instance("u_second", &StreamStage { width: 16 });
        first.io.s.connect_from(&io.s);
        second.io.s.connect_from(&first.io.m);
        io.m.connect_from(&second.io.m);
    }
}

#[test]
fn stream_connect() {
    let e = elab(&StreamChain);
    golden(&e, "stream_connect");
    support::check_rtl(&e, "golden_stream_connect");
}

// ---------------------------------------------------------------------------
// 7. A black box with parameters.

bundle! {
    /// Ports of the vendor FIFO.
    pub struct VendorFifoIo {
        #[input]
        pub wr_clk: Bool,
        #[input]
        pub din: Bits,
        #[input]
        pub wr_en: Bool,
        pub full: Bool,
        pub dout: Bits,
    }
}

#[derive(Debug)]
struct VendorFifo {
    width: u32,
}

impl Component for VendorFifo {
    type Io = VendorFifoIo;
    fn name(&self) -> String {
        "xpm_fifo_sync".into()
    }
    fn io(&self) -> VendorFifoIo {
        VendorFifoIo {
            wr_clk: Bool::ty(),
            din: Bits::ty(self.width),
            wr_en: Bool::ty(),
            full: Bool::ty(),
            dout: Bits::ty(self.width),
        }
    }
    fn build(&self, _io: &VendorFifoIo) {
        unreachable!("a black box is never built");
    }
    fn blackbox(&self) -> Option<BlackBox> {
        Some(BlackBox {
            params: vec![
                ("FIFO_WRITE_DEPTH".into(), ParamValue::Int(512)),
                ("WRITE_DATA_WIDTH".into(), ParamValue::Int(i64::from(self.width))),
                ("FIFO_MEMORY_TYPE".into(), ParamValue::Str("block".into())),
                (
                    "USE_ADV_FEATURES".into(),
                    ParamValue::Bits(hdl::ir::Const::new(0x0707, 16).expect("fits")),
                ),
            ],
            verilog: None,
        })
    }
}

bundle! {
    /// Ports of the black-box wrapper.
    pub struct WrapIo {
        #[input]
        pub data: Bits,
        #[input]
        pub push: Bool,
        pub out: Bits,
        pub full: Bool,
    }
}

#[derive(Debug)]
struct FifoWrapper;

impl Component for FifoWrapper {
    type Io = WrapIo;
    fn name(&self) -> String {
        "fifo_wrapper".into()
    }
    fn io(&self) -> WrapIo {
        WrapIo {
            data: Bits::ty(64),
            push: Bool::ty(),
            out: Bits::ty(64),
            full: Bool::ty(),
        }
    }
    fn build(&self, io: &WrapIo) {
        let cd = ClockDomain::new("core", "clk", None);
        let fifo = instance("u_fifo", &VendorFifo { width: 64 });
        fifo.io.wr_clk.set(cd.clock());
        fifo.io.din.set(io.data);
        fifo.io.wr_en.set(io.push & !fifo.io.full);
        io.out.set(fifo.io.dout);
        io.full.set(fifo.io.full);
    }
}

/// A behavioural stand-in for the vendor FIFO, only so that the lint tools
/// see a definition of the black box. It is not part of the golden output.
const VENDOR_FIFO_MODEL: &str = "/* verilator lint_off UNUSEDPARAM */
module xpm_fifo_sync #(
  parameter integer FIFO_WRITE_DEPTH = 16,
  parameter integer WRITE_DATA_WIDTH = 8,
  parameter FIFO_MEMORY_TYPE = \"auto\",
  parameter [15:0] USE_ADV_FEATURES = 16'h0000
) (
  input  wire                        wr_clk,
  input  wire [WRITE_DATA_WIDTH-1:0] din,
  input  wire                        wr_en,
  output wire                        full,
  output wire [WRITE_DATA_WIDTH-1:0] dout
);
  reg [WRITE_DATA_WIDTH-1:0] last = {WRITE_DATA_WIDTH{1'b0}};
  always @(posedge wr_clk) if (wr_en) last <= din;
  assign dout = last;
  assign full = 1'b0;
endmodule
";

#[test]
fn blackbox_with_params() {
    let e = elab(&FifoWrapper);
    golden(&e, "blackbox_with_params");
    assert!(
        !e.verilog().contains("module xpm_fifo_sync"),
        "a black box without Verilog is not emitted"
    );
    support::check_rtl_with_models(
        &e,
        "golden_blackbox_with_params",
        &[("xpm_fifo_sync.v", VENDOR_FIFO_MODEL)],
    );
}

// ---------------------------------------------------------------------------
// 8. Wide constants and signed arithmetic.

bundle! {
    /// Ports of the arithmetic design.
    pub struct ArithIo {
        #[input]
        pub a: SInt,
        #[input]
        pub b: SInt,
        #[input]
        pub amount: UInt,
        #[input]
        pub key: Bits,
        pub a_lt_b: Bool,
        pub a_ge_0: Bool,
        pub product: SInt,
        pub sum_wide: SInt,
        pub a_sra_2: SInt,
        pub a_sra_var: SInt,
        pub sra_eq_b: Bool,
        pub sra_plus_b: SInt,
        pub neg_a: SInt,
        pub scrambled: Bits,
        pub key_is_magic: Bool,
        pub magic: Bits,
    }
}

#[derive(Debug)]
struct Arith;

fn magic_200() -> BigUint {
    // 200 bits: 0xdead_beef repeated, top bits cut off.
    let mut v = BigUint::from(0u8);
    for _ in 0..7 {
        v = (v << 32u32) | BigUint::from(0xdead_beefu32);
    }
    v & ((BigUint::from(1u8) << 200u32) - 1u8)
}

impl Component for Arith {
    type Io = ArithIo;
    fn name(&self) -> String {
        "signed_wide".into()
    }
    fn io(&self) -> ArithIo {
        ArithIo {
            a: SInt::ty(8),
            b: SInt::ty(8),
            amount: UInt::ty(3),
            key: Bits::ty(200),
            a_lt_b: Bool::ty(),
            a_ge_0: Bool::ty(),
            product: SInt::ty(16),
            sum_wide: SInt::ty(12),
            a_sra_2: SInt::ty(8),
            a_sra_var: SInt::ty(8),
            sra_eq_b: Bool::ty(),
            sra_plus_b: SInt::ty(8),
            neg_a: SInt::ty(8),
            scrambled: Bits::ty(200),
            key_is_magic: Bool::ty(),
            magic: Bits::ty(200),
        }
    }
    fn build(&self, io: &ArithIo) {
        io.a_lt_b.set(io.a.is_lt(io.b));
        io.a_ge_0.set(io.a.is_ge(0));
        io.product.set(io.a * io.b);
        io.sum_wide.set(io.a.sext(12) + io.b.sext(12));
        io.a_sra_2.set(io.a >> 2);
        io.a_sra_var.set(io.a >> io.amount);
        // An arithmetic shift used inside a larger expression must stay arithmetic.
        io.sra_eq_b.set((io.a >> 1).is_eq(io.b));
        io.sra_plus_b.set((io.a >> 1) + io.b);
        io.neg_a.set(-io.a);
        let magic = Bits::lit_big(&magic_200(), 200);
        io.scrambled.set(io.key ^ magic);
        io.key_is_magic.set(io.key.is_eq(magic));
        io.magic.set(magic);
    }
}

#[test]
fn signed_and_wide() {
    let e = elab(&Arith);
    golden(&e, "signed_and_wide");
    support::check_rtl(&e, "golden_signed_and_wide");
}

#[test]
fn signed_simulates_like_rust() {
    let e = elab(&Arith);
    let mut tb = String::from(
        "`timescale 1ns/1ns\nmodule tb;\n  reg [7:0] a, b;\n  reg [2:0] amount;\n  reg [199:0] key;\n  wire a_lt_b, a_ge_0, sra_eq_b, key_is_magic;\n  wire [15:0] product;\n  wire [11:0] sum_wide;\n  wire [7:0] a_sra_2, a_sra_var, sra_plus_b, neg_a;\n  wire [199:0] scrambled, magic;\n  signed_wide dut (.a(a), .b(b), .amount(amount), .key(key), .a_lt_b(a_lt_b), .a_ge_0(a_ge_0),\n    .product(product), .sum_wide(sum_wide), .a_sra_2(a_sra_2), .a_sra_var(a_sra_var), .sra_eq_b(sra_eq_b),\n    .sra_plus_b(sra_plus_b), .neg_a(neg_a), .scrambled(scrambled), .key_is_magic(key_is_magic), .magic(magic));\n  initial begin\n",
    );
    let magic = magic_200();
    let mask200 = (BigUint::from(1u8) << 200u32) - 1u8;
    let mut expected = Vec::new();
    let mut rng = Lcg(42);
    let mut pairs: Vec<(i8, i8, u32)> = vec![
        (-128, 127, 7),
        (127, -128, 0),
        (-1, -1, 1),
        (0, 0, 3),
        (-64, -32, 5),
    ];
    // `a >> 1 == b` must be hit sometimes.
    pairs.push((-100, -50, 2));
    pairs.push((-3, -2, 1));
    for _ in 0..60 {
        pairs.push((rng.next() as i8, rng.next() as i8, (rng.next() % 8) as u32));
    }
    for (i, &(a, b, amount)) in pairs.iter().enumerate() {
        let key = if i % 3 == 0 {
            magic.clone()
        } else {
            (BigUint::from(rng.next()) << 150u32) ^ BigUint::from(rng.next())
        };
        tb.push_str(&format!(
            "    a = 8'h{:02x}; b = 8'h{:02x}; amount = {amount}; key = 200'h{}; #1;\n    $display(\"%b %b %h %h %h %h %b %h %h %h %b %h\", a_lt_b, a_ge_0, product, sum_wide, a_sra_2, a_sra_var, sra_eq_b, sra_plus_b, neg_a, scrambled, key_is_magic, magic);\n",
            a as u8,
            b as u8,
            key.to_str_radix(16)
        ));
        let scrambled = (&key ^ &magic) & &mask200;
        expected.push(format!(
            "{} {} {:04x} {:03x} {:02x} {:02x} {} {:02x} {:02x} {:050x} {} {:050x}",
            u8::from(a < b),
            u8::from(a >= 0),
            (i16::from(a) * i16::from(b)) as u16,
            ((i16::from(a) + i16::from(b)) as u16) & 0xfff,
            (a >> 2) as u8,
            (a >> amount) as u8,
            u8::from((a >> 1) == b),
            (a >> 1).wrapping_add(b) as u8,
            a.wrapping_neg() as u8,
            scrambled,
            u8::from(key == magic),
            magic,
        ));
    }
    tb.push_str("    $finish;\n  end\nendmodule\n");
    let out = support::icarus_sim(&e, "golden_signed_sim", &tb, "tb");
    let got: Vec<&str> = out.lines().filter(|l| !l.contains("$finish")).collect();
    assert_eq!(got.len(), expected.len(), "simulation output:\n{out}");
    for (i, (g, x)) in got.iter().zip(&expected).enumerate() {
        assert_eq!(g, x, "vector {i}: {:?}", pairs[i]);
    }
    assert!(
        pairs.iter().any(|&(a, b, _)| (a >> 1) == b),
        "the vectors exercise the sra == b case"
    );
}

// ---------------------------------------------------------------------------
// 9. Names that are Verilog keywords, and duplicates.

bundle! {
    /// Ports whose names are Verilog keywords.
    pub struct KeywordIo {
        #[input]
        pub reg: UInt,
        #[input]
        pub wire: UInt,
        pub logic: UInt,
        pub output: Bool,
    }
}

#[derive(Debug)]
struct Keywords;

impl Component for Keywords {
    type Io = KeywordIo;
    fn name(&self) -> String {
        "keyword_names".into()
    }
    fn io(&self) -> KeywordIo {
        KeywordIo {
            reg: UInt::ty(4),
            wire: UInt::ty(4),
            logic: UInt::ty(4),
            output: Bool::ty(),
        }
    }
    fn build(&self, io: &KeywordIo) {
        // Two wires both called `tmp`, and a register called `begin`.
        let tmp = (io.reg + io.wire).named("tmp");
        let tmp2 = (io.reg ^ io.wire).named("tmp");
        let begin = reg_next("begin", &(tmp & tmp2));
        io.logic.set(begin);
        io.output.set(tmp.is_eq(tmp2));
    }
}

#[test]
fn keyword_and_duplicate_names() {
    let e = elab(&Keywords);
    golden(&e, "keyword_and_duplicate_names");
    support::check_rtl(&e, "golden_keyword_and_duplicate_names");
    let v = e.verilog();
    for name in ["reg_", "wire_", "logic_", "output_", "tmp", "tmp_1", "begin_"] {
        assert!(
            v.contains(&format!(" {name};"))
                || v.contains(&format!(" {name},"))
                || v.contains(&format!(" {name}\n")),
            "`{name}` declared:\n{v}"
        );
    }
}

// ---------------------------------------------------------------------------
// 10. Operator precedence: the printer leaves out parentheses only where
// Verilog's precedence makes them unnecessary; simulated against Rust.

bundle! {
    /// Ports of the precedence design.
    pub struct PrecIo {
        #[input]
        pub a: UInt,
        #[input]
        pub b: UInt,
        #[input]
        pub c: UInt,
        #[input]
        pub s1: Bool,
        #[input]
        pub s2: Bool,
        #[input]
        pub idx: UInt,
        pub chain: UInt,
        pub grouped: UInt,
        pub shifted: UInt,
        pub arms: UInt,
        pub else_chain: UInt,
        pub mux_in_sum: UInt,
        pub selected: UInt,
        pub logic_mix: UInt,
        pub compare_and: Bool,
        pub not_not: UInt,
        pub product: UInt,
        pub xor_chain: UInt,
    }
}

#[derive(Debug)]
struct Precedence;

impl Component for Precedence {
    type Io = PrecIo;
    fn name(&self) -> String {
        "precedence".into()
    }
    fn io(&self) -> PrecIo {
        let u8t = || UInt::ty(8);
        PrecIo {
            a: u8t(),
            b: u8t(),
            c: u8t(),
            s1: Bool::ty(),
            s2: Bool::ty(),
            idx: UInt::ty(2),
            chain: u8t(),
            grouped: u8t(),
            shifted: u8t(),
            arms: u8t(),
            else_chain: u8t(),
            mux_in_sum: u8t(),
            selected: u8t(),
            logic_mix: u8t(),
            compare_and: Bool::ty(),
            not_not: u8t(),
            product: UInt::ty(16),
            xor_chain: u8t(),
        }
    }
    fn build(&self, io: &PrecIo) {
        let (a, b, c) = (io.a, io.b, io.c);
        io.chain.set(a - b + c);
        io.grouped.set(a - (b + c));
        io.shifted.set((a + b) << 2);
        io.arms.set(io.s1.mux(a + b, c - a));
        io.else_chain.set(io.s1.mux(a, io.s2.mux(b, c)));
        io.mux_in_sum.set(io.s1.mux(a, b) + c);
        io.selected.set(select(io.idx, &[a, b, c, a ^ b]));
        io.logic_mix.set(!(a & b) | (a ^ c));
        io.compare_and.set(a.is_eq(b) & io.s1 | c.is_lt(a));
        io.not_not.set(!!(a - c));
        io.product.set((a + b) * (c - 1));
        io.xor_chain.set(a ^ b ^ (c & a) ^ (b | c));
    }
}

#[test]
fn precedence() {
    let e = elab(&Precedence);
    golden(&e, "precedence");
    support::check_rtl(&e, "golden_precedence");
}

#[test]
fn precedence_simulates_like_rust() {
    let e = elab(&Precedence);
    let mut tb = String::from(
        "`timescale 1ns/1ns\nmodule tb;\n  reg [7:0] a, b, c;\n  reg s1, s2;\n  reg [1:0] idx;\n  wire [7:0] chain, grouped, shifted, arms, else_chain, mux_in_sum, selected, logic_mix, not_not, xor_chain;\n  wire compare_and;\n  wire [15:0] product;\n  precedence dut (.a(a), .b(b), .c(c), .s1(s1), .s2(s2), .idx(idx), .chain(chain), .grouped(grouped),\n    .shifted(shifted), .arms(arms), .else_chain(else_chain), .mux_in_sum(mux_in_sum), .selected(selected),\n    .logic_mix(logic_mix), .compare_and(compare_and), .not_not(not_not), .product(product), .xor_chain(xor_chain));\n  initial begin\n",
    );
    let mut rng = Lcg(3);
    let mut expected = Vec::new();
    for _ in 0..200 {
        let (a, b, c) = (rng.next() as u8, rng.next() as u8, rng.next() as u8);
        let (s1, s2) = (rng.next() & 1 == 1, rng.next() & 1 == 1);
        let idx = (rng.next() % 4) as usize;
        tb.push_str(&format!(
            "    a = {a}; b = {b}; c = {c}; s1 = {}; s2 = {}; idx = {idx}; #1;\n    $display(\"%h %h %h %h %h %h %h %h %b %h %h %h\", chain, grouped, shifted, arms, else_chain, mux_in_sum, selected, logic_mix, compare_and, not_not, product, xor_chain);\n",
            u8::from(s1),
            u8::from(s2)
        ));
        let pick = |s: bool, t: u8, f: u8| if s { t } else { f };
        expected.push(format!(
            "{:02x} {:02x} {:02x} {:02x} {:02x} {:02x} {:02x} {:02x} {} {:02x} {:04x} {:02x}",
            a.wrapping_sub(b).wrapping_add(c),
            a.wrapping_sub(b.wrapping_add(c)),
            a.wrapping_add(b).wrapping_shl(2),
            pick(s1, a.wrapping_add(b), c.wrapping_sub(a)),
            pick(s1, a, pick(s2, b, c)),
            pick(s1, a, b).wrapping_add(c),
            [a, b, c, a ^ b][idx],
            !(a & b) | (a ^ c),
            u8::from(a == b && s1 || c < a),
            a.wrapping_sub(c),
            u16::from(a.wrapping_add(b)) * u16::from(c.wrapping_sub(1)),
            a ^ b ^ (c & a) ^ (b | c),
        ));
    }
    tb.push_str("    $finish;\n  end\nendmodule\n");
    let out = support::icarus_sim(&e, "golden_precedence_sim", &tb, "tb");
    let got: Vec<&str> = out.lines().filter(|l| !l.contains("$finish")).collect();
    assert_eq!(got.len(), expected.len(), "simulation output:\n{out}");
    for (i, (g, x)) in got.iter().zip(&expected).enumerate() {
        assert_eq!(g, x, "vector {i}");
    }
}
