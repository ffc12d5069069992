//! `axis_xgmii_tx_64`: what it puts on XGMII is decoded by an independent
//! monitor (preamble, SFD, FCS by `crc32fast`, padding, gaps). Frames of
//! every length go out padded and intact; the inter-frame gap averages
//! exactly `cfg_ifg` with the deficit idle count; underflow and `tuser`
//! end a frame with an error character and are counted.

mod mac_common;

use generators::mac::axis_xgmii_tx_64::AxisXgmiiTx64;
use mac_common::{check_rtl, elaborate, model, udp_frame};
use std::collections::VecDeque;
use testbenches::axis::{AxisFrame, AxisSource, Pace};
use testbenches::pcap::PcapWriter;
use testbenches::stats::StatCounters;
use testbenches::xgmii::{MonitoredFrame, XgmiiMonitor};
use testbenches::{rng, Agent, Handle, Rng, Testbench};
use verilator::{Model, PortHandle};

struct Tx {
    tb: Testbench,
    mon: Handle<XgmiiMonitor>,
    stats: Handle<StatCounters>,
}

fn tx_bench(test: &str, ifg: u64) -> Tx {
    let seed = rng::seed_for(test);
    let mut tb = Testbench::new(model(&elaborate(&AxisXgmiiTx64)), seed);
    tb.clock("clk", 6_400).unwrap();
    let p = tb.model().port("cfg_ifg").unwrap();
    tb.model_mut().set_u64(p, ifg).unwrap();
    tb.reset("rst", true, 4).unwrap();
    let mon = XgmiiMonitor::new(tb.model(), "xgmii_tx")
        .unwrap()
        .with_pcap(PcapWriter::in_target(test).unwrap());
    let stats = StatCounters::new(tb.model(), "stat_tx_").unwrap();
    let mon = tb.attach("clk", mon);
    let stats = tb.attach("clk", stats);
    Tx { tb, mon, stats }
}

impl Tx {
    fn count(&self, name: &str) -> u64 {
        self.tb.agent(self.stats).get(&format!("stat_tx_{name}"))
    }

    fn run(&mut self) -> Vec<MonitoredFrame> {
        self.tb.run_until_idle(5_000_000, 60).unwrap();
        self.tb.agent_mut(self.mon).take_frames()
    }
}

/// The frame as it must appear on the wire: padded with zeros to 60 bytes.
fn padded(frame: &[u8]) -> Vec<u8> {
    let mut f = frame.to_vec();
    if f.len() < 60 {
        f.resize(60, 0);
    }
    f
}

fn check_good(got: &[MonitoredFrame], want: &[Vec<u8>]) {
    assert_eq!(got.len(), want.len(), "frames on the wire");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            g.is_good(),
            "frame #{i}: fcs_ok {} error {} {} bytes",
            g.fcs_ok,
            g.error,
            g.wire_len
        );
        if g.data != *w {
            let diff = testbenches::hexdump::first_difference(w, &g.data).unwrap_or_default();
            panic!("frame #{i} differs:\n{diff}");
        }
    }
}

#[test]
fn rtl_is_lint_clean() {
    check_rtl(&elaborate(&AxisXgmiiTx64), "axis_xgmii_tx_64");
}

#[test]
fn every_length_goes_out_padded_with_a_good_fcs() {
    let test = "mac_tx_every_length";
    let mut tx = tx_bench(test, 12);
    let src = AxisSource::new(tx.tb.model(), "s_axis", Pace::Always).unwrap();
    let src = tx.tb.attach("clk", src);
    let mut rng = Rng::new(rng::seed_for(test));
    let mut want = Vec::new();
    let mut bytes = 0;
    let lengths: Vec<usize> = (0..42).chain(42..=1518).collect();
    for &len in &lengths {
        let f = if len >= 42 {
            udp_frame(len, len as u64)
        } else {
            rng.bytes(len)
        };
        want.push(padded(&f));
        bytes += len.max(60) as u64 + 4;
        tx.tb.agent_mut(src).push(AxisFrame::new(f));
    }
    let got = tx.run();
    check_good(&got, &want);
    assert_eq!(tx.count("pkt_good"), lengths.len() as u64);
    assert_eq!(
        tx.count("byte"),
        bytes,
        "stat_tx_byte counts frame bytes with padding and FCS"
    );
    assert_eq!(tx.count("err_underflow") + tx.count("err_user"), 0);
    assert!(got.iter().any(|f| f.lane == 0) && got.iter().any(|f| f.lane == 4));
}

#[test]
fn jumbo_frames() {
    let mut tx = tx_bench("mac_tx_jumbo", 12);
    let src = AxisSource::new(tx.tb.model(), "s_axis", Pace::Always).unwrap();
    let src = tx.tb.attach("clk", src);
    let want: Vec<Vec<u8>> = [9000usize, 9014, 64, 9001]
        .iter()
        .enumerate()
        .map(|(i, &l)| udp_frame(l, i as u64))
        .collect();
    for f in &want {
        tx.tb.agent_mut(src).push(AxisFrame::new(f.clone()));
    }
    let got = tx.run();
    check_good(&got, &want);
}

/// Back-to-back frames: every gap is within 3 bytes of `ifg`, the running
/// deficit stays in 0..=3 (so the average is exactly `ifg`), and both start
/// lanes are used.
#[test]
fn inter_frame_gap_averages_exactly_cfg_ifg() {
    for (cfg, ifg) in [
        (12u64, 12u64),
        (13, 13),
        (14, 14),
        (15, 15),
        (16, 16),
        (21, 21),
        (5, 12),
        (255, 255),
    ] {
        let test = format!("mac_tx_ifg_{cfg}");
        let mut tx = tx_bench(&test, cfg);
        let src = AxisSource::new(tx.tb.model(), "s_axis", Pace::Always).unwrap();
        let src = tx.tb.attach("clk", src);
        let mut rng = Rng::new(rng::seed_for(&test));
        let mut want = Vec::new();
        for i in 0..600u64 {
            let len = if rng.chance(50) {
                rng.range(60, 80)
            } else {
                rng.range(42, 1514)
            } as usize;
            let f = udp_frame(len, i);
            want.push(padded(&f));
            tx.tb.agent_mut(src).push(AxisFrame::new(f));
        }
        let got = tx.run();
        check_good(&got, &want);
        let mut deficit: i64 = 0;
        let mut total = 0u64;
        for (i, f) in got.iter().enumerate().skip(1) {
            let gap = f.gap.expect("gap after the first frame");
            total += gap;
            assert!(
                gap + 3 >= ifg && gap <= ifg + 3,
                "ifg {ifg}: gap {gap} before frame #{i}"
            );
            deficit += ifg as i64 - gap as i64;
            assert!(
                (0..=3).contains(&deficit),
                "ifg {ifg}: deficit {deficit} after frame #{i}"
            );
        }
        let n = got.len() as u64 - 1;
        assert!(
            total.abs_diff(n * ifg) <= 3,
            "ifg {ifg}: {total} bytes of gap over {n} gaps"
        );
        assert!(got.iter().any(|f| f.lane == 0) && got.iter().any(|f| f.lane == 4));
    }
}

/// A frame for [`HoleySource`]: bytes, `tuser`, and where `tvalid` pauses
/// (beat index, idle cycles).
type HoleyFrame = (Vec<u8>, u64, Option<(usize, u32)>);

/// Sends frames beat by beat and can pause `tvalid` inside a frame.
struct HoleySource {
    tdata: PortHandle,
    tkeep: PortHandle,
    tvalid: PortHandle,
    tready: PortHandle,
    tlast: PortHandle,
    tuser: PortHandle,
    /// Frames: bytes, tuser, and (beat index, idle cycles) of a hole.
    queue: VecDeque<HoleyFrame>,
    beat: usize,
    offering: bool,
    pause: u32,
}

impl HoleySource {
    fn new(m: &Model) -> HoleySource {
        let p = |n: &str| m.port(&format!("s_axis_{n}")).unwrap();
        HoleySource {
            tdata: p("tdata"),
            tkeep: p("tkeep"),
            tvalid: p("tvalid"),
            tready: p("tready"),
            tlast: p("tlast"),
            tuser: p("tuser"),
            queue: VecDeque::new(),
            beat: 0,
            offering: false,
            pause: 0,
        }
    }
}

impl Agent for HoleySource {
    fn sample(&mut self, m: &Model, _cycle: u64) -> testbenches::Result<()> {
        if self.offering && m.get_u64(self.tready)? == 1 {
            self.offering = false;
            self.beat += 1;
            let len = self.queue.front().map_or(0, |f| f.0.len());
            if self.beat * 8 >= len.max(1) {
                self.queue.pop_front();
                self.beat = 0;
            }
        }
        Ok(())
    }

    fn drive(&mut self, m: &mut Model, _cycle: u64) -> testbenches::Result<()> {
        if self.offering {
            return Ok(());
        }
        let Some((data, user, hole)) = self.queue.front_mut() else {
            m.set_u64(self.tvalid, 0)?;
            return Ok(());
        };
        if let Some((at, cycles)) = hole {
            if *at == self.beat && *cycles > 0 {
                self.pause = *cycles;
                *hole = None;
            }
        }
        if self.pause > 0 {
            self.pause -= 1;
            m.set_u64(self.tvalid, 0)?;
            return Ok(());
        }
        let chunk = &data[(self.beat * 8).min(data.len())..((self.beat + 1) * 8).min(data.len())];
        let mut word = [0xA5u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        let last = (self.beat + 1) * 8 >= data.len();
        m.set_u64(self.tdata, u64::from_le_bytes(word))?;
        m.set_u64(self.tkeep, (1u64 << chunk.len()) - 1)?;
        m.set_u64(self.tlast, u64::from(last))?;
        m.set_u64(self.tuser, if last { *user } else { 0 })?;
        m.set_u64(self.tvalid, 1)?;
        self.offering = true;
        Ok(())
    }

    fn is_idle(&self) -> bool {
        self.queue.is_empty() && !self.offering
    }
}

#[test]
fn underflow_and_tuser_end_the_frame_with_an_error_and_are_counted() {
    for ifg in [12u64, 13] {
        underflow_and_tuser(ifg);
    }
}

fn underflow_and_tuser(ifg: u64) {
    let test = format!("mac_tx_underflow_{ifg}");
    let test = test.as_str();
    let mut tx = tx_bench(test, ifg);
    let src = HoleySource::new(tx.tb.model());
    let src = tx.tb.attach("clk", src);
    let mut rng = Rng::new(rng::seed_for(test));
    // (frame, sent as: 0 good, 1 underflow, 2 tuser)
    let mut plan = Vec::new();
    for i in 0..300u64 {
        let kind = rng.below(3);
        // Some frames sent as bad are a single beat; some holes come right
        // after the first beat.
        let len = if kind == 2 && rng.chance(30) {
            rng.range(1, 8)
        } else {
            rng.range(60, 700)
        } as usize;
        let f = if len >= 42 {
            udp_frame(len, i)
        } else {
            rng.bytes(len)
        };
        let beats = len.div_ceil(8);
        let last_hole = if rng.chance(50) { 2 } else { beats as u64 - 1 };
        let hole = (kind == 1).then(|| (rng.range(1, last_hole) as usize, rng.range(1, 5) as u32));
        let user = u64::from(kind == 2);
        tx.tb.agent_mut(src).queue.push_back((f.clone(), user, hole));
        plan.push((f, kind));
    }
    let got = tx.run();
    assert_eq!(got.len(), plan.len(), "one frame on the wire per frame sent");
    for (i, (g, (f, kind))) in got.iter().zip(&plan).enumerate() {
        // Right after a frame that was not cut short the next one follows
        // within the deficit idle count; after an underflow the rest of the
        // input frame is drained first.
        if i > 0 {
            let gap = g.gap.expect("gap");
            assert!(gap + 3 >= ifg, "gap {gap} before frame #{i}");
            if plan[i - 1].1 != 1 {
                assert!(gap <= ifg + 3, "gap {gap} before frame #{i}");
            }
        }
        if *kind == 0 {
            assert!(g.is_good(), "frame #{i} should be good");
            assert_eq!(g.data, *f, "frame #{i}");
        } else {
            assert!(
                g.error,
                "frame #{i} (kind {kind}) should carry an error character"
            );
        }
    }
    let count = |k: u64| plan.iter().filter(|(_, kind)| *kind == k).count() as u64;
    assert_eq!(tx.count("pkt_good"), count(0));
    assert_eq!(tx.count("err_underflow"), count(1));
    assert_eq!(tx.count("err_user"), count(2));
}
