//! AXI-Stream with the verilog-ethernet port names.

use crate::prelude::*;

bundle! {
    /// An AXI-Stream interface: `input("s_axis", Axis::ty(8, None))` gives
    /// `s_axis_tdata`, `s_axis_tkeep`, `s_axis_tvalid`, `s_axis_tready`
    /// (an output), `s_axis_tlast` and, when a user width is given,
    /// `s_axis_tuser`.
    pub struct Axis {
        /// Data, `8 * bytes` bits.
        pub tdata: Bits,
        /// One bit per data byte: the byte is meaningful.
        pub tkeep: Bits,
        /// The sender offers a beat.
        pub tvalid: Bool,
        /// The receiver takes it.
        #[flip]
        pub tready: Bool,
        /// Last beat of a packet.
        pub tlast: Bool,
        /// Sideband, when configured.
        pub tuser: Option<Bits>,
    }
}

impl Axis {
    /// A template with `bytes` data bytes and an optional `tuser` of `user_width` bits.
    pub fn ty(bytes: u32, user_width: Option<u32>) -> Axis {
        Axis {
            tdata: Bits::ty(8 * bytes),
            tkeep: Bits::ty(bytes),
            tvalid: Bool::ty(),
            tready: Bool::ty(),
            tlast: Bool::ty(),
            tuser: user_width.map(Bits::ty),
        }
    }

    /// Number of data bytes.
    pub fn bytes(&self) -> u32 {
        self.tkeep.width()
    }

    /// A beat is transferred in this cycle: `tvalid & tready`.
    #[track_caller]
    pub fn fire(&self) -> Bool {
        self.tvalid & self.tready
    }
}
