//! The Ethernet FCS (CRC-32) as the MAC uses it, on 64-bit words.
//!
//! The transmitter appends the finalized CRC least significant byte first.
//! The receiver runs the same CRC over the frame *including* its FCS: for a
//! correct frame the hardware state then always ends in one constant, the
//! residue. The receive side zeroes the lanes after the last data byte of the
//! terminate word, so its state after that word is the residue advanced over
//! `8 - n` zero bytes: one constant per terminate lane `n`, compared instead
//! of computing a CRC per possible byte count ([`check_constants`]).
//!
//! The transmitter needs the CRC of the last beat's `k` bytes. Instead of one
//! XOR matrix per byte count it runs the ordinary 8-byte step over the beat
//! with the unused lanes zeroed, which advances the wanted state over
//! `8 - k` zero bytes, and then takes those zero bytes back out with the
//! inverse of the zero-byte advance ([`unadvance`]): three small matrices
//! (one, two and four bytes back) applied or bypassed in turn.

use hdl::prelude::*;
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

/// Rows of a 32 x 32 matrix over GF(2): bit `i` of `rows[j]` set means
/// input bit `i` takes part in the XOR that gives output bit `j`.
pub type Matrix32 = [u32; 32];

/// The state advanced over `n` zero bytes, as a matrix.
pub fn advance(n: usize) -> Matrix32 {
    let m = CrcMatrices::derive(CRC32, 8);
    std::array::from_fn(|j| {
        (0..32).fold(0u32, |row, i| {
            let mut s = 1u64 << i;
            for _ in 0..n {
                s = m.apply(s, &[0]);
            }
            row | (((s >> j) & 1) as u32) << i
        })
    })
}

/// The inverse of [`advance`]`(n)`: takes `n` zero bytes back out of a state.
pub fn unadvance(n: usize) -> Matrix32 {
    let a = advance(n);
    // Gauss-Jordan on [A | I]; afterwards row i of the right half says which
    // outputs of A XOR to input i.
    let mut rows: Vec<(u32, u32)> = (0..32).map(|j| (a[j], 1u32 << j)).collect();
    for col in 0..32 {
        let pivot = (col..32)
            .find(|&r| rows[r].0 >> col & 1 == 1)
            .expect("the zero-byte advance of a CRC is invertible");
        rows.swap(col, pivot);
        let p = rows[col];
        for (r, row) in rows.iter_mut().enumerate() {
            if r != col && row.0 >> col & 1 == 1 {
                row.0 ^= p.0;
                row.1 ^= p.1;
            }
        }
    }
    std::array::from_fn(|i| rows[i].1)
}

/// `m * v` in software.
pub fn apply(m: &Matrix32, v: u32) -> u32 {
    m.iter()
        .enumerate()
        .fold(0, |acc, (j, row)| acc | ((row & v).count_ones() & 1) << j)
}

/// `m * state` as logic, a named wire.
#[track_caller]
pub fn apply_logic(m: &Matrix32, name: &str, state: Bits) -> Bits {
    let bits: Vec<Bool> = m
        .iter()
        .rev()
        .map(|&row| match row.count_ones() {
            0 => Bool::lit(false),
            1 => state.bit(row.trailing_zeros()),
            _ => (state & Bits::lit(u128::from(row), 32)).parity(),
        })
        .collect();
    cat(&bits).named(name)
}

#[cfg(test)]
mod tests {
    #[test]
    fn unadvance_undoes_zero_bytes_and_gives_every_byte_count() {
        let m = matrices_64();
        for n in 1..8 {
            let (a, u) = (advance(n), unadvance(n));
            for v in [1u32, 0x8000_0000, 0xDEAD_BEEF, 0x1234_5678] {
                assert_eq!(apply(&u, apply(&a, v)), v, "n {n}");
            }
        }
        let data = [0x11u8, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88];
        for k in 1..=8usize {
            let mut word = [0u8; 8];
            word[..k].copy_from_slice(&data[..k]);
            let state = 0xC0FF_EE11u64;
            let full = m.apply(state, &word) as u32;
            let mut back = full;
            for (bit, step) in [(1, 1), (2, 2), (4, 4)] {
                if (8 - k) & bit != 0 {
                    back = apply(&unadvance(step), back);
                }
            }
            assert_eq!(u64::from(back), m.apply(state, &data[..k]), "k {k}");
        }
    }

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
            let state = frame.chunks(8).fold(CRC32.initial_state(), |s, w| m.apply(s, w));
            assert_eq!(state, k[n], "length {len}");
        }
    }
}
