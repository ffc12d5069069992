//! `tx_mux`: frames from four sources at once under random stalls come out
//! whole, in order per source, none lost; with every source always busy the
//! order is strictly round robin.

mod net_tx_common;

use generators::net::tx::tx_mux::TxMux;
use net_tx_common::rtl;
use testbenches::axis::{AxisFrame, AxisSink, AxisSource, Pace};
use testbenches::pcap::PcapWriter;
use testbenches::{rng, Rng, Testbench};

/// A frame tagged with its source and sequence number in its first bytes.
fn frame(rng: &mut Rng, source: u8, seq: u16, max_len: u64) -> AxisFrame {
    let len = rng.range(3, max_len) as usize;
    let mut data = rng.bytes(len);
    data[0] = source;
    data[1..3].copy_from_slice(&seq.to_be_bytes());
    AxisFrame::with_user(data, rng.below(2))
}

fn run(bytes: u32, per_source: u16, saturate: bool) -> testbenches::Result<()> {
    let dut = TxMux {
        bytes,
        inputs: 4,
        user_width: 1,
    };
    rtl::check_rtl(&rtl::elaborate(&dut), &format!("tx_mux_{bytes}"));
    let name = format!("tx_mux_{bytes}_{saturate}");
    let seed = rng::seed_for(&name);
    let mut tb = Testbench::new(rtl::model_of(&dut), seed);
    tb.clock("clk", 4_000)?;
    tb.reset("rst", true, 4)?;
    let mut sources = Vec::new();
    for i in 0..4u64 {
        let pace = if saturate {
            Pace::Always
        } else {
            Pace::random_bursts(8, 8, seed ^ i)
        };
        let s = AxisSource::new(tb.model(), &format!("s_axis_{i}"), pace)?;
        sources.push(tb.attach("clk", s));
    }
    let sink_pace = if saturate {
        Pace::random(70, seed ^ 9)
    } else {
        Pace::random_bursts(10, 5, seed ^ 9)
    };
    let sink = AxisSink::new(tb.model(), "m_axis", sink_pace)?
        .with_pcap(PcapWriter::in_target(&format!("net_tx_mux_{name}")).expect("pcap"));
    let sink = tb.attach("clk", sink);
    let mut rng = Rng::new(seed);
    let mut sent: Vec<Vec<AxisFrame>> = vec![Vec::new(); 4];
    for seq in 0..per_source {
        for (i, s) in sources.iter().enumerate() {
            let f = frame(&mut rng, i as u8, seq, 4 * u64::from(bytes) + 3);
            sent[i].push(f.clone());
            tb.agent_mut(*s).push(f);
        }
    }
    let total = 4 * usize::from(per_source);
    tb.run_until(|tb| tb.agent(sink).frames().len() == total, 10_000_000)?;
    tb.run_until_idle(1000, 50)?;
    let got = tb.agent_mut(sink).take_frames();
    assert_eq!(got.len(), total, "none lost, none extra");
    let mut next = [0usize; 4];
    for (k, f) in got.iter().enumerate() {
        let src = usize::from(f.data[0]);
        let want = &sent[src][next[src]];
        assert_eq!(
            f.data, want.data,
            "frame {k}: source {src} frame {} whole",
            next[src]
        );
        assert_eq!(f.user, want.user, "tuser passes");
        next[src] += 1;
        if saturate {
            assert_eq!(src, k % 4, "round robin while every source waits");
        }
    }
    Ok(())
}

#[test]
fn frames_from_all_sources_come_out_whole_at_8_bytes() -> testbenches::Result<()> {
    run(8, 300, false)
}

#[test]
fn frames_from_all_sources_come_out_whole_at_64_bytes() -> testbenches::Result<()> {
    run(64, 300, false)
}

#[test]
fn busy_sources_take_turns() -> testbenches::Result<()> {
    for bytes in [8, 16, 32, 64] {
        run(bytes, 100, true)?;
    }
    Ok(())
}
