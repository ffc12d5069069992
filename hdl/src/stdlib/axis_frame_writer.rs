//! The write side of a packet FIFO: frames are committed at their last beat,
//! rolled back when bad, dropped whole when they do not fit. Shared by
//! [`super::axis_frame_fifo`] and [`super::axis_async_fifo`].

use super::axis::Axis;
use crate::prelude::*;

/// What a packet FIFO does with frames.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct FrameOptions {
    /// A frame becomes readable only when its last beat is written.
    pub frame_mode: bool,
    /// A frame whose last beat has `tuser[0]` set is rolled back and counted
    /// (`stat_drop_bad`). Needs `frame_mode` and a `tuser`.
    pub drop_bad: bool,
    /// A frame that meets a full FIFO is dropped whole and counted
    /// (`stat_drop_full`) instead of back-pressuring: `s_axis_tready` is
    /// always high. Needs `frame_mode`.
    pub drop_when_full: bool,
}

impl FrameOptions {
    /// Plain FIFO: every beat is readable once written, the input is
    /// back-pressured when full.
    pub const STREAM: FrameOptions = FrameOptions {
        frame_mode: false,
        drop_bad: false,
        drop_when_full: false,
    };

    /// Whole frames only, back-pressure when full.
    pub const FRAME: FrameOptions = FrameOptions {
        frame_mode: true,
        drop_bad: false,
        drop_when_full: false,
    };

    /// Panics with a clear message on a combination that cannot work.
    pub fn check(&self, has_user: bool) {
        assert!(
            self.frame_mode || !(self.drop_bad || self.drop_when_full),
            "dropping frames needs frame_mode (a frame cannot be taken back once its first beat left)"
        );
        assert!(
            has_user || !self.drop_bad,
            "drop_bad needs a tuser (bit 0 of the last beat marks a bad frame)"
        );
    }

    /// Module name suffix: `_frame`, `_dropbad`, `_dropfull` for the options set.
    pub fn name_suffix(&self) -> String {
        let mut s = String::new();
        for (on, tag) in [
            (self.frame_mode, "_frame"),
            (self.drop_bad, "_dropbad"),
            (self.drop_when_full, "_dropfull"),
        ] {
            if on {
                s.push_str(tag);
            }
        }
        s
    }
}

/// Signals of a built write side.
#[derive(Clone, Copy, Debug)]
pub struct FrameWriter {
    /// Next address to write (one bit wider than the memory address), a register.
    pub wr_ptr: UInt,
    /// Value `wr_ptr` takes at the next edge.
    pub wr_next: UInt,
    /// End of the committed (readable) words, a register; `wr_ptr` itself
    /// without `frame_mode`.
    pub commit_ptr: UInt,
    /// A frame's last beat is written and kept in this cycle.
    pub commit: Bool,
    /// Registered one-cycle pulse: a bad frame was rolled back.
    pub drop_bad: Bool,
    /// Registered one-cycle pulse: a frame that did not fit was dropped
    /// (pulsed when its last beat has been consumed).
    pub drop_full: Bool,
}

/// Builds the write side in the current domain: takes beats from `s`, writes
/// `s.pack()` into `ram` and moves the pointers.
///
/// `full(wr_ptr)` tells, from the caller's view of the read pointer, whether
/// no word is free. `meta_room`, when the caller stores per-frame metadata,
/// tells whether a frame may be committed now; a frame's last beat waits for
/// it (or, with `drop_when_full`, the frame is dropped).
///
/// A frame longer than the whole memory can never be committed: once it
/// fills the memory it is dropped (counted as `drop_full`) in every mode
/// with `frame_mode`, so the FIFO never hangs.
#[track_caller]
pub fn build_frame_writer(
    s: &Axis,
    opts: FrameOptions,
    ram: &Mem,
    full: impl FnOnce(UInt) -> Bool,
    meta_room: Option<Bool>,
) -> FrameWriter {
    opts.check(s.tuser.is_some());
    let aw = ram.addr_width();
    let pw = aw + 1;
    let wr_ptr = reg("wr_ptr", UInt::ty(pw)).init(0);
    let full = full(wr_ptr).named("full");
    let wr_inc = (wr_ptr + 1).named("wr_ptr_inc");
    let wr_next = wire("wr_ptr_next", UInt::ty(pw));
    wr_next.set(wr_ptr);
    wr_ptr.set(wr_next);
    let last = s.tlast;

    if !opts.frame_mode {
        s.tready.set(!full);
        let write = s.fire().named("write");
        ram.write(wr_ptr.lsbs(aw), s.pack(), write, None);
        when(write, || wr_next.set(wr_inc));
        let commit = (write & last).named("commit");
        return FrameWriter {
            wr_ptr,
            wr_next,
            commit_ptr: wr_ptr,
            commit,
            drop_bad: Bool::lit(false),
            drop_full: Bool::lit(false),
        };
    }

    let drop_bad = reg("drop_bad_pulse", Bool::ty()).init(false);
    let drop_full = reg("drop_full_pulse", Bool::ty()).init(false);
    drop_bad.set(false);
    drop_full.set(false);

    let commit_ptr = reg("commit_ptr", UInt::ty(pw)).init(0);
    let commit_next = wire("commit_ptr_next", UInt::ty(pw));
    commit_next.set(commit_ptr);
    commit_ptr.set(commit_next);
    // Discarding the rest of a frame that did not fit.
    let dropping = reg("dropping", Bool::ty()).init(false);
    let bad = match s.tuser {
        Some(u) if opts.drop_bad => (last & u.bit(0)).named("bad"),
        _ => Bool::lit(false),
    };
    let no_room = match meta_room {
        Some(room) => full | (last & !bad & !room),
        None => full,
    }
    .named("no_room");
    let drop_now = if opts.drop_when_full {
        s.tready.set(true);
        (!dropping & no_room).named("drop_now")
    } else {
        // The frame in progress fills the whole memory: it can never be
        // committed, so it is dropped rather than waited for.
        let oversize = (wr_ptr - commit_ptr).bit(aw).named("oversize");
        s.tready.set(dropping | oversize | !no_room);
        (!dropping & oversize).named("drop_now")
    };
    let take = s.fire().named("take");
    let write = (take & !dropping & !drop_now).named("write");
    ram.write(wr_ptr.lsbs(aw), s.pack(), write, None);
    let commit = (write & last & !bad).named("commit");

    when(take, || {
        when(dropping, || {
            when(last, || {
                dropping.set(false);
                drop_full.set(true);
            });
        })
        .elsewhen(drop_now, || {
            // Roll back what was written of this frame; discard the rest.
            wr_next.set(commit_ptr);
            when(last, || drop_full.set(true)).otherwise(|| dropping.set(true));
        })
        .elsewhen(bad, || {
            wr_next.set(commit_ptr);
            drop_bad.set(true);
        })
        .elsewhen(last, || {
            wr_next.set(wr_inc);
            commit_next.set(wr_inc);
        })
        .otherwise(|| wr_next.set(wr_inc));
    });

    FrameWriter {
        wr_ptr,
        wr_next,
        commit_ptr,
        commit,
        drop_bad,
        drop_full,
    }
}
