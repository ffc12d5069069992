//! A content-addressable memory (lookup table) of `N` entries of
//! `(valid, key, value)` held in registers, matched in parallel.
//!
//! Writes go to an entry by index (`wr_valid = 0` invalidates it). A lookup
//! compares `lookup_key` with every valid entry in the cycle it is presented;
//! when several entries match, the lowest index wins. The result (`hit`,
//! `value`, `index`) appears with `result_valid` exactly `latency` cycles later
//! (1..=3). A write in the same cycle as a lookup is not seen by that lookup.
//! Stages beyond the first are plain output registers, which synthesis tools
//! can retime into the match logic.

use crate::prelude::*;

bundle! {
    /// Ports of [`Cam`].
    pub struct CamIo {
        /// Write entry `wr_index` this cycle.
        #[input]
        pub wr_en: Bool,
        /// Entry to write.
        #[input]
        pub wr_index: UInt,
        /// New valid bit of the entry (0 removes it).
        #[input]
        pub wr_valid: Bool,
        /// New key.
        #[input]
        pub wr_key: Bits,
        /// New value.
        #[input]
        pub wr_value: Bits,
        /// Look `lookup_key` up this cycle.
        #[input]
        pub lookup_valid: Bool,
        /// Key to look up.
        #[input]
        pub lookup_key: Bits,
        /// The outputs below answer the lookup made `latency` cycles ago.
        pub result_valid: Bool,
        /// Some valid entry matched.
        pub hit: Bool,
        /// Value of the matching entry (0 on a miss).
        pub value: Bits,
        /// Index of the lowest matching entry (0 on a miss).
        pub index: UInt,
    }
}

/// A CAM named `cam_e{entries}_k{key}_v{value}_l{latency}`.
#[derive(Clone, Debug)]
pub struct Cam {
    /// Number of entries (at least 1).
    pub entries: u32,
    /// Key width in bits.
    pub key_width: u32,
    /// Value width in bits.
    pub value_width: u32,
    /// Cycles from lookup to result (1..=3).
    pub latency: u32,
}

impl Cam {
    /// Width of `wr_index` and `index`.
    pub fn index_width(&self) -> u32 {
        crate::clog2(self.entries).max(1)
    }
}

impl Component for Cam {
    type Io = CamIo;

    fn name(&self) -> String {
        format!(
            "cam_e{}_k{}_v{}_l{}",
            self.entries, self.key_width, self.value_width, self.latency
        )
    }

    fn io(&self) -> CamIo {
        CamIo {
            wr_en: Bool::ty(),
            wr_index: UInt::ty(self.index_width()),
            wr_valid: Bool::ty(),
            wr_key: Bits::ty(self.key_width),
            wr_value: Bits::ty(self.value_width),
            lookup_valid: Bool::ty(),
            lookup_key: Bits::ty(self.key_width),
            result_valid: Bool::ty(),
            hit: Bool::ty(),
            value: Bits::ty(self.value_width),
            index: UInt::ty(self.index_width()),
        }
    }

    fn build(&self, io: &CamIo) {
        assert!(self.entries >= 1, "a CAM needs at least one entry");
        assert!((1..=3).contains(&self.latency), "CAM latency must be 1..=3");
        let iw = self.index_width();
        let mut matches = Vec::new();
        for i in 0..self.entries {
            let valid = reg(&format!("entry{i}_valid"), Bool::ty()).init(false);
            let key = reg(&format!("entry{i}_key"), Bits::ty(self.key_width));
            let value = reg(&format!("entry{i}_value"), Bits::ty(self.value_width));
            when(io.wr_en & io.wr_index.is_eq(UInt::lit(u128::from(i), iw)), || {
                valid.set(io.wr_valid);
                key.set(io.wr_key);
                value.set(io.wr_value);
            });
            let m = (valid & key.is_eq(io.lookup_key)).named(&format!("entry{i}_match"));
            matches.push((m, value));
        }
        // Priority encode: walk from the highest index down so the lowest wins.
        let hit = cat(&matches.iter().map(|(m, _)| *m).collect::<Vec<_>>()).any();
        let mut index = UInt::lit(0, iw);
        let mut value = Bits::zeros(self.value_width);
        for (i, (m, v)) in matches.iter().enumerate().rev() {
            index = m.mux(UInt::lit(i as u128, iw), index);
            value = m.mux(*v, value);
        }
        let mut stage = (
            reg_next_init("s1_result_valid", &io.lookup_valid, 0),
            reg_next("s1_hit", &hit.named("match_hit")),
            reg_next("s1_index", &index.named("match_index")),
            reg_next("s1_value", &value.named("match_value")),
        );
        for s in 2..=self.latency {
            stage = (
                reg_next_init(&format!("s{s}_result_valid"), &stage.0, 0),
                reg_next(&format!("s{s}_hit"), &stage.1),
                reg_next(&format!("s{s}_index"), &stage.2),
                reg_next(&format!("s{s}_value"), &stage.3),
            );
        }
        io.result_valid.set(stage.0);
        io.hit.set(stage.1);
        io.index.set(stage.2);
        io.value.set(stage.3);
    }
}
