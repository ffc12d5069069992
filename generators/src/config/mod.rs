//! The NIC configuration: every number that shapes the generated hardware.
//!
//! A configuration is one of the named [presets] (`enzian`, the default, and
//! `small`) or a TOML file that overrides any subset of a preset's fields
//! (`base = "enzian"` picks the preset; enzian when absent). Fields are grouped
//! in the sections `[datapath]`, `[mac]`, `[host]`, `[tables]` and `[rpc]`.
//! [`NicConfig::validate`] reports every bad field at once, each with its dotted
//! name, its value and what is allowed; [`from_toml_str`] does the same for unknown keys
//! and wrong types. `lauberhorn config` prints any configuration as commented
//! TOML (that is how `configs/*.toml` are made).

mod constants;
mod example;
mod load;
pub mod presets;
#[macro_use]
mod section;
mod validate;

pub use constants::Constant;
pub use load::{from_file, from_name, from_toml_str, ConfigErrors};
pub use validate::ConfigError;

use serde::{Deserialize, Serialize};

/// Which MAC the NIC faces, which sets the MAC clock's meaning and the line rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MacKind {
    /// The Xilinx 100G CMAC hard IP: 512-bit AXI-Stream (FCS done by the IP).
    Cmac,
    /// Our own MAC on a 64-bit XGMII (10G/25G).
    Xgmii,
}

impl MacKind {
    /// The TOML spellings, in declaration order.
    pub const NAMES: [&'static str; 2] = ["cmac", "xgmii"];

    /// Bytes per MAC-clock beat at the MAC's own interface.
    pub fn interface_bytes(self) -> u32 {
        match self {
            MacKind::Cmac => 64,
            MacKind::Xgmii => 8,
        }
    }

    /// Line rate in Gbit/s that the datapath must keep up with.
    pub fn line_rate_gbps(self) -> f64 {
        match self {
            MacKind::Cmac => 100.0,
            MacKind::Xgmii => 10.0,
        }
    }

    /// The number that stands for this kind in the C header
    /// (`LAUBERHORN_MAC_KIND_*`) and the `features` register: its position in
    /// [`MacKind::NAMES`].
    pub fn code(self) -> u32 {
        match self {
            MacKind::Cmac => 0,
            MacKind::Xgmii => 1,
        }
    }

    /// The TOML spelling.
    pub fn name(self) -> &'static str {
        match self {
            MacKind::Cmac => "cmac",
            MacKind::Xgmii => "xgmii",
        }
    }
}

section! {
    /// The network datapath inside the NIC (core clock domain).
    Datapath {
        /// Bytes per beat of the internal AXI-Stream datapath (64 = 512 bit).
        bytes: u32,
        /// Core clock frequency in MHz (a whole number of Hz).
        core_clock_mhz: f64,
    }
}

section! {
    /// The Ethernet MAC and its clock domain.
    Mac {
        /// MAC kind: "cmac" (Xilinx 100G CMAC, 512-bit AXI-Stream) or "xgmii"
        /// (our MAC on a 64-bit XGMII, 10G).
        kind: MacKind,
        /// MAC clock frequency in MHz (CMAC: 322.265625, XGMII: 156.25).
        clock_mhz: f64,
        /// Largest frame in bytes, Ethernet header and FCS included (1518 for
        /// standard frames).
        mtu: u32,
    }
}

section! {
    /// The Enzian host side: cache lines and CPU cores.
    Host {
        /// Bytes per coherent cache line (ECI: 128).
        cache_line_bytes: u32,
        /// CPU cores that run RPC handlers (core 0, for bypass traffic, not counted).
        worker_cores: u32,
    }
}

section! {
    /// Table sizes (entries).
    Tables {
        /// Neighbour (ARP) table: IPv4 address -> MAC address.
        neighbours: u32,
        /// UDP listen ports.
        listen_ports: u32,
        /// RPC services (program, version, procedure, port -> handler, process).
        services: u32,
        /// Reply sessions remembered between a call and its reply.
        sessions: u32,
        /// Processes the NIC schedules.
        processes: u32,
        /// Threads across all processes.
        threads: u32,
    }
}

section! {
    /// ONC RPC request handling.
    Rpc {
        /// Requests queued per process (a power of two), in one shared memory.
        queued_per_process: u32,
        /// RPC argument bytes inlined into the control line (a multiple of 4).
        inline_arg_bytes: u32,
    }
}

/// The whole configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NicConfig {
    /// `[datapath]`
    pub datapath: Datapath,
    /// `[mac]`
    pub mac: Mac,
    /// `[host]`
    pub host: Host,
    /// `[tables]`
    pub tables: Tables,
    /// `[rpc]`
    pub rpc: Rpc,
}

/// Every section: its TOML name, its one-line doc and its fields' docs.
pub fn sections() -> [(&'static str, &'static str, section::Fields); 5] {
    [
        ("datapath", Datapath::DOC, Datapath::FIELDS),
        ("mac", Mac::DOC, Mac::FIELDS),
        ("host", Host::DOC, Host::FIELDS),
        ("tables", Tables::DOC, Tables::FIELDS),
        ("rpc", Rpc::DOC, Rpc::FIELDS),
    ]
}

impl Default for NicConfig {
    /// The `enzian` preset.
    fn default() -> Self {
        presets::enzian()
    }
}

impl NicConfig {
    /// Core clock in Hz.
    pub fn core_clock_hz(&self) -> u64 {
        mhz_to_hz(self.datapath.core_clock_mhz)
    }

    /// MAC clock in Hz.
    pub fn mac_clock_hz(&self) -> u64 {
        mhz_to_hz(self.mac.clock_mhz)
    }
}

/// Whole Hz of a frequency in MHz.
pub(crate) fn mhz_to_hz(mhz: f64) -> u64 {
    (mhz * 1e6).round() as u64
}
