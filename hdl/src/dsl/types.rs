//! Typed signal handles: [`Bool`], [`Bits`], [`UInt`], [`SInt`].
//!
//! Each is a `Copy` handle to a node of the module under construction. Widths
//! are checked strictly by the widths pass: no operator ever truncates or
//! extends silently.

use super::context::{push_node, resolve, with_builder, Sig};
use crate::diag::{Code, Loc};
use crate::ir::{Const, Kind, NodeKind, Stmt};
use num_bigint::BigUint;
use std::panic::Location;

/// Common interface of the typed handles.
pub trait HwValue: Copy + std::fmt::Debug {
    /// How the bits are read.
    const KIND: Kind;
    /// The untyped handle.
    fn sig(&self) -> Sig;
    /// Wrap an untyped handle.
    fn from_sig(s: Sig) -> Self;
    /// Width in bits.
    fn width(&self) -> u32 {
        self.sig().width
    }
}

/// Something that can stand where a `T` is expected: a `T` itself, or a plain
/// integer / bool literal that is sized to the width of the other side.
pub trait Operand<T: HwValue> {
    /// The value as a handle of `width` bits.
    fn to_value(self, width: u32, loc: Loc) -> T;
}

impl<T: HwValue> Operand<T> for T {
    fn to_value(self, _width: u32, _loc: Loc) -> T {
        self
    }
}

impl<T: HwValue> Operand<T> for &T {
    fn to_value(self, _width: u32, _loc: Loc) -> T {
        *self
    }
}

/// A constant node of `width` bits; reports E0002 when the value does not fit.
pub(crate) fn const_node(value: &BigUint, width: u32, kind: Kind, loc: Loc) -> Sig {
    let c = match Const::from_big(value, width) {
        Some(c) => c,
        None => {
            super::context::report(
                Code::LiteralTooWide,
                loc,
                format!("constant {value} does not fit in {width} bits"),
            );
            Const::zero(width)
        }
    };
    push_node(NodeKind::Const(c), width, kind, loc)
}

fn signed_const(value: i128, width: u32, loc: Loc) -> Sig {
    let fits = width >= 128 || {
        let min = -(1i128 << (width - 1));
        let max = (1i128 << (width - 1)) - 1;
        (min..=max).contains(&value)
    };
    if !fits {
        super::context::report(
            Code::LiteralTooWide,
            loc,
            format!("constant {value} does not fit in a {width}-bit signed number"),
        );
    }
    let modulus = BigUint::from(1u8) << width;
    let v = if value < 0 {
        &modulus - BigUint::from(value.unsigned_abs()) % &modulus
    } else {
        BigUint::from(value as u128) % &modulus
    };
    const_node(&v, width, Kind::SInt, loc)
}

macro_rules! unsigned_operands {
    ($t:ty, $kind:expr) => {
        unsigned_operands!(@one $t, $kind, u8, u16, u32, u64, u128, usize);
        impl Operand<$t> for i32 {
            fn to_value(self, width: u32, loc: Loc) -> $t {
                if self < 0 {
                    super::context::report(
                        Code::LiteralTooWide,
                        loc,
                        format!("negative constant {self} for an unsigned value"),
                    );
                }
                <$t>::from_sig(const_node(&BigUint::from(self.max(0) as u32), width, $kind, loc))
            }
        }
    };
    (@one $t:ty, $kind:expr, $($int:ty),*) => {$(
        impl Operand<$t> for $int {
            fn to_value(self, width: u32, loc: Loc) -> $t {
                <$t>::from_sig(const_node(&BigUint::from(self), width, $kind, loc))
            }
        }
    )*};
}

macro_rules! handle {
    ($(#[$m:meta])* $name:ident, $kind:expr) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub struct $name(pub(crate) Sig);

        impl HwValue for $name {
            const KIND: Kind = $kind;
            fn sig(&self) -> Sig {
                self.0
            }
            fn from_sig(s: Sig) -> Self {
                $name(s)
            }
        }

        impl $name {
            /// Assign `value` (last assignment in program order wins).
            #[track_caller]
            pub fn set(&self, value: impl Operand<$name>) {
                let loc = Location::caller();
                let v = value.to_value(self.width(), loc);
                assign(self.0, v.0, loc);
            }

            /// The value this signal takes when no assignment applies.
            #[track_caller]
            pub fn default_value(self, value: impl Operand<$name>) -> Self {
                let loc = Location::caller();
                let v = value.to_value(self.width(), loc);
                super::signal::set_default(self.0, v.0, loc);
                self
            }

            /// Reset value of a register.
            #[track_caller]
            pub fn init(self, value: impl Operand<$name>) -> Self {
                let loc = Location::caller();
                let v = value.to_value(self.width(), loc);
                super::signal::set_init(self.0, v.0, loc);
                self
            }

            /// `self == other`.
            #[track_caller]
            pub fn is_eq(&self, other: impl Operand<$name>) -> Bool {
                compare(crate::ir::BinOp::Eq, self.0, other.to_value(self.width(), Location::caller()).0)
            }

            /// `self != other`.
            #[track_caller]
            pub fn is_ne(&self, other: impl Operand<$name>) -> Bool {
                compare(crate::ir::BinOp::Ne, self.0, other.to_value(self.width(), Location::caller()).0)
            }

            /// The same bits as raw [`Bits`].
            #[track_caller]
            pub fn as_bits(&self) -> Bits {
                Bits(retype(self.0, Kind::Bits))
            }

            /// The same bits as [`UInt`].
            #[track_caller]
            pub fn as_uint(&self) -> UInt {
                UInt(retype(self.0, Kind::UInt))
            }

            /// The same bits as [`SInt`].
            #[track_caller]
            pub fn as_sint(&self) -> SInt {
                SInt(retype(self.0, Kind::SInt))
            }

            /// A name for this value in the Verilog (a wire driven by it).
            #[track_caller]
            pub fn named(&self, name: &str) -> Self {
                let w = super::signal::wire_of(name, self.0.width, $kind, Location::caller());
                assign(w, self.0, Location::caller());
                $name(w)
            }

            /// Mark a register as the first stage of a clock-domain synchroniser.
            #[track_caller]
            pub fn cdc_sync(self) -> Self {
                super::signal::mark_cdc_sync(self.0, Location::caller());
                self
            }
        }
    };
}

handle!(
    /// A single bit.
    Bool,
    Kind::Bool
);
handle!(
    /// A raw bit vector: logic, slicing and concatenation, no arithmetic.
    Bits,
    Kind::Bits
);
handle!(
    /// An unsigned number.
    UInt,
    Kind::UInt
);
handle!(
    /// A two's complement number.
    SInt,
    Kind::SInt
);

unsigned_operands!(Bits, Kind::Bits);
unsigned_operands!(UInt, Kind::UInt);

impl Operand<Bool> for bool {
    fn to_value(self, _width: u32, loc: Loc) -> Bool {
        Bool(const_node(&BigUint::from(u8::from(self)), 1, Kind::Bool, loc))
    }
}

impl Operand<SInt> for i32 {
    fn to_value(self, width: u32, loc: Loc) -> SInt {
        SInt(signed_const(i128::from(self), width, loc))
    }
}

impl Operand<SInt> for i64 {
    fn to_value(self, width: u32, loc: Loc) -> SInt {
        SInt(signed_const(i128::from(self), width, loc))
    }
}

/// Records `target = value` in the current block.
pub(crate) fn assign(target: Sig, value: Sig, loc: Loc) {
    let t = resolve(target, loc);
    let v = resolve(value, loc);
    let done = with_builder(|b| match b.module.node(t).op {
        NodeKind::Sig(sig) => {
            b.stmt(Stmt::Assign {
                target: sig,
                value: v,
                loc,
            });
            true
        }
        _ => false,
    });
    if !done {
        super::context::report(
            Code::NotAssignable,
            loc,
            "this value is an expression, not a signal".into(),
        );
    }
}

#[track_caller]
pub(crate) fn compare(op: crate::ir::BinOp, a: Sig, b: Sig) -> Bool {
    let loc = Location::caller();
    let x = resolve(a, loc);
    let y = resolve(b, loc);
    Bool(push_node(NodeKind::Binary(op, x, y), 1, Kind::Bool, loc))
}

#[track_caller]
fn retype(s: Sig, kind: Kind) -> Sig {
    let loc = Location::caller();
    let n = resolve(s, loc);
    // A retype is a full-width slice: free in Verilog, and it keeps kinds explicit in the IR.
    push_node(NodeKind::Slice { src: n, lo: 0 }, s.width, kind, loc)
}

impl Bool {
    /// A type template (for bundles and declarations).
    pub fn ty() -> Bool {
        Bool(Sig::template(1))
    }

    /// A constant.
    #[track_caller]
    pub fn lit(v: bool) -> Bool {
        <bool as Operand<Bool>>::to_value(v, 1, Location::caller())
    }
}

impl Bits {
    /// A type template of `width` bits.
    pub fn ty(width: u32) -> Bits {
        Bits(Sig::template(width))
    }

    /// A constant of `width` bits.
    #[track_caller]
    pub fn lit(value: u128, width: u32) -> Bits {
        Bits(const_node(
            &BigUint::from(value),
            width,
            Kind::Bits,
            Location::caller(),
        ))
    }

    /// A constant of any width from a big integer.
    #[track_caller]
    pub fn lit_big(value: &BigUint, width: u32) -> Bits {
        Bits(const_node(value, width, Kind::Bits, Location::caller()))
    }

    /// All zeros.
    #[track_caller]
    pub fn zeros(width: u32) -> Bits {
        Bits::lit(0, width)
    }

    /// All ones.
    #[track_caller]
    pub fn ones(width: u32) -> Bits {
        let v = (BigUint::from(1u8) << width) - 1u8;
        Bits(const_node(&v, width, Kind::Bits, Location::caller()))
    }
}

impl UInt {
    /// A type template of `width` bits.
    pub fn ty(width: u32) -> UInt {
        UInt(Sig::template(width))
    }

    /// A constant of `width` bits.
    #[track_caller]
    pub fn lit(value: u128, width: u32) -> UInt {
        UInt(const_node(
            &BigUint::from(value),
            width,
            Kind::UInt,
            Location::caller(),
        ))
    }
}

impl SInt {
    /// A type template of `width` bits.
    pub fn ty(width: u32) -> SInt {
        SInt(Sig::template(width))
    }

    /// A constant of `width` bits.
    #[track_caller]
    pub fn lit(value: i64, width: u32) -> SInt {
        SInt(signed_const(i128::from(value), width, Location::caller()))
    }
}
