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
//! 2. **CRC and gap** (`in_*`): the 8-byte CRC step runs over every beat,
//!    the last one with its unused lanes zeroed; the zero bytes it ran past
//!    the frame's end are then taken back out with the inverse zero-byte
//!    step (one, two and four bytes, applied or bypassed over three
//!    registered cycles, see [`super::fcs`]) instead of one XOR matrix per
//!    possible byte count. The same cycle decides the
//!    inter-frame gap with the deficit idle count (IEEE 802.3 clause 46): the
//!    nominal gap `max(cfg_ifg, 12)` (counted from the byte after the FCS,
//!    terminate included, to the start character) is shortened by up to three
//!    bytes or lengthened so that the next start falls on lane 0 or lane 4,
//!    keeping the deficit between 0 and 3, so the average gap is exactly the
//!    nominal one. From this follow the lane of the next start and the number
//!    of cycles before its first beat may be taken.
//! 3. **Words** (`d1_*` .. `d4_*`, four cycles behind, while the FCS is
//!    finished; `lane*`: what each lane carries, decided a cycle ahead):
//!    start word, data words, the last data bytes with the
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
    lane, low_mask, repeat_byte, ETH_PRE, ETH_SFD, XGMII_ERROR, XGMII_IDLE, XGMII_START, XGMII_TERM,
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

/// `a + b`, one bit wider than the wider operand, as XOR/AND logic (no
/// carry chain): for the few-bit sums of the gap computation.
#[track_caller]
fn ripple_add(a: UInt, b: UInt) -> UInt {
    let w = a.width().max(b.width());
    let (a, b) = (a.zext(w), b.zext(w));
    let mut carry = Bool::lit(false);
    let mut sum = Vec::new();
    for i in 0..w {
        let (x, y) = (a.bit(i), b.bit(i));
        sum.push(x ^ y ^ carry);
        carry = (x & y) | (carry & (x ^ y));
    }
    sum.push(carry);
    cat(&sum.into_iter().rev().collect::<Vec<_>>()).as_uint()
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
        let next_swap = reg("next_swap", Bool::ty()).init(false);
        let start_allowed = (input.is_active(TxInput::Idle) & gap_wait.is_le(1)).named("start_allowed");
        let in_frame = input.is_active(TxInput::Frame);
        s.tready
            .set(start_allowed | in_frame | input.is_active(TxInput::Drain));

        // Bytes of the beat: `tkeep` is contiguous from bit 0 (AXI-Stream
        // convention of the whole path), so it is a thermometer code.
        let keep_run = s.tkeep;
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
        // Lane-4 offset of the frame being sent (decided at the end of the
        // previous frame, captured when this one starts).
        let frame_swap = reg("frame_swap", Bool::ty()).init(false);
        let underflow_q = reg("underflow_q", Bool::ty()).init(false);
        let user_q = reg("user_q", Bool::ty()).init(false);

        let take_beat = (s.tvalid & (start_allowed | in_frame)).named("take_beat");
        let short = (beat.is_lt(7) | (beat.is_eq(7) & beat_bytes.is_lt(4))).named("short");
        in_valid.set(false);
        in_first.set(false);
        start_q.set(s.tvalid & start_allowed);
        when(s.tvalid & start_allowed, || frame_swap.set(next_swap));
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
        let term_lane = in_err
            .mux(UInt::lit(4, 3), in_k.truncate(3) ^ 4u32)
            .named("term_lane");
        let spill = (!in_err & in_k.is_ge(4)).named("spill");
        // Small sums as plain logic (`ripple_add`): as `+` they would each
        // become a carry chain in series.
        let ifg_rem = ifg.range(1, 0);
        let lane_sum = ripple_add(ifg_rem, term_lane).named("lane_sum");
        let round = lane_sum.range(1, 0);
        let deficit_sum = ripple_add(deficit, round).named("deficit_sum");
        let insert = deficit_sum.bit(2);
        // Gap plus terminate lane plus lane-4 offset, in units of 4 bytes,
        // plus 2 per extra (spill) word: its half is the cycles to wait, its
        // low bit the lane of the next start.
        let ones = ripple_add(
            ripple_add(lane_sum.range(3, 2), frame_swap.as_uint()),
            insert.as_uint(),
        );
        let small = ripple_add(ones, cat!(spill, Bool::lit(false)).as_uint()).named("gap_small");
        let quads = ripple_add(ifg.range(7, 2), small).named("gap_quads");
        when(gap_wait.is_ne(0), || gap_wait.set(gap_wait - 1));
        when(frame_end, || {
            deficit.set(deficit_sum.truncate(2));
            gap_wait.set(quads.range(6, 1));
            next_swap.set(quads.bit(0));
        });

        // ---- Stage 3: XGMII words, four cycles behind the input stage
        // (while the FCS is finished); the start word one cycle ahead of the
        // frame's first data word.
        struct Beat {
            valid: Bool,
            data: Bits,
            k: UInt,
            last: Bool,
            err: Bool,
        }
        let mut stages = vec![Beat {
            valid: in_valid,
            data: in_data,
            k: in_k,
            last: in_last,
            err: in_err,
        }];
        for i in 1..=4 {
            let p = stages.last().expect("stage");
            let (pv, pd, pk, pl, pe) = (p.valid, p.data, p.k, p.last, p.err);
            let next = Beat {
                valid: reg_next_init(&format!("d{i}_valid"), &pv, 0),
                data: reg(&format!("d{i}_data"), Bits::ty(64)),
                k: reg(&format!("d{i}_k"), UInt::ty(4)).init(0),
                last: reg(&format!("d{i}_last"), Bool::ty()).init(false),
                err: reg(&format!("d{i}_err"), Bool::ty()).init(false),
            };
            when(pv, || {
                next.data.set(pd);
                next.k.set(pk);
                next.last.set(pl);
                next.err.set(pe);
            });
            stages.push(next);
        }
        let (d3, d4) = (&stages[3], &stages[4]);
        let start_q2 = (1..=2).fold(start_q, |p, i| reg_next_init(&format!("start_q{i}"), &p, 0));
        let d4_end = (d4.valid & d4.last & !d4.err).named("d4_end");

        // What each lane carries in the next cycle, decided a cycle ahead so
        // that the word itself is only a few multiplexers: data byte `j`, FCS
        // byte `(j - k) mod 4`, or a constant character.
        let next_start = start_q2;
        let next_err = (d3.valid & d3.err).named("next_err");
        let next_end = (d3.valid & d3.last & !d3.err).named("next_end");
        let next_data = (d3.valid & !d3.last & !d3.err).named("next_data");
        let next_tail = (d4_end & d4.k.is_ge(4)).named("next_tail");
        let lane_k = next_tail.mux(d4.k, d3.k).named("lane_k");
        let start_word = [
            XGMII_START,
            ETH_PRE,
            ETH_PRE,
            ETH_PRE,
            ETH_PRE,
            ETH_PRE,
            ETH_PRE,
            ETH_SFD,
        ];
        let error_word = [
            XGMII_ERROR,
            XGMII_ERROR,
            XGMII_ERROR,
            XGMII_ERROR,
            XGMII_TERM,
            XGMII_IDLE,
            XGMII_IDLE,
            XGMII_IDLE,
        ];
        let byte = |b: u8| Bits::lit(u128::from(b), 8);
        let fcs_bytes: Vec<Bits> = (0..4).map(|i| lane(fcs, i)).collect();
        let mut word_lanes = Vec::new();
        let mut word_ctrl = Vec::new();
        for j in 0..8u32 {
            let use_data = reg(&format!("lane{j}_data"), Bool::ty()).init(false);
            let use_fcs = reg(&format!("lane{j}_fcs"), Bool::ty()).init(false);
            let ctrl = reg(&format!("lane{j}_ctrl"), Bool::ty()).init(true);
            let constant = reg(&format!("lane{j}_char"), Bits::ty(8)).init(u128::from(XGMII_IDLE));
            let rot = reg(&format!("lane{j}_fcs_byte"), UInt::ty(2)).init(0);
            rot.set(UInt::lit(u128::from(j & 3), 2) - lane_k.range(1, 0));
            let set = |data: bool, fcs_byte: bool, c: u8, is_ctrl: bool| {
                use_data.set(data);
                use_fcs.set(fcs_byte);
                constant.set(byte(c));
                ctrl.set(is_ctrl);
            };
            let term_or_idle = |at: Bool| at.mux(byte(XGMII_TERM), byte(XGMII_IDLE));
            set(false, false, XGMII_IDLE, true);
            when(next_start, || set(false, false, start_word[j as usize], j == 0))
                .elsewhen(next_err, || set(false, false, error_word[j as usize], true))
                .elsewhen(next_end, || {
                    // Data below k, FCS up to k + 4, then terminate and idles.
                    let below = d3.k.is_gt(j);
                    let fcs_here = if j >= 4 {
                        d3.k.is_gt(j - 4)
                    } else {
                        Bool::lit(true)
                    };
                    let term = if j >= 4 {
                        d3.k.is_eq(j - 4)
                    } else {
                        Bool::lit(false)
                    };
                    use_data.set(below);
                    use_fcs.set(!below & fcs_here);
                    ctrl.set(!fcs_here);
                    constant.set(term_or_idle(term));
                })
                .elsewhen(next_data, || set(true, false, XGMII_IDLE, false))
                .elsewhen(next_tail, || {
                    // The rest of the FCS below k - 4, then terminate and idles.
                    let fcs_here = d4.k.is_gt(j + 4);
                    use_fcs.set(fcs_here);
                    ctrl.set(!fcs_here);
                    constant.set(term_or_idle(d4.k.is_eq(j + 4)));
                });
            let fcs_byte = select(rot, &fcs_bytes);
            word_lanes.push(
                use_data
                    .mux(lane(d4.data, j), use_fcs.mux(fcs_byte, constant))
                    .named(&format!("word_lane{j}")),
            );
            word_ctrl.push(ctrl);
        }
        let word_d = cat(&word_lanes.into_iter().rev().collect::<Vec<_>>()).named("word_d");
        let word_c = cat(&word_ctrl.into_iter().rev().collect::<Vec<_>>()).named("word_c");

        // Half-word delay for frames that start on lane 4; it switches at the
        // start word (`swapped` is the setting for the word being built).
        let swapped = reg("swapped", Bool::ty()).init(false);
        when(start_q2, || swapped.set(frame_swap));
        let idle_word = repeat_byte(XGMII_IDLE, 8);
        let prev_d = reg_next_init("prev_word_d", &word_d.range(63, 32), repeat_byte(XGMII_IDLE, 4));
        let prev_c = reg_next_init("prev_word_c", &word_c.range(7, 4), low_mask(4));
        let txd = reg("txd", Bits::ty(64)).init(idle_word);
        let txc = reg("txc", Bits::ty(8)).init(low_mask(8));
        txd.set(swapped.mux(cat!(word_d.range(31, 0), prev_d), word_d));
        txc.set(swapped.mux(cat!(word_c.range(3, 0), prev_c), word_c));
        io.xgmii_txd.set(txd);
        io.xgmii_txc.set(txc);

        // ---- Statistics.
        let st = &io.stat_tx;
        st.pkt_good.set(reg_next_init("stat_good_q", &d4_end, 0));
        st.err_underflow.set(underflow_q);
        st.err_user.set(user_q);
        let bytes_now = (d4.valid & !d4.err).mux(d4.last.mux(d4.k + 4, UInt::lit(8, 4)), UInt::lit(0, 4));
        st.byte.set(reg_next_init("stat_byte_q", &bytes_now, 0));
    }
}
