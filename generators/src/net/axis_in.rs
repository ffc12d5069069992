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

/// The number of bytes a packed `tkeep` (contiguous from bit 0) marks, in
/// `clog2(width + 1)` bits.
#[track_caller]
pub fn keep_count(keep: Bits) -> UInt {
    let n = keep.width();
    let cw = hdl::clog2(n + 1);
    // Exactly one bit i of a packed, non-empty mask has keep[i] & !keep[i+1];
    // the count is i + 1. Each count bit is an OR over those edge positions.
    let edge = keep & !(keep >> 1);
    let bits: Vec<Bool> = (0..cw)
        .rev()
        .map(|k| {
            let mut acc = Bool::lit(false);
            for i in (0..n).filter(|i| ((i + 1) >> k) & 1 == 1) {
                acc = acc | edge.bit(i);
            }
            acc
        })
        .collect();
    cat(&bits).as_uint()
}

/// The packed `tkeep` of `bytes` bits marking the first `count` bytes.
#[track_caller]
pub fn count_keep(count: UInt, bytes: u32) -> Bits {
    let bits: Vec<Bool> = (0..bytes)
        .rev()
        .map(|i| count.is_gt(u128::from(i)))
        .collect();
    cat(&bits)
}
