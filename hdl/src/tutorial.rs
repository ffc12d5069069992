//! A first design: a counter, a stream skid buffer, Verilog, diagnostics.
//!
//! Every example on this page is compiled and run by `cargo test --doc`.
//!
//! # 1. A counter
//!
//! A component is a Rust value whose fields are its parameters. It says what
//! its module is called (every parameter that changes the hardware belongs in
//! the name), what its ports are (a *bundle*: a struct of signals), and how to
//! build the hardware behind them. Inside `build`, ordinary Rust — loops,
//! `if`, helper functions — runs once and records hardware.
//!
//! ```
//! use hdl::prelude::*;
//!
//! bundle! {
//!     /// The counter's ports, seen from inside: plain fields are outputs,
//!     /// `#[input]` fields are inputs.
//!     pub struct CounterIo {
//!         #[input]
//!         pub enable: Bool,
//!         pub count: UInt,
//!     }
//! }
//!
//! /// Counts cycles while `enable` is high; wraps around.
//! #[derive(Debug)]
//! struct Counter {
//!     width: u32,
//! }
//!
//! impl Component for Counter {
//!     type Io = CounterIo;
//!
//!     fn name(&self) -> String {
//!         format!("counter_w{}", self.width)
//!     }
//!
//!     fn io(&self) -> CounterIo {
//!         // Templates: only the widths matter here.
//!         CounterIo { enable: Bool::ty(), count: UInt::ty(self.width) }
//!     }
//!
//!     fn build(&self, io: &CounterIo) {
//!         // A register in the component's implicit clock domain (ports `clk`
//!         // and `rst`, synchronous active-high reset), reset to 0.
//!         let value = reg("value", UInt::ty(self.width)).init(0);
//!         // The literal 1 takes the width of `value`; nothing is ever widened
//!         // or truncated silently.
//!         when(io.enable, || value.set(value + 1));
//!         io.count.set(value);
//!     }
//! }
//!
//! // Elaborate: build the hardware and run every checking pass.
//! let design = hdl::elaborate(&Counter { width: 8 }).expect("no errors");
//! let verilog = design.verilog();
//! assert!(verilog.contains("module counter_w8 ("));
//! // Names come from the Rust code.
//! assert!(verilog.contains("reg  [7:0] value;"));
//! assert!(verilog.contains("value <= value + 8'd1;"));
//! println!("{verilog}");
//! ```
//!
//! The printed Verilog is what a person would write:
//!
//! ```text
//! module counter_w8 (
//!   input  wire       clk,
//!   input  wire       rst,
//!   input  wire       enable,
//!   output wire [7:0] count
//! );
//!
//!   reg  [7:0] value;
//!
//!   assign count = value;
//!
//!   always @(posedge clk) begin
//!     if (enable) begin
//!       value <= value + 8'd1;
//!     end
//!     if (rst) begin
//!       value <= 8'd0;
//!     end
//!   end
//! endmodule
//! ```
//!
//! Other clocking: [`crate::ClockDomain::new`] with a [`crate::Reset`] (for
//! example `Reset::async_low("rst_n")`) and [`crate::ClockDomain::within`] put
//! registers into an explicit domain.
//!
//! # 2. Streams and a skid buffer
//!
//! A bundle field marked `#[flip]` runs against the bundle's direction: the
//! `ready` of a valid/ready stream. Declared once, a stream is one port line,
//! and [`crate::Connect::connect_from`] connects all its wires, `ready`
//! backwards, in one line.
//!
//! The component below is a two-entry skid buffer: it registers `valid` and
//! `payload` towards the sink *and* `ready` towards the source, so it breaks
//! every combinational path through a stream without losing throughput. When
//! the sink stalls, the word that was in flight is parked in the skid register.
//!
//! ```
//! use hdl::prelude::*;
//!
//! bundle! {
//!     /// A valid/ready stream of `payload`.
//!     pub struct Stream {
//!         pub valid: Bool,
//!         /// Flows from the sink back to the source.
//!         #[flip]
//!         pub ready: Bool,
//!         pub payload: Bits,
//!     }
//! }
//!
//! impl Stream {
//!     fn ty(width: u32) -> Stream {
//!         Stream { valid: Bool::ty(), ready: Bool::ty(), payload: Bits::ty(width) }
//!     }
//! }
//!
//! bundle! {
//!     /// A stream in (`s`, the sink side of this component) and out (`m`).
//!     pub struct SkidIo {
//!         #[input]
//!         pub s: Stream,
//!         pub m: Stream,
//!     }
//! }
//!
//! #[derive(Debug)]
//! struct SkidBuffer {
//!     width: u32,
//! }
//!
//! impl Component for SkidBuffer {
//!     type Io = SkidIo;
//!
//!     fn name(&self) -> String {
//!         format!("skid_buffer_w{}", self.width)
//!     }
//!
//!     fn io(&self) -> SkidIo {
//!         SkidIo { s: Stream::ty(self.width), m: Stream::ty(self.width) }
//!     }
//!
//!     fn build(&self, io: &SkidIo) {
//!         let out_valid = reg("out_valid", Bool::ty()).init(false);
//!         let out_data = reg("out_data", Bits::ty(self.width));
//!         let skid_valid = reg("skid_valid", Bool::ty()).init(false);
//!         let skid_data = reg("skid_data", Bits::ty(self.width));
//!
//!         // We take a word whenever the skid register is free.
//!         io.s.ready.set(!skid_valid);
//!         let out_free = io.m.ready | !out_valid;
//!
//!         when(out_free, || {
//!             // The output register moves on: refill it, from the skid
//!             // register first.
//!             when(skid_valid, || {
//!                 out_valid.set(true);
//!                 out_data.set(skid_data);
//!                 skid_valid.set(false);
//!             })
//!             .otherwise(|| {
//!                 out_valid.set(io.s.valid);
//!                 out_data.set(io.s.payload);
//!             });
//!         })
//!         .elsewhen(io.s.valid & !skid_valid, || {
//!             // The sink stalls but a word arrives: park it.
//!             skid_valid.set(true);
//!             skid_data.set(io.s.payload);
//!         });
//!
//!         io.m.valid.set(out_valid);
//!         io.m.payload.set(out_data);
//!     }
//! }
//!
//! /// Two skid buffers in a row: `connect_from` wires each stream in one line.
//! #[derive(Debug)]
//! struct TwoStages;
//!
//! impl Component for TwoStages {
//!     type Io = SkidIo;
//!
//!     fn name(&self) -> String {
//!         "two_stages".into()
//!     }
//!
//!     fn io(&self) -> SkidIo {
//!         SkidIo { s: Stream::ty(32), m: Stream::ty(32) }
//!     }
//!
//!     fn build(&self, io: &SkidIo) {
//!         // Equal parameters: one `skid_buffer_w32` module, two instances.
//!         let a = instance("u_first", &SkidBuffer { width: 32 });
//!         let b = instance("u_second", &SkidBuffer { width: 32 });
//!         a.io.s.connect_from(&io.s);
//!         b.io.s.connect_from(&a.io.m);
//!         io.m.connect_from(&b.io.m);
//!     }
//! }
//!
//! let design = hdl::elaborate(&TwoStages).expect("no errors");
//! let verilog = design.verilog();
//! assert_eq!(verilog.matches("module skid_buffer_w32 (").count(), 1);
//! assert!(verilog.contains("skid_buffer_w32 u_first ("));
//! assert!(verilog.contains("skid_buffer_w32 u_second ("));
//! // Stream fields become `s_valid`, `s_ready`, `s_payload`, ...
//! assert!(verilog.contains("output wire        s_ready"));
//! ```
//!
//! # 3. Getting the Verilog out
//!
//! [`crate::Elaborated::verilog`] gives the whole design as one text;
//! [`crate::Elaborated::verilog_files`] gives one file per module (children
//! first, black boxes left out unless they carry their own Verilog), ready to
//! write into a build directory. [`crate::VerilogOptions::source_locations`]
//! appends the Rust `file:line` of each declaration and assignment as a
//! comment, so a timing report can be traced back to the code. The output is
//! byte-identical for the same design, so it can be diffed and cached.
//! [`crate::Elaborated::json`] describes the hierarchy, ports, registers and
//! memories for other tools.
//!
//! ```
//! use hdl::prelude::*;
//!
//! # bundle! {
//! #     pub struct CounterIo {
//! #         #[input]
//! #         pub enable: Bool,
//! #         pub count: UInt,
//! #     }
//! # }
//! # #[derive(Debug)]
//! # struct Counter { width: u32 }
//! # impl Component for Counter {
//! #     type Io = CounterIo;
//! #     fn name(&self) -> String { format!("counter_w{}", self.width) }
//! #     fn io(&self) -> CounterIo { CounterIo { enable: Bool::ty(), count: UInt::ty(self.width) } }
//! #     fn build(&self, io: &CounterIo) {
//! #         let value = reg("value", UInt::ty(self.width)).init(0);
//! #         when(io.enable, || value.set(value + 1));
//! #         io.count.set(value);
//! #     }
//! # }
//! let design = hdl::elaborate(&Counter { width: 4 }).expect("no errors");
//!
//! let opts = hdl::VerilogOptions { source_locations: true };
//! let dir = std::env::temp_dir().join("hdl_tutorial_rtl");
//! std::fs::create_dir_all(&dir).unwrap();
//! for file in design.verilog_files(&opts) {
//!     // e.g. `counter_w4.v`
//!     std::fs::write(dir.join(&file.file_name), &file.text).unwrap();
//!     assert!(file.text.contains(".rs:"), "declarations point at the Rust source");
//! }
//!
//! let json: serde_json::Value = serde_json::from_str(&design.json()).unwrap();
//! assert_eq!(json["top"], "counter_w4");
//! assert_eq!(json["modules"][0]["registers"][0]["name"], "value");
//! ```
//!
//! # 4. Reading diagnostics
//!
//! Mistakes do not panic half-way: [`crate::elaborate`] runs every pass and
//! returns all problems together as [`crate::Diagnostics`]. Each
//! [`crate::Diagnostic`] has a stable [`crate::Code`] (listed in
//! [`crate::diagnostics`]), a one-line help, the module it was found in, and
//! the file and line of *your* code that created the offending hardware.
//!
//! ```
//! use hdl::prelude::*;
//! use hdl::Code;
//!
//! bundle! {
//!     pub struct AddIo {
//!         #[input]
//!         pub a: UInt,
//!         #[input]
//!         pub b: UInt,
//!         pub sum: UInt,
//!     }
//! }
//!
//! #[derive(Debug)]
//! struct Broken;
//!
//! impl Component for Broken {
//!     type Io = AddIo;
//!     fn name(&self) -> String {
//!         "broken".into()
//!     }
//!     fn io(&self) -> AddIo {
//!         AddIo { a: UInt::ty(8), b: UInt::ty(4), sum: UInt::ty(8) }
//!     }
//!     fn build(&self, io: &AddIo) {
//!         // 8 bits + 4 bits: an error, not a silent zero-extension...
//!         io.sum.set(io.a + io.b);
//!         // ...fixed by saying what is meant: io.a + io.b.zext(8)
//!     }
//! }
//!
//! let errors = hdl::elaborate(&Broken).unwrap_err();
//! assert_eq!(errors.codes(), vec![Code::WidthMismatch]);
//!
//! let d = errors.find(Code::WidthMismatch).unwrap();
//! assert_eq!(d.code.as_str(), "E0001");
//! assert_eq!(d.module, "broken");
//! assert!(d.message.contains("8 bits vs 4 bits"));
//! // The location is the `io.a + io.b` line above, in this file.
//! assert!(d.line() > 0 && d.file().ends_with(".rs"));
//!
//! // Display gives the compiler-style report, help line included:
//! //   error[E0001]: width mismatch in `+`: 8 bits vs 4 bits
//! //     --> src/tutorial.rs:...:... (in module `broken`)
//! //      = help: say which width you mean with .resize(), .zext(), .sext() or .truncate()
//! let report = errors.to_string();
//! assert!(report.starts_with("error[E0001]"));
//! assert!(report.contains("= help: say which width you mean"));
//! assert!(report.ends_with("1 error(s), 0 warning(s)"));
//! ```
