//! Counters and timers.
//!
//! [`counter`] builds a modulo-`N` up counter inline; [`Counter`] wraps it as a
//! component (`counter_m{N}`). [`Timer`] (`timer_{oneshot|periodic}_p{N}`)
//! produces a one-cycle `tick` every `N` cycles or once.

use crate::prelude::*;

/// Signals of an inline counter.
#[derive(Clone, Copy, Debug)]
pub struct CounterSigs {
    /// The count, `0..N-1`.
    pub value: UInt,
    /// High in the cycle where the counter steps from `N-1` back to 0.
    pub wrap: Bool,
}

/// Width of a counter that counts `0..modulo-1` (at least 1).
pub fn counter_width(modulo: u64) -> u32 {
    assert!(modulo >= 1, "a counter needs a modulo of at least 1");
    (64 - (modulo - 1).leading_zeros()).max(1)
}

/// An up counter register named `name` that counts `0..modulo-1` while
/// `enable` is high and returns to 0 after `modulo - 1` (or when `clear` is
/// high, which wins over `enable`).
#[track_caller]
pub fn counter(name: &str, modulo: u64, enable: Bool, clear: Bool) -> CounterSigs {
    let w = counter_width(modulo);
    let value = reg(name, UInt::ty(w)).init(0);
    let at_end = value.is_eq(UInt::lit(u128::from(modulo - 1), w));
    let wrap = (enable & at_end & !clear).named(&format!("{name}_wrap"));
    when(clear, || value.set(0))
        .elsewhen(wrap, || value.set(0))
        .elsewhen(enable, || value.set(value + 1));
    CounterSigs { value, wrap }
}

bundle! {
    /// Ports of [`Counter`].
    pub struct CounterIo {
        /// Count this cycle.
        #[input]
        pub enable: Bool,
        /// Return to 0 and clear `overflow` (wins over `enable`).
        #[input]
        pub clear: Bool,
        /// The count.
        pub value: UInt,
        /// High in the cycle where the count steps from `N-1` to 0.
        pub wrap: Bool,
        /// Sticky: the counter has wrapped since the last `clear` (or reset).
        pub overflow: Bool,
    }
}

/// A modulo-`N` up counter with enable, clear, wrap pulse and sticky overflow.
#[derive(Clone, Debug)]
pub struct Counter {
    /// Counts `0..modulo-1`.
    pub modulo: u64,
}

impl Component for Counter {
    type Io = CounterIo;

    fn name(&self) -> String {
        format!("counter_m{}", self.modulo)
    }

    fn io(&self) -> CounterIo {
        CounterIo {
            enable: Bool::ty(),
            clear: Bool::ty(),
            value: UInt::ty(counter_width(self.modulo)),
            wrap: Bool::ty(),
            overflow: Bool::ty(),
        }
    }

    fn build(&self, io: &CounterIo) {
        let c = counter("count", self.modulo, io.enable, io.clear);
        let overflow = reg("overflow_q", Bool::ty()).init(false);
        when(io.clear, || overflow.set(false)).elsewhen(c.wrap, || overflow.set(true));
        io.value.set(c.value);
        io.wrap.set(c.wrap);
        io.overflow.set(overflow);
    }
}

/// Whether a [`Timer`] ticks once or repeatedly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimerMode {
    /// One tick `N` cycles after `start`, then idle.
    OneShot,
    /// A tick every `N` cycles after `start` until `stop`.
    Periodic,
}

bundle! {
    /// Ports of [`Timer`].
    pub struct TimerIo {
        /// (Re)start: the first tick comes `N` cycles after the cycle `start` is high.
        #[input]
        pub start: Bool,
        /// Stop without ticking (wins over `start`).
        #[input]
        pub stop: Bool,
        /// One-cycle pulse every `N` cycles (or once).
        pub tick: Bool,
        /// The timer is counting.
        pub running: Bool,
    }
}

/// A timer: after `start` (high in cycle `t`), `tick` is high in cycle `t + N`,
/// and for [`TimerMode::Periodic`] again in `t + 2N`, `t + 3N`, ... until `stop`.
#[derive(Clone, Debug)]
pub struct Timer {
    /// Cycles between `start` and a tick, and between ticks (at least 1).
    pub period: u64,
    /// One-shot or periodic.
    pub mode: TimerMode,
}

impl Component for Timer {
    type Io = TimerIo;

    fn name(&self) -> String {
        let m = match self.mode {
            TimerMode::OneShot => "oneshot",
            TimerMode::Periodic => "periodic",
        };
        format!("timer_{m}_p{}", self.period)
    }

    fn io(&self) -> TimerIo {
        TimerIo {
            start: Bool::ty(),
            stop: Bool::ty(),
            tick: Bool::ty(),
            running: Bool::ty(),
        }
    }

    fn build(&self, io: &TimerIo) {
        let running = reg("running_q", Bool::ty()).init(false);
        let restart = (io.start | io.stop).named("restart");
        let c = counter("elapsed", self.period, running, restart);
        let tick = c.wrap;
        let chain = when(io.stop, || running.set(false)).elsewhen(io.start, || running.set(true));
        if self.mode == TimerMode::OneShot {
            chain.elsewhen(tick, || running.set(false));
        }
        io.tick.set(tick);
        io.running.set(running);
    }
}
