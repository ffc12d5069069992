//! `cmac_tx_512`: frames for the transmit stream of the Xilinx UltraScale+
//! 100G CMAC (PG203, AXI4-Stream variant).
//!
//! The CMAC computes the FCS itself, but once a frame has started it must
//! get a beat whenever it asks (`tx_axis_tready`): a gap inside a frame is an
//! underflow that corrupts the frame and needs a reset of the CMAC's
//! transmit path. So frames are held in a packet FIFO
//! ([`hdl::stdlib::axis_frame_fifo::AxisFrameFifo`], frame mode) and released
//! only when complete; the FIFO then hands out a beat in every cycle the
//! CMAC is ready, and `tx_axis_tready` is simply its read enable. PG203 also
//! warns that frames below 64 bytes may lock the core up, so frames shorter
//! than 60 bytes (always a single 64-byte beat) are padded with zeros to 60
//! on the way in (the CMAC adds the FCS). A frame longer than the FIFO is
//! dropped and counted (`stat_tx_err_oversize`); `tuser[0]` on the last beat
//! goes to the CMAC's `tx_axis_tuser` (the CMAC then sends the frame with an
//! error) and is counted (`stat_tx_pkt_bad`).
//!
//! The outputs carry the CMAC's own port names (`tx_axis_tdata[511:0]`,
//! `tx_axis_tkeep[63:0]`, `tx_axis_tvalid`, `tx_axis_tready`,
//! `tx_axis_tlast`, `tx_axis_tuser`), so they connect name to name.

use super::MIN_FRAME_NO_FCS;
use hdl::prelude::*;
use hdl::stdlib::axis::Axis;
use hdl::stdlib::axis_frame_fifo::AxisFrameFifo;
use hdl::stdlib::axis_frame_writer::FrameOptions;

bundle! {
    /// Ports of [`CmacTx512`].
    pub struct CmacTx512Io {
        /// Frames to send, without FCS; `tuser[0]` on the last beat = bad.
        #[input]
        pub s_axis: Axis,
        /// To the CMAC: `tx_axis_*`.
        pub tx_axis: Axis,
        /// A frame was handed to the CMAC.
        pub stat_tx_pkt_good: Bool,
        /// A frame marked bad was handed to the CMAC.
        pub stat_tx_pkt_bad: Bool,
        /// A frame longer than the FIFO was dropped.
        pub stat_tx_err_oversize: Bool,
    }
}

/// The CMAC transmit adapter: `cmac_tx_512_d{depth}`.
#[derive(Clone, Debug)]
pub struct CmacTx512 {
    /// FIFO depth in 64-byte beats (a power of two); 256 holds two jumbo frames.
    pub depth: u32,
}

impl Default for CmacTx512 {
    fn default() -> Self {
        CmacTx512 { depth: 256 }
    }
}

impl Component for CmacTx512 {
    type Io = CmacTx512Io;

    fn name(&self) -> String {
        format!("cmac_tx_512_d{}", self.depth)
    }

    fn io(&self) -> CmacTx512Io {
        CmacTx512Io {
            s_axis: Axis::ty(64, Some(1)),
            tx_axis: Axis::ty(64, Some(1)),
            stat_tx_pkt_good: Bool::ty(),
            stat_tx_pkt_bad: Bool::ty(),
            stat_tx_err_oversize: Bool::ty(),
        }
    }

    fn build(&self, io: &CmacTx512Io) {
        let s = &io.s_axis;
        let fifo = instance(
            "u_fifo",
            &AxisFrameFifo {
                bytes: 64,
                user_width: Some(1),
                depth: self.depth,
                options: FrameOptions::FRAME,
                meta: None,
            },
        );
        // Padding: a frame's first beat that is also its last covers at
        // least 60 bytes, the added ones zero.
        let first = reg("first_beat", Bool::ty()).init(true);
        when(s.fire(), || first.set(s.tlast));
        let pad = (first & s.tlast).named("pad");
        let min_keep = Bits::lit((1u128 << MIN_FRAME_NO_FCS) - 1, 64);
        let keep = pad.mux(s.tkeep | min_keep, s.tkeep).named("padded_keep");
        let lanes: Vec<Bits> = (0..64)
            .rev()
            .map(|i| s.tdata.range(8 * i + 7, 8 * i) & s.tkeep.bit(i).repeat(8))
            .collect();
        let zeroed = cat(&lanes).named("zeroed_data");
        let f = &fifo.io.s_axis;
        f.tdata.set(pad.mux(zeroed, s.tdata));
        f.tkeep.set(keep);
        f.tvalid.set(s.tvalid);
        f.tlast.set(s.tlast);
        f.tuser
            .as_ref()
            .expect("tuser")
            .set(s.tuser.as_ref().expect("tuser"));
        s.tready.set(f.tready);

        io.tx_axis.connect_from(&fifo.io.m_axis);
        let out = &io.tx_axis;
        let end = (out.fire() & out.tlast).named("frame_out");
        let bad = out.tuser.as_ref().expect("tuser").bit(0);
        io.stat_tx_pkt_good
            .set(reg_next_init("stat_good_q", &(end & !bad), 0));
        io.stat_tx_pkt_bad
            .set(reg_next_init("stat_bad_q", &(end & bad), 0));
        io.stat_tx_err_oversize.set(fifo.io.stat_drop_full);
    }
}
