//! `axis_xgmii_tx_64`: the transmit side of the 10G MAC (AXI-Stream in, XGMII out).
//!
//! Pipeline:
//!
//! 1. **Input** (`input_state`): a beat is taken per cycle while a frame is
//!    being sent, so `tready` stays high inside a frame; the sender must not
//!    run dry (the last FIFO before the MAC releases whole frames). Data
//!    bytes beyond `tkeep` are zeroed. A frame shorter than 60 bytes is
//!    padded with zero beats (`tready` low meanwhile). `tvalid` low inside a
//!    frame is an underflow: the frame is ended with an error character on
//!    the wire, `stat_tx_err_underflow` pulses, and the rest of that input
//!    frame is taken and discarded. `tuser[0]` on the last beat sends the
//!    frame as bad: its last beat is replaced by error characters.
//! 2. **CRC and gap** (`in_*`): the CRC runs over full beats; for the last
//!    beat the CRC of each possible byte count is computed in parallel and
//!    the right one registered as the FCS. The same cycle decides the
//!    inter-frame gap with the deficit idle count (IEEE 802.3 clause 46): the
//!    nominal gap `max(cfg_ifg, 12)` (counted from the byte after the FCS,
//!    terminate included, to the start character) is shortened by up to three
//!    bytes or lengthened so that the next start falls on lane 0 or lane 4,
//!    keeping the deficit between 0 and 3, so the average gap is exactly the
//!    nominal one. From this follow the lane of the next start and the number
//!    of cycles before its first beat may be taken.
//! 3. **Words** (`d_*`): start word, data words, the last data bytes with the
//!    FCS, terminate and idles (spilling into a second word when fewer than
//!    five lanes are left), error words, idles. The words are built as if
//!    every frame started on lane 0; a frame that starts on lane 4 leaves
//!    through a half-word delay (`{word[31:0], previous word[63:32]}`), which
//!    switches exactly at the start word.
//!
//! Statistics (registered pulses): `stat_tx_pkt_good` (a frame ended with its
//! FCS), `stat_tx_err_underflow`, `stat_tx_err_user` (sent as bad on
//! request), and `stat_tx_byte`, the frame bytes (padding and FCS included)
//! put into words in that cycle.

use super::{
    fcs::{apply_logic, matrices_64, unadvance},
    lane, low_mask, repeat_byte, word_of, ETH_PRE, ETH_SFD, XGMII_ERROR, XGMII_IDLE, XGMII_START,
    XGMII_TERM,
};
use hdl::prelude::*;
use hdl::stdlib::axis::Axis;
use hdl::stdlib::crc::{crc_bytes, crc_finalize, CRC32};
use hdl::stdlib::fsm::Fsm;

bundle! {
    /// Statistics of the transmit side (see the module docs).
    pub struct TxStats {
        /// Frame bytes (padding and FCS included) sent in this cycle.
        pub byte: UInt,
        /// A frame went out complete with its FCS.
        pub pkt_good: Bool,
        /// The sender ran dry inside a frame; the frame was ended with an error.
        pub err_underflow: Bool,
        /// A frame was sent as bad because its last beat had `tuser[0]`.
        pub err_user: Bool,
    }
}

impl TxStats {
    /// The template.
    pub fn ty() -> TxStats {
        TxStats {
            byte: UInt::ty(4),
            pkt_good: Bool::ty(),
            err_underflow: Bool::ty(),
            err_user: Bool::ty(),
        }
    }
}

bundle! {
    /// Ports of [`AxisXgmiiTx64`].
    pub struct AxisXgmiiTx64Io {
        /// Frames without preamble and FCS; `tuser[0]` on the last beat = send as bad.
        #[input]
        pub s_axis: Axis,
        /// XGMII transmit data, lane 0 in bits 7..0.
        pub xgmii_txd: Bits,
        /// XGMII transmit control, one bit per lane.
        pub xgmii_txc: Bits,
        /// Nominal inter-frame gap in bytes (values below 12 count as 12).
        #[input]
        pub cfg_ifg: UInt,
        /// Statistics pulses.
        pub stat_tx: TxStats,
    }
}

/// The 64-bit XGMII transmitter: `axis_xgmii_tx_64`.
#[derive(Clone, Debug, Default)]
pub struct AxisXgmiiTx64;

hdl::hw_enum! {
    /// What the input side does.
    pub enum TxInput: Binary {
        /// Between frames: the first beat of the next frame may be taken
        /// once the gap allows it.
        Idle,
        /// Taking the beats of a frame, one per cycle.
        Frame,
        /// Adding zero beats up to 60 bytes.
        Pad,
        /// After an underflow: discarding the rest of the input frame.
        Drain,
        /// One cycle after a frame's end, while its gap is computed.
        Wait,
    }
}

/// Lanes of a constant word, lane 0 first.
fn const_word(lanes: [u8; 8]) -> u128 {
    word_of(&lanes)
}

/// The word and control bits of a frame's last data beat with `k` bytes
/// (`0..=8`), followed by the FCS, the terminate and idles (first word).
#[track_caller]
fn last_word(data: Bits, fcs: Bits, k: u32) -> (Bits, Bits) {
    let lanes: Vec<Bits> = (0..8)
        .map(|j| {
            if j < k {
                lane(data, j)
            } else if j < k + 4 {
                lane(fcs, j - k)
            } else if j == k + 4 {
                Bits::lit(u128::from(XGMII_TERM), 8)
            } else {
                Bits::lit(u128::from(XGMII_IDLE), 8)
            }
        })
        .rev()
        .collect();
    let ctrl = (0..8).filter(|&j| j >= k + 4).fold(0u128, |acc, j| acc | (1 << j));
    (cat(&lanes), Bits::lit(ctrl, 8))
}

/// The second word of a last beat with `k` bytes (`4..=8`): the rest of the
/// FCS, the terminate and idles.
#[track_caller]
fn spill_word(fcs: Bits, k: u32) -> (Bits, Bits) {
    let lanes: Vec<Bits> = (0..8)
        .map(|j| {
            if k >= 4 && j + 4 < k {
                lane(fcs, j + 8 - k)
            } else if k >= 4 && j + 4 == k {
                Bits::lit(u128::from(XGMII_TERM), 8)
            } else {
                Bits::lit(u128::from(XGMII_IDLE), 8)
            }
        })
        .rev()
        .collect();
    let ctrl = (0..8)
        .filter(|&j| k < 4 || j + 4 >= k)
        .fold(0u128, |acc, j| acc | (1 << j));
    (cat(&lanes), Bits::lit(ctrl, 8))
}

impl Component for AxisXgmiiTx64 {
    type Io = AxisXgmiiTx64Io;

    fn name(&self) -> String {
        "axis_xgmii_tx_64".into()
    }

    fn io(&self) -> AxisXgmiiTx64Io {
        AxisXgmiiTx64Io {
            s_axis: Axis::ty(8, Some(1)),
            xgmii_txd: Bits::ty(64),
            xgmii_txc: Bits::ty(8),
            cfg_ifg: UInt::ty(8),
            stat_tx: TxStats::ty(),
        }
    }

    fn build(&self, io: &AxisXgmiiTx64Io) {
        let s = &io.s_axis;
        let user_bad = s.tuser.as_ref().expect("tuser").bit(0);
        let init_crc = u128::from(CRC32.initial_state());

        // Configuration (static), registered: the nominal gap in bytes.
        let ifg = reg("ifg", UInt::ty(8)).init(12);
        ifg.set(io.cfg_ifg.is_lt(12).mux(UInt::lit(12, 8), io.cfg_ifg));

        // ---- Stage 1: input.
        let input = Fsm::new("input", TxInput::Idle);
        let beat = reg("beat", UInt::ty(4)).init(0);
        let gap_wait = reg("gap_wait", UInt::ty(6)).init(0);
        let start_allowed = (input.is_active(TxInput::Idle) & gap_wait.is_le(1)).named("start_allowed");
        let in_frame = input.is_active(TxInput::Frame);
        s.tready
            .set(start_allowed | in_frame | input.is_active(TxInput::Drain));

        // Bytes of the beat: the run of ones of tkeep from bit 0.
        let mut run: Vec<Bool> = Vec::new();
        for i in 0..8 {
            let k = s.tkeep.bit(i);
            run.push(if i == 0 { k } else { k & run[i as usize - 1] });
        }
        let keep_run = cat(&run.iter().rev().copied().collect::<Vec<Bool>>()).named("keep_run");
        // The run as a number (a thermometer code to binary).
        let t = |i: u32| keep_run.bit(i);
        let beat_bytes = cat!(
            t(7),
            t(3) & !t(7),
            (t(1) & !t(3)) | (t(5) & !t(7)),
            (t(0) & !t(1)) | (t(2) & !t(3)) | (t(4) & !t(5)) | (t(6) & !t(7))
        )
        .as_uint()
        .named("beat_bytes");
        let masked: Vec<Bits> = (0..8)
            .rev()
            .map(|i| lane(s.tdata, i) & keep_run.bit(i).repeat(8))
            .collect();
        let masked = cat(&masked).named("beat_masked");

        let in_valid = reg("in_valid", Bool::ty()).init(false);
        let in_data = reg("in_data", Bits::ty(64));
        let in_k = reg("in_k", UInt::ty(4)).init(0);
        let in_last = reg("in_last", Bool::ty()).init(false);
        let in_err = reg("in_err", Bool::ty()).init(false);
        let in_first = reg("in_first", Bool::ty()).init(false);
        let start_q = reg("start_q", Bool::ty()).init(false);
        let underflow_q = reg("underflow_q", Bool::ty()).init(false);
        let user_q = reg("user_q", Bool::ty()).init(false);

        let take_beat = (s.tvalid & (start_allowed | in_frame)).named("take_beat");
        let short = (beat.is_lt(7) | (beat.is_eq(7) & beat_bytes.is_lt(4))).named("short");
        in_valid.set(false);
        in_first.set(false);
        start_q.set(s.tvalid & start_allowed);
        underflow_q.set(false);
        user_q.set(false);
        input.states(|st| {
            st.on(TxInput::Idle, || {});
            st.on(TxInput::Frame, || {
                when(!s.tvalid, || {
                    in_valid.set(true);
                    in_err.set(true);
                    in_last.set(true);
                    underflow_q.set(true);
                    input.goto(TxInput::Drain);
                });
            });
            st.on(TxInput::Pad, || {
                let final_pad = beat.is_eq(7);
                in_valid.set(true);
                in_data.set(Bits::zeros(64));
                in_err.set(false);
                in_last.set(final_pad);
                in_k.set(final_pad.mux(UInt::lit(4, 4), UInt::lit(8, 4)));
                beat.set(beat + 1);
                when(final_pad, || input.goto(TxInput::Wait));
            });
            st.on(TxInput::Drain, || {
                when(s.tvalid & s.tlast, || input.goto(TxInput::Wait));
            });
            st.on(TxInput::Wait, || {
                beat.set(0);
                input.goto(TxInput::Idle);
            });
        });
        when(take_beat, || {
            in_valid.set(true);
            in_first.set(beat.is_eq(0));
            in_data.set(masked);
            in_err.set(false);
            in_last.set(false);
            in_k.set(8);
            input.goto(TxInput::Frame);
            when(!beat.bit(3), || beat.set(beat + 1));
            when(s.tlast, || {
                input.goto(TxInput::Wait);
                when(user_bad, || {
                    in_err.set(true);
                    in_last.set(true);
                    user_q.set(true);
                })
                .elsewhen(short & beat.is_lt(7), || input.goto(TxInput::Pad))
                .elsewhen(short, || {
                    in_k.set(4);
                    in_last.set(true);
                })
                .otherwise(|| {
                    in_k.set(beat_bytes);
                    in_last.set(true);
                });
            });
        });

        // ---- Stage 2: CRC and the gap.
        // The 8-byte step runs over every beat, the last one with its unused
        // lanes zeroed; `fcs_zeros` says how many zero bytes it ran past the
        // frame's end, taken back out over the next three cycles.
        let m = matrices_64();
        let crc_state = reg("crc_state", Bits::ty(32)).init(init_crc);
        let crc_in = in_first.mux(Bits::lit(init_crc, 32), crc_state).named("crc_in");
        let crc_step = crc_bytes(&m, "crc_word", crc_in, in_data, 8);
        let empty_last = (in_last & in_k.is_eq(0)).named("empty_last");
        when(in_valid & !in_err & !empty_last, || crc_state.set(crc_step));
        let zeros = reg("fcs_zeros", UInt::ty(3)).init(0);
        when(in_valid & in_last, || {
            zeros.set(empty_last.mux(UInt::lit(0, 3), (UInt::lit(8, 4) - in_k).truncate(3)));
        });
        let back1 = reg("fcs_back1", Bits::ty(32));
        back1.set(
            zeros
                .bit(0)
                .mux(apply_logic(&unadvance(1), "crc_back1", crc_state), crc_state),
        );
        let zeros1 = reg_next_init("fcs_zeros1", &zeros, 0);
        let back2 = reg("fcs_back2", Bits::ty(32));
        back2.set(
            zeros1
                .bit(1)
                .mux(apply_logic(&unadvance(2), "crc_back2", back1), back1),
        );
        let zeros2 = reg_next_init("fcs_zeros2", &zeros1, 0);
        let back4 = zeros2
            .bit(2)
            .mux(apply_logic(&unadvance(4), "crc_back4", back2), back2)
            .named("fcs_next");
        let fcs = reg("fcs", Bits::ty(32));
        let fcs_load = (1..=3).fold(in_valid & in_last & !in_err, |p, i| {
            reg_next_init(&format!("fcs_load{i}"), &p, 0)
        });
        when(fcs_load, || fcs.set(crc_finalize(&CRC32, back4)));
        let frame_end = (in_valid & (in_last | in_err)).named("frame_end");

        // Gap: the terminate goes to lane `term_lane` of the (possibly second)
        // last word; see the module docs for the deficit idle count.
        let deficit = reg("deficit", UInt::ty(2)).init(0);
        let swap_next_frame = reg("swap_next_frame", Bool::ty()).init(false);
        let term_lane = in_err
            .mux(UInt::lit(4, 3), in_k.truncate(3) ^ 4u32)
            .named("term_lane");
        let spill = (!in_err & in_k.is_ge(4)).named("spill");
        let ifg_rem = ifg.range(1, 0);
        let lane_sum = (ifg_rem.zext(4) + term_lane.zext(4)).named("lane_sum");
        let round = lane_sum.range(1, 0);
        let deficit_sum = (deficit.zext(3) + round.zext(3)).named("deficit_sum");
        let insert = deficit_sum.bit(2);
        // Gap plus terminate lane plus lane-4 offset, in units of 4 bytes,
        // plus 2 per extra (spill) word: its half is the cycles to wait, its
        // low bit the lane of the next start.
        let small = (lane_sum.range(3, 2).zext(3)
            + swap_next_frame.as_uint().zext(3)
            + insert.as_uint().zext(3)
            + cat!(spill, Bool::lit(false)).as_uint().zext(3))
        .named("gap_small");
        let quads = (ifg.range(7, 2).zext(7) + small.zext(7)).named("gap_quads");
        when(gap_wait.is_ne(0), || gap_wait.set(gap_wait - 1));
        when(frame_end, || {
            deficit.set(deficit_sum.truncate(2));
            gap_wait.set(quads.range(6, 1));
            swap_next_frame.set(quads.bit(0));
        });

        // ---- Stage 3: XGMII words, four cycles behind the input stage
        // (while the FCS is finished), and the start word one cycle ahead.
        let mut d_valid = in_valid;
        let mut d_data = in_data;
        let mut d_k = in_k;
        let mut d_last = in_last;
        let mut d_err = in_err;
        for i in 1..=4 {
            let v = reg_next_init(&format!("d{i}_valid"), &d_valid, 0);
            let data = reg(&format!("d{i}_data"), Bits::ty(64));
            let k = reg(&format!("d{i}_k"), UInt::ty(4)).init(0);
            let last = reg(&format!("d{i}_last"), Bool::ty()).init(false);
            let err = reg(&format!("d{i}_err"), Bool::ty()).init(false);
            let (pv, pd, pk, pl, pe) = (d_valid, d_data, d_k, d_last, d_err);
            when(pv, || {
                data.set(pd);
                k.set(pk);
                last.set(pl);
                err.set(pe);
            });
            (d_valid, d_data, d_k, d_last, d_err) = (v, data, k, last, err);
        }
        let start_word_now = (1..=3).fold(start_q, |p, i| reg_next_init(&format!("start_q{i}"), &p, 0));
        let tail_q = reg("tail_q", Bool::ty()).init(false);
        let d_end = (d_valid & d_last & !d_err).named("d_end");
        tail_q.set(d_end & d_k.is_ge(4));

        let (l1_words, l1_ctrls): (Vec<Bits>, Vec<Bits>) = (0..=8).map(|k| last_word(d_data, fcs, k)).unzip();
        let (l2_words, l2_ctrls): (Vec<Bits>, Vec<Bits>) = (0..=8).map(|k| spill_word(fcs, k)).unzip();
        let end_d = select(d_k, &l1_words).named("end_word_d");
        let end_c = select(d_k, &l1_ctrls).named("end_word_c");
        let spill_d = select(d_k, &l2_words).named("spill_word_d");
        let spill_c = select(d_k, &l2_ctrls).named("spill_word_c");

        let start_word = const_word([XGMII_START, ETH_PRE, ETH_PRE, ETH_PRE, ETH_PRE, ETH_PRE, ETH_PRE, ETH_SFD]);
        let error_word = const_word([
            XGMII_ERROR,
            XGMII_ERROR,
            XGMII_ERROR,
            XGMII_ERROR,
            XGMII_TERM,
            XGMII_IDLE,
            XGMII_IDLE,
            XGMII_IDLE,
        ]);
        let idle_word = repeat_byte(XGMII_IDLE, 8);
        let word_d = wire("word_d", Bits::ty(64)).default_value(Bits::lit(idle_word, 64));
        let word_c = wire("word_c", Bits::ty(8)).default_value(Bits::ones(8));
        when(start_word_now, || {
            word_d.set(Bits::lit(start_word, 64));
            word_c.set(Bits::lit(1, 8));
        })
        .elsewhen(d_valid & d_err, || {
            word_d.set(Bits::lit(error_word, 64));
            word_c.set(Bits::ones(8));
        })
        .elsewhen(d_end, || {
            word_d.set(end_d);
            word_c.set(end_c);
        })
        .elsewhen(d_valid, || {
            word_d.set(d_data);
            word_c.set(Bits::zeros(8));
        })
        .elsewhen(tail_q, || {
            word_d.set(spill_d);
            word_c.set(spill_c);
        });

        // Half-word delay for frames that start on lane 4; it switches at the
        // start word.
        let swapped = reg("swapped", Bool::ty()).init(false);
        let swap_now = start_word_now.mux(swap_next_frame, swapped).named("swap_now");
        swapped.set(swap_now);
        let prev_d = reg_next_init("prev_word_d", &word_d.range(63, 32), repeat_byte(XGMII_IDLE, 4));
        let prev_c = reg_next_init("prev_word_c", &word_c.range(7, 4), low_mask(4));
        let txd = reg("txd", Bits::ty(64)).init(idle_word);
        let txc = reg("txc", Bits::ty(8)).init(low_mask(8));
        txd.set(swap_now.mux(cat!(word_d.range(31, 0), prev_d), word_d));
        txc.set(swap_now.mux(cat!(word_c.range(3, 0), prev_c), word_c));
        io.xgmii_txd.set(txd);
        io.xgmii_txc.set(txc);

        // ---- Statistics.
        let st = &io.stat_tx;
        st.pkt_good.set(reg_next_init("stat_good_q", &d_end, 0));
        st.err_underflow.set(underflow_q);
        st.err_user.set(user_q);
        let bytes_now = (d_valid & !d_err).mux(d_last.mux(d_k + 4, UInt::lit(8, 4)), UInt::lit(0, 4));
        st.byte.set(reg_next_init("stat_byte_q", &bytes_now, 0));
    }
}
