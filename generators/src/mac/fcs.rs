//! The Ethernet FCS (CRC-32) as the MAC uses it, on 64-bit words.
//!
//! The transmitter appends the finalized CRC least significant byte first.
//! The receiver runs the same CRC over the frame *including* its FCS: for a
//! correct frame the hardware state then always ends in one constant, the
//! residue. The receive side zeroes the lanes after the last data byte of the
//! terminate word, so its state after that word is the residue advanced over
//! `8 - n` zero bytes: one constant per terminate lane `n`, compared instead
//! of computing a CRC per possible byte count ([`check_constants`]).

use hdl::stdlib::crc::{CrcMatrices, CRC32};

/// The CRC-32 matrices for 64-bit (8-byte) words.
pub fn matrices_64() -> CrcMatrices {
    CrcMatrices::derive(CRC32, 64)
}

/// The hardware state after any message followed by its FCS.
pub fn residue() -> u64 {
    let m = CrcMatrices::derive(CRC32, 8);
    let msg = b"residue";
    let fcs = (CRC32.reference(msg) as u32).to_le_bytes();
    msg.iter()
        .chain(fcs.iter())
        .fold(CRC32.initial_state(), |s, &b| m.apply(s, &[b]))
}

/// `check_constants()[n]`: the state after a correct frame whose terminate
/// word holds `n` (0..=7) of its bytes, the other `8 - n` lanes zeroed.
pub fn check_constants() -> [u64; 8] {
    let m = CrcMatrices::derive(CRC32, 64);
    let r = residue();
    std::array::from_fn(|n| m.apply(r, &vec![0u8; 8 - n]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn residue_is_the_well_known_one() {
        // 0xDEBB20E3 in the reflected register, 0x2144DF1C after the final XOR.
        assert_eq!(residue(), 0xDEBB_20E3);
        assert_eq!(CRC32.finalize(residue()), 0x2144_DF1C);
    }

    #[test]
    fn check_constants_match_frames_of_every_terminate_lane() {
        let m = matrices_64();
        let k = check_constants();
        for len in 60..80usize {
            let mut frame: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
            let fcs = (CRC32.reference(&frame) as u32).to_le_bytes();
            frame.extend_from_slice(&fcs);
            let n = frame.len() % 8;
            frame.resize(frame.len().div_ceil(8) * 8 + if n == 0 { 8 } else { 0 }, 0);
            let state = frame
                .chunks(8)
                .fold(CRC32.initial_state(), |s, w| m.apply(s, w));
            assert_eq!(state, k[n], "length {len}");
        }
    }
}
