//! An AXI-Stream input without `tready`, for sources that cannot stall.

use hdl::prelude::*;

bundle! {
    /// AXI-Stream from a source that cannot be back-pressured (the MAC's
    /// receive side): `tdata`, `tkeep`, `tvalid`, `tlast` and `tuser`
    /// (bit 0 on the last beat: bad frame), no `tready`.
    pub struct AxisIn {
        /// Data, byte 0 in bits 7..0.
        pub tdata: Bits,
        /// Contiguous from bit 0, full on every beat but the last.
        pub tkeep: Bits,
        /// A beat is present (taken unconditionally).
        pub tvalid: Bool,
        /// Last beat of a frame.
        pub tlast: Bool,
        /// Bit 0 on the last beat: the frame is bad (FCS, MAC error).
        pub tuser: Bits,
    }
}

impl AxisIn {
    /// A template of `bytes` data bytes and a 1-bit `tuser`.
    pub fn ty(bytes: u32) -> AxisIn {
        AxisIn {
            tdata: Bits::ty(8 * bytes),
            tkeep: Bits::ty(bytes),
            tvalid: Bool::ty(),
            tlast: Bool::ty(),
            tuser: Bits::ty(1),
        }
    }
}
