//! Enumerations with a chosen encoding; their values appear in the Verilog as
//! `localparam`s named after the Rust variants.

use super::bundle::{Bundle, Leaf};
use super::cond::Switch;
use super::context::{push_node, with_builder, Sig};
use super::types::{assign, Bits, Bool, HwValue};
use crate::ir::{Const, Kind, NamedConst, NodeKind};
use std::marker::PhantomData;
use std::panic::Location;

/// How enum values are encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// 0, 1, 2, ... in clog2(n) bits.
    Binary,
    /// One bit per value.
    OneHot,
    /// Gray code in clog2(n) bits.
    Gray,
}

/// A Rust enum usable as hardware. Implement it with [`crate::hw_enum!`].
pub trait HwEnum: Copy + std::fmt::Debug + PartialEq + 'static {
    /// Type name (prefix of the localparams).
    const NAME: &'static str;
    /// Every variant in declaration order.
    const VARIANTS: &'static [Self];
    /// The encoding.
    const ENCODING: Encoding;
    /// The variant's name.
    fn variant_name(self) -> &'static str;

    /// Index in declaration order.
    fn index(self) -> usize {
        Self::VARIANTS
            .iter()
            .position(|&v| v == self)
            .expect("variant listed")
    }

    /// Width of the encoding.
    fn width() -> u32 {
        let n = Self::VARIANTS.len() as u32;
        match Self::ENCODING {
            Encoding::OneHot => n,
            _ => crate::clog2(n).max(1),
        }
    }

    /// The code of a variant.
    fn code(self) -> u128 {
        let i = self.index() as u128;
        match Self::ENCODING {
            Encoding::Binary => i,
            Encoding::OneHot => 1 << i,
            Encoding::Gray => i ^ (i >> 1),
        }
    }
}

/// Declares a Rust enum and implements [`HwEnum`] for it.
///
/// ```
/// hdl::hw_enum! {
///     /// States of a handshake.
///     pub enum Phase: Binary { Idle, Busy, Done }
/// }
/// ```
#[macro_export]
macro_rules! hw_enum {
    ($(#[$m:meta])* $vis:vis enum $name:ident : $enc:ident { $($(#[$vm:meta])* $v:ident),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        $vis enum $name { $($(#[$vm])* #[allow(missing_docs)] $v),+ }
        impl $crate::HwEnum for $name {
            const NAME: &'static str = stringify!($name);
            const VARIANTS: &'static [Self] = &[$($name::$v),+];
            const ENCODING: $crate::Encoding = $crate::Encoding::$enc;
            fn variant_name(self) -> &'static str {
                match self { $($name::$v => stringify!($v)),+ }
            }
        }
    };
}

/// A signal holding a value of enum `E`.
#[derive(Debug)]
pub struct EnumSig<E: HwEnum> {
    bits: Bits,
    _e: PhantomData<E>,
}

impl<E: HwEnum> Clone for EnumSig<E> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<E: HwEnum> Copy for EnumSig<E> {}

fn upper_snake(s: &str) -> String {
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if ch.is_ascii_uppercase() && i > 0 && !out.ends_with('_') {
            out.push('_');
        }
        out.push(ch.to_ascii_uppercase());
    }
    out
}

impl<E: HwEnum> EnumSig<E> {
    /// A type template.
    pub fn ty() -> Self {
        EnumSig {
            bits: Bits::ty(E::width()),
            _e: PhantomData,
        }
    }

    /// A constant: a node printed as the variant's localparam.
    #[track_caller]
    pub fn lit(v: E) -> Self {
        let loc = Location::caller();
        let c = Const::new(v.code(), E::width()).expect("enum code fits its width");
        let s = push_node(NodeKind::Const(c.clone()), E::width(), Kind::Bits, loc);
        let name = format!("{}_{}", upper_snake(E::NAME), upper_snake(v.variant_name()));
        with_builder(|b| {
            let idx = match b.module.consts.iter().position(|k| k.name == name) {
                Some(i) => i,
                None => {
                    b.module.consts.push(NamedConst { name, value: c });
                    b.module.consts.len() - 1
                }
            };
            b.module.const_names.insert(s.node, idx as u32);
        });
        EnumSig {
            bits: Bits(s),
            _e: PhantomData,
        }
    }

    /// `self == v`.
    #[track_caller]
    pub fn is(&self, v: E) -> Bool {
        self.bits.is_eq(Self::lit(v).bits)
    }

    /// Assign a variant.
    #[track_caller]
    pub fn set(&self, v: E) {
        assign(self.bits.sig(), Self::lit(v).bits.sig(), Location::caller());
    }

    /// Assign another enum signal.
    #[track_caller]
    pub fn set_from(&self, other: EnumSig<E>) {
        assign(self.bits.sig(), other.bits.sig(), Location::caller());
    }

    /// Reset value of a register.
    #[track_caller]
    pub fn init(self, v: E) -> Self {
        let loc = Location::caller();
        super::signal::set_init(self.bits.sig(), Self::lit(v).bits.sig(), loc);
        self
    }

    /// The encoded bits.
    pub fn as_bits(&self) -> Bits {
        self.bits
    }

    /// A case per variant: `s.switch(|sw| { EnumSig::case(sw, State::Idle, || ..) })`.
    #[track_caller]
    pub fn switch(&self, f: impl FnOnce(&mut Switch)) {
        super::cond::switch(self.bits, f)
    }

    /// One case of [`EnumSig::switch`].
    #[track_caller]
    pub fn case(sw: &mut Switch, v: E, f: impl FnOnce()) {
        sw.is(v.code(), f)
    }
}

impl<E: HwEnum> Bundle for EnumSig<E> {
    fn map_leaves(&self, prefix: &str, flipped: bool, f: &mut dyn FnMut(&Leaf) -> Sig) -> Self {
        EnumSig {
            bits: self.bits.map_leaves(prefix, flipped, f),
            _e: PhantomData,
        }
    }
}
