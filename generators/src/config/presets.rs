//! The named configurations.

use super::{Datapath, Host, Mac, MacKind, NicConfig, Rpc, Tables};

/// Preset names, the default first.
pub const NAMES: [&str; 2] = ["enzian", "small"];

/// The preset called `name`.
pub fn by_name(name: &str) -> Option<NicConfig> {
    match name {
        "enzian" => Some(enzian()),
        "small" => Some(small()),
        _ => None,
    }
}

/// The Enzian NIC, with the numbers of the reference prototype: 512-bit
/// datapath at 250 MHz facing the 100G CMAC, 128 B ECI cache lines, 4 worker
/// cores, MTU 9618.
pub fn enzian() -> NicConfig {
    NicConfig {
        datapath: Datapath {
            bytes: 64,
            core_clock_mhz: 250.0,
        },
        mac: Mac {
            kind: MacKind::Cmac,
            clock_mhz: 322.265625,
            mtu: 9618,
        },
        host: Host {
            cache_line_bytes: 128,
            worker_cores: 4,
        },
        tables: Tables {
            neighbours: 8,
            listen_ports: 16,
            services: 8,
            sessions: 16,
            processes: 16,
            threads: 64,
        },
        rpc: Rpc {
            queued_per_process: 32,
            inline_arg_bytes: 48,
        },
    }
}

/// A small NIC for fast tests: 8-byte datapath on a 10G XGMII MAC, 2 worker
/// cores, small tables, standard 1518-byte frames.
pub fn small() -> NicConfig {
    NicConfig {
        datapath: Datapath {
            bytes: 8,
            core_clock_mhz: 250.0,
        },
        mac: Mac {
            kind: MacKind::Xgmii,
            clock_mhz: 156.25,
            mtu: 1518,
        },
        host: Host {
            cache_line_bytes: 128,
            worker_cores: 2,
        },
        tables: Tables {
            neighbours: 4,
            listen_ports: 4,
            services: 4,
            sessions: 4,
            processes: 4,
            threads: 8,
        },
        rpc: Rpc {
            queued_per_process: 4,
            inline_arg_bytes: 48,
        },
    }
}
