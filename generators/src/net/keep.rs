//! `tkeep` masks of packed AXI-Stream beats (contiguous from byte 0).

use hdl::prelude::*;

/// The number of bytes of a packed `keep` mask (ones from bit 0), without an
/// adder: the edge of the thermometer code, OR-ed into binary.
#[track_caller]
pub fn keep_count(keep: Bits) -> UInt {
    let w = keep.width();
    let cw = hdl::clog2(w + 1);
    // edge[i]: byte i is the last one kept (i + 1 bytes).
    let edges: Vec<Bool> = (0..w)
        .map(|i| {
            if i + 1 < w {
                keep.bit(i) & !keep.bit(i + 1)
            } else {
                keep.bit(i)
            }
        })
        .collect();
    let bits: Vec<Bool> = (0..cw)
        .rev()
        .map(|b| {
            let terms: Vec<Bool> = (0..w)
                .filter(|i| (i + 1) >> b & 1 == 1)
                .map(|i| edges[i as usize])
                .collect();
            match terms.len() {
                0 => Bool::lit(false),
                _ => cat(&terms).any(),
            }
        })
        .collect();
    cat(&bits).as_uint()
}
