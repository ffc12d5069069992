//! Synchronous stream FIFO with memory storage (block RAM for large depths).

use super::stream::{Stream, StreamIo};
use crate::prelude::*;

bundle! {
    /// Ports of a [`StreamFifo`].
    pub struct StreamFifoIo {
        /// Words in.
        #[input]
        pub s: Stream<Bits>,
        /// Words out, in the order they came in.
        pub m: Stream<Bits>,
        /// Words held, 0 ..= depth.
        pub occupancy: UInt,
    }
}

/// A first-in first-out queue of `depth` words of `width` bits:
/// `stream_fifo_w{width}_d{depth}`.
///
/// The words live in a memory with one write port and one synchronous read
/// port, so synthesis maps it to block RAM. The read port prefetches the word
/// at the head, so the output is first-word-fall-through. A written word
/// reaches the output two cycles later, so with `depth >= 3` the FIFO moves a
/// word every cycle in both directions (a depth-2 FIFO moves two words in
/// three cycles). `ready` towards the sender depends only on registers.
/// `depth` must be at least 2; it need not be a power of two.
#[derive(Clone, Debug)]
pub struct StreamFifo {
    /// Payload width in bits.
    pub width: u32,
    /// Capacity in words (at least 2).
    pub depth: u32,
}

impl StreamFifo {
    /// Width of the occupancy output: clog2(depth + 1).
    pub fn occupancy_width(&self) -> u32 {
        crate::clog2(self.depth + 1)
    }
}

/// `ptr + 1`, wrapping to 0 after `depth - 1`.
#[track_caller]
fn advance(ptr: UInt, depth: u32) -> UInt {
    if depth.is_power_of_two() {
        ptr + 1
    } else {
        ptr.is_eq(depth - 1).mux(UInt::lit(0, ptr.width()), ptr + 1)
    }
}

impl Component for StreamFifo {
    type Io = StreamFifoIo;

    fn name(&self) -> String {
        format!("stream_fifo_w{}_d{}", self.width, self.depth)
    }

    fn io(&self) -> StreamFifoIo {
        assert!(
            self.depth >= 2,
            "StreamFifo depth must be at least 2 (got {})",
            self.depth
        );
        let StreamIo { s, m } = StreamIo::ty(self.width);
        StreamFifoIo {
            s,
            m,
            occupancy: UInt::ty(self.occupancy_width()),
        }
    }

    fn build(&self, io: &StreamFifoIo) {
        let depth = self.depth;
        let cw = self.occupancy_width();
        let ram = Mem::new("ram", self.width, depth);
        let aw = ram.addr_width();
        let push_ptr = reg("push_ptr", UInt::ty(aw)).init(0);
        let pop_ptr = reg("pop_ptr", UInt::ty(aw)).init(0);
        let count = reg("count", UInt::ty(cw)).init(0);
        let out_valid = reg("out_valid", Bool::ty()).init(false);

        io.s.ready.set(count.is_ne(depth));
        io.m.valid.set(out_valid);
        let push = io.s.fire().named("push");
        let pop = io.m.fire().named("pop");

        when(push, || push_ptr.set(advance(push_ptr, depth)));
        let pop_ptr_next = pop.mux(advance(pop_ptr, depth), pop_ptr).named("pop_ptr_next");
        pop_ptr.set(pop_ptr_next);

        ram.write(push_ptr, io.s.payload, push, None);
        // Read the word that will be at the head next cycle. A word written in
        // this same cycle is not readable yet, hence `out_valid` only counts
        // words that were there before this cycle's push.
        io.m.payload.set(ram.read_sync(pop_ptr_next, Bool::lit(true)));
        let older = (count - pop.as_uint().zext(cw)).named("older");
        out_valid.set(older.is_ne(0));
        count.set(older + push.as_uint().zext(cw));
        io.occupancy.set(count);
    }
}
