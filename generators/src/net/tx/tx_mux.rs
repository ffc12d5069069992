//! The transmit frame arbiter: several AXI-Stream sources share one output,
//! whole frames at a time.
//!
//! The input chosen for a frame keeps the output until its `tlast` beat has
//! gone through, so beats of two frames never interleave. Between frames the
//! choice is round robin: the first input with a frame waiting after the one
//! that sent last, so a source that always has frames gets every `n`-th frame
//! at most when all are busy. The output is a register stage (beats and
//! `tuser` pass unchanged, one cycle later); it moves a beat every cycle with
//! no gap between frames.

use hdl::prelude::*;
use hdl::stdlib::axis::Axis;

bundle! {
    /// Ports of [`TxMux`].
    pub struct TxMuxIo {
        /// The sources, in the order that breaks ties after reset.
        #[input]
        pub s_axis: Vec<Axis>,
        /// The shared output.
        pub m_axis: Axis,
    }
}

/// A frame-level round-robin arbiter: `tx_mux_n{inputs}_{bits}`.
#[derive(Clone, Debug)]
pub struct TxMux {
    /// Data bytes per beat.
    pub bytes: u32,
    /// Number of sources (at least 1).
    pub inputs: u32,
    /// Width of `tuser` (passed through).
    pub user_width: u32,
}

impl Component for TxMux {
    type Io = TxMuxIo;

    fn name(&self) -> String {
        format!("tx_mux_n{}_{}", self.inputs, 8 * self.bytes)
    }

    fn io(&self) -> TxMuxIo {
        let axis = Axis::ty(self.bytes, Some(self.user_width));
        TxMuxIo {
            s_axis: vec![axis.clone(); self.inputs as usize],
            m_axis: axis,
        }
    }

    fn build(&self, io: &TxMuxIo) {
        assert!(self.inputs >= 1, "a mux needs an input");
        let n = self.inputs as usize;
        let iw = hdl::clog2(self.inputs).max(1);
        let valids: Vec<Bool> = io.s_axis.iter().map(|s| s.tvalid).collect();

        // Round robin: `after` has the bits of the inputs after the last one
        // that started a frame; the first of those with a frame wins, else
        // the first of all.
        let after = reg("after_last", Bits::ty(self.inputs)).init(0);
        let first_of = |name: &str, reqs: &[Bool]| {
            let mut idx = UInt::lit(0, iw);
            for (i, r) in reqs.iter().enumerate().rev() {
                idx = r.mux(UInt::lit(i as u128, iw), idx);
            }
            idx.named(name)
        };
        let masked: Vec<Bool> = (0..n).map(|i| valids[i] & after.bit(i as u32)).collect();
        let any_masked = cat(&masked).any().named("any_after");
        let pick = any_masked
            .mux(first_of("pick_after", &masked), first_of("pick_first", &valids))
            .named("pick");

        let in_frame = reg("in_frame", Bool::ty()).init(false);
        let current = reg("current", UInt::ty(iw)).init(0);
        let chosen = in_frame.mux(current, pick).named("chosen");
        let chosen_valid = if n == 1 {
            valids[0]
        } else {
            select(chosen, &valids)
        };

        let out_valid = reg("out_valid", Bool::ty()).init(false);
        let out_data = reg("out_tdata", Bits::ty(8 * self.bytes));
        let out_keep = reg("out_tkeep", Bits::ty(self.bytes));
        let out_last = reg("out_tlast", Bool::ty());
        let out_user = reg("out_tuser", Bits::ty(self.user_width));
        let out_free = (!out_valid | io.m_axis.tready).named("out_free");
        let take = (out_free & chosen_valid).named("take");
        for (i, s) in io.s_axis.iter().enumerate() {
            s.tready.set(out_free & chosen.is_eq(i as u32));
        }
        let user = |s: &Axis| *s.tuser.as_ref().expect("tuser");
        let pick_of = |f: &dyn Fn(&Axis) -> Bits| -> Bits {
            let opts: Vec<Bits> = io.s_axis.iter().map(f).collect();
            if n == 1 {
                opts[0]
            } else {
                select(chosen, &opts)
            }
        };
        let data = pick_of(&|s| s.tdata);
        let keep = pick_of(&|s| s.tkeep);
        let last = pick_of(&|s| s.tlast.as_bits()).bit(0);
        let usr = pick_of(&|s| user(s));
        when(out_free, || out_valid.set(chosen_valid));
        when(take, || {
            out_data.set(data);
            out_keep.set(keep);
            out_last.set(last);
            out_user.set(usr);
            in_frame.set(!last);
            current.set(chosen);
        });
        when(take & !in_frame, || {
            let above: Vec<Bool> = (0..n as u32)
                .rev()
                .map(|i| if i == 0 { Bool::lit(false) } else { chosen.is_lt(i) })
                .collect();
            after.set(cat(&above));
        });
        io.m_axis.tvalid.set(out_valid);
        io.m_axis.tdata.set(out_data);
        io.m_axis.tkeep.set(out_keep);
        io.m_axis.tlast.set(out_last);
        io.m_axis.tuser.as_ref().expect("tuser").set(out_user);
    }
}
