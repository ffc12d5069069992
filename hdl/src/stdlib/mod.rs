//! The standard library, written only against the public DSL API.

// Streams (valid/ready) and their combinators: `stream` (Stream, Flow, register
// slices), `fifo`, `async_fifo`, `arbiter`, `fork`, `join`, `mux_demux`, `axis`.
pub mod arbiter;
pub mod async_fifo;
pub mod axis;
pub mod event_sync;
pub mod fifo;
pub mod fork;
pub mod join;
pub mod mux_demux;
pub mod stream;

// AXI-Stream plumbing: width converter, packet FIFO (and its write side,
// shared with the dual-clock one), dual-clock FIFO.
pub mod axis_adapter;
pub mod axis_async_fifo;
pub mod axis_frame_fifo;
pub mod axis_frame_writer;

// Misc building blocks: CRC/LFSR, counters, CAM, FSM builder.
pub mod cam;
pub mod counter;
pub mod crc;
pub mod fsm;

// Control and status: AXI4-Lite (`axi_lite`), register maps (`csr_map`) and
// their C headers (`csr_header`), CSR banks (`csr`), statistics counters
// readable through a CSR bank (`stat_counters`).
pub mod axi_lite;
pub mod axi_lite_split;
pub mod csr;
pub mod csr_header;
pub mod csr_map;
pub mod stat_counters;
