//! `axis_xgmii_rx_64`: frames from an independent XGMII encoder (`etherparse`
//! frames, `crc32fast` FCS) come out intact and in order; every kind of bad
//! input is flagged or dropped and counted in its own counter, without
//! touching the good frames around it.

mod mac_common;

use generators::mac::axis_xgmii_rx_64::AxisXgmiiRx64;
use mac_common::{check_received, check_rtl, elaborate, frame_of_len, model, udp_frame, Expect};
use testbenches::axis::{AxisSink, Pace, ReceivedFrame};
use testbenches::pcap::PcapWriter;
use testbenches::stats::StatCounters;
use testbenches::xgmii::{Fault, LanePolicy, XgmiiSource};
use testbenches::{rng, Handle, Rng, Testbench};

struct Rx {
    tb: Testbench,
    src: Handle<XgmiiSource>,
    sink: Handle<AxisSink>,
    stats: Handle<StatCounters>,
}

/// The receiver with a source, a sink (capturing to `<test>.pcap`) and counters.
fn rx_bench(test: &str, max_len: u64, lanes: LanePolicy, gap: (usize, usize)) -> Rx {
    let seed = rng::seed_for(test);
    let mut tb = Testbench::new(model(&elaborate(&AxisXgmiiRx64)), seed);
    tb.clock("clk", 6_400).unwrap();
    let p = tb.model().port("cfg_rx_max_len").unwrap();
    tb.model_mut().set_u64(p, max_len).unwrap();
    tb.reset("rst", true, 4).unwrap();
    let src = XgmiiSource::new(tb.model(), "xgmii_rx", lanes, seed)
        .unwrap()
        .with_gap(gap.0, gap.1);
    let sink = AxisSink::new(tb.model(), "m_axis", Pace::Always)
        .unwrap()
        .with_pcap(PcapWriter::in_target(test).unwrap());
    let stats = StatCounters::new(tb.model(), "stat_rx_").unwrap();
    let src = tb.attach("clk", src);
    let sink = tb.attach("clk", sink);
    let stats = tb.attach("clk", stats);
    Rx { tb, src, sink, stats }
}

impl Rx {
    fn run(&mut self) -> Vec<ReceivedFrame> {
        self.tb.run_until_idle(5_000_000, 40).unwrap();
        self.tb.agent_mut(self.sink).take_frames()
    }

    fn count(&self, name: &str) -> u64 {
        self.tb.agent(self.stats).get(&format!("stat_rx_{name}"))
    }

    /// Every counter but `byte` is zero except the ones given.
    fn assert_counters(&self, want: &[(&str, u64)]) {
        for (name, value) in self.tb.agent(self.stats).all() {
            let short = name.trim_start_matches("stat_rx_");
            if short == "byte" {
                continue;
            }
            let expected = want.iter().find(|(n, _)| *n == short).map_or(0, |(_, v)| *v);
            assert_eq!(
                *value,
                expected,
                "{name}; all: {}",
                self.tb.agent(self.stats).nonzero()
            );
        }
    }
}

#[test]
fn rtl_is_lint_clean() {
    check_rtl(&elaborate(&AxisXgmiiRx64), "axis_xgmii_rx_64");
}

#[test]
fn every_length_on_both_lanes_arrives_intact() {
    let test = "mac_rx_every_length";
    let seed = rng::seed_for(test);
    // 1522: the largest 802.1Q frame, so that 1518 bytes without FCS pass.
    let mut rx = rx_bench(test, 1522, LanePolicy::Random(Rng::new(seed)), (1, 16));
    let mut expect = Vec::new();
    let mut bytes = 0;
    for len in 60..=1518usize {
        let f = udp_frame(len, len as u64);
        bytes += len as u64 + 4;
        rx.tb.agent_mut(rx.src).push(&f);
        expect.push(Expect::Good(f));
    }
    let got = rx.run();
    check_received(&expect, &got);
    rx.assert_counters(&[("pkt_good", expect.len() as u64)]);
    assert_eq!(
        rx.count("byte"),
        bytes,
        "stat_rx_byte counts frame bytes with FCS"
    );
}

#[test]
fn jumbo_frames_with_a_9018_byte_limit() {
    let test = "mac_rx_jumbo";
    let mut rx = rx_bench(
        test,
        9018,
        LanePolicy::Random(Rng::new(rng::seed_for(test))),
        (1, 8),
    );
    let mut expect = Vec::new();
    for (i, len) in [9000usize, 9014, 9013, 9000, 64, 9014].into_iter().enumerate() {
        let f = udp_frame(len, i as u64);
        rx.tb.agent_mut(rx.src).push(&f);
        expect.push(Expect::Good(f));
    }
    // 9015 bytes + FCS = 9019: over the limit.
    let f = udp_frame(9015, 99);
    rx.tb.agent_mut(rx.src).push(&f);
    expect.push(Expect::Flagged);
    let f = udp_frame(1000, 100);
    rx.tb.agent_mut(rx.src).push(&f);
    expect.push(Expect::Good(f));
    let got = rx.run();
    check_received(&expect, &got);
    let cut = &got[6];
    assert!(
        cut.data.len() <= 9018,
        "an oversize frame is cut at the limit: {}",
        cut.data.len()
    );
    rx.assert_counters(&[("pkt_good", 7), ("pkt_bad", 1), ("err_oversize", 1)]);
}

#[test]
fn length_limits_at_their_boundaries() {
    let test = "mac_rx_length_limits";
    let seed = rng::seed_for(test);
    let mut rng = Rng::new(seed);
    for lane in [0usize, 4] {
        let lanes = if lane == 0 {
            LanePolicy::Zero
        } else {
            LanePolicy::Four
        };
        let mut rx = rx_bench(&format!("{test}_lane{lane}"), 1518, lanes, (1, 12));
        let mut expect = Vec::new();
        let mut runts = 0;
        let mut over = 0;
        // Runts of every length (valid FCS), the smallest good frame, and
        // frames around the 1518-byte limit (FCS included).
        for len in (1..60).chain([60, 61, 1513, 1514, 1515, 1516, 1520, 1530]) {
            let f = frame_of_len(len, len as u64, &mut rng);
            rx.tb.agent_mut(rx.src).push(&f);
            if len < 60 {
                runts += 1;
                expect.push(Expect::Flagged);
            } else if len + 4 > 1518 {
                over += 1;
                expect.push(Expect::Flagged);
            } else {
                expect.push(Expect::Good(f));
            }
        }
        let got = rx.run();
        check_received(&expect, &got);
        for (g, e) in got.iter().zip(expect.iter().filter(|e| **e != Expect::Nothing)) {
            if *e == Expect::Flagged {
                assert!(g.data.len() <= 1518, "delivered at most the limit");
            }
        }
        let good = expect.iter().filter(|e| matches!(e, Expect::Good(_))).count() as u64;
        rx.assert_counters(&[
            ("pkt_good", good),
            ("pkt_bad", runts + over),
            ("pkt_undersize", runts),
            ("err_oversize", over),
        ]);
    }
}

/// A bad frame of each kind, the counter it must hit, between good frames.
fn bad_kinds(len: usize) -> Vec<(Fault, &'static str, Expect)> {
    vec![
        (Fault::BadFcs, "err_bad_fcs", Expect::Flagged),
        (Fault::ErrorChar(len / 2), "err_xgmii", Expect::Flagged),
        (Fault::ErrorChar(len + 2), "err_xgmii", Expect::Flagged),
        (Fault::ErrorChar(0), "err_xgmii", Expect::Flagged),
        (
            Fault::BadPreamble {
                index: 6,
                value: 0x55,
            },
            "err_preamble",
            Expect::Nothing,
        ),
        (
            Fault::BadPreamble {
                index: 2,
                value: 0x54,
            },
            "err_preamble",
            Expect::Nothing,
        ),
        (Fault::NoTerminate, "err_framing", Expect::Flagged),
        (Fault::Truncate(len - 5), "err_bad_fcs", Expect::Flagged),
        (Fault::Truncate(30), "pkt_undersize", Expect::Flagged),
    ]
}

#[test]
fn bad_frames_are_flagged_and_counted_between_intact_good_ones() {
    let test = "mac_rx_bad_frames";
    let seed = rng::seed_for(test);
    let mut rng = Rng::new(seed);
    let mut rx = rx_bench(test, 1518, LanePolicy::Random(Rng::new(seed ^ 7)), (1, 12));
    let mut expect = Vec::new();
    let mut counts: std::collections::BTreeMap<&str, u64> = Default::default();
    let mut seq = 0u64;
    for round in 0..30 {
        for (fault, counter, outcome) in bad_kinds(rng.range(60, 400) as usize) {
            let good = udp_frame(rng.range(60, 1514) as usize, seq);
            seq += 1;
            rx.tb.agent_mut(rx.src).push(&good);
            expect.push(Expect::Good(good));
            let len = rng.range(100, 1514) as usize;
            let bad = udp_frame(len, seq);
            seq += 1;
            let fault = match fault {
                Fault::ErrorChar(i) => Fault::ErrorChar(i.min(len + 3)),
                Fault::Truncate(n) if n >= 64 => Fault::Truncate(len - 5),
                other => other,
            };
            // A missing terminate followed at once by the next start, or by idles.
            let gap = (fault == Fault::NoTerminate && round % 2 == 0).then_some(0);
            rx.tb.agent_mut(rx.src).push_frame(&bad, fault, None, gap);
            expect.push(outcome);
            *counts.entry(counter).or_default() += 1;
        }
        // Oversize: 1515 bytes + FCS.
        let over = udp_frame(1515, seq);
        seq += 1;
        rx.tb.agent_mut(rx.src).push(&over);
        expect.push(Expect::Flagged);
        *counts.entry("err_oversize").or_default() += 1;
    }
    let last = udp_frame(64, seq);
    rx.tb.agent_mut(rx.src).push(&last);
    expect.push(Expect::Good(last));
    let got = rx.run();
    check_received(&expect, &got);
    let good = expect.iter().filter(|e| matches!(e, Expect::Good(_))).count() as u64;
    let flagged = expect.iter().filter(|e| **e == Expect::Flagged).count() as u64;
    let mut want: Vec<(&str, u64)> = counts.into_iter().collect();
    want.push(("pkt_good", good));
    want.push(("pkt_bad", flagged));
    rx.assert_counters(&want);
}

#[test]
fn garbage_words_never_hang_the_receiver_or_touch_good_frames() {
    let test = "mac_rx_garbage";
    let seed = rng::seed_for(test);
    let mut rng = Rng::new(seed);
    let mut rx = rx_bench(test, 1518, LanePolicy::Random(Rng::new(seed ^ 3)), (1, 12));
    let mut good = Vec::new();
    let mut cut_frames = 0;
    for i in 0..300u64 {
        let f = udp_frame(rng.range(60, 600) as usize, i);
        rx.tb.agent_mut(rx.src).push(&f);
        good.push(f);
        let words: Vec<(u64, u64)> = (0..rng.range(1, 6))
            .map(|_| {
                // Mostly control characters of every kind, sometimes data.
                let c = if rng.chance(50) {
                    rng.next_u64() & 0xFF
                } else {
                    0xFF
                };
                let mut d = rng.next_u64();
                for lane in 0..8 {
                    if rng.chance(30) {
                        let ch = *rng.pick(&[0x07u8, 0xFB, 0xFD, 0xFE, 0x9C]);
                        d = (d & !(0xFF << (8 * lane))) | u64::from(ch) << (8 * lane);
                    }
                }
                (d, c)
            })
            .collect();
        if i % 5 == 0 {
            // Garbage cutting into a frame that never terminates.
            let cut = udp_frame(rng.range(60, 300) as usize, 10_000 + i);
            rx.tb
                .agent_mut(rx.src)
                .push_frame(&cut, Fault::NoTerminate, None, None);
            cut_frames += 1;
        }
        rx.tb.agent_mut(rx.src).push_words(words);
    }
    let got = rx.run();
    let good_got: Vec<Vec<u8>> = got
        .iter()
        .filter(|f| f.user == 0)
        .map(|f| f.data.clone())
        .collect();
    assert_eq!(
        good_got.len(),
        good.len(),
        "every good frame, and no other, comes out good"
    );
    for (i, (g, w)) in good_got.iter().zip(&good).enumerate() {
        assert_eq!(g, w, "good frame #{i}");
    }
    let flagged = got.len() as u64 - good.len() as u64;
    assert!(
        flagged >= cut_frames,
        "{flagged} flagged, {cut_frames} cut frames"
    );
    assert_eq!(rx.count("pkt_good"), good.len() as u64);
    assert_eq!(rx.count("pkt_bad"), flagged);
}
