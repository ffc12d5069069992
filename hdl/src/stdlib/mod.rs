//! The standard library, written only against the public DSL API.

// Misc building blocks: CRC/LFSR, counters, CAM, FSM builder, AXI4-Lite, CSR banks.
pub mod cam;
pub mod counter;
pub mod crc;
pub mod fsm;
