//! Streams and flows: valid/ready handshakes around any payload bundle, and the
//! register slices that pipeline them.
//!
//! A [`Stream`] transfers its payload in every cycle where both `valid` and
//! `ready` are high ([`Stream::fire`]). Once `valid` is high it stays high,
//! with the payload unchanged, until the transfer happens. A [`Flow`] has no
//! back-pressure: the payload is taken in every cycle where `valid` is high.
//!
//! ```
//! use hdl::prelude::*;
//! use hdl::stdlib::stream::StreamIo;
//!
//! /// A FIFO of 16 bytes followed by a full register slice.
//! #[derive(Debug)]
//! struct Buffered;
//!
//! impl Component for Buffered {
//!     type Io = StreamIo;
//!     fn name(&self) -> String {
//!         "buffered".into()
//!     }
//!     fn io(&self) -> StreamIo {
//!         StreamIo::ty(8)
//!     }
//!     fn build(&self, io: &StreamIo) {
//!         let out = io.s.queue("u_fifo", 16).full_pipe("out");
//!         io.m.connect_from(&out);
//!     }
//! }
//!
//! let v = hdl::elaborate(&Buffered).unwrap().verilog();
//! assert!(v.contains("stream_fifo_w8_d16 u_fifo ("));
//! assert!(v.contains("out_s2m_skid_valid"));
//! ```

use crate::dsl::bundle::join;
use crate::prelude::*;
use crate::{Leaf, Sig};

/// A valid/ready handshake carrying `payload`. Its Verilog names are
/// `<prefix>_valid`, `<prefix>_ready` and `<prefix>_payload...`.
#[derive(Clone, Debug)]
pub struct Stream<T> {
    /// The sender offers `payload`.
    pub valid: Bool,
    /// The receiver takes it (runs against the stream's direction).
    pub ready: Bool,
    /// The data.
    pub payload: T,
}

impl<T: Bundle> Bundle for Stream<T> {
    fn map_leaves(&self, prefix: &str, flipped: bool, f: &mut dyn FnMut(&Leaf) -> Sig) -> Self {
        Stream {
            valid: self.valid.map_leaves(&join(prefix, "valid"), flipped, f),
            ready: self.ready.map_leaves(&join(prefix, "ready"), !flipped, f),
            payload: self.payload.map_leaves(&join(prefix, "payload"), flipped, f),
        }
    }
}

/// A valid-qualified payload without back-pressure.
#[derive(Clone, Debug)]
pub struct Flow<T> {
    /// The payload is meaningful in this cycle.
    pub valid: Bool,
    /// The data.
    pub payload: T,
}

impl<T: Bundle> Bundle for Flow<T> {
    fn map_leaves(&self, prefix: &str, flipped: bool, f: &mut dyn FnMut(&Leaf) -> Sig) -> Self {
        Flow {
            valid: self.valid.map_leaves(&join(prefix, "valid"), flipped, f),
            payload: self.payload.map_leaves(&join(prefix, "payload"), flipped, f),
        }
    }
}

/// Assigns every leaf of `dst` from the matching leaf of `src`, whatever its
/// direction (for payloads, which have no flipped fields).
#[track_caller]
pub fn drive_leaves<T: Bundle>(dst: &T, src: &T) {
    for (d, s) in dst.leaves().iter().zip(src.leaves()) {
        Bits::from_sig(d.sig).set(Bits::from_sig(s.sig));
    }
}

impl<T: Bundle> Stream<T> {
    /// A template (widths only) of a stream carrying `payload`.
    pub fn ty(payload: T) -> Stream<T> {
        Stream {
            valid: Bool::ty(),
            ready: Bool::ty(),
            payload,
        }
    }

    /// A transfer happens in this cycle: `valid & ready`.
    #[track_caller]
    pub fn fire(&self) -> Bool {
        self.valid & self.ready
    }

    /// The sender waits: `valid & !ready`.
    #[track_caller]
    pub fn is_stall(&self) -> Bool {
        self.valid & !self.ready
    }

    /// What goes through: a flow that is valid in the cycles where this stream fires.
    #[track_caller]
    pub fn as_flow(&self) -> Flow<T> {
        Flow {
            valid: self.fire(),
            payload: self.payload.clone(),
        }
    }

    /// Forward register slice (`m2s_pipe`): registers `valid` and `payload`,
    /// `ready` stays combinational. Full throughput: a word every cycle while
    /// the output is ready. Returns the output stream (registers
    /// `<name>_valid`, `<name>_payload`; wire `<name>_ready`, which the caller
    /// drives, e.g. by connecting the result).
    #[track_caller]
    pub fn m2s_pipe(&self, name: &str) -> Stream<T> {
        let valid = reg(&format!("{name}_valid"), Bool::ty()).init(false);
        let payload = reg(&format!("{name}_payload"), self.payload.clone());
        let ready = wire(&format!("{name}_ready"), Bool::ty());
        self.ready.set(!valid | ready);
        when(self.ready, || {
            valid.set(self.valid);
            drive_leaves(&payload, &self.payload);
        });
        Stream {
            valid,
            ready,
            payload,
        }
    }

    /// Backward register slice (`s2m_pipe`, a skid buffer): `ready` towards the
    /// sender is a register, so no combinational path runs from the output's
    /// `ready` to this stream's `ready`. Full throughput. Returns the output
    /// stream (wires `<name>_valid/_ready/_payload`; skid registers
    /// `<name>_skid_valid`, `<name>_skid_payload`).
    #[track_caller]
    pub fn s2m_pipe(&self, name: &str) -> Stream<T> {
        let out = wire(name, self.clone());
        let skid_valid = reg(&format!("{name}_skid_valid"), Bool::ty()).init(false);
        let skid_payload = reg(&format!("{name}_skid_payload"), self.payload.clone());
        self.ready.set(!skid_valid);
        out.valid.set(self.valid | skid_valid);
        when(skid_valid, || drive_leaves(&out.payload, &skid_payload))
            .otherwise(|| drive_leaves(&out.payload, &self.payload));
        when(self.valid & !skid_valid & !out.ready, || {
            skid_valid.set(true);
            drive_leaves(&skid_payload, &self.payload);
        })
        .elsewhen(out.ready, || skid_valid.set(false));
        out
    }

    /// Both slices: a skid buffer (`<name>_s2m`) followed by a forward register
    /// slice (`<name>_m2s`), so every output and `ready` towards the sender
    /// come straight from registers. Full throughput.
    #[track_caller]
    pub fn full_pipe(&self, name: &str) -> Stream<T> {
        self.s2m_pipe(&format!("{name}_s2m"))
            .m2s_pipe(&format!("{name}_m2s"))
    }
}

impl Stream<Bits> {
    /// Buffers this stream in a [`crate::stdlib::fifo::StreamFifo`] of `depth`
    /// words instantiated as `name`; returns the FIFO's output stream.
    #[track_caller]
    pub fn queue(&self, name: &str, depth: u32) -> Stream<Bits> {
        let fifo = instance(
            name,
            &crate::stdlib::fifo::StreamFifo {
                width: self.payload.width(),
                depth,
            },
        );
        fifo.io.s.connect_from(self);
        fifo.io.m
    }
}

impl<T: Bundle> Flow<T> {
    /// A template (widths only) of a flow carrying `payload`.
    pub fn ty(payload: T) -> Flow<T> {
        Flow {
            valid: Bool::ty(),
            payload,
        }
    }

    /// Registers `valid` (reset low) and `payload` (no reset) for one cycle,
    /// as `<name>_valid` and `<name>_payload`.
    #[track_caller]
    pub fn stage(&self, name: &str) -> Flow<T> {
        let valid = reg(&format!("{name}_valid"), Bool::ty()).init(false);
        valid.set(self.valid);
        let payload = reg_next(&format!("{name}_payload"), &self.payload);
        Flow { valid, payload }
    }
}

bundle! {
    /// Ports of a one-stream-in, one-stream-out block.
    pub struct StreamIo {
        /// The input (its `ready` is an output).
        #[input]
        pub s: Stream<Bits>,
        /// The output.
        pub m: Stream<Bits>,
    }
}

impl StreamIo {
    /// Template with `width`-bit payloads on both sides.
    pub fn ty(width: u32) -> StreamIo {
        StreamIo {
            s: Stream::ty(Bits::ty(width)),
            m: Stream::ty(Bits::ty(width)),
        }
    }
}

/// Which register slice a [`StreamStage`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StageKind {
    /// [`Stream::m2s_pipe`]: valid and payload registered.
    Forward,
    /// [`Stream::s2m_pipe`]: ready registered (skid buffer).
    Backward,
    /// [`Stream::full_pipe`]: both.
    Full,
}

/// A register slice of a `width`-bit stream as its own module:
/// `stream_m2s_w{width}`, `stream_s2m_w{width}` or `stream_pipe_w{width}`.
#[derive(Clone, Debug)]
pub struct StreamStage {
    /// Payload width.
    pub width: u32,
    /// Which slice.
    pub kind: StageKind,
}

impl Component for StreamStage {
    type Io = StreamIo;

    fn name(&self) -> String {
        let k = match self.kind {
            StageKind::Forward => "m2s",
            StageKind::Backward => "s2m",
            StageKind::Full => "pipe",
        };
        format!("stream_{k}_w{}", self.width)
    }

    fn io(&self) -> StreamIo {
        StreamIo::ty(self.width)
    }

    fn build(&self, io: &StreamIo) {
        let out = match self.kind {
            StageKind::Forward => io.s.m2s_pipe("stage"),
            StageKind::Backward => io.s.s2m_pipe("stage"),
            StageKind::Full => io.s.full_pipe("stage"),
        };
        io.m.connect_from(&out);
    }
}
