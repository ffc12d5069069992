//! Shared by the `net_tx_*` tests: model building and RTL checks ([`rtl`]).
#![allow(dead_code)]

pub mod rtl;
