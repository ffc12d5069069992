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
    let levels = hdl::clog2(words.len() as u32);
    let width = words[0].width() + levels;
    sum_levels(words, levels)[0].resize(width)
}

/// The first `levels` levels of the balanced adder tree of [`wide_sum`]: the
/// pairwise sums, each level one bit wider. A tree split by a register goes
/// on with [`wide_sum`] of the registered result.
#[track_caller]
pub fn sum_levels(words: &[UInt], levels: u32) -> Vec<UInt> {
    let mut level: Vec<UInt> = words.to_vec();
    for _ in 0..levels {
        if level.len() == 1 {
            break;
        }
        let width = level[0].width() + 1;
        level = level
            .chunks(2)
            .map(|p| match p {
                [a, b] => a.resize(width) + b.resize(width),
                _ => p[0].resize(width),
            })
            .collect();
    }
    level
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

/// `fold16(sum) == 0xffff` (a correct packet) without the folding adders:
/// the first fold gives 0xffff exactly when the halves are each other's
/// complement, 0x1fffe exactly when both are 0xffff; no other first fold
/// folds to 0xffff. `sum` is at most 32 bits wide.
#[track_caller]
pub fn folds_to_ffff(sum: UInt) -> Bool {
    let w = sum.width();
    assert!(w <= 32, "folds_to_ffff of a {w}-bit sum");
    if w <= 16 {
        return sum.is_eq(0xffffu32);
    }
    let lo = sum.range(15, 0).as_bits();
    let hi = sum.range(w - 1, 16).resize(16).as_bits();
    (lo ^ hi).all() | (lo & hi).all()
}

/// The 16-bit one's-complement sum of `words`.
#[track_caller]
pub fn ones_sum(words: &[UInt]) -> UInt {
    fold16(wide_sum(words))
}
