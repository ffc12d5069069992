//! The whole NIC (`lauberhorn_top`) in a test bench: clocks, resets, the
//! register banks through the AXI4-Lite master, and the addresses the tests
//! give the NIC and its peer host.
#![allow(dead_code)]

pub mod wire;

use generators::config::{MacKind, NicConfig};
use hdl::stdlib::csr_map::CsrMap;
use testbenches::axil::{AxilMaster, AxilPace, Resp};
use testbenches::{Handle, Testbench};
use verilator::{Model, Source};

/// The NIC's MAC address in the tests.
pub const NIC_MAC: [u8; 6] = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];
/// The NIC's IPv4 address.
pub const NIC_IP: [u8; 4] = [10, 0, 0, 2];
/// The peer host's MAC address.
pub const HOST_MAC: [u8; 6] = [0x02, 0x00, 0x00, 0x00, 0x00, 0x10];
/// The peer host's IPv4 address.
pub const HOST_IP: [u8; 4] = [10, 0, 0, 1];
/// Core clock period (ps): 250 MHz.
pub const CORE_PS: u64 = 4_000;

/// The NIC's clocks for a MAC kind: (receive, transmit) periods in ps.
pub fn mac_periods(kind: MacKind) -> (u64, u64) {
    match kind {
        // 156.25 MHz, the transmit clock a little off the receive clock, as
        // two oscillators are.
        MacKind::Xgmii => (6_400, 6_402),
        // 322.265625 MHz.
        MacKind::Cmac => (3_104, 3_104),
    }
}

/// A register map recorded by the design (`csr_map` annotation of a module).
fn bank(json: &serde_json::Value, name: &str) -> CsrMap {
    json["modules"]
        .as_array()
        .expect("modules")
        .iter()
        .find_map(|m| {
            let map = &m["annotations"]["csr_map"];
            (map["bank"] == name).then(|| CsrMap::from_json(map).expect("a valid map"))
        })
        .unwrap_or_else(|| panic!("no bank {name}"))
}

/// The NIC in a bench.
pub struct Nic {
    /// The bench (clocks `clk`, `mac_rx_clk`, `mac_tx_clk`).
    pub tb: Testbench,
    /// The AXI4-Lite master on `s_axil`.
    pub axil: Handle<AxilMaster>,
    /// The control registers.
    pub csr: CsrMap,
    /// The statistics counters.
    pub stats: CsrMap,
    /// The configuration it was built from.
    pub cfg: NicConfig,
}

impl Nic {
    /// Elaborates, builds and resets the NIC of `cfg`.
    pub fn new(cfg: &NicConfig, seed: u64) -> Nic {
        let e = generators::nic::elaborate(cfg).unwrap_or_else(|d| panic!("{d}"));
        let json: serde_json::Value = serde_json::from_str(&e.json()).expect("design json");
        let model = Model::builder(Source::from_hdl(&e).expect("source"))
            .cxx_opt("-O1")
            .build()
            .expect("model");
        let mut tb = Testbench::new(model, seed);
        let (rx, tx) = mac_periods(cfg.mac.kind);
        tb.clock("clk", CORE_PS).expect("clk");
        tb.clock("mac_rx_clk", rx).expect("mac_rx_clk");
        tb.clock("mac_tx_clk", tx).expect("mac_tx_clk");
        for ready in ["m_rpc_meta_ready", "m_bypass_class_ready"] {
            let p = tb.model().port(ready).expect(ready);
            tb.model_mut().set_u64(p, 1).expect(ready);
        }
        tb.resets(&[("rst", true), ("mac_rx_rst", true), ("mac_tx_rst", true)], 8)
            .expect("reset");
        let master = AxilMaster::new(tb.model(), "s_axil", AxilPace::random(70, seed)).expect("s_axil");
        let axil = tb.attach("clk", master);
        Nic {
            tb,
            axil,
            csr: bank(&json, "nic_csr"),
            stats: bank(&json, "nic_stats"),
            cfg: cfg.clone(),
        }
    }

    fn offset(map: &CsrMap, reg: &str) -> u64 {
        map.register(reg)
            .unwrap_or_else(|| panic!("no register {reg}"))
            .offset
    }

    /// Writes control register `reg`.
    pub fn write(&mut self, reg: &str, value: u64) {
        let a = Self::offset(&self.csr, reg);
        let r = self.tb.axil(self.axil).write(a, value).expect("write");
        assert_eq!(r, Resp::Okay, "write {reg}");
    }

    /// Reads control register `reg`.
    pub fn read(&mut self, reg: &str) -> u64 {
        let a = Self::offset(&self.csr, reg);
        let (v, r) = self.tb.axil(self.axil).read(a).expect("read");
        assert_eq!(r, Resp::Okay, "read {reg}");
        v
    }

    /// Reads the 64-bit statistics counter `name`.
    pub fn stat(&mut self, name: &str) -> u64 {
        let base = generators::nic::STATS_BASE;
        let lo = base + Self::offset(&self.stats, &format!("{name}_lo"));
        let hi = base + Self::offset(&self.stats, &format!("{name}_hi"));
        let (l, r1) = self.tb.axil(self.axil).read(lo).expect("read");
        let (h, r2) = self.tb.axil(self.axil).read(hi).expect("read");
        assert_eq!((r1, r2), (Resp::Okay, Resp::Okay), "counter {name}");
        h << 32 | l
    }

    /// Every counter the statistics bank has, by name.
    pub fn stat_names(&self) -> Vec<String> {
        self.stats
            .registers
            .iter()
            .filter_map(|r| r.name.strip_suffix("_lo").map(str::to_string))
            .collect()
    }

    /// Gives the NIC its addresses: `NIC_MAC`, `NIC_IP`/24, gateway 10.0.0.254.
    pub fn configure(&mut self) {
        let mac = NIC_MAC.iter().fold(0u64, |a, &b| a << 8 | u64::from(b));
        self.write("mac_hi", mac >> 32);
        self.write("mac_lo", mac & 0xffff_ffff);
        self.write("ip", u64::from(u32::from_be_bytes(NIC_IP)));
        self.write("netmask", 0xffff_ff00);
        self.write("gateway", u64::from(u32::from_be_bytes([10, 0, 0, 254])));
    }

    /// Listen-table entry `index`: `port` for RPC calls (or replies).
    pub fn listen(&mut self, index: u64, port: u16, reply: bool) {
        self.write(
            "listen_wr",
            index << 24 | u64::from(reply) << 17 | 1 << 16 | u64::from(port),
        );
    }
}
