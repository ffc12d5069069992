//! Arbiters: N input streams share one output stream.

use super::stream::{drive_leaves, Stream};
use crate::prelude::*;

/// How an arbiter picks among the valid inputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArbiterPolicy {
    /// The lowest valid index wins.
    Priority,
    /// The first valid index after the last granted one wins (fair).
    RoundRobin,
}

/// Width of an index among `n` things: clog2(n), at least 1.
pub fn index_width(n: usize) -> u32 {
    crate::clog2(n as u32).max(1)
}

/// The lowest index whose bit is set in `requests` (0 when none is), as a
/// wire named `name`.
#[track_caller]
fn lowest_set(name: &str, requests: &[Bool]) -> UInt {
    let w = index_width(requests.len());
    let idx = wire(name, UInt::ty(w)).default_value(0);
    // Last assignment wins: walk from the highest index down.
    for (i, r) in requests.iter().enumerate().rev() {
        when(*r, || idx.set(i as u32));
    }
    idx
}

/// Arbitrates `inputs` onto one stream (wires `<name>_valid/_ready/_payload`)
/// and returns it with the index of the input it shows (`<name>_chosen`).
///
/// Once the output is valid, the choice is held until the transfer happens
/// (`<name>_locked`), so the output obeys the stream rules even when a
/// higher-priority input becomes valid meanwhile. Round-robin keeps a mask of
/// the indices after the last grant (`<name>_mask`) and prefers those.
#[track_caller]
pub fn stream_arbiter<T: Bundle>(
    name: &str,
    policy: ArbiterPolicy,
    inputs: &[Stream<T>],
) -> (Stream<T>, UInt) {
    assert!(!inputs.is_empty(), "an arbiter needs at least one input");
    let n = inputs.len();
    let iw = index_width(n);
    let out = wire(name, inputs[0].clone());
    let valids: Vec<Bool> = inputs.iter().map(|s| s.valid).collect();
    let locked = reg(&format!("{name}_locked"), Bool::ty()).init(false);
    let locked_idx = reg(&format!("{name}_locked_idx"), UInt::ty(iw)).init(0);

    let (pick, mask) = match policy {
        ArbiterPolicy::Priority => (lowest_set(&format!("{name}_pick"), &valids), None),
        ArbiterPolicy::RoundRobin => {
            let mask = reg(&format!("{name}_mask"), Bits::ty(n as u32)).init(0);
            let masked: Vec<Bool> = valids
                .iter()
                .enumerate()
                .map(|(i, v)| *v & mask.bit(i as u32))
                .collect();
            let any_masked = cat(&masked.iter().rev().copied().collect::<Vec<_>>())
                .any()
                .named(&format!("{name}_any_masked"));
            let first = lowest_set(&format!("{name}_pick_all"), &valids);
            let after = lowest_set(&format!("{name}_pick_masked"), &masked);
            (
                any_masked.mux(after, first).named(&format!("{name}_pick")),
                Some(mask),
            )
        }
    };
    let chosen = locked.mux(locked_idx, pick).named(&format!("{name}_chosen"));
    if let Some(mask) = mask {
        // After granting `g`, prefer the indices above `g`.
        let above: Vec<Bool> = (0..n as u32)
            .rev()
            .map(|i| if i == 0 { Bool::lit(false) } else { chosen.is_lt(i) })
            .collect();
        when(out.fire(), || mask.set(cat(&above)));
    }
    out.valid.set(select(chosen, &valids));
    switch(chosen, |s| {
        for (i, inp) in inputs.iter().enumerate() {
            s.is(i, || drive_leaves(&out.payload, &inp.payload));
        }
        s.default(|| drive_leaves(&out.payload, &inputs[0].payload));
    });
    for (i, inp) in inputs.iter().enumerate() {
        inp.ready.set(out.ready & chosen.is_eq(i as u32));
    }
    when(out.fire(), || locked.set(false)).elsewhen(out.valid, || {
        locked.set(true);
        locked_idx.set(chosen);
    });
    (out, chosen)
}

bundle! {
    /// Ports of a [`StreamArbiter`].
    pub struct ArbiterIo {
        /// The inputs.
        #[input]
        pub s: Vec<Stream<Bits>>,
        /// The shared output.
        pub m: Stream<Bits>,
        /// Index of the input shown on `m`.
        pub chosen: UInt,
    }
}

/// An arbiter of `inputs` streams of `width` bits as its own module:
/// `stream_arbiter_rr_n{inputs}_w{width}` or `stream_arbiter_prio_...`.
#[derive(Clone, Debug)]
pub struct StreamArbiter {
    /// Payload width.
    pub width: u32,
    /// Number of inputs (at least 1).
    pub inputs: usize,
    /// How to choose.
    pub policy: ArbiterPolicy,
}

impl Component for StreamArbiter {
    type Io = ArbiterIo;

    fn name(&self) -> String {
        let p = match self.policy {
            ArbiterPolicy::Priority => "prio",
            ArbiterPolicy::RoundRobin => "rr",
        };
        format!("stream_arbiter_{p}_n{}_w{}", self.inputs, self.width)
    }

    fn io(&self) -> ArbiterIo {
        ArbiterIo {
            s: vec![Stream::ty(Bits::ty(self.width)); self.inputs],
            m: Stream::ty(Bits::ty(self.width)),
            chosen: UInt::ty(index_width(self.inputs)),
        }
    }

    fn build(&self, io: &ArbiterIo) {
        let (out, chosen) = stream_arbiter("arb", self.policy, &io.s);
        io.m.connect_from(&out);
        io.chosen.set(chosen);
    }
}
