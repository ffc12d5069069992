//! Shared by the `net_tx_*` tests: model building and RTL checks ([`rtl`]),
//! the reference model ([`reference`]), etherparse decoding ([`decode`]) and
//! agents for non-AXI-Stream ports ([`agents`]).
#![allow(dead_code)]

pub mod agents;
pub mod decode;
pub mod reference;
pub mod rtl;
pub mod top;
