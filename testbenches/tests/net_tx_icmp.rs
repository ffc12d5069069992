//! `icmp_echo`: echo requests built by etherparse, replies decoded and
//! checksum-verified by etherparse, compared byte for byte with a reply
//! computed from scratch (both checksums recomputed over the whole headers,
//! not updated incrementally as the RTL does), at every width.

mod net_tx_common;

use etherparse::PacketBuilder;
use generators::net::tx::icmp_echo::IcmpEcho;
use net_tx_common::agents::PulseCounter;
use net_tx_common::reference::{echo_reply, ones_sum};
use net_tx_common::{decode, rtl};
use testbenches::axis::{AxisFrame, AxisSink, AxisSource, Pace};
use testbenches::pcap::PcapWriter;
use testbenches::{rng, Rng, Scoreboard, Testbench};

/// An echo request from a random peer to us, built by etherparse, padded to
/// 60 bytes as it arrives from the MAC when shorter.
fn request(rng: &mut Rng, len: usize) -> (Vec<u8>, u16, u16, Vec<u8>) {
    let peer_mac = [0x52, 0x54, 0, rng.below(256) as u8, 0x12, 0x34];
    let peer_ip = [192, 168, rng.below(256) as u8, rng.range(1, 254) as u8];
    let (id, seq) = (rng.below(65536) as u16, rng.below(65536) as u16);
    let payload = rng.bytes(len);
    let builder = PacketBuilder::ethernet2(peer_mac, [0x02, 0, 0, 0, 0, 1])
        .ipv4(peer_ip, [10, 0, 0, 1], rng.range(1, 255) as u8)
        .icmpv4_echo_request(id, seq);
    let mut frame = Vec::new();
    builder.write(&mut frame, &payload).expect("etherparse builds");
    if frame.len() < 60 {
        frame.resize(60, 0);
    }
    (frame, id, seq, payload)
}

fn run(bytes: u32, lengths: &[usize], short: usize) -> testbenches::Result<()> {
    let dut = IcmpEcho { bytes };
    rtl::check_rtl(&rtl::elaborate(&dut), &format!("icmp_echo_{bytes}"));
    let seed = rng::seed_for(&format!("icmp_echo_{bytes}"));
    let mut tb = Testbench::new(rtl::model_of(&dut), seed);
    tb.clock("clk", 4_000)?;
    tb.reset("rst", true, 4)?;
    let src = AxisSource::new(tb.model(), "s_axis", Pace::random(80, seed))?
        .with_pcap(PcapWriter::in_target(&format!("net_tx_icmp_req_{bytes}")).expect("pcap"));
    let sink = AxisSink::new(tb.model(), "m_axis", Pace::random_bursts(12, 3, seed ^ 7))?
        .with_pcap(PcapWriter::in_target(&format!("net_tx_icmp_reply_{bytes}")).expect("pcap"));
    let stats = PulseCounter::new(tb.model(), "stat_")?;
    let (src, sink, stats) = (
        tb.attach("clk", src),
        tb.attach("clk", sink),
        tb.attach("clk", stats),
    );

    let mut rng = Rng::new(seed);
    let mut board = Scoreboard::new("echo replies");
    let mut expected = Vec::new();
    let mut shorts_left = short;
    for &len in lengths {
        let (frame, id, seq, payload) = request(&mut rng, len);
        board.expect(echo_reply(&frame));
        expected.push((id, seq, payload));
        tb.agent_mut(src).push(AxisFrame::new(frame));
        if shorts_left > 0 && rng.chance(10) {
            // A frame that ends before the ICMP checksum: dropped and counted.
            let (frame, ..) = request(&mut rng, 0);
            let cut = rng.range(1, 37) as usize;
            tb.agent_mut(src).push(AxisFrame::new(frame[..cut].to_vec()));
            shorts_left -= 1;
        }
    }
    let n = lengths.len();
    tb.run_until(
        |tb| tb.agent(sink).frames().len() == n && tb.agent(src).pending() == 0,
        50_000_000,
    )?;
    tb.run("clk", 50)?;
    let got = tb.agent_mut(sink).take_frames();
    assert_eq!(got.len(), n, "one reply per request, nothing for short frames");
    for (f, (id, seq, payload)) in got.iter().zip(&expected) {
        let (rid, rseq, rpayload) = decode::echo_reply(&f.data);
        assert_eq!((rid, rseq), (*id, *seq), "id and sequence");
        assert_eq!(&rpayload, payload, "payload");
        // Independent check over the whole reply: both sums are all ones.
        let ip_end = 14 + usize::from(u16::from_be_bytes([f.data[16], f.data[17]]));
        assert_eq!(ones_sum(&f.data[14..34]), 0xffff, "IPv4 header sum");
        assert_eq!(ones_sum(&f.data[34..ip_end]), 0xffff, "ICMP message sum");
        assert_eq!(f.user, 0, "tuser");
    }
    board.observe_all(got.into_iter().map(|f| f.data))?;
    board.finish()?;
    let s = tb.agent(stats);
    assert_eq!(s.count("stat_icmp_reply"), n as u64);
    assert_eq!(s.count("stat_icmp_short"), (short - shorts_left) as u64);
    Ok(())
}

#[test]
fn echo_replies_at_8_bytes_every_length() -> testbenches::Result<()> {
    run(8, &(0..=1472).collect::<Vec<_>>(), 40)
}

#[test]
fn echo_replies_at_64_bytes_every_length() -> testbenches::Result<()> {
    run(64, &(0..=1472).collect::<Vec<_>>(), 40)
}

#[test]
fn echo_replies_at_16_and_32_bytes() -> testbenches::Result<()> {
    let lengths: Vec<usize> = (0..=130).chain([1000, 1471, 1472]).collect();
    run(16, &lengths, 10)?;
    run(32, &lengths, 10)
}

/// Back-to-back requests with an always-ready output: replies leave at the
/// requests' pace, one beat in, one beat out, also when every request is a
/// single 64-byte beat (the header of the next frame is captured while the
/// last one's is still being summed).
#[test]
fn replies_keep_the_request_pace() -> testbenches::Result<()> {
    for (bytes, len) in [(64u32, 0usize), (64, 100), (8, 0), (8, 1000)] {
        let dut = IcmpEcho { bytes };
        let seed = rng::seed_for(&format!("icmp_echo_pace_{bytes}_{len}"));
        let mut tb = Testbench::new(rtl::model_of(&dut), seed);
        tb.clock("clk", 4_000)?;
        tb.reset("rst", true, 4)?;
        let src = tb.attach("clk", AxisSource::new(tb.model(), "s_axis", Pace::Always)?);
        let sink = tb.attach("clk", AxisSink::new(tb.model(), "m_axis", Pace::Always)?);
        let mut rng = Rng::new(seed);
        let n = 200;
        let mut beats = 0;
        for _ in 0..n {
            let (frame, ..) = request(&mut rng, len);
            beats += frame.len().div_ceil(bytes as usize) as u64;
            tb.agent_mut(src).push(AxisFrame::new(frame));
        }
        tb.run_until(|tb| tb.agent(sink).frames().len() == n, 1_000_000)?;
        let got = tb.agent_mut(sink).take_frames();
        let span = got[n - 1].last_cycle - got[0].first_cycle + 1;
        assert_eq!(
            span, beats,
            "{bytes} bytes, {len}-byte payloads: cycles from the first reply beat to the last"
        );
    }
    Ok(())
}
