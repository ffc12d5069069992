//! Shared by the `net_rx_*` tests and the `net_rx` benchmark: RTL checks,
//! frame construction (etherparse), the reference model of the receive
//! rules, and the test bench around `net_rx`.
#![allow(dead_code)]

pub mod frames;
pub mod harness;
pub mod model;
pub mod rtl;
