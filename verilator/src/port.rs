//! Ports of a [`Model`]: looked up once by name as a [`PortHandle`] that
//! carries what every access needs (storage, width, direction, and the id of
//! its model), so that a read or write, inlined into the caller, checks the
//! handle with one compare (and a written value against the width) before
//! one load or store.

use crate::error::{Error, Result};
use crate::model::Model;
use crate::source::Direction;
use num_bigint::BigUint;

/// One port in a model's table, from `lhv_port_info`.
pub(crate) struct Slot {
    pub name: String,
    pub width: u32,
    pub direction: Direction,
    /// Bytes per storage word: 1, 2, 4 or 8; wide ports are 32-bit words.
    pub word_bytes: u32,
    /// The storage inside the model.
    pub data: *mut u8,
}

impl Slot {
    /// Writes a value of at most 64 bits.
    ///
    /// # Safety
    /// The model owning the storage is live and not running, and the port is
    /// at most 64 bits wide.
    #[inline]
    pub unsafe fn store(&self, v: u64) {
        store(self.data, self.word_bytes, v)
    }
}

#[inline(always)]
unsafe fn store(data: *mut u8, word_bytes: u32, v: u64) {
    store_log2(data, word_bytes.trailing_zeros(), v)
}

/// Stores `v` into a storage word of `1 << log2` bytes. Two levels of
/// compares rather than a `match`, which compiles to a jump table: cheaper
/// for the handful of ports a testbench writes every cycle.
#[inline(always)]
unsafe fn store_log2(data: *mut u8, log2: u32, v: u64) {
    if log2 < 2 {
        if log2 == 0 {
            *data = v as u8
        } else {
            *(data as *mut u16) = v as u16
        }
    } else if log2 == 2 {
        *(data as *mut u32) = v as u32
    } else {
        *(data as *mut u64) = v
    }
}

/// Loads a storage word of `1 << log2` bytes; as [`store_log2`].
#[inline(always)]
unsafe fn load_log2(data: *const u8, log2: u32) -> u64 {
    if log2 < 2 {
        if log2 == 0 {
            u64::from(*data)
        } else {
            u64::from(*(data as *const u16))
        }
    } else if log2 == 2 {
        u64::from(*(data as *const u32))
    } else {
        *(data as *const u64)
    }
}

/// The storage address of a port, only ever dereferenced by the model whose
/// id the handle carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Storage(*mut u8);

// SAFETY: the pointer is an address only; it is dereferenced solely by `Model`
// methods after checking that the handle belongs to that model, under the
// model's own borrow.
unsafe impl Send for Storage {}
// SAFETY: as above.
unsafe impl Sync for Storage {}

/// A port of one [`Model`], looked up once by name with [`Model::port`].
///
/// Two words, so that it travels in two registers: the storage address, and
/// the model's id with the port's shape (width, direction, storage word size).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PortHandle {
    data: Storage,
    /// Model id in bits 0..32, [`INPUT`], [`SCALAR`], log2 of the storage
    /// word size in bits 34..36, width in bits 40..64.
    meta: u64,
}

const ID: u64 = (1 << 32) - 1;
/// An input port.
const INPUT: u64 = 1 << 32;
/// A port of at most 64 bits, stored in one word of 1, 2, 4 or 8 bytes (else
/// in 32-bit words).
const SCALAR: u64 = 1 << 33;
const WIDTH_MASK: u32 = (1 << 24) - 1;

impl std::fmt::Debug for PortHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PortHandle")
            .field("model", &self.model())
            .field("width", &self.width())
            .field("direction", &self.direction())
            .finish()
    }
}

impl PortHandle {
    /// Width in bits.
    #[inline(always)]
    pub fn width(&self) -> u32 {
        (self.meta >> 40) as u32
    }

    /// The id of the model the handle was looked up on.
    #[inline(always)]
    fn model(&self) -> u32 {
        self.meta as u32
    }

    /// Direction.
    pub fn direction(&self) -> Direction {
        if self.is_input() {
            Direction::Input
        } else {
            Direction::Output
        }
    }

    #[inline(always)]
    fn is_input(&self) -> bool {
        self.meta & INPUT != 0
    }

    /// log2 of the bytes per storage word (0..=3).
    #[inline(always)]
    fn log2_bytes(&self) -> u32 {
        (self.meta >> 34) as u32 & 3
    }
}

fn words_of(v: u64) -> [u32; 2] {
    [v as u32, (v >> 32) as u32]
}

impl Model {
    /// Port names in declaration order.
    pub fn port_names(&self) -> Vec<&str> {
        self.ports.iter().map(|p| p.name.as_str()).collect()
    }

    /// The port table entry of `name`.
    pub(crate) fn slot(&self, name: &str) -> Result<&Slot> {
        let index = *self.by_name.get(name).ok_or_else(|| Error::UnknownPort {
            name: name.to_string(),
            top: self.top.clone(),
            available: self.port_names().join(", "),
        })?;
        Ok(&self.ports[index])
    }

    /// Looks up a port by its Verilog name.
    pub fn port(&self, name: &str) -> Result<PortHandle> {
        let s = self.slot(name)?;
        if s.width > WIDTH_MASK {
            return Err(Error::UnsupportedPort {
                name: name.to_string(),
                reason: format!("{} bits (at most {WIDTH_MASK} are supported)", s.width),
            });
        }
        let input = if s.direction == Direction::Input { INPUT } else { 0 };
        let scalar = if s.width <= 64 { SCALAR } else { 0 };
        Ok(PortHandle {
            data: Storage(s.data),
            meta: u64::from(self.id)
                | input
                | scalar
                | u64::from(s.word_bytes.trailing_zeros()) << 34
                | u64::from(s.width) << 40,
        })
    }

    /// The index in the port table of `p`, which must be a handle of this model.
    pub(crate) fn index_of(&self, p: PortHandle) -> usize {
        self.index_at(p.data.0)
    }

    /// The index in the port table of the port stored at `data`, which must
    /// be one of this model's.
    pub(crate) fn index_at(&self, data: *mut u8) -> usize {
        self.ports
            .iter()
            .position(|s| s.data == data)
            .expect("a handle of this model names one of its ports")
    }

    fn slot_of(&self, p: PortHandle) -> &Slot {
        &self.ports[self.index_of(p)]
    }

    /// Checks that `p` was looked up on this model, so its storage is ours.
    fn check(&self, p: PortHandle) -> Result<()> {
        if p.model() != self.id {
            // The name lives in the other model's table: describe the port.
            return Err(Error::ForeignPort {
                name: format!("{}-bit {:?}", p.width(), p.direction()).to_lowercase(),
            });
        }
        Ok(())
    }

    /// Checks [`Model::check`] and that `p` is an input.
    fn check_input(&self, p: PortHandle) -> Result<()> {
        self.check(p)?;
        if !p.is_input() {
            return Err(Error::NotAnInput {
                name: self.slot_of(p).name.clone(),
            });
        }
        Ok(())
    }

    fn width_error(&self, p: PortHandle, problem: String) -> Error {
        Error::Width {
            name: self.slot_of(p).name.clone(),
            width: p.width(),
            problem,
        }
    }

    // Every accessor is an always-inlined fast path for the common, valid
    // case (a handle of this model, of the right direction and width), and an
    // out-of-line slow path that does all the checks, reports errors and
    // handles the unusual shapes. In a testbench loop the fast path is a few
    // compares on the handle, which stays in registers, and a load or store.

    /// Reads a port of at most 64 bits.
    #[inline(always)]
    pub fn get_u64(&self, p: PortHandle) -> Result<u64> {
        // One compare: a handle of this model, of a port of at most 64 bits.
        if p.meta & (ID | SCALAR) == u64::from(self.id) | SCALAR {
            // SAFETY: the handle is ours, so `data` points at the port's storage
            // of `word_bytes` bytes inside the live model, which is not running
            // while `&self` is held.
            return Ok(unsafe { load_log2(p.data.0, p.log2_bytes()) });
        }
        self.get_u64_slow(p)
    }

    #[inline(never)]
    fn get_u64_slow(&self, p: PortHandle) -> Result<u64> {
        self.check(p)?;
        Err(self.width_error(p, "use get_words or get_big for ports over 64 bits".into()))
    }

    /// Writes an input of at most 64 bits; `v` must fit in the width.
    #[inline(always)]
    pub fn set_u64(&mut self, p: PortHandle, v: u64) -> Result<()> {
        // A handle of this model, of an input of at most 64 bits, and a value
        // that fits: `(v >> 1) >> (w - 1)` is `v >> w` for widths 1 to 64.
        // One branch: `&` rather than `&&`.
        let key = u64::from(self.id) | INPUT | SCALAR;
        let w = p.width().wrapping_sub(1) & 63;
        if (p.meta & (ID | INPUT | SCALAR) == key) & ((v >> 1) >> w == 0) {
            // SAFETY: as in `get_u64`, and `&mut self` excludes every other access.
            unsafe { store_log2(p.data.0, p.log2_bytes(), v) };
            return Ok(());
        }
        self.set_u64_slow(p, v)
    }

    #[inline(never)]
    fn set_u64_slow(&mut self, p: PortHandle, v: u64) -> Result<()> {
        self.check_input(p)?;
        match p.width() {
            64 => {
                // SAFETY: as in `set_u64`.
                unsafe { store_log2(p.data.0, p.log2_bytes(), v) };
                Ok(())
            }
            w if w > 64 => self.set_words(p, &words_of(v)),
            _ => Err(self.width_error(p, format!("value {v:#x} does not fit"))),
        }
    }

    /// Reads any port as 32-bit words, least significant first
    /// (`ceil(width / 32)` words).
    pub fn get_words(&self, p: PortHandle) -> Result<Vec<u32>> {
        let mut v = vec![0; p.width().div_ceil(32) as usize];
        self.get_words_into(p, &mut v)?;
        Ok(v)
    }

    /// Reads any port into `out` as 32-bit words, least significant first,
    /// without allocating; `out` must hold exactly `ceil(width / 32)` words.
    #[inline(always)]
    pub fn get_words_into(&self, p: PortHandle, out: &mut [u32]) -> Result<()> {
        if p.meta & (ID | SCALAR) == u64::from(self.id) && out.len() == p.width().div_ceil(32) as usize {
            // SAFETY: the handle is ours; a wide port is `out.len()` 32-bit words
            // (WData) inside the live model.
            out.copy_from_slice(unsafe { std::slice::from_raw_parts(p.data.0 as *const u32, out.len()) });
            return Ok(());
        }
        self.get_words_into_slow(p, out)
    }

    #[inline(never)]
    fn get_words_into_slow(&self, p: PortHandle, out: &mut [u32]) -> Result<()> {
        self.check(p)?;
        let n = p.width().div_ceil(32) as usize;
        if out.len() != n {
            return Err(self.width_error(p, format!("{} words asked for, the port has {n}", out.len())));
        }
        if p.width() <= 64 {
            // SAFETY: as in `get_u64`.
            let v = words_of(unsafe { load_log2(p.data.0, p.log2_bytes()) });
            out.copy_from_slice(&v[..n]);
        } else {
            // SAFETY: as in `get_words_into`.
            out.copy_from_slice(unsafe { std::slice::from_raw_parts(p.data.0 as *const u32, n) });
        }
        Ok(())
    }

    /// Writes an input from 32-bit words, least significant first. Missing
    /// upper words are zero; bits above the width must be zero.
    #[inline(always)]
    pub fn set_words(&mut self, p: PortHandle, words: &[u32]) -> Result<()> {
        let partial = p.width() % 32;
        if p.meta & (ID | INPUT | SCALAR) == u64::from(self.id) | INPUT
            && words.len() == p.width().div_ceil(32) as usize
            && (partial == 0 || words[words.len() - 1] >> partial == 0)
        {
            // SAFETY: the handle is ours; a wide port is `words.len()` 32-bit
            // words inside the live model; `&mut self` excludes other access.
            unsafe { std::slice::from_raw_parts_mut(p.data.0 as *mut u32, words.len()) }
                .copy_from_slice(words);
            return Ok(());
        }
        self.set_words_slow(p, words)
    }

    #[inline(never)]
    fn set_words_slow(&mut self, p: PortHandle, words: &[u32]) -> Result<()> {
        self.check_input(p)?;
        let n = p.width().div_ceil(32) as usize;
        // Word `i` holds bits `32 * i ..`: the words past `n`, and the bits of
        // word `n - 1` at and above the width, must be clear.
        let partial = p.width() % 32;
        let beyond = words.get(n..).is_some_and(|w| w.iter().any(|&w| w != 0));
        let top = partial != 0 && words.get(n - 1).is_some_and(|&w| w >> partial != 0);
        if beyond || top {
            return Err(self.width_error(
                p,
                format!("{} words given with bits set above the width", words.len()),
            ));
        }
        if p.width() <= 64 {
            let v = u64::from(words.first().copied().unwrap_or(0))
                | u64::from(words.get(1).copied().unwrap_or(0)) << 32;
            // SAFETY: as in `set_u64`.
            unsafe { store_log2(p.data.0, p.log2_bytes(), v) };
            return Ok(());
        }
        // SAFETY: as in `set_words`.
        let dst = unsafe { std::slice::from_raw_parts_mut(p.data.0 as *mut u32, n) };
        let k = words.len().min(n);
        dst[..k].copy_from_slice(&words[..k]);
        dst[k..].fill(0);
        Ok(())
    }

    /// Reads any port as a big unsigned integer.
    pub fn get_big(&self, p: PortHandle) -> Result<BigUint> {
        Ok(BigUint::from_slice(&self.get_words(p)?))
    }

    /// Writes an input from a big unsigned integer that fits in the width.
    pub fn set_big(&mut self, p: PortHandle, v: &BigUint) -> Result<()> {
        self.check_input(p)?;
        if v.bits() > u64::from(p.width()) {
            return Err(self.width_error(p, format!("value of {} bits does not fit", v.bits())));
        }
        self.set_words(p, &v.to_u32_digits())
    }
}
