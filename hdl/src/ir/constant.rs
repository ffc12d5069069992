//! Sized constants of any width (wider than 128 bits through num-bigint).

use num_bigint::BigUint;
use num_traits::{ToPrimitive, Zero};
use std::fmt;

/// A constant bit vector. Widths up to 128 bits are stored inline.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Const {
    width: u32,
    small: u128,
    big: Option<Box<BigUint>>,
}

impl Const {
    /// A constant of `width` bits; `None` when `value` needs more bits.
    pub fn new(value: u128, width: u32) -> Option<Const> {
        if width < 128 && value >> width != 0 {
            return None;
        }
        if width > 128 {
            return Some(Const {
                width,
                small: 0,
                big: Some(Box::new(BigUint::from(value))),
            });
        }
        Some(Const {
            width,
            small: value,
            big: None,
        })
    }

    /// A constant from a big integer; `None` when it needs more than `width` bits.
    pub fn from_big(value: &BigUint, width: u32) -> Option<Const> {
        if value.bits() > u64::from(width) {
            return None;
        }
        if width <= 128 {
            return Const::new(value.to_u128().unwrap_or(0), width);
        }
        Some(Const {
            width,
            small: 0,
            big: Some(Box::new(value.clone())),
        })
    }

    /// All zeros.
    pub fn zero(width: u32) -> Const {
        Const::new(0, width).expect("zero fits")
    }

    /// All ones.
    pub fn ones(width: u32) -> Const {
        let v = (BigUint::from(1u8) << width) - 1u8;
        Const::from_big(&v, width).expect("ones fit")
    }

    /// Width in bits.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// The value as a big integer.
    pub fn to_big(&self) -> BigUint {
        match &self.big {
            Some(b) => (**b).clone(),
            None => BigUint::from(self.small),
        }
    }

    /// The value when it fits in 128 bits.
    pub fn to_u128(&self) -> Option<u128> {
        match &self.big {
            Some(b) => b.to_u128(),
            None => Some(self.small),
        }
    }

    /// The value when it fits in 64 bits.
    pub fn to_u64(&self) -> Option<u64> {
        self.to_u128().and_then(|v| u64::try_from(v).ok())
    }

    /// True when every bit is 0.
    pub fn is_zero(&self) -> bool {
        match &self.big {
            Some(b) => b.is_zero(),
            None => self.small == 0,
        }
    }

    /// Bit `i`.
    pub fn bit(&self, i: u32) -> bool {
        match &self.big {
            Some(b) => b.bit(u64::from(i)),
            None => i < 128 && (self.small >> i) & 1 == 1,
        }
    }

    /// Bits `[lo + width - 1 : lo]`.
    pub fn slice(&self, lo: u32, width: u32) -> Const {
        let v = (self.to_big() >> lo) & ((BigUint::from(1u8) << width) - 1u8);
        Const::from_big(&v, width).expect("slice fits")
    }

    /// Verilog literal: decimal up to 32 bits, hex above (e.g. `8'd5`, `64'h0000_00ff`).
    pub fn to_verilog(&self) -> String {
        if self.width == 1 {
            return format!("1'b{}", u8::from(self.bit(0)));
        }
        if self.width <= 32 {
            return format!("{}'d{}", self.width, self.small);
        }
        self.to_verilog_hex()
    }

    /// Verilog literal in hex at any width (`32'h1122_3344`): for data words
    /// such as memory contents, where the bit pattern matters more than the number.
    pub fn to_verilog_hex(&self) -> String {
        if self.width == 1 {
            return format!("1'b{}", u8::from(self.bit(0)));
        }
        let digits = self.width.div_ceil(4) as usize;
        let hex = format!("{:0>digits$}", self.to_big().to_str_radix(16));
        format!("{}'h{}", self.width, group_hex(&hex))
    }
}

/// Hex digits grouped by four from the right with `_`, for readability
/// (`1122_3344`).
pub(crate) fn group_hex(hex: &str) -> String {
    let mut out = String::with_capacity(hex.len() + hex.len() / 4);
    for (i, ch) in hex.chars().enumerate() {
        if i > 0 && (hex.len() - i).is_multiple_of(4) {
            out.push('_');
        }
        out.push(ch);
    }
    out
}

impl serde::Serialize for Const {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_verilog())
    }
}

impl fmt::Debug for Const {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_verilog())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_values_that_do_not_fit() {
        assert!(Const::new(256, 8).is_none());
        assert!(Const::new(255, 8).is_some());
        assert!(Const::new(u128::MAX, 128).is_some());
    }

    #[test]
    fn verilog_literals() {
        assert_eq!(Const::new(5, 8).unwrap().to_verilog(), "8'd5");
        assert_eq!(Const::new(1, 1).unwrap().to_verilog(), "1'b1");
        assert_eq!(Const::new(0xff, 40).unwrap().to_verilog(), "40'h00_0000_00ff");
        assert_eq!(Const::ones(200).to_verilog().len(), "200'h".len() + 50 + 12);
    }

    #[test]
    fn wide_constants_slice() {
        let c = Const::from_big(&(BigUint::from(0xabu8) << 190u32), 200).unwrap();
        assert_eq!(c.slice(190, 8).to_u64(), Some(0xab));
        assert!(c.bit(190));
        assert!(!c.bit(189));
    }
}
