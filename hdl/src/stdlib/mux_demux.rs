//! Select-driven stream multiplexer and demultiplexer.

use super::arbiter::index_width;
use super::stream::{drive_leaves, Stream};
use crate::prelude::*;

/// Passes input `sel` through to one output stream (wires
/// `<name>_valid/_ready/_payload`); the other inputs see `ready` low. `sel`
/// must be `index_width(inputs.len())` bits and should only change between
/// transfers; a value past the last input selects nothing.
#[track_caller]
pub fn stream_mux<T: Bundle>(name: &str, sel: UInt, inputs: &[Stream<T>]) -> Stream<T> {
    assert!(!inputs.is_empty(), "a mux needs at least one input");
    let out = wire(name, inputs[0].clone());
    // An out-of-range `sel` selects nothing (not valid, no input ready).
    let hits: Vec<Bool> = (0..inputs.len()).map(|i| sel.is_eq(i as u32)).collect();
    let valid = inputs
        .iter()
        .zip(&hits)
        .map(|(s, h)| s.valid & *h)
        .reduce(|a, b| a | b);
    out.valid.set(valid.expect("at least one input"));
    switch(sel, |s| {
        for (i, inp) in inputs.iter().enumerate() {
            s.is(i, || drive_leaves(&out.payload, &inp.payload));
        }
        s.default(|| drive_leaves(&out.payload, &inputs[inputs.len() - 1].payload));
    });
    for (inp, h) in inputs.iter().zip(&hits) {
        inp.ready.set(out.ready & *h);
    }
    out
}

/// Steers `input` to output `sel` of `n` (wires `<name>_<i>_valid/_ready/_payload`);
/// the other outputs are not valid. Every output carries the payload. A `sel`
/// past the last output steers nowhere (the input waits).
#[track_caller]
pub fn stream_demux<T: Bundle>(name: &str, sel: UInt, input: &Stream<T>, n: usize) -> Vec<Stream<T>> {
    assert!(n >= 1, "a demux needs at least one output");
    let outs: Vec<Stream<T>> = (0..n)
        .map(|i| wire(&format!("{name}_{i}"), input.clone()))
        .collect();
    // An out-of-range `sel` steers nowhere: no output valid, input not ready.
    let hits: Vec<Bool> = (0..n).map(|i| sel.is_eq(i as u32)).collect();
    for (o, h) in outs.iter().zip(&hits) {
        o.valid.set(input.valid & *h);
        drive_leaves(&o.payload, &input.payload);
    }
    let ready = outs
        .iter()
        .zip(&hits)
        .map(|(o, h)| o.ready & *h)
        .reduce(|a, b| a | b);
    input.ready.set(ready.expect("at least one output"));
    outs
}

bundle! {
    /// Ports of a [`StreamMux`].
    pub struct MuxIo {
        /// Which input passes.
        #[input]
        pub sel: UInt,
        /// The inputs.
        #[input]
        pub s: Vec<Stream<Bits>>,
        /// The output.
        pub m: Stream<Bits>,
    }
}

/// A stream mux of `inputs` `width`-bit streams as its own module:
/// `stream_mux_n{inputs}_w{width}`.
#[derive(Clone, Debug)]
pub struct StreamMux {
    /// Payload width.
    pub width: u32,
    /// Number of inputs (at least 1).
    pub inputs: usize,
}

impl Component for StreamMux {
    type Io = MuxIo;

    fn name(&self) -> String {
        format!("stream_mux_n{}_w{}", self.inputs, self.width)
    }

    fn io(&self) -> MuxIo {
        MuxIo {
            sel: UInt::ty(index_width(self.inputs)),
            s: vec![Stream::ty(Bits::ty(self.width)); self.inputs],
            m: Stream::ty(Bits::ty(self.width)),
        }
    }

    fn build(&self, io: &MuxIo) {
        let out = stream_mux("mux", io.sel, &io.s);
        io.m.connect_from(&out);
    }
}

bundle! {
    /// Ports of a [`StreamDemux`].
    pub struct DemuxIo {
        /// Which output receives.
        #[input]
        pub sel: UInt,
        /// The input.
        #[input]
        pub s: Stream<Bits>,
        /// The outputs.
        pub m: Vec<Stream<Bits>>,
    }
}

/// A stream demux to `outputs` `width`-bit streams as its own module:
/// `stream_demux_n{outputs}_w{width}`.
#[derive(Clone, Debug)]
pub struct StreamDemux {
    /// Payload width.
    pub width: u32,
    /// Number of outputs (at least 1).
    pub outputs: usize,
}

impl Component for StreamDemux {
    type Io = DemuxIo;

    fn name(&self) -> String {
        format!("stream_demux_n{}_w{}", self.outputs, self.width)
    }

    fn io(&self) -> DemuxIo {
        DemuxIo {
            sel: UInt::ty(index_width(self.outputs)),
            s: Stream::ty(Bits::ty(self.width)),
            m: vec![Stream::ty(Bits::ty(self.width)); self.outputs],
        }
    }

    fn build(&self, io: &DemuxIo) {
        let outs = stream_demux("demux", io.sel, &io.s, self.outputs);
        for (m, o) in io.m.iter().zip(&outs) {
            m.connect_from(o);
        }
    }
}
