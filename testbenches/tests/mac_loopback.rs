//! `eth_mac_10g_64` in a loop: its XGMII output goes back into its XGMII
//! input through a link with clock compensation, the transmit and receive
//! clocks running at different rates. Every frame sent comes back intact.

mod mac_common;

use generators::mac::eth_mac_10g_64::EthMac10g64;
use mac_common::{check_rtl, elaborate, model, udp_frame};
use testbenches::axis::{AxisFrame, AxisSink, AxisSource, Pace};
use testbenches::pcap::PcapWriter;
use testbenches::stats::StatCounters;
use testbenches::xgmii::XgmiiLink;
use testbenches::{rng, Rng, Scoreboard, Testbench};

#[test]
fn rtl_is_lint_clean() {
    check_rtl(&elaborate(&EthMac10g64), "eth_mac_10g_64");
}

#[test]
fn frames_loop_back_intact_at_different_clock_rates() {
    let e = elaborate(&EthMac10g64);
    // (tx period, rx period) in ps: equal, receiver faster, receiver slower.
    for (tx_ps, rx_ps) in [(6_400u64, 6_400u64), (6_400, 6_000), (6_400, 6_420)] {
        let test = format!("mac_loopback_{tx_ps}_{rx_ps}");
        let seed = rng::seed_for(&test);
        let mut tb = Testbench::new(model(&e), seed);
        tb.clock("tx_clk", tx_ps).unwrap();
        tb.clock("rx_clk", rx_ps).unwrap();
        for (port, v) in [("cfg_ifg", 12), ("cfg_rx_max_len", 9018)] {
            let p = tb.model().port(port).unwrap();
            tb.model_mut().set_u64(p, v).unwrap();
        }
        tb.resets(&[("tx_rst", true), ("rx_rst", true)], 4).unwrap();
        let (link_tx, link_rx) = XgmiiLink::pair(tb.model(), "xgmii_tx", "xgmii_rx", 64).unwrap();
        let src = AxisSource::new(tb.model(), "tx_axis", Pace::Always).unwrap();
        let sink = AxisSink::new(tb.model(), "rx_axis", Pace::Always)
            .unwrap()
            .with_pcap(PcapWriter::in_target(&test).unwrap());
        let tx_stats = StatCounters::new(tb.model(), "stat_tx_").unwrap();
        let rx_stats = StatCounters::new(tb.model(), "stat_rx_").unwrap();
        let src = tb.attach("tx_clk", src);
        tb.attach("tx_clk", link_tx);
        let link_rx = tb.attach("rx_clk", link_rx);
        let sink = tb.attach("rx_clk", sink);
        let tx_stats = tb.attach("tx_clk", tx_stats);
        let rx_stats = tb.attach("rx_clk", rx_stats);

        let mut rng = Rng::new(seed);
        let mut board = Scoreboard::new("loopback frames");
        let mut n = 0u64;
        let mut push = |tb: &mut Testbench, len: usize| {
            let f = udp_frame(len, n);
            n += 1;
            let mut want = f.clone();
            want.resize(want.len().max(60), 0);
            board.expect((want, 0u64));
            tb.agent_mut(src).push(AxisFrame::new(f));
        };
        for len in (42..=200).chain([1514, 1518, 9000, 9014]) {
            push(&mut tb, len);
        }
        for _ in 0..300 {
            push(&mut tb, rng.range(42, 1514) as usize);
        }
        // Bursts pushed while the line runs, with pauses in between.
        for _ in 0..20 {
            tb.run("tx_clk", rng.range(0, 300)).unwrap();
            for _ in 0..rng.range(1, 8) {
                push(&mut tb, rng.range(42, 300) as usize);
            }
        }
        tb.run_until_idle(2_000_000, 200).unwrap();
        let got = tb.agent_mut(sink).take_frames();
        board
            .observe_all(got.into_iter().map(|f| (f.data, f.user)))
            .unwrap();
        board.finish().unwrap();
        let frames = board.matched();
        assert_eq!(tb.agent(tx_stats).get("stat_tx_pkt_good"), frames);
        assert_eq!(tb.agent(rx_stats).get("stat_rx_pkt_good"), frames);
        assert_eq!(tb.agent(rx_stats).get("stat_rx_pkt_bad"), 0);
        assert_eq!(
            tb.agent(tx_stats).get("stat_tx_byte"),
            tb.agent(rx_stats).get("stat_rx_byte"),
            "bytes sent and received"
        );
        let (inserted, deleted) = tb.agent(link_rx).compensation();
        eprintln!("{test}: {frames} frames, idle columns inserted {inserted}, deleted {deleted}");
    }
}
