//! `axis_xgmii_rx_64`: the receive side of the 10G MAC (XGMII in, AXI-Stream out).
//!
//! Pipeline (every stage a register; at most a few LUT levels each):
//!
//! 1. **Align.** A frame may start on lane 0 or lane 4. After a start on
//!    lane 4 the word stream is realigned by half a word
//!    (`{rxd[31:0], previous rxd[63:32]}`), so that later stages always see
//!    frames starting on lane 0. The start character itself and the preamble
//!    are checked on the raw words (`0xFB`, six `0x55`, `0xD5`, no control
//!    character among them); a good one raises `a_start` together with the
//!    aligned word *before* the first data word. In the same stage each
//!    aligned word is summarised: does it hold a control character, where is
//!    the first one (`a_lane`), is it a terminate or an error character, and
//!    its data with every lane from the first control character on zeroed.
//! 2. **Frame.** Data words go into `hold`; `hold` goes out when the next word
//!    shows that it is not the end, so the four FCS bytes, which may straddle
//!    two words, never reach the output (the output lags the input by one
//!    word). A terminate, any other control character (error `0xFE`, idle, a
//!    new start: the frame had no terminate) or the length limit ends the
//!    frame; the reason is registered.
//! 3. **Verdict.** One cycle after the end the CRC state, which has run over
//!    the whole frame including its FCS and the zeroed lanes, is compared
//!    with the constant for the terminate lane ([`super::fcs`]); the last beat
//!    goes out with `tuser[0]` = bad and exactly one statistics pulse.
//!
//! Every good start produces exactly one frame on `m_axis` (a frame with 4 or
//! fewer bytes comes out as one empty beat, `tkeep == 0`, flagged). A start
//! with a bad preamble produces no frame and pulses `stat_rx_err_preamble`.
//! A frame longer than `cfg_rx_max_len` (FCS included) is cut off as soon as
//! the next word would pass the limit: what was received before it goes out
//! flagged, at most `cfg_rx_max_len` bytes, and the rest of the frame is
//! ignored. `cfg_rx_max_len` must be at least 64 (values up to 65535 work).
//!
//! Statistics, registered, at most one per frame and cycle:
//! `stat_rx_pkt_good`, `stat_rx_pkt_bad` (every flagged frame) and for a bad
//! frame exactly one reason, by priority: `stat_rx_err_xgmii` (an error
//! character in the frame), `stat_rx_err_framing` (another control character
//! before the terminate: missing terminate), `stat_rx_err_oversize`,
//! `stat_rx_pkt_undersize` (a runt: fewer than 64 bytes with FCS),
//! `stat_rx_err_bad_fcs`. `stat_rx_err_preamble` counts rejected starts and
//! `stat_rx_byte` is the number of frame bytes (FCS included) taken in that
//! cycle, 0..=8, for throughput counters.

use super::fcs::{check_constants, matrices_64};
use super::{lane, ETH_PRE, ETH_SFD, XGMII_ERROR, XGMII_START, XGMII_TERM};
use hdl::prelude::*;
use hdl::stdlib::axis::AxisFlow;
use hdl::stdlib::crc::{crc_bytes, CRC32};

bundle! {
    /// Statistics of the receive side (see the module docs).
    pub struct RxStats {
        /// Frame bytes (FCS included) taken in this cycle.
        pub byte: UInt,
        /// A good frame ended.
        pub pkt_good: Bool,
        /// A flagged frame ended (one of the reasons below pulses with it).
        pub pkt_bad: Bool,
        /// Bad FCS.
        pub err_bad_fcs: Bool,
        /// Runt: fewer than 64 bytes, FCS included.
        pub pkt_undersize: Bool,
        /// Longer than `cfg_rx_max_len`.
        pub err_oversize: Bool,
        /// An XGMII error character inside the frame.
        pub err_xgmii: Bool,
        /// A control character other than terminate ended the frame.
        pub err_framing: Bool,
        /// A start character with a bad preamble or SFD (no frame).
        pub err_preamble: Bool,
    }
}

impl RxStats {
    /// The template.
    pub fn ty() -> RxStats {
        RxStats {
            byte: UInt::ty(4),
            pkt_good: Bool::ty(),
            pkt_bad: Bool::ty(),
            err_bad_fcs: Bool::ty(),
            pkt_undersize: Bool::ty(),
            err_oversize: Bool::ty(),
            err_xgmii: Bool::ty(),
            err_framing: Bool::ty(),
            err_preamble: Bool::ty(),
        }
    }
}

bundle! {
    /// Ports of [`AxisXgmiiRx64`].
    pub struct AxisXgmiiRx64Io {
        /// XGMII receive data, lane 0 in bits 7..0.
        #[input]
        pub xgmii_rxd: Bits,
        /// XGMII receive control, one bit per lane.
        #[input]
        pub xgmii_rxc: Bits,
        /// Frames without preamble and FCS; `tuser[0]` on the last beat = bad.
        pub m_axis: AxisFlow,
        /// Largest accepted frame, FCS included (1518, or 9018 for jumbos).
        #[input]
        pub cfg_rx_max_len: UInt,
        /// Statistics pulses.
        pub stat_rx: RxStats,
    }
}

/// The 64-bit XGMII receiver: `axis_xgmii_rx_64`.
#[derive(Clone, Debug, Default)]
pub struct AxisXgmiiRx64;

/// The six preamble bytes and the SFD of a start on lane 0 (lanes 1..=7).
const PREAMBLE_LANE0: u64 = 0xD5_55_55_55_55_55_55;

/// Cat of `bits` with `bits[0]` as the least significant bit.
#[track_caller]
fn lsb_first(bits: &[Bool]) -> Bits {
    let rev: Vec<Bool> = bits.iter().rev().copied().collect();
    cat(&rev)
}

impl Component for AxisXgmiiRx64 {
    type Io = AxisXgmiiRx64Io;

    fn name(&self) -> String {
        "axis_xgmii_rx_64".into()
    }

    fn io(&self) -> AxisXgmiiRx64Io {
        AxisXgmiiRx64Io {
            xgmii_rxd: Bits::ty(64),
            xgmii_rxc: Bits::ty(8),
            m_axis: AxisFlow::ty(8, 1),
            cfg_rx_max_len: UInt::ty(16),
            stat_rx: RxStats::ty(),
        }
    }

    fn build(&self, io: &AxisXgmiiRx64Io) {
        let rxd = io.xgmii_rxd;
        let rxc = io.xgmii_rxc;

        // ---- Stage 1: start characters and preambles on the raw words.
        let start_lane0 = (rxc.bit(0) & lane(rxd, 0).is_eq(XGMII_START)).named("start_lane0");
        let start_lane4 = (rxc.bit(4) & lane(rxd, 4).is_eq(XGMII_START) & !start_lane0).named("start_lane4");
        let preamble_lane0_ok =
            (rxc.range(7, 1).is_eq(0) & rxd.range(63, 8).is_eq(PREAMBLE_LANE0)).named("preamble_lane0_ok");
        // A start on lane 4: start and three preamble bytes now, the other
        // three preamble bytes and the SFD in lanes 0..=3 of the next word.
        let preamble_high_ok = (rxc.range(7, 5).is_eq(0)
            & rxd.range(63, 40).is_eq(super::repeat_byte(ETH_PRE, 3) as u64))
        .named("preamble_high_ok");
        let preamble_low_ok = (rxc.range(3, 0).is_eq(0)
            & rxd
                .range(31, 0)
                .is_eq(super::word_of(&[ETH_PRE, ETH_PRE, ETH_PRE, ETH_SFD]) as u64))
        .named("preamble_low_ok");
        let start_lane4_pending = reg("start_lane4_pending", Bool::ty()).init(false);
        start_lane4_pending.set(start_lane4 & preamble_high_ok);
        let bad_preamble = ((start_lane0 & !preamble_lane0_ok)
            | (start_lane4 & !preamble_high_ok)
            | (start_lane4_pending & !preamble_low_ok))
            .named("bad_preamble");

        // Lanes are realigned after a start on lane 4 until a start on lane 0.
        let swapped = reg("swapped", Bool::ty()).init(false);
        when(start_lane0, || swapped.set(false)).elsewhen(start_lane4, || swapped.set(true));
        let raw_term = lsb_first(
            &(0..8)
                .map(|i| rxc.bit(i) & lane(rxd, i).is_eq(XGMII_TERM))
                .collect::<Vec<_>>(),
        )
        .named("raw_term");
        let raw_err = lsb_first(
            &(0..8)
                .map(|i| rxc.bit(i) & lane(rxd, i).is_eq(XGMII_ERROR))
                .collect::<Vec<_>>(),
        )
        .named("raw_err");
        let swap_rxd = reg_next("swap_rxd", &rxd.range(63, 32));
        let swap_rxc = reg_next_init("swap_rxc", &rxc.range(7, 4), 0);
        let swap_term = reg_next_init("swap_term", &raw_term.range(7, 4), 0);
        let swap_err = reg_next_init("swap_err", &raw_err.range(7, 4), 0);
        let aligned_d = swapped
            .mux(cat!(rxd.range(31, 0), swap_rxd), rxd)
            .named("aligned_d");
        let aligned_c = swapped
            .mux(cat!(rxc.range(3, 0), swap_rxc), rxc)
            .named("aligned_c");
        let aligned_term = swapped
            .mux(cat!(raw_term.range(3, 0), swap_term), raw_term)
            .named("aligned_term");
        let aligned_err = swapped
            .mux(cat!(raw_err.range(3, 0), swap_err), raw_err)
            .named("aligned_err");

        // `seen[i]`: a control character in lanes 0..=i; `first[i]`: lane i
        // holds the first one.
        let mut seen: Vec<Bool> = Vec::new();
        let mut first: Vec<Bool> = Vec::new();
        for i in 0..8 {
            let c = aligned_c.bit(i);
            first.push(match i {
                0 => c,
                _ => c & !seen[i as usize - 1],
            });
            seen.push(match i {
                0 => c,
                _ => c | seen[i as usize - 1],
            });
        }
        let first = lsb_first(&first).named("first_ctrl");
        let seen_bits = lsb_first(&seen).named("ctrl_seen");
        let data_lanes: Vec<Bits> = (0..8)
            .map(|i| lane(aligned_d, i) & (!seen_bits.bit(i)).repeat(8))
            .collect();
        let data_lanes: Vec<Bits> = data_lanes.into_iter().rev().collect();
        let masked = cat(&data_lanes).named("aligned_masked");
        let lane_code = |bit: u32| {
            (0..8)
                .filter(|i| (i >> bit) & 1 == 1)
                .map(|i| first.bit(i))
                .reduce(|a, b| a | b)
                .expect("lanes")
        };
        let first_lane = lsb_first(&[lane_code(0), lane_code(1), lane_code(2)]).as_uint();

        let a_data = reg_next("a_data", &masked);
        let a_ctrl = reg_next_init("a_ctrl", &aligned_c.any(), 0);
        let a_term = reg_next_init("a_term", &(first & aligned_term).any(), 0);
        let a_err = reg_next_init("a_err", &(first & aligned_err).any(), 0);
        let a_lane = reg_next_init("a_lane", &first_lane, 0);
        let a_start = reg("a_start", Bool::ty()).init(false);
        a_start.set((start_lane0 & preamble_lane0_ok) | (start_lane4_pending & preamble_low_ok));

        // ---- Stage 2: frames.
        let in_frame = reg("in_frame", Bool::ty()).init(false);
        let hold = reg("hold", Bits::ty(64));
        let hold_valid = reg("hold_valid", Bool::ty()).init(false);
        // Bytes still allowed before the limit, and whole words seen (up to 8).
        let remaining = reg("remaining", UInt::ty(16)).init(0);
        let words = reg("words", UInt::ty(4)).init(0);
        let crc_state = reg("crc_state", Bits::ty(32)).init(u128::from(CRC32.initial_state()));

        let data_word = (in_frame & !a_ctrl).named("data_word");
        let end_word = (in_frame & a_ctrl).named("end_word");
        let room = remaining.range(15, 3).is_ne(0).named("room");
        let cut = (data_word & !room).named("cut");
        let normal = (data_word & room).named("normal");
        let terminated = (end_word & a_term).named("terminated");
        // The terminate word's bytes pass the limit.
        let over_at_end = (!room & remaining.range(2, 0).is_lt(a_lane)).named("over_at_end");
        // A terminate on lane 5..=7: the FCS ended inside this word, `hold`
        // goes out as a full beat and this word's first n - 4 bytes are the
        // last beat.
        let tail_in_word = (terminated & a_lane.is_ge(5)).named("tail_in_word");
        let emit_mid = (hold_valid & (normal | tail_in_word)).named("emit_mid");

        when(normal, || {
            hold.set(a_data);
            hold_valid.set(true);
            remaining.set(remaining - 8);
            when(!words.bit(3), || words.set(words + 1));
        });
        when(tail_in_word, || hold.set(a_data));

        // The end of a frame, registered for the verdict in the next cycle.
        let end_pending = reg("end_pending", Bool::ty()).init(false);
        let end_lane = reg("end_lane", UInt::ty(3)).init(0);
        let end_keep = reg("end_keep", Bits::ty(8)).init(0);
        let end_term = reg("end_term", Bool::ty()).init(false);
        let end_xgmii = reg("end_xgmii", Bool::ty()).init(false);
        let end_framing = reg("end_framing", Bool::ty()).init(false);
        let end_oversize = reg("end_oversize", Bool::ty()).init(false);
        let end_runt = reg("end_runt", Bool::ty()).init(false);
        // Keep of the last beat for a terminate on lane n: with n >= 5 the
        // beat is this word (n - 4 bytes), else it is `hold` (n + 4 bytes).
        let keep_options: Vec<Bits> = (0..8u32)
            .map(|n| Bits::lit(super::low_mask(if n >= 5 { n - 4 } else { n + 4 }), 8))
            .collect();
        let term_keep = select(a_lane, &keep_options).named("term_keep");
        let ends = (end_word | cut).named("frame_ends");
        end_pending.set(ends);
        when(ends, || {
            in_frame.set(false);
            hold_valid.set(false);
            end_lane.set(a_lane);
            end_term.set(terminated);
            end_xgmii.set(end_word & a_err);
            end_framing.set(end_word & !a_term & !a_err);
            end_oversize.set(cut | (terminated & over_at_end));
            end_runt.set(terminated & !over_at_end & !words.bit(3));
            end_keep.set(tail_in_word.mux(
                term_keep,
                hold_valid.mux(terminated.mux(term_keep, Bits::ones(8)), Bits::zeros(8)),
            ));
        });
        when(a_start, || {
            in_frame.set(true);
            hold_valid.set(false);
            remaining.set(io.cfg_rx_max_len);
            words.set(0);
        });

        // CRC over every word of the frame, FCS and zeroed lanes included.
        let m = matrices_64();
        let crc_in = hold_valid
            .mux(crc_state, Bits::lit(u128::from(CRC32.initial_state()), 32))
            .named("crc_in");
        let crc_next = crc_bytes(&m, "crc_word", crc_in, a_data, 8);
        when(in_frame, || crc_state.set(crc_next));

        // ---- Stage 3: verdict and output.
        let constants: Vec<Bits> = check_constants()
            .iter()
            .map(|&k| Bits::lit(u128::from(k), 32))
            .collect();
        let fcs_ok = crc_state.is_eq(select(end_lane, &constants)).named("fcs_ok");
        let forced_bad = (end_xgmii | end_framing | end_oversize | end_runt).named("forced_bad");
        let good = (end_term & !forced_bad & fcs_ok).named("good");

        let out_valid = reg("out_valid", Bool::ty()).init(false);
        let out_data = reg("out_data", Bits::ty(64));
        let out_keep = reg("out_keep", Bits::ty(8)).init(0);
        let out_last = reg("out_last", Bool::ty()).init(false);
        let out_bad = reg("out_bad", Bool::ty()).init(false);
        out_data.set(hold);
        out_valid.set(end_pending | emit_mid);
        out_keep.set(end_pending.mux(end_keep, Bits::ones(8)));
        out_last.set(end_pending);
        out_bad.set(end_pending & !good);
        io.m_axis.tdata.set(out_data);
        io.m_axis.tkeep.set(out_keep);
        io.m_axis.tvalid.set(out_valid);
        io.m_axis.tlast.set(out_last);
        io.m_axis.tuser.set(out_bad.as_bits());

        // ---- Statistics.
        let st = &io.stat_rx;
        let stat = |name: &str, value: Bool| reg_next_init(name, &value, 0);
        st.pkt_good.set(stat("stat_good_q", end_pending & good));
        st.pkt_bad.set(stat("stat_bad_q", end_pending & !good));
        st.err_bad_fcs.set(stat(
            "stat_bad_fcs_q",
            end_pending & end_term & !forced_bad & !fcs_ok,
        ));
        st.pkt_undersize
            .set(stat("stat_undersize_q", end_pending & end_runt));
        st.err_oversize
            .set(stat("stat_oversize_q", end_pending & end_oversize));
        st.err_xgmii.set(stat("stat_xgmii_q", end_pending & end_xgmii));
        st.err_framing
            .set(stat("stat_framing_q", end_pending & end_framing));
        st.err_preamble.set(stat("stat_preamble_q", bad_preamble));
        let bytes_now = normal.mux(UInt::lit(8, 4), terminated.mux(a_lane.zext(4), UInt::lit(0, 4)));
        st.byte.set(reg_next_init("stat_byte_q", &bytes_now, 0));
    }
}
