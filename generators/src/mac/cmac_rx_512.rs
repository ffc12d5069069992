//! `cmac_rx_512`: the receive stream of the Xilinx UltraScale+ 100G CMAC
//! (PG203, AXI4-Stream variant) mapped to ours.
//!
//! The CMAC checks the FCS (and strips it when `ctl_rx_delete_fcs` is set),
//! cannot be stalled and marks a bad frame (FCS error, length error, PCS
//! errors) with `rx_axis_tuser` on the last beat. The inputs carry the CMAC's
//! own port names (`rx_axis_tdata[511:0]`, `rx_axis_tkeep[63:0]`,
//! `rx_axis_tvalid`, `rx_axis_tlast`, `rx_axis_tuser`), so they connect name
//! to name. Everything is registered once: `m_axis_tuser[0]` is
//! `rx_axis_tuser` on the last beat (0 elsewhere), and each frame's end
//! pulses `stat_rx_pkt_good` or `stat_rx_pkt_bad`.

use hdl::prelude::*;
use hdl::stdlib::axis::AxisFlow;

bundle! {
    /// Ports of [`CmacRx512`].
    pub struct CmacRx512Io {
        /// From the CMAC: `rx_axis_*`, no `tready`.
        #[input]
        pub rx_axis: AxisFlow,
        /// Frames out; `tuser[0]` on the last beat = bad.
        pub m_axis: AxisFlow,
        /// A good frame ended.
        pub stat_rx_pkt_good: Bool,
        /// A frame the CMAC marked bad ended.
        pub stat_rx_pkt_bad: Bool,
    }
}

/// The CMAC receive adapter: `cmac_rx_512`.
#[derive(Clone, Debug, Default)]
pub struct CmacRx512;

impl Component for CmacRx512 {
    type Io = CmacRx512Io;

    fn name(&self) -> String {
        "cmac_rx_512".into()
    }

    fn io(&self) -> CmacRx512Io {
        CmacRx512Io {
            rx_axis: AxisFlow::ty(64, 1),
            m_axis: AxisFlow::ty(64, 1),
            stat_rx_pkt_good: Bool::ty(),
            stat_rx_pkt_bad: Bool::ty(),
        }
    }

    fn build(&self, io: &CmacRx512Io) {
        let i = &io.rx_axis;
        let end = (i.tvalid & i.tlast).named("frame_end");
        let bad = i.tuser.bit(0);
        let out_data = reg_next("out_data", &i.tdata);
        let out_keep = reg_next_init("out_keep", &i.tkeep, 0);
        let out_valid = reg_next_init("out_valid", &i.tvalid, 0);
        let out_last = reg_next_init("out_last", &i.tlast, 0);
        let out_bad = reg_next_init("out_bad", &(i.tlast & bad), 0);
        io.m_axis.tdata.set(out_data);
        io.m_axis.tkeep.set(out_keep);
        io.m_axis.tvalid.set(out_valid);
        io.m_axis.tlast.set(out_last);
        io.m_axis.tuser.set(out_bad.as_bits());
        io.stat_rx_pkt_good
            .set(reg_next_init("stat_good_q", &(end & !bad), 0));
        io.stat_rx_pkt_bad
            .set(reg_next_init("stat_bad_q", &(end & bad), 0));
    }
}
