//! Bundles: structs of signals with directions, declared and connected in one line.
//!
//! A bundle value is either a *template* (widths only, from `T::ty(..)`
//! constructors) or hardware (bound to ports, wires or instance pins). Fields
//! marked `#[flip]` (or `#[input]`, which reads better in a component's io) run
//! the other way: `ready` of a stream, every input of an io bundle.

use super::context::Sig;
use super::types::{Bits, Bool, HwValue, SInt, UInt};
use crate::ir::Kind;

/// What a leaf visitor is told about each leaf.
#[derive(Clone, Debug)]
pub struct Leaf {
    /// Full name: the bundle prefix and field names joined by `_`.
    pub name: String,
    /// True when the leaf runs against the bundle's direction.
    pub flipped: bool,
    /// How its bits are read.
    pub kind: Kind,
    /// The handle (a template or hardware).
    pub sig: Sig,
}

/// A struct of signals. Use the [`crate::bundle!`] macro to declare one.
pub trait Bundle: Sized + Clone {
    /// Rebuilds the bundle, calling `f` for every leaf in declaration order;
    /// `f` returns the handle that takes the leaf's place.
    fn map_leaves(&self, prefix: &str, flipped: bool, f: &mut dyn FnMut(&Leaf) -> Sig) -> Self;

    /// Every leaf, in declaration order.
    fn leaves(&self) -> Vec<Leaf> {
        let mut out = Vec::new();
        self.map_leaves("", false, &mut |l| {
            out.push(l.clone());
            l.sig
        });
        out
    }
}

/// Joins a bundle prefix and a field name with `_`.
pub fn join(prefix: &str, field: &str) -> String {
    match (prefix.is_empty(), field.is_empty()) {
        (true, _) => field.to_string(),
        (_, true) => prefix.to_string(),
        _ => format!("{prefix}_{field}"),
    }
}

macro_rules! leaf_bundle {
    ($($t:ty),*) => {$(
        impl Bundle for $t {
            fn map_leaves(&self, prefix: &str, flipped: bool, f: &mut dyn FnMut(&Leaf) -> Sig) -> Self {
                let leaf = Leaf { name: prefix.to_string(), flipped, kind: <$t as HwValue>::KIND, sig: self.sig() };
                <$t as HwValue>::from_sig(f(&leaf))
            }
        }
    )*};
}
leaf_bundle!(Bool, Bits, UInt, SInt);

impl<T: Bundle> Bundle for Vec<T> {
    fn map_leaves(&self, prefix: &str, flipped: bool, f: &mut dyn FnMut(&Leaf) -> Sig) -> Self {
        self.iter()
            .enumerate()
            .map(|(i, x)| x.map_leaves(&join(prefix, &i.to_string()), flipped, f))
            .collect()
    }
}

impl<T: Bundle> Bundle for Option<T> {
    fn map_leaves(&self, prefix: &str, flipped: bool, f: &mut dyn FnMut(&Leaf) -> Sig) -> Self {
        self.as_ref().map(|x| x.map_leaves(prefix, flipped, f))
    }
}

impl Bundle for () {
    fn map_leaves(&self, _: &str, _: bool, _: &mut dyn FnMut(&Leaf) -> Sig) -> Self {}
}

/// Declares a struct of signals and implements [`Bundle`] for it.
///
/// ```
/// hdl::bundle! {
///     /// A byte with a strobe.
///     pub struct Beat {
///         /// The data.
///         pub data: hdl::Bits,
///         pub valid: hdl::Bool,
///         /// Flows back to the sender.
///         #[flip]
///         pub ready: hdl::Bool,
///     }
/// }
/// ```
#[macro_export]
macro_rules! bundle {
    ($(#[$m:meta])* $vis:vis struct $name:ident { $($body:tt)* }) => {
        $crate::bundle!(@munch [$(#[$m])* $vis struct $name] [] [] $($body)*);
    };
    (@munch $hdr:tt [$($fields:tt)*] [$($leaves:tt)*]
        $(#[doc = $d:literal])* #[flip] $(#[doc = $d2:literal])* $fvis:vis $f:ident : $t:ty $(, $($rest:tt)*)?) => {
        $crate::bundle!(@munch $hdr [$($fields)* $(#[doc = $d])* $(#[doc = $d2])* $fvis $f: $t,] [$($leaves)* ($f, true)] $($($rest)*)?);
    };
    (@munch $hdr:tt [$($fields:tt)*] [$($leaves:tt)*]
        $(#[doc = $d:literal])* #[input] $(#[doc = $d2:literal])* $fvis:vis $f:ident : $t:ty $(, $($rest:tt)*)?) => {
        $crate::bundle!(@munch $hdr [$($fields)* $(#[doc = $d])* $(#[doc = $d2])* $fvis $f: $t,] [$($leaves)* ($f, true)] $($($rest)*)?);
    };
    (@munch $hdr:tt [$($fields:tt)*] [$($leaves:tt)*]
        $(#[doc = $d:literal])* $fvis:vis $f:ident : $t:ty $(, $($rest:tt)*)?) => {
        $crate::bundle!(@munch $hdr [$($fields)* $(#[doc = $d])* $fvis $f: $t,] [$($leaves)* ($f, false)] $($($rest)*)?);
    };
    (@munch [$(#[$m:meta])* $vis:vis struct $name:ident] [$($fields:tt)*] [$(($f:ident, $flip:expr))*]) => {
        $(#[$m])*
        #[derive(Clone, Debug)]
        $vis struct $name { $($fields)* }

        impl $crate::Bundle for $name {
            fn map_leaves(
                &self,
                prefix: &str,
                flipped: bool,
                f: &mut dyn FnMut(&$crate::Leaf) -> $crate::Sig,
            ) -> Self {
                $name {
                    $($f: $crate::Bundle::map_leaves(
                        &self.$f,
                        &$crate::dsl::bundle::join(prefix, stringify!($f)),
                        flipped ^ $flip,
                        f,
                    ),)*
                }
            }
        }
    };
}
