//! Stream join: N input streams to one, a transfer taking one word from each.

use super::stream::Stream;
use crate::prelude::*;

/// Joins `inputs` into one stream whose payload is the list of their payloads
/// (wires `<name>_valid`, `<name>_ready`). The output is valid when every input
/// is; all inputs are accepted together when the output fires.
#[track_caller]
pub fn stream_join<T: Bundle>(name: &str, inputs: &[Stream<T>]) -> Stream<Vec<T>> {
    assert!(!inputs.is_empty(), "a join needs at least one input");
    let valid = wire(&format!("{name}_valid"), Bool::ty());
    let ready = wire(&format!("{name}_ready"), Bool::ty());
    let all_valid = inputs.iter().skip(1).fold(inputs[0].valid, |a, s| a & s.valid);
    valid.set(all_valid);
    let fire = (valid & ready).named(&format!("{name}_fire"));
    for s in inputs {
        s.ready.set(fire);
    }
    Stream {
        valid,
        ready,
        payload: inputs.iter().map(|s| s.payload.clone()).collect(),
    }
}

bundle! {
    /// Ports of a [`StreamJoin`].
    pub struct JoinIo {
        /// The inputs.
        #[input]
        pub s: Vec<Stream<Bits>>,
        /// The joined stream: input `i` in bits `[(i+1)*width-1 : i*width]`.
        pub m: Stream<Bits>,
    }
}

/// A join of `inputs` streams of `width` bits as its own module:
/// `stream_join_n{inputs}_w{width}`; the output payload concatenates the
/// inputs, input 0 in the least significant bits.
#[derive(Clone, Debug)]
pub struct StreamJoin {
    /// Payload width of each input.
    pub width: u32,
    /// Number of inputs (at least 1).
    pub inputs: usize,
}

impl Component for StreamJoin {
    type Io = JoinIo;

    fn name(&self) -> String {
        format!("stream_join_n{}_w{}", self.inputs, self.width)
    }

    fn io(&self) -> JoinIo {
        JoinIo {
            s: vec![Stream::ty(Bits::ty(self.width)); self.inputs],
            m: Stream::ty(Bits::ty(self.width * self.inputs as u32)),
        }
    }

    fn build(&self, io: &JoinIo) {
        let j = stream_join("join", &io.s);
        io.m.valid.set(j.valid);
        j.ready.set(io.m.ready);
        let parts: Vec<Bits> = j.payload.iter().rev().copied().collect();
        io.m.payload.set(cat(&parts));
    }
}
