//! `AxisAsyncFifo` under Verilator with two unrelated clocks (3.1 ns and
//! 4.0 ns both ways, 6.4 ns against 4.0 ns): nothing lost or reordered under
//! random stalls; in frame mode whole frames leave without a gap inside
//! (what a MAC transmitter needs); drops are counted in the writer's domain
//! and tied to the frames they report, the survivors are intact and in
//! order. The reference is the frame list and, under stalls, the drop pulses
//! (see `stdlib_axis_frame_fifo.rs`).

mod axis_common;

use axis_common::{
    attribute, beats_of, check_drops, check_frames, check_no_gap, model_of, FrameSource, Probe, TestFrame,
};
use hdl::stdlib::axis_async_fifo::AxisAsyncFifo;
use hdl::stdlib::axis_frame_writer::FrameOptions;
use testbenches::axis::{AxisSink, Pace, ReceivedFrame};
use testbenches::{rng, Agent, Rng, Testbench};

/// (s_clk, m_clk) periods in ps.
const CLOCKS: [(u64, u64); 3] = [(3_100, 4_000), (4_000, 3_100), (6_400, 4_000)];

fn fifo(depth: u32, options: FrameOptions) -> AxisAsyncFifo {
    AxisAsyncFifo {
        bytes: 8,
        user_width: Some(2),
        depth,
        options,
    }
}

struct Outcome {
    received: Vec<ReceivedFrame>,
    /// The output handshake, in `m_clk` cycles.
    m_probe: Probe,
    stalls: u64,
    /// Frames dropped (bad, full), by index.
    dropped: (Vec<usize>, Vec<usize>),
}

/// Sends `frames` from `s_clk` to `m_clk` and waits for every frame that was
/// not dropped.
fn run(
    fifo: &AxisAsyncFifo,
    clocks: (u64, u64),
    frames: &[TestFrame],
    src: Pace,
    sink: Pace,
    seed: u64,
) -> testbenches::Result<Outcome> {
    let mut tb = Testbench::new(model_of(fifo), seed);
    tb.clock("s_clk", clocks.0)?;
    tb.clock("m_clk", clocks.1)?;
    tb.resets(&[("s_rst", true), ("m_rst", true)], 4)?;
    let s = FrameSource::new(tb.model(), "s_axis", None, src, seed)?;
    let k = AxisSink::new(tb.model(), "m_axis", sink)?;
    let sp = Probe::new(tb.model(), &["stat_drop_bad", "stat_drop_full"])?;
    let mp = Probe::new(tb.model(), &["m_axis_tvalid", "m_axis_tready", "m_axis_tlast"])?;
    let (s, sp) = (tb.attach("s_clk", s), tb.attach("s_clk", sp));
    let (k, mp) = (tb.attach("m_clk", k), tb.attach("m_clk", mp));
    for f in frames {
        tb.agent_mut(s).push(f.clone());
    }
    tb.run_until(|tb| tb.agent(s).is_idle(), 1_000_000)?;
    tb.run("s_clk", 3)?;
    let taken = std::mem::take(&mut tb.agent_mut(s).taken);
    let bad = attribute(tb.agent(sp), "stat_drop_bad", &taken)?;
    let full = attribute(tb.agent(sp), "stat_drop_full", &taken)?;
    let expected = frames.len() - bad.len() - full.len();
    tb.run_until(|tb| tb.agent(k).frames().len() >= expected, 1_000_000)?;
    // Anything extra would show up here.
    tb.run("m_clk", 200)?;
    Ok(Outcome {
        received: tb.agent_mut(k).take_frames(),
        m_probe: tb.agent_mut(mp).take(),
        stalls: tb.agent(s).stalls,
        dropped: (bad, full),
    })
}

fn random_frames(rng: &mut Rng, n: usize, lens: (u64, u64)) -> Vec<TestFrame> {
    (0..n)
        .map(|_| {
            let len = rng.range(lens.0, lens.1) as usize;
            TestFrame {
                data: rng.bytes(len),
                user: rng.below(4),
                meta: 0,
            }
        })
        .collect()
}

/// Plain mode: every beat crosses, in order, under random gaps and stalls on
/// both sides.
#[test]
fn stream_mode_crosses_unrelated_clocks() -> testbenches::Result<()> {
    for clocks in CLOCKS {
        let seed = rng::seed_for(&format!("async_fifo_stream_{clocks:?}"));
        let mut rng = Rng::new(seed);
        let frames = random_frames(&mut rng, 300, (0, 200));
        let o = run(
            &fifo(16, FrameOptions::STREAM),
            clocks,
            &frames,
            Pace::random(80, seed ^ 1),
            Pace::random_bursts(8, 8, seed ^ 2),
            seed,
        )?;
        let all: Vec<usize> = (0..frames.len()).collect();
        check_frames(&frames, &all, &o.received)?;
        assert!(o.stalls > 0, "{clocks:?}: the FIFO never filled");
        // Beats leave as they come: behind a slower writer frames have gaps,
        // which is why a MAC transmitter needs frame mode (and shows that the
        // gap check can fail).
        if clocks.0 > clocks.1 {
            assert!(
                check_no_gap(&o.m_probe, "m_axis").is_err(),
                "{clocks:?}: no gap seen"
            );
        }
        assert!(o.dropped.0.is_empty() && o.dropped.1.is_empty());
    }
    Ok(())
}

/// Frame mode: frames leave whole, `tvalid` never falls inside a frame even
/// when the reader is faster than the writer; a frame of exactly the FIFO's
/// size passes, longer ones are dropped and counted.
#[test]
fn frame_mode_sends_whole_frames_without_gaps() -> testbenches::Result<()> {
    for clocks in CLOCKS {
        let seed = rng::seed_for(&format!("async_fifo_frame_{clocks:?}"));
        let mut rng = Rng::new(seed);
        let mut frames = random_frames(&mut rng, 250, (1, 200));
        for (at, len) in [(20, 512), (40, 513), (60, 1000), (80, 512), (100, 9000)] {
            frames.insert(
                at,
                TestFrame {
                    data: rng.bytes(len),
                    user: 0,
                    meta: 0,
                },
            );
        }
        let o = run(
            &fifo(64, FrameOptions::FRAME),
            clocks,
            &frames,
            Pace::random(60, seed ^ 1),
            Pace::random(80, seed ^ 2),
            seed,
        )?;
        let fits = |i: &usize| beats_of(frames[*i].data.len(), 8) <= 64;
        let keep: Vec<usize> = (0..frames.len()).filter(fits).collect();
        check_frames(&frames, &keep, &o.received)?;
        let oversize: Vec<usize> = (0..frames.len()).filter(|i| !fits(i)).collect();
        assert_eq!(
            o.dropped.1, oversize,
            "{clocks:?}: frames dropped for not fitting"
        );
        assert!(o.dropped.0.is_empty());
        check_no_gap(&o.m_probe, "m_axis")?;
    }
    Ok(())
}

/// Every drop option, the writer never back-pressured, the reader stalling
/// for long periods: bad frames and frames that meet a full FIFO are
/// dropped whole and counted in `s_clk`, the rest arrive intact and in order.
#[test]
fn drops_are_whole_frames_counted_in_the_writer_domain() -> testbenches::Result<()> {
    let opts = FrameOptions {
        frame_mode: true,
        drop_bad: true,
        drop_when_full: true,
    };
    for clocks in CLOCKS {
        let seed = rng::seed_for(&format!("async_fifo_drops_{clocks:?}"));
        let mut rng = Rng::new(seed);
        let frames = random_frames(&mut rng, 400, (1, 300));
        let o = run(
            &fifo(32, opts),
            clocks,
            &frames,
            Pace::random(90, seed ^ 1),
            Pace::random_bursts(60, 200, seed ^ 2),
            seed,
        )?;
        assert_eq!(o.stalls, 0, "{clocks:?}: the writer was back-pressured");
        let (bad, full) = &o.dropped;
        let keep = check_drops(&frames, bad, full, 32, 8);
        check_frames(&frames, &keep, &o.received)?;
        check_no_gap(&o.m_probe, "m_axis")?;
        let good_dropped = full.iter().filter(|&&i| frames[i].user & 1 == 0).count();
        eprintln!(
            "{clocks:?}: {} frames, {} dropped as bad, {} for room ({good_dropped} good), {} through",
            frames.len(),
            bad.len(),
            full.len(),
            keep.len()
        );
        assert!(
            good_dropped > 10,
            "{clocks:?}: only {good_dropped} good frames met a full FIFO"
        );
        assert!(
            keep.len() > 50,
            "{clocks:?}: only {} frames came through",
            keep.len()
        );
    }
    Ok(())
}
