//! The configuration as named numbers, for the C header (and anything else
//! that wants `LAUBERHORN_*` constants).

use super::{MacKind, NicConfig};

/// One constant: `LAUBERHORN_<name>` = `value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Constant {
    /// Name without the `LAUBERHORN_` prefix, upper case.
    pub name: &'static str,
    /// Value.
    pub value: u64,
    /// One line of documentation.
    pub doc: &'static str,
}

impl NicConfig {
    /// Every configuration value as a constant (clocks in Hz), plus derived
    /// sizes the hardware uses, in section order.
    pub fn constants(&self) -> Vec<Constant> {
        let c = |name, value: u32, doc| Constant {
            name,
            value: u64::from(value),
            doc,
        };
        vec![
            c(
                "DATAPATH_BYTES",
                self.datapath.bytes,
                "bytes per beat of the internal datapath",
            ),
            Constant {
                name: "DATAPATH_CORE_CLOCK_HZ",
                value: self.core_clock_hz(),
                doc: "core clock frequency in Hz",
            },
            c(
                "MAC_KIND_CMAC",
                MacKind::Cmac.code(),
                "value of LAUBERHORN_MAC_KIND for the Xilinx 100G CMAC",
            ),
            c(
                "MAC_KIND_XGMII",
                MacKind::Xgmii.code(),
                "value of LAUBERHORN_MAC_KIND for our MAC on a 64-bit XGMII",
            ),
            c(
                "MAC_KIND",
                self.mac.kind.code(),
                "the MAC this NIC faces (LAUBERHORN_MAC_KIND_*)",
            ),
            c(
                "MAC_INTERFACE_BYTES",
                self.mac.kind.interface_bytes(),
                "bytes per beat at the MAC's own interface",
            ),
            Constant {
                name: "MAC_CLOCK_HZ",
                value: self.mac_clock_hz(),
                doc: "MAC clock frequency in Hz",
            },
            c(
                "MAC_MTU",
                self.mac.mtu,
                "largest frame in bytes, header and FCS included",
            ),
            c(
                "HOST_CACHE_LINE_BYTES",
                self.host.cache_line_bytes,
                "bytes per coherent cache line",
            ),
            c(
                "HOST_WORKER_CORES",
                self.host.worker_cores,
                "CPU cores that run RPC handlers",
            ),
            c(
                "TABLES_NEIGHBOURS",
                self.tables.neighbours,
                "neighbour (ARP) table entries",
            ),
            c(
                "TABLES_LISTEN_PORTS",
                self.tables.listen_ports,
                "UDP listen port entries",
            ),
            c("TABLES_SERVICES", self.tables.services, "RPC service entries"),
            c("TABLES_SESSIONS", self.tables.sessions, "reply session entries"),
            c(
                "TABLES_PROCESSES",
                self.tables.processes,
                "processes the NIC schedules",
            ),
            c(
                "TABLES_THREADS",
                self.tables.threads,
                "threads across all processes",
            ),
            c(
                "RPC_QUEUED_PER_PROCESS",
                self.rpc.queued_per_process,
                "requests queued per process",
            ),
            c(
                "RPC_INLINE_ARG_BYTES",
                self.rpc.inline_arg_bytes,
                "RPC argument bytes inlined into the control line",
            ),
        ]
    }
}
