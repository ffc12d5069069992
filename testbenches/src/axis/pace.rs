//! How often a source offers a beat or a sink accepts one.

use crate::Rng;

/// A per-cycle yes/no pattern: a source's `tvalid` gaps or a sink's `tready`
/// back-pressure.
#[derive(Clone, Debug)]
pub enum Pace {
    /// Every cycle.
    Always,
    /// Each cycle independently with probability `percent` / 100.
    Random {
        /// Probability in percent.
        percent: u32,
        /// The generator (seeded by the test).
        rng: Rng,
    },
    /// `on` cycles yes, then `off` cycles no, repeating.
    Bursts {
        /// Cycles of yes.
        on: u32,
        /// Cycles of no.
        off: u32,
    },
    /// Random runs: yes for 1..=`max_on` cycles, then no for 1..=`max_off`.
    RandomBursts {
        /// Longest run of yes.
        max_on: u32,
        /// Longest run of no.
        max_off: u32,
        /// Cycles left in the current run, and whether it is a yes-run.
        left: (u32, bool),
        /// The generator (seeded by the test).
        rng: Rng,
    },
}

impl Pace {
    /// Yes in `percent` percent of the cycles, at random (100: always).
    pub fn random(percent: u32, seed: u64) -> Pace {
        if percent >= 100 {
            Pace::Always
        } else {
            Pace::Random {
                percent,
                rng: Rng::new(seed),
            }
        }
    }

    /// Random runs of yes and no, up to `max_on` and `max_off` cycles long.
    pub fn random_bursts(max_on: u32, max_off: u32, seed: u64) -> Pace {
        Pace::RandomBursts {
            max_on: max_on.max(1),
            max_off: max_off.max(1),
            left: (0, false),
            rng: Rng::new(seed),
        }
    }

    /// The decision for the next cycle.
    pub fn next(&mut self, cycle: u64) -> bool {
        match self {
            Pace::Always => true,
            Pace::Random { percent, rng } => rng.chance(*percent),
            Pace::Bursts { on, off } => cycle % u64::from(*on + *off) < u64::from(*on),
            Pace::RandomBursts {
                max_on,
                max_off,
                left,
                rng,
            } => {
                if left.0 == 0 {
                    let yes = !left.1;
                    let max = if yes { *max_on } else { *max_off };
                    *left = (rng.range(1, u64::from(max)) as u32, yes);
                }
                left.0 -= 1;
                left.1
            }
        }
    }
}
