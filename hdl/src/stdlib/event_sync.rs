//! Event counts carried across clock domains.
//!
//! A one-cycle pulse cannot cross into an unrelated clock domain by itself: a
//! slower receiver may never see it, and two pulses close together merge.
//! [`EventSync`] counts each event input in its own domain (`s`) with a small
//! wrapping counter whose Gray code crosses through a two-flop
//! [`synchroniser`]; the receiving domain (`m`) turns each change of the count
//! into an amount, `m_count_<i>`, which says how many events arrived since the
//! last cycle. Fed into [`super::stat_counters`] as amounts, every event is
//! counted exactly once, as long as fewer than `2^bits` events of one input
//! happen while a count crosses (about three receiving cycles).

use super::async_fifo::{synchroniser, to_gray};
use crate::prelude::*;

bundle! {
    /// Ports of [`EventSync`].
    pub struct EventSyncIo {
        /// One bit per event, each a pulse in domain `s`.
        #[input]
        pub s_events: Bits,
        /// Per event, how many arrived since the last cycle, in domain `m`.
        pub m_count: Vec<UInt>,
    }
}

/// Carries `events` pulse inputs from domain `s` (`s_clk`, `s_rst`) to domain
/// `m` (`m_clk`, `m_rst`) as counts of `bits` bits: `event_sync_n{events}_b{bits}`.
#[derive(Clone, Debug)]
pub struct EventSync {
    /// Number of event inputs.
    pub events: u32,
    /// Bits of each crossing counter (2 to 8).
    pub bits: u32,
}

/// Gray to binary: bit `i` is the XOR of Gray bits `i` and above.
#[track_caller]
pub fn from_gray(g: UInt) -> UInt {
    let w = g.width();
    let mut bits: Vec<Bool> = Vec::with_capacity(w as usize);
    let mut acc = g.bit(w - 1);
    bits.push(acc);
    for i in (0..w - 1).rev() {
        acc = acc ^ g.bit(i);
        bits.push(acc);
    }
    // `bits` holds the most significant bit first, as `cat` wants.
    cat(&bits).as_uint()
}

impl Component for EventSync {
    type Io = EventSyncIo;

    fn name(&self) -> String {
        format!("event_sync_n{}_b{}", self.events, self.bits)
    }

    fn io(&self) -> EventSyncIo {
        assert!(self.events >= 1, "EventSync needs at least one event");
        assert!(
            (2..=8).contains(&self.bits),
            "EventSync counters are 2 to 8 bits (got {})",
            self.bits
        );
        EventSyncIo {
            s_events: Bits::ty(self.events),
            m_count: (0..self.events).map(|_| UInt::ty(self.bits)).collect(),
        }
    }

    fn build(&self, io: &EventSyncIo) {
        let s_cd = ClockDomain::new("s", "s_clk", Some(Reset::sync_high("s_rst")));
        let m_cd = ClockDomain::new("m", "m_clk", Some(Reset::sync_high("m_rst")));
        let w = self.bits;
        for (i, out) in io.m_count.iter().enumerate() {
            let gray = s_cd.within(|| {
                let count = reg(&format!("count{i}"), UInt::ty(w)).init(0);
                let gray = reg(&format!("count{i}_gray"), UInt::ty(w)).init(0);
                let next =
                    (count + io.s_events.bit(i as u32).as_uint().zext(w)).named(&format!("count{i}_next"));
                count.set(next);
                gray.set(to_gray(next));
                gray
            });
            m_cd.within(|| {
                let seen =
                    from_gray(synchroniser(&format!("count{i}_gray"), gray)).named(&format!("count{i}_seen"));
                let last = reg(&format!("count{i}_last"), UInt::ty(w)).init(0);
                last.set(seen);
                out.set(seen - last);
            });
        }
    }
}
