//! Header fields in network byte order.
//!
//! A header is held as a vector of bytes in frame order: byte `i` of the frame
//! is bits `8i+7 .. 8i` (the AXI-Stream layout of `tdata`). Multi-byte fields
//! are big-endian: the field at offset `o` of `n` bytes is
//! `{byte[o], byte[o+1], ..., byte[o+n-1]}`.

use hdl::prelude::*;

/// Byte `i` of a frame-ordered byte vector.
#[track_caller]
pub fn byte(bytes: Bits, i: u32) -> Bits {
    bytes.range(8 * i + 7, 8 * i)
}

/// The big-endian field of `len` bytes at `offset`, as a number.
#[track_caller]
pub fn be_field(bytes: Bits, offset: u32, len: u32) -> UInt {
    let parts: Vec<Bits> = (offset..offset + len).map(|i| byte(bytes, i)).collect();
    cat(&parts).as_uint()
}

/// The bytes, in frame order, of a big-endian field holding `value` (whose
/// width must be a whole number of bytes): the inverse of [`be_field`].
#[track_caller]
pub fn be_bytes<T: HwValue>(value: T) -> Bits {
    let n = value.width() / 8;
    let v = Bits::from_sig(value.sig());
    // The last byte of the field is the least significant; in frame order it
    // goes into the most significant position of the result.
    let parts: Vec<Bits> = (0..n).map(|i| v.range(8 * i + 7, 8 * i)).collect();
    cat(&parts)
}

/// Frame-ordered bytes from a list of fields, first field first (each field a
/// whole number of bytes, big-endian).
#[track_caller]
pub fn header_bytes(fields: &[Bits]) -> Bits {
    let parts: Vec<Bits> = fields.iter().rev().map(|f| be_bytes(*f)).collect();
    cat(&parts)
}
