//! Stream fork: one input stream to N outputs, each seeing every word once.

use super::stream::{drive_leaves, Stream};
use crate::prelude::*;

/// Forks `input` into `n` streams (wires `<name>_<i>_valid/_ready/_payload`).
///
/// The input word is accepted only when every output has taken it; the
/// outputs may take it in different cycles. A register per output
/// (`<name>_<i>_done`) remembers who already has, so no output sees a word
/// twice and no combinational path runs from one output's `ready` to another
/// output's `valid`.
#[track_caller]
pub fn stream_fork<T: Bundle>(name: &str, input: &Stream<T>, n: usize) -> Vec<Stream<T>> {
    assert!(n >= 1, "a fork needs at least one output");
    let outs: Vec<Stream<T>> = (0..n)
        .map(|i| wire(&format!("{name}_{i}"), input.clone()))
        .collect();
    let done: Vec<Bool> = (0..n)
        .map(|i| reg(&format!("{name}_{i}_done"), Bool::ty()).init(false))
        .collect();
    for (o, d) in outs.iter().zip(&done) {
        o.valid.set(input.valid & !*d);
        drive_leaves(&o.payload, &input.payload);
    }
    let all_taken = outs
        .iter()
        .zip(&done)
        .map(|(o, d)| o.ready | *d)
        .reduce(|a, b| a & b);
    input.ready.set(all_taken.expect("at least one output"));
    let input_fire = input.fire().named(&format!("{name}_in_fire"));
    for (o, d) in outs.iter().zip(&done) {
        when(input_fire, || d.set(false)).elsewhen(o.fire(), || d.set(true));
    }
    outs
}

bundle! {
    /// Ports of a [`StreamFork`].
    pub struct ForkIo {
        /// The input.
        #[input]
        pub s: Stream<Bits>,
        /// The copies.
        pub m: Vec<Stream<Bits>>,
    }
}

/// A fork of a `width`-bit stream to `outputs` streams as its own module:
/// `stream_fork_n{outputs}_w{width}`.
#[derive(Clone, Debug)]
pub struct StreamFork {
    /// Payload width.
    pub width: u32,
    /// Number of outputs (at least 1).
    pub outputs: usize,
}

impl Component for StreamFork {
    type Io = ForkIo;

    fn name(&self) -> String {
        format!("stream_fork_n{}_w{}", self.outputs, self.width)
    }

    fn io(&self) -> ForkIo {
        ForkIo {
            s: Stream::ty(Bits::ty(self.width)),
            m: vec![Stream::ty(Bits::ty(self.width)); self.outputs],
        }
    }

    fn build(&self, io: &ForkIo) {
        let outs = stream_fork("fork", &io.s, self.outputs);
        for (m, o) in io.m.iter().zip(&outs) {
            m.connect_from(o);
        }
    }
}
