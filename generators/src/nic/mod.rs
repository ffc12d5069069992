//! The Lauberhorn NIC in the `hdl` DSL: its top level, built from a
//! [`NicConfig`].

pub mod mac_port;
pub mod regs;
pub mod stats;
mod top;

pub use top::{LauberhornTop, TopIo, CSR_ADDRESS_BITS, STATS_BASE};

use crate::config::NicConfig;

/// Name of the top-level module (it carries no parameters: the
/// configuration decides its content).
pub const TOP_NAME: &str = "lauberhorn_top";

/// Elaborates the NIC for `cfg` and runs every checking pass.
pub fn elaborate(cfg: &NicConfig) -> Result<hdl::Elaborated, hdl::Diagnostics> {
    hdl::elaborate(&LauberhornTop { cfg: cfg.clone() })
}
