//! AXI-Stream with the verilog-ethernet port names.

use super::stream::Stream;
use crate::prelude::*;

bundle! {
    /// An AXI-Stream interface: `input("s_axis", Axis::ty(8, None))` gives
    /// `s_axis_tdata`, `s_axis_tkeep`, `s_axis_tvalid`, `s_axis_tready`
    /// (an output), `s_axis_tlast` and, when a user width is given,
    /// `s_axis_tuser`.
    pub struct Axis {
        /// Data, `8 * bytes` bits.
        pub tdata: Bits,
        /// One bit per data byte: the byte is meaningful.
        pub tkeep: Bits,
        /// The sender offers a beat.
        pub tvalid: Bool,
        /// The receiver takes it.
        #[flip]
        pub tready: Bool,
        /// Last beat of a packet.
        pub tlast: Bool,
        /// Sideband, when configured.
        pub tuser: Option<Bits>,
    }
}

impl Axis {
    /// A template with `bytes` data bytes and an optional `tuser` of `user_width` bits.
    pub fn ty(bytes: u32, user_width: Option<u32>) -> Axis {
        Axis {
            tdata: Bits::ty(8 * bytes),
            tkeep: Bits::ty(bytes),
            tvalid: Bool::ty(),
            tready: Bool::ty(),
            tlast: Bool::ty(),
            tuser: user_width.map(Bits::ty),
        }
    }

    /// Number of data bytes.
    pub fn bytes(&self) -> u32 {
        self.tkeep.width()
    }

    /// A beat is transferred in this cycle: `tvalid & tready`.
    #[track_caller]
    pub fn fire(&self) -> Bool {
        self.tvalid & self.tready
    }

    /// Bits of a beat packed by [`Axis::pack`].
    pub fn packed_width(&self) -> u32 {
        let bytes = self.bytes();
        8 * bytes + crate::clog2(bytes + 1) + 1 + self.tuser.map_or(0, |u| u.width())
    }

    /// The beat as one word for a FIFO memory: `{tuser, tlast, count, tdata}`,
    /// where `count` is [`keep_to_count`] of `tkeep` (so `tkeep` must be packed).
    #[track_caller]
    pub fn pack(&self) -> Bits {
        let count = keep_to_count(self.tkeep).as_bits();
        let low = cat!(self.tlast, count, self.tdata);
        match self.tuser {
            Some(u) => cat!(u, low),
            None => low,
        }
    }

    /// A register slice both ways (see [`Stream::full_pipe`]): every
    /// output and `tready` towards this interface come from registers, at
    /// full throughput and one cycle of latency. `self` is the sending side
    /// (its `tready` is driven here); returns the receiving side, wires
    /// named `<name>_*`.
    #[track_caller]
    pub fn full_pipe(&self, name: &str) -> Axis {
        self.pipe_with(name, true, None).0
    }

    /// A skid buffer (see [`Stream::s2m_pipe`]): `tready` towards this
    /// interface comes from a register; no added latency.
    #[track_caller]
    pub fn s2m_pipe(&self, name: &str) -> Axis {
        self.pipe_with(name, false, None).0
    }

    /// [`Axis::full_pipe`] (`full`) or [`Axis::s2m_pipe`], with a `sideband`
    /// vector that travels with every beat (returned beside the interface).
    #[track_caller]
    pub fn pipe_with(&self, name: &str, full: bool, sideband: Option<Bits>) -> (Axis, Option<Bits>) {
        let (db, kb) = (self.tdata.width(), self.tkeep.width());
        let mut parts = vec![self.tdata, self.tkeep, self.tlast.as_bits()];
        parts.extend(self.tuser);
        parts.extend(sideband);
        // `cat` wants the most significant part first.
        parts.reverse();
        let word = cat(&parts);
        let into = wire(&format!("{name}_in"), Stream::ty(Bits::ty(word.width())));
        into.valid.set(self.tvalid);
        self.tready.set(into.ready);
        into.payload.set(word);
        let piped = if full {
            into.full_pipe(&format!("{name}_pipe"))
        } else {
            into.s2m_pipe(&format!("{name}_pipe"))
        };
        let out = wire(name, self.clone());
        out.tvalid.set(piped.valid);
        piped.ready.set(out.tready);
        let w = piped.payload;
        out.tdata.set(w.range(db - 1, 0));
        out.tkeep.set(w.range(db + kb - 1, db));
        out.tlast.set(w.bit(db + kb));
        let mut at = db + kb + 1;
        if let Some(u) = out.tuser {
            u.set(w.range(at + u.width() - 1, at));
            at += u.width();
        }
        let side = sideband.map(|s| w.range(at + s.width() - 1, at));
        (out, side)
    }

    /// Drives `tdata`, `tkeep`, `tlast` and `tuser` from a word made by
    /// [`Axis::pack`] of an interface of the same shape (not `tvalid`/`tready`).
    #[track_caller]
    pub fn unpack(&self, word: Bits) {
        let bytes = self.bytes();
        let (db, cw) = (8 * bytes, crate::clog2(bytes + 1));
        self.tdata.set(word.range(db - 1, 0));
        self.tkeep
            .set(count_to_keep(word.range(db + cw - 1, db).as_uint(), bytes));
        self.tlast.set(word.bit(db + cw));
        if let Some(u) = self.tuser {
            u.set(word.range(db + cw + u.width(), db + cw + 1));
        }
    }
}

bundle! {
    /// An AXI-Stream without `tready`, from a source that cannot be stalled
    /// (a MAC's receive side): `tdata`, `tkeep`, `tvalid`, `tlast`, `tuser`.
    pub struct AxisFlow {
        /// Data; byte 0 is `tdata[7:0]`.
        pub tdata: Bits,
        /// One bit per byte, contiguous from bit 0, full on all but the last beat.
        pub tkeep: Bits,
        /// A beat is on the bus (taken in the same cycle, unconditionally).
        pub tvalid: Bool,
        /// Last beat of a frame.
        pub tlast: Bool,
        /// Sideband; for frames from a MAC, bit 0 on the last beat says the
        /// frame is bad (FCS, MAC error) and must be dropped.
        pub tuser: Bits,
    }
}

impl AxisFlow {
    /// A template with `bytes` data bytes and a `tuser` of `user_width` bits.
    pub fn ty(bytes: u32, user_width: u32) -> AxisFlow {
        AxisFlow {
            tdata: Bits::ty(8 * bytes),
            tkeep: Bits::ty(bytes),
            tvalid: Bool::ty(),
            tlast: Bool::ty(),
            tuser: Bits::ty(user_width),
        }
    }
}

/// The number of bytes a packed `tkeep` (contiguous from bit 0) marks, 0 ..=
/// `keep.width()`, in clog2(width + 1) bits. Used to store `tkeep` compactly:
/// 7 bits instead of 64 for a 512-bit stream.
#[track_caller]
pub fn keep_to_count(keep: Bits) -> UInt {
    let n = keep.width();
    let cw = crate::clog2(n + 1);
    // In a packed mask exactly one bit `i` has keep[i] & !keep[i+1]; the count is i + 1.
    let edge = keep & !(keep >> 1);
    let bits: Vec<Bool> = (0..cw)
        .rev()
        .map(|k| {
            let mask = (0..n)
                .filter(|i| (i + 1) >> k & 1 == 1)
                .fold(num_bigint::BigUint::from(0u8), |m, i| {
                    m | (num_bigint::BigUint::from(1u8) << i)
                });
            (edge & Bits::lit_big(&mask, n)).any()
        })
        .collect();
    cat(&bits).as_uint()
}

/// The packed `tkeep` of `bytes` bits that marks the first `count` bytes
/// (the inverse of [`keep_to_count`]).
#[track_caller]
pub fn count_to_keep(count: UInt, bytes: u32) -> Bits {
    let bits: Vec<Bool> = (0..bytes).rev().map(|i| count.is_gt(u128::from(i))).collect();
    cat(&bits)
}
