//! The Internet checksum (RFC 1071): one's-complement sums of big-endian
//! 16-bit words.
//!
//! Sums are carried wide and folded at the end: adding `n` 16-bit words needs
//! `16 + clog2(n)` bits, and folding the carries back in twice gives the
//! 16-bit one's-complement sum. A correct packet sums to `0xffff` over its
//! header (IPv4) or its pseudo header and message (UDP, ICMP).

use super::field::byte;
use hdl::prelude::*;

/// The big-endian 16-bit words of frame-ordered `bytes` (an even number of
/// bytes), each zeroed where its bytes' `keep` bits are clear.
#[track_caller]
pub fn be_words(bytes: Bits, keep: Option<Bits>) -> Vec<UInt> {
    let n = bytes.width() / 8;
    (0..n / 2)
        .map(|w| {
            let (hi, lo) = (byte(bytes, 2 * w), byte(bytes, 2 * w + 1));
            let (hi, lo) = match keep {
                Some(k) => (
                    k.bit(2 * w).mux(hi, Bits::zeros(8)),
                    k.bit(2 * w + 1).mux(lo, Bits::zeros(8)),
                ),
                None => (hi, lo),
            };
            cat(&[hi, lo]).as_uint()
        })
        .collect()
}

/// The plain sum of `words` (a balanced adder tree), wide enough never to
/// overflow: `width + clog2(len)` bits.
#[track_caller]
pub fn wide_sum(words: &[UInt]) -> UInt {
    assert!(!words.is_empty(), "wide_sum of no words");
    let width = words[0].width() + hdl::clog2(words.len() as u32);
    let mut level: Vec<UInt> = words.iter().map(|w| w.resize(width)).collect();
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|p| if p.len() == 2 { p[0] + p[1] } else { p[0] })
            .collect();
    }
    level[0]
}

/// Folds a wide sum into 16 bits with end-around carry (enough folds for any
/// width up to 32 bits).
#[track_caller]
pub fn fold16(sum: UInt) -> UInt {
    if sum.width() <= 16 {
        return sum.resize(16);
    }
    let w = sum.width();
    assert!(w <= 32, "fold16 of a {w}-bit sum");
    // (hi + lo) fits in 17 bits; its carry folded in once more cannot carry again.
    let once = sum.range(15, 0).resize(17) + sum.range(w - 1, 16).resize(17);
    once.range(15, 0) + once.range(16, 16).resize(16)
}

/// The 16-bit one's-complement sum of `words`.
#[track_caller]
pub fn ones_sum(words: &[UInt]) -> UInt {
    fold16(wide_sum(words))
}
