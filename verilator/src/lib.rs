//! verilator (work in progress).
