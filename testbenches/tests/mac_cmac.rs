//! `cmac_rx_512` and `cmac_tx_512`, the port facing the Xilinx 100G CMAC:
//! receive maps the CMAC's bad-frame flag and counts; transmit hands the
//! CMAC whole frames, padded to 60 bytes, with no gap inside a frame
//! whatever the sender and the CMAC's `tready` do.

mod mac_common;

use generators::mac::cmac_rx_512::CmacRx512;
use generators::mac::cmac_tx_512::CmacTx512;
use mac_common::{check_rtl, elaborate, model, udp_frame};
use testbenches::axis::{AxisFrame, AxisSink, AxisSource, Pace};
use testbenches::pcap::PcapWriter;
use testbenches::stats::StatCounters;
use testbenches::{rng, Agent, Rng, Scoreboard, Testbench};
use verilator::{Model, PortHandle};

#[test]
fn rtl_is_lint_clean() {
    check_rtl(&elaborate(&CmacRx512), "cmac_rx_512");
    check_rtl(&elaborate(&CmacTx512::default()), "cmac_tx_512");
}

#[test]
fn receive_maps_the_bad_flag_and_counts() {
    let test = "mac_cmac_rx";
    let seed = rng::seed_for(test);
    let mut tb = Testbench::new(model(&elaborate(&CmacRx512)), seed);
    tb.clock("clk", 3_104).unwrap();
    tb.reset("rst", true, 4).unwrap();
    let src = AxisSource::new(tb.model(), "rx_axis", Pace::random(70, seed)).unwrap();
    let sink = AxisSink::new(tb.model(), "m_axis", Pace::Always)
        .unwrap()
        .with_pcap(PcapWriter::in_target(test).unwrap());
    let stats = StatCounters::new(tb.model(), "stat_rx_").unwrap();
    let (src, sink, stats) = (
        tb.attach("clk", src),
        tb.attach("clk", sink),
        tb.attach("clk", stats),
    );
    let mut rng = Rng::new(seed);
    let mut board = Scoreboard::new("cmac rx frames");
    let mut bad = 0;
    for i in 0..400u64 {
        let f = udp_frame(rng.range(60, 1514) as usize, i);
        let user = u64::from(rng.chance(20));
        bad += user;
        board.expect((f.clone(), user));
        tb.agent_mut(src).push(AxisFrame::with_user(f, user));
    }
    tb.run_until_idle(1_000_000, 20).unwrap();
    let got = tb.agent_mut(sink).take_frames();
    board
        .observe_all(got.into_iter().map(|f| (f.data, f.user)))
        .unwrap();
    board.finish().unwrap();
    assert_eq!(tb.agent(stats).get("stat_rx_pkt_good"), 400 - bad);
    assert_eq!(tb.agent(stats).get("stat_rx_pkt_bad"), bad);
}

/// Fails the run when `tx_axis_tvalid` drops inside a frame (a CMAC underflow).
struct NoGapInFrame {
    valid: PortHandle,
    ready: PortHandle,
    last: PortHandle,
    in_frame: bool,
}

impl Agent for NoGapInFrame {
    fn sample(&mut self, m: &Model, cycle: u64) -> testbenches::Result<()> {
        let valid = m.get_u64(self.valid)? == 1;
        if self.in_frame && !valid {
            return Err(testbenches::Error::Protocol {
                agent: "cmac tx".into(),
                cycle,
                message: "tvalid low inside a frame: the CMAC would underflow".into(),
            });
        }
        if valid && m.get_u64(self.ready)? == 1 {
            self.in_frame = m.get_u64(self.last)? == 0;
        }
        Ok(())
    }
    fn drive(&mut self, _m: &mut Model, _cycle: u64) -> testbenches::Result<()> {
        Ok(())
    }
}

#[test]
fn transmit_releases_whole_padded_frames_without_gaps() {
    let test = "mac_cmac_tx";
    let seed = rng::seed_for(test);
    // 16 beats = 1 KiB: frames above 1024 bytes cannot fit and are dropped.
    let mut tb = Testbench::new(model(&elaborate(&CmacTx512 { depth: 16 })), seed);
    tb.clock("clk", 3_104).unwrap();
    tb.reset("rst", true, 4).unwrap();
    let src = AxisSource::new(tb.model(), "s_axis", Pace::random(50, seed)).unwrap();
    let sink = AxisSink::new(tb.model(), "tx_axis", Pace::random_bursts(12, 3, seed ^ 5))
        .unwrap()
        .with_pcap(PcapWriter::in_target(test).unwrap());
    let p = |n: &str| tb.model().port(&format!("tx_axis_{n}")).unwrap();
    let check = NoGapInFrame {
        valid: p("tvalid"),
        ready: p("tready"),
        last: p("tlast"),
        in_frame: false,
    };
    let stats = StatCounters::new(tb.model(), "stat_tx_").unwrap();
    let (src, sink, stats) = (
        tb.attach("clk", src),
        tb.attach("clk", sink),
        tb.attach("clk", stats),
    );
    tb.attach("clk", check);
    let mut rng = Rng::new(seed);
    let mut board = Scoreboard::new("cmac tx frames");
    let (mut good, mut bad, mut dropped) = (0, 0, 0);
    for i in 0..500u64 {
        let len = match rng.below(4) {
            0 => rng.range(1, 59),
            1 => rng.range(60, 128),
            2 => rng.range(129, 1024),
            _ => rng.range(1025, 1514),
        } as usize;
        let f = if len >= 42 {
            udp_frame(len, i)
        } else {
            rng.bytes(len)
        };
        let user = u64::from(rng.chance(10));
        tb.agent_mut(src).push(AxisFrame::with_user(f.clone(), user));
        if len > 1024 {
            dropped += 1;
            continue;
        }
        let mut want = f;
        want.resize(want.len().max(60), 0);
        board.expect((want, user));
        if user == 1 {
            bad += 1;
        } else {
            good += 1;
        }
    }
    tb.run_until_idle(2_000_000, 50).unwrap();
    let got = tb.agent_mut(sink).take_frames();
    board
        .observe_all(got.into_iter().map(|f| (f.data, f.user)))
        .unwrap();
    board.finish().unwrap();
    assert_eq!(tb.agent(stats).get("stat_tx_pkt_good"), good);
    assert_eq!(tb.agent(stats).get("stat_tx_pkt_bad"), bad);
    assert_eq!(tb.agent(stats).get("stat_tx_err_oversize"), dropped);
}
