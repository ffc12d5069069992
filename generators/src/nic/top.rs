//! `lauberhorn_top`: the NIC's top level.
//!
//! **Skeleton.** The NIC's real blocks (MAC, Ethernet/IPv4/UDP/ONC-RPC layers,
//! CSR bank, scheduler, host interface) are being written and will be wired in
//! here by the lead. Until then this top holds only what exists and is
//! honestly shaped by the configuration:
//!
//! - `u_rx_cdc`: an [`AsyncFifo`] that carries received AXI-Stream beats
//!   (`tdata`, `tkeep`, `tlast`) at `datapath.bytes` per beat from the MAC
//!   clock domain (`mac_clk`, `mac_rst`) to the core clock domain (`clk`,
//!   `rst`). It is [`NicConfig::cdc_fifo_depth`] words deep: one frame of
//!   `mac.mtu` bytes. (The MAC block will convert from its own interface
//!   width, [`crate::config::MacKind::interface_bytes`], to the datapath.)
//! - `u_neighbours`: the neighbour (ARP) table, a [`Cam`] of
//!   `tables.neighbours` entries mapping an IPv4 address (32 bit) to a MAC
//!   address (48 bit) with the prototype's 3-cycle lookup, in the core
//!   domain. Its write and lookup ports are top-level ports (`neigh_*`) until
//!   the CSR bank and the transmit path drive them.
//!
//! The configuration itself is recorded on the module as the annotation
//! `nic_config` (it appears in `design.json`).

use crate::config::NicConfig;
use hdl::prelude::*;
use hdl::stdlib::async_fifo::AsyncFifo;
use hdl::stdlib::axis::Axis;
use hdl::stdlib::cam::{Cam, CamIo};

bundle! {
    /// Ports of [`LauberhornTop`] (besides the clocks and resets).
    pub struct TopIo {
        /// Received frames from the MAC, in the MAC clock domain.
        #[input]
        pub mac_rx_axis: Axis,
        /// The same frames in the core clock domain, towards the network layers.
        pub rx_axis: Axis,
        /// The neighbour table's write and lookup ports (core clock domain).
        pub neigh: CamIo,
    }
}

/// The NIC top level for one configuration (see the module docs: a skeleton).
#[derive(Clone, Debug)]
pub struct LauberhornTop {
    /// The configuration (checked: see [`NicConfig::validate`]).
    pub cfg: NicConfig,
}

impl LauberhornTop {
    /// The neighbour table: IPv4 address -> MAC address, 3-cycle lookup.
    pub fn neighbour_cam(&self) -> Cam {
        Cam {
            entries: self.cfg.tables.neighbours,
            key_width: 32,
            value_width: 48,
            latency: 3,
        }
    }

    /// The MAC-to-core crossing: one word per beat holds `tdata`, `tkeep`, `tlast`.
    pub fn rx_cdc_fifo(&self) -> AsyncFifo {
        let bytes = self.cfg.datapath.bytes;
        AsyncFifo {
            width: 8 * bytes + bytes + 1,
            depth: self.cfg.cdc_fifo_depth(),
        }
    }
}

impl Component for LauberhornTop {
    type Io = TopIo;

    fn name(&self) -> String {
        super::TOP_NAME.to_string()
    }

    fn io(&self) -> TopIo {
        let cam = self.neighbour_cam();
        let bytes = self.cfg.datapath.bytes;
        TopIo {
            mac_rx_axis: Axis::ty(bytes, None),
            rx_axis: Axis::ty(bytes, None),
            neigh: CamIo {
                wr_en: Bool::ty(),
                wr_index: UInt::ty(cam.index_width()),
                wr_valid: Bool::ty(),
                wr_key: Bits::ty(cam.key_width),
                wr_value: Bits::ty(cam.value_width),
                lookup_valid: Bool::ty(),
                lookup_key: Bits::ty(cam.key_width),
                result_valid: Bool::ty(),
                hit: Bool::ty(),
                value: Bits::ty(cam.value_width),
                index: UInt::ty(cam.index_width()),
            },
        }
    }

    fn build(&self, io: &TopIo) {
        hdl::dsl::annotate(
            "nic_config",
            serde_json::to_value(&self.cfg).expect("a configuration serialises"),
        );
        let mac = ClockDomain::new("mac", "mac_clk", Some(Reset::sync_high("mac_rst")));
        let core = ClockDomain::new("core", "clk", Some(Reset::sync_high("rst")));
        let bytes = self.cfg.datapath.bytes;

        let cdc = instance("u_rx_cdc", &self.rx_cdc_fifo());
        cdc.connect_domain("s", &mac);
        cdc.connect_domain("m", &core);
        let rx_in = &io.mac_rx_axis;
        cdc.io.s.valid.set(rx_in.tvalid);
        cdc.io
            .s
            .payload
            .set(cat(&[rx_in.tlast.as_bits(), rx_in.tkeep, rx_in.tdata]));
        rx_in.tready.set(cdc.io.s.ready);
        let word = cdc.io.m.payload;
        io.rx_axis.tvalid.set(cdc.io.m.valid);
        io.rx_axis.tdata.set(word.lsbs(8 * bytes));
        io.rx_axis.tkeep.set(word.range(9 * bytes - 1, 8 * bytes));
        io.rx_axis.tlast.set(word.msb());
        cdc.io.m.ready.set(io.rx_axis.tready);

        let cam = core.within(|| instance("u_neighbours", &self.neighbour_cam()));
        io.neigh.connect_from(&cam.io);
    }
}
