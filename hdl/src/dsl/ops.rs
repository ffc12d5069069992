//! Operators and width-changing methods of the typed handles.
//!
//! Binary operators take operands of equal width (a literal is sized to the
//! other side); the widths pass reports any mismatch at the user's line.

use super::context::{push_node, resolve, Sig};
use super::types::{compare, Bits, Bool, HwValue, Operand, SInt, UInt};
use crate::diag::Loc;
use crate::ir::{BinOp, Kind, NodeKind, UnOp};
use std::ops;
use std::panic::Location;

#[track_caller]
fn bin(op: BinOp, a: Sig, b: Sig, width: u32, kind: Kind) -> Sig {
    let loc = Location::caller();
    let x = resolve(a, loc);
    let y = resolve(b, loc);
    push_node(NodeKind::Binary(op, x, y), width, kind, loc)
}

#[track_caller]
fn un(op: UnOp, a: Sig, width: u32, kind: Kind) -> Sig {
    let loc = Location::caller();
    let x = resolve(a, loc);
    push_node(NodeKind::Unary(op, x), width, kind, loc)
}

fn shift_amount(n: u32, loc: Loc) -> Sig {
    let width = (32 - n.leading_zeros()).max(1);
    super::types::const_node(&n.into(), width, Kind::UInt, loc)
}

macro_rules! binop {
    ($t:ident, $trait:ident, $method:ident, $op:expr) => {
        impl<R: Operand<$t>> ops::$trait<R> for $t {
            type Output = $t;
            #[track_caller]
            fn $method(self, rhs: R) -> $t {
                let r = rhs.to_value(self.width(), Location::caller());
                $t(bin($op, self.0, r.0, self.width(), <$t as HwValue>::KIND))
            }
        }
    };
}

macro_rules! logic_ops {
    ($($t:ident),*) => {$(
        binop!($t, BitAnd, bitand, BinOp::And);
        binop!($t, BitOr, bitor, BinOp::Or);
        binop!($t, BitXor, bitxor, BinOp::Xor);
        impl ops::Not for $t {
            type Output = $t;
            #[track_caller]
            fn not(self) -> $t {
                $t(un(UnOp::Not, self.0, self.width(), <$t as HwValue>::KIND))
            }
        }
    )*};
}
logic_ops!(Bool, Bits, UInt, SInt);

macro_rules! arith_ops {
    ($($t:ident),*) => {$(
        binop!($t, Add, add, BinOp::Add);
        binop!($t, Sub, sub, BinOp::Sub);
        impl<R: Operand<$t>> ops::Mul<R> for $t {
            type Output = $t;
            /// Full product: the width is the sum of both widths.
            #[track_caller]
            #[allow(clippy::suspicious_arithmetic_impl)]
            fn mul(self, rhs: R) -> $t {
                let r = rhs.to_value(self.width(), Location::caller());
                $t(bin(BinOp::Mul, self.0, r.0, self.width() + r.width(), <$t as HwValue>::KIND))
            }
        }
        impl $t {
            /// `self + rhs` one bit wider, keeping the carry.
            #[track_caller]
            pub fn add_wide(self, rhs: impl Operand<$t>) -> $t {
                let r = rhs.to_value(self.width(), Location::caller());
                let w = self.width() + 1;
                self.resize(w) + r.resize(w)
            }
            /// `self < rhs`.
            #[track_caller]
            pub fn is_lt(&self, rhs: impl Operand<$t>) -> Bool {
                compare(BinOp::Lt, self.0, rhs.to_value(self.width(), Location::caller()).0)
            }
            /// `self <= rhs`.
            #[track_caller]
            pub fn is_le(&self, rhs: impl Operand<$t>) -> Bool {
                compare(BinOp::Le, self.0, rhs.to_value(self.width(), Location::caller()).0)
            }
            /// `self > rhs`.
            #[track_caller]
            pub fn is_gt(&self, rhs: impl Operand<$t>) -> Bool {
                compare(BinOp::Gt, self.0, rhs.to_value(self.width(), Location::caller()).0)
            }
            /// `self >= rhs`.
            #[track_caller]
            pub fn is_ge(&self, rhs: impl Operand<$t>) -> Bool {
                compare(BinOp::Ge, self.0, rhs.to_value(self.width(), Location::caller()).0)
            }
        }
    )*};
}
arith_ops!(UInt, SInt);

impl ops::Neg for SInt {
    type Output = SInt;
    #[track_caller]
    fn neg(self) -> SInt {
        SInt(un(UnOp::Neg, self.0, self.width(), Kind::SInt))
    }
}

macro_rules! shift_ops {
    ($($t:ident => $right:expr),*) => {$(
        impl ops::Shl<u32> for $t {
            type Output = $t;
            #[track_caller]
            fn shl(self, n: u32) -> $t {
                let a = shift_amount(n, Location::caller());
                $t(bin(BinOp::Shl, self.0, a, self.width(), <$t as HwValue>::KIND))
            }
        }
        impl ops::Shr<u32> for $t {
            type Output = $t;
            #[track_caller]
            fn shr(self, n: u32) -> $t {
                let a = shift_amount(n, Location::caller());
                $t(bin($right, self.0, a, self.width(), <$t as HwValue>::KIND))
            }
        }
        impl ops::Shl<UInt> for $t {
            type Output = $t;
            #[track_caller]
            fn shl(self, n: UInt) -> $t {
                $t(bin(BinOp::Shl, self.0, n.0, self.width(), <$t as HwValue>::KIND))
            }
        }
        impl ops::Shr<UInt> for $t {
            type Output = $t;
            #[track_caller]
            fn shr(self, n: UInt) -> $t {
                $t(bin($right, self.0, n.0, self.width(), <$t as HwValue>::KIND))
            }
        }
    )*};
}
shift_ops!(Bits => BinOp::Shr, UInt => BinOp::Shr, SInt => BinOp::Sra);

#[track_caller]
fn slice(s: Sig, lo: u32, width: u32, kind: Kind) -> Sig {
    let loc = Location::caller();
    let x = resolve(s, loc);
    push_node(NodeKind::Slice { src: x, lo }, width, kind, loc)
}

#[track_caller]
fn extend(s: Sig, width: u32, signed: bool, kind: Kind) -> Sig {
    let loc = Location::caller();
    let x = resolve(s, loc);
    push_node(NodeKind::Extend { src: x, signed }, width, kind, loc)
}

macro_rules! vector_methods {
    ($($t:ident => $signed:expr),*) => {$(
        impl $t {
            /// Bits `hi` down to `lo` (Verilog order), same kind.
            #[track_caller]
            pub fn range(&self, hi: u32, lo: u32) -> $t {
                $t(slice(self.0, lo, (hi + 1).saturating_sub(lo).max(1), <$t as HwValue>::KIND))
            }
            /// Bit `i`.
            #[track_caller]
            pub fn bit(&self, i: u32) -> Bool {
                Bool(slice(self.0, i, 1, Kind::Bool))
            }
            /// The `n` least significant bits.
            #[track_caller]
            pub fn lsbs(&self, n: u32) -> $t {
                $t(slice(self.0, 0, n, <$t as HwValue>::KIND))
            }
            /// The `n` most significant bits.
            #[track_caller]
            pub fn msbs(&self, n: u32) -> $t {
                $t(slice(self.0, self.width().saturating_sub(n), n, <$t as HwValue>::KIND))
            }
            /// The most significant bit.
            #[track_caller]
            pub fn msb(&self) -> Bool {
                Bool(slice(self.0, self.width() - 1, 1, Kind::Bool))
            }
            /// Zero-extend to `width` (must not be narrower).
            #[track_caller]
            pub fn zext(&self, width: u32) -> $t {
                if width == self.width() { return *self; }
                $t(extend(self.0, width, false, <$t as HwValue>::KIND))
            }
            /// Keep the `width` low bits (must not be wider).
            #[track_caller]
            pub fn truncate(&self, width: u32) -> $t {
                if width == self.width() { return *self; }
                $t(slice(self.0, 0, width, <$t as HwValue>::KIND))
            }
            /// Extend (zero for unsigned, sign for signed) or truncate to `width`.
            #[track_caller]
            pub fn resize(&self, width: u32) -> $t {
                if width >= self.width() {
                    if width == self.width() { return *self; }
                    $t(extend(self.0, width, $signed, <$t as HwValue>::KIND))
                } else {
                    self.truncate(width)
                }
            }
            /// OR of all bits.
            #[track_caller]
            pub fn any(&self) -> Bool {
                Bool(un(UnOp::ReduceOr, self.0, 1, Kind::Bool))
            }
            /// AND of all bits.
            #[track_caller]
            pub fn all(&self) -> Bool {
                Bool(un(UnOp::ReduceAnd, self.0, 1, Kind::Bool))
            }
            /// XOR of all bits.
            #[track_caller]
            pub fn parity(&self) -> Bool {
                Bool(un(UnOp::ReduceXor, self.0, 1, Kind::Bool))
            }
            /// Bit `index` where the index is a signal (must be exactly
            /// clog2(width) bits wide).
            #[track_caller]
            pub fn bit_at(&self, index: UInt) -> Bool {
                let loc = Location::caller();
                let s = resolve(self.0, loc);
                let i = resolve(index.0, loc);
                Bool(push_node(NodeKind::DynSlice { src: s, index: i }, 1, Kind::Bool, loc))
            }
            /// Element `index` of `width`-bit elements (a variable part select).
            #[track_caller]
            pub fn slice_at(&self, index: UInt, width: u32) -> $t {
                let loc = Location::caller();
                let s = resolve(self.0, loc);
                let i = resolve(index.0, loc);
                $t(push_node(NodeKind::DynSlice { src: s, index: i }, width, <$t as HwValue>::KIND, loc))
            }
        }
    )*};
}
vector_methods!(Bits => false, UInt => false, SInt => true);

impl SInt {
    /// Sign-extend to `width`.
    #[track_caller]
    pub fn sext(&self, width: u32) -> SInt {
        if width == self.width() {
            return *self;
        }
        SInt(extend(self.0, width, true, Kind::SInt))
    }
}

impl Bool {
    /// `self ? t : f`.
    #[track_caller]
    pub fn mux<T: HwValue>(&self, t: T, f: impl Operand<T>) -> T {
        let loc = Location::caller();
        let tv = t;
        let fv = f.to_value(tv.width(), loc);
        let s = resolve(self.0, loc);
        let a = resolve(tv.sig(), loc);
        let b = resolve(fv.sig(), loc);
        T::from_sig(push_node(
            NodeKind::Mux { sel: s, t: a, f: b },
            tv.width(),
            T::KIND,
            loc,
        ))
    }

    /// This bit as a 1-bit unsigned number.
    #[track_caller]
    pub fn as_uint1(&self) -> UInt {
        self.as_uint()
    }

    /// `n` copies of this bit.
    #[track_caller]
    pub fn repeat(&self, n: u32) -> Bits {
        let parts = vec![self.as_bits(); n as usize];
        cat(&parts)
    }
}

/// `cond ? t : f` with both arms of the same type.
#[track_caller]
pub fn mux<T: HwValue>(cond: Bool, t: T, f: T) -> T {
    cond.mux(t, f)
}

/// Choose `options[index]` (an index past the end picks the last option).
#[track_caller]
pub fn select<T: HwValue>(index: UInt, options: &[T]) -> T {
    let loc = Location::caller();
    let sel = resolve(index.0, loc);
    let opts: Vec<_> = options.iter().map(|o| resolve(o.sig(), loc)).collect();
    let width = options.first().map_or(1, |o| o.width());
    T::from_sig(push_node(
        NodeKind::Select { sel, options: opts },
        width,
        T::KIND,
        loc,
    ))
}

/// Concatenation, most significant part first.
#[track_caller]
pub fn cat<T: HwValue>(parts: &[T]) -> Bits {
    let loc = Location::caller();
    let ids: Vec<_> = parts.iter().map(|p| resolve(p.sig(), loc)).collect();
    let width = parts.iter().map(|p| p.width()).sum();
    Bits(push_node(NodeKind::Concat(ids), width, Kind::Bits, loc))
}

/// Concatenation of values of any kinds, most significant first: `cat!(a, b.as_bits(), c)`.
#[macro_export]
macro_rules! cat {
    ($($x:expr),+ $(,)?) => {
        $crate::dsl::ops::cat(&[$($crate::HwValue::sig(&$x)),+].map(<$crate::Bits as $crate::HwValue>::from_sig))
    };
}

impl Bits {
    /// The bits in reverse order.
    #[track_caller]
    pub fn reversed(&self) -> Bits {
        let bits: Vec<Bits> = (0..self.width()).map(|i| self.range(i, i)).collect();
        cat(&bits)
    }

    /// `n` copies side by side.
    #[track_caller]
    pub fn repeat(&self, n: u32) -> Bits {
        cat(&vec![*self; n as usize])
    }
}
