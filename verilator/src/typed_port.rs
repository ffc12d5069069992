//! Port handles typed by the port's storage word: [`Input<T>`] and
//! [`Output<T>`] for ports of at most 64 bits, looked up once with
//! [`Model::input`] and [`Model::output`]. Values go in and out as `T`
//! (`u8`, `u16`, `u32` or `u64`, as Verilator stores the port), so an access
//! is a check of the handle's model (and of a written value's width) and one
//! load or store of a known size: no casts in the testbench, and no dispatch
//! on the word size at run time as with [`crate::PortHandle`].

use crate::error::{Error, Result};
use crate::model::Model;
use crate::port::Slot;
use crate::source::Direction;
use std::marker::PhantomData;

mod sealed {
    pub trait Sealed {}
    impl Sealed for u8 {}
    impl Sealed for u16 {}
    impl Sealed for u32 {}
    impl Sealed for u64 {}
}

/// The storage word of a port of at most 64 bits, as Verilator lays it
/// out: `u8` up to 8 bits, `u16` up to 16, `u32` up to 32, `u64` up to 64.
pub trait PortWord: Copy + Into<u64> + sealed::Sealed + 'static {
    /// Bytes of the word.
    const BYTES: u32;
    /// The type's name, for messages.
    const NAME: &'static str;
}

impl PortWord for u8 {
    const BYTES: u32 = 1;
    const NAME: &'static str = "u8";
}
impl PortWord for u16 {
    const BYTES: u32 = 2;
    const NAME: &'static str = "u16";
}
impl PortWord for u32 {
    const BYTES: u32 = 4;
    const NAME: &'static str = "u32";
}
impl PortWord for u64 {
    const BYTES: u32 = 8;
    const NAME: &'static str = "u64";
}

/// The Rust type of a port's storage, as the shim's port table gives it.
fn word_name(s: &Slot) -> &'static str {
    match (s.width, s.word_bytes) {
        (65.., _) => "32-bit words (get_words/set_words)",
        (_, 1) => "u8",
        (_, 2) => "u16",
        (_, 4) => "u32",
        _ => "u64",
    }
}

/// A typed port's storage address, only dereferenced by the model whose id
/// the handle carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Word<T>(*mut T);

// SAFETY: an address only; dereferenced solely by `Model` methods after
// checking that the handle belongs to that model, under its borrow.
unsafe impl<T> Send for Word<T> {}
// SAFETY: as above.
unsafe impl<T> Sync for Word<T> {}

/// An input of at most 64 bits stored as `T`, from [`Model::input`]: written
/// with [`Model::set`], read back with [`Model::get`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Input<T: PortWord> {
    data: Word<T>,
    /// Model id in bits 0..32, width - 1 in bits 32..40.
    meta: u64,
    _word: PhantomData<T>,
}

/// An output of at most 64 bits stored as `T`, from [`Model::output`]: read
/// with [`Model::get`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Output<T: PortWord> {
    data: Word<T>,
    model: u32,
    _word: PhantomData<T>,
}

/// A handle [`Model::get`] reads: an [`Input`] or an [`Output`].
pub trait Readable<T: PortWord>: Copy + sealed_readable::Sealed {
    /// Storage address and model id.
    #[doc(hidden)]
    fn word(self) -> (*mut T, u32);
}

mod sealed_readable {
    pub trait Sealed {}
    impl<T: super::PortWord> Sealed for super::Input<T> {}
    impl<T: super::PortWord> Sealed for super::Output<T> {}
}

impl<T: PortWord> Readable<T> for Input<T> {
    #[inline(always)]
    fn word(self) -> (*mut T, u32) {
        (self.data.0, self.meta as u32)
    }
}

impl<T: PortWord> Readable<T> for Output<T> {
    #[inline(always)]
    fn word(self) -> (*mut T, u32) {
        (self.data.0, self.model)
    }
}

impl Model {
    /// The port `name` if it is stored as `T`, else a [`Error::Width`] that
    /// names the type to use.
    fn typed_slot<T: PortWord>(&self, name: &str) -> Result<&Slot> {
        let s = self.slot(name)?;
        if s.width > 64 || s.word_bytes != T::BYTES {
            return Err(Error::Width {
                name: name.to_string(),
                width: s.width,
                problem: format!("it is stored as {}, not {}", word_name(s), T::NAME),
            });
        }
        Ok(s)
    }

    /// Looks up input `name`, stored as `T` (the smallest of `u8`, `u16`,
    /// `u32` and `u64` that holds its width).
    pub fn input<T: PortWord>(&self, name: &str) -> Result<Input<T>> {
        let s = self.typed_slot::<T>(name)?;
        if s.direction != Direction::Input {
            return Err(Error::NotAnInput {
                name: name.to_string(),
            });
        }
        Ok(Input {
            data: Word(s.data.cast()),
            meta: u64::from(self.id) | u64::from(s.width - 1) << 32,
            _word: PhantomData,
        })
    }

    /// Looks up output `name`, stored as `T` (as for [`Model::input`]).
    pub fn output<T: PortWord>(&self, name: &str) -> Result<Output<T>> {
        let s = self.typed_slot::<T>(name)?;
        if s.direction != Direction::Output {
            return Err(Error::NotAnOutput {
                name: name.to_string(),
            });
        }
        Ok(Output {
            data: Word(s.data.cast()),
            model: self.id,
            _word: PhantomData,
        })
    }

    /// Writes input `p`; `v` must fit in the port's width.
    #[inline(always)]
    pub fn set<T: PortWord>(&mut self, p: Input<T>, v: T) -> Result<()> {
        // `(v >> 1) >> (w - 1)` is `v >> w` for widths 1 to 64; one branch.
        let v64: u64 = v.into();
        if (p.meta as u32 == self.id) & ((v64 >> 1) >> (p.meta >> 32) == 0) {
            // SAFETY: the handle is ours, so `data` is the port's storage word
            // of type `T` inside the live model; `&mut self` excludes every
            // other access.
            unsafe { *p.data.0 = v };
            return Ok(());
        }
        self.set_slow(p, v64)
    }

    #[cold]
    #[inline(never)]
    fn set_slow<T: PortWord>(&self, p: Input<T>, v: u64) -> Result<()> {
        let width = (p.meta >> 32) as u32 + 1;
        if p.meta as u32 != self.id {
            return Err(Error::ForeignPort {
                name: format!("{width}-bit input"),
            });
        }
        Err(Error::Width {
            name: self.ports[self.index_at(p.data.0.cast())].name.clone(),
            width,
            problem: format!("value {v:#x} does not fit"),
        })
    }

    /// Reads port `p` (an [`Output`], or an [`Input`] back).
    #[inline(always)]
    pub fn get<T: PortWord>(&self, p: impl Readable<T>) -> Result<T> {
        let (data, model) = p.word();
        if model == self.id {
            // SAFETY: the handle is ours, so `data` is the port's storage word
            // of type `T` inside the live model, not running while `&self` is held.
            return Ok(unsafe { *data });
        }
        Err(foreign::<T>())
    }
}

#[cold]
#[inline(never)]
fn foreign<T: PortWord>() -> Error {
    Error::ForeignPort {
        name: format!("port of type {}", T::NAME),
    }
}
