//! `AxisFrameFifo` under Verilator: frame mode, drop-bad, drop-when-full
//! under long stalls, metadata pairing, frames larger than the FIFO, and
//! one-beat frames at full rate.
//!
//! The reference decides from the frames what must come out: bad frames
//! (`tuser[0]` on the last beat) never do; frames that need more beats than
//! the FIFO holds never do; without stalls nothing else is dropped. Under
//! stalls, which frames meet a full FIFO depends on timing, so each drop
//! pulse is tied to the frame whose last beat it follows, the reason is
//! checked (the FIFO or its metadata store was full while the frame came
//! in), and everything not dropped must come out intact, in order, with its
//! own metadata.

mod axis_common;

use axis_common::{
    attribute, beats_of, check_drops, check_frames, model_of, output_meta, FrameSource, Probe, Taken,
    TestFrame,
};
use hdl::stdlib::axis_frame_fifo::{AxisFrameFifo, FrameMeta};
use hdl::stdlib::axis_frame_writer::FrameOptions;
use testbenches::axis::{AxisSink, Pace, ReceivedFrame};
use testbenches::{rng, Agent, Rng, Testbench};

const ALL_DROPS: FrameOptions = FrameOptions {
    frame_mode: true,
    drop_bad: true,
    drop_when_full: true,
};

/// Frame mode with back-pressure, 64 beats of 8 bytes.
fn frame_fifo() -> AxisFrameFifo {
    AxisFrameFifo {
        bytes: 8,
        user_width: Some(2),
        depth: 64,
        options: FrameOptions::FRAME,
        meta: None,
    }
}

/// Every drop option and metadata, small enough to fill often: 32 beats of
/// 8 bytes, metadata for 8 frames.
fn drop_fifo() -> AxisFrameFifo {
    AxisFrameFifo {
        bytes: 8,
        user_width: Some(2),
        depth: 32,
        options: ALL_DROPS,
        meta: Some(FrameMeta { width: 16, depth: 8 }),
    }
}

/// The receive buffer of the NIC: 256 beats of 64 bytes, every option.
fn nic_fifo() -> AxisFrameFifo {
    AxisFrameFifo {
        bytes: 64,
        user_width: Some(1),
        depth: 256,
        options: ALL_DROPS,
        meta: Some(FrameMeta { width: 48, depth: 16 }),
    }
}

struct Outcome {
    received: Vec<ReceivedFrame>,
    taken: Vec<Taken>,
    probe: Probe,
    stalls: u64,
}

/// Sends `frames` through `fifo` and runs until the FIFO is empty again.
fn run(
    fifo: &AxisFrameFifo,
    frames: &[TestFrame],
    src: Pace,
    sink: Pace,
    seed: u64,
) -> testbenches::Result<Outcome> {
    let mut tb = Testbench::new(model_of(fifo), seed);
    tb.clock("clk", 4_000)?;
    tb.reset("rst", true, 4)?;
    let meta = fifo.meta.map(|_| "s_meta");
    let s = FrameSource::new(tb.model(), "s_axis", meta, src, seed)?;
    let k = AxisSink::new(tb.model(), "m_axis", sink)?;
    let mut names = vec![
        "m_axis_tvalid",
        "m_axis_tready",
        "m_axis_tlast",
        "occupancy",
        "free",
        "frames",
        "stat_drop_bad",
        "stat_drop_full",
    ];
    if fifo.meta.is_some() {
        names.push("m_meta");
    }
    let p = Probe::new(tb.model(), &names)?;
    let (s, k, p) = (tb.attach("clk", s), tb.attach("clk", k), tb.attach("clk", p));
    for f in frames {
        tb.agent_mut(s).push(f.clone());
    }
    let occupancy = tb.model().port("occupancy")?;
    let valid = tb.model().port("m_axis_tvalid")?;
    tb.run_until(
        |tb| {
            let m = tb.model();
            tb.agent(s).is_idle()
                && tb.agent(k).is_idle()
                && m.get_u64(occupancy).is_ok_and(|o| o == 0)
                && m.get_u64(valid).is_ok_and(|v| v == 0)
        },
        1_000_000,
    )?;
    tb.run("clk", 10)?;
    let depth = u64::from(fifo.depth);
    let last = tb.agent(p).samples.last().expect("samples").1.clone();
    let pr = tb.agent(p);
    assert_eq!(
        [
            last[pr.index("occupancy")],
            last[pr.index("free")],
            last[pr.index("frames")]
        ],
        [0, depth, 0],
        "occupancy, free, frames when empty"
    );
    for (_, v) in &pr.samples {
        assert_eq!(
            v[pr.index("occupancy")] + v[pr.index("free")],
            depth,
            "occupancy + free"
        );
    }
    let stalls = tb.agent(s).stalls;
    let taken = std::mem::take(&mut tb.agent_mut(s).taken);
    let received = tb.agent_mut(k).take_frames();
    let probe = tb.agent_mut(p).take();
    Ok(Outcome {
        received,
        taken,
        probe,
        stalls,
    })
}

fn random_frames(rng: &mut Rng, n: usize, max_len: u64) -> Vec<TestFrame> {
    (0..n)
        .map(|i| {
            let len = rng.range(1, max_len) as usize;
            TestFrame {
                data: rng.bytes(len),
                user: rng.below(4),
                meta: i as u64,
            }
        })
        .collect()
}

/// Checks that exactly the frames `keep` came out, intact, in order, with
/// their own metadata.
fn check_survivors(
    frames: &[TestFrame],
    keep: &[usize],
    o: &Outcome,
    with_meta: bool,
) -> testbenches::Result<()> {
    check_frames(frames, keep, &o.received)?;
    if with_meta {
        let want: Vec<u64> = keep.iter().map(|&i| frames[i].meta).collect();
        assert_eq!(
            output_meta(&o.probe, "m_axis", "m_meta")?,
            want,
            "metadata per frame"
        );
    }
    Ok(())
}

/// Frame mode: a frame leaves only after its last beat came in; a frame of
/// exactly the FIFO's size passes, longer ones are dropped and counted
/// instead of hanging the FIFO; `tuser` passes unchanged.
#[test]
fn frame_mode_releases_whole_frames_and_drops_oversize_ones() -> testbenches::Result<()> {
    let fifo = frame_fifo();
    let seed = rng::seed_for("frame_fifo_frame_mode");
    let mut rng = Rng::new(seed);
    let mut lens: Vec<usize> = (1..=200).collect();
    lens.extend([504, 511, 512, 512, 513, 600, 1000, 9000]);
    for i in (1..lens.len()).rev() {
        lens.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let frames: Vec<TestFrame> = lens
        .iter()
        .map(|&len| TestFrame {
            data: rng.bytes(len),
            user: rng.below(4),
            meta: 0,
        })
        .collect();
    let o = run(
        &fifo,
        &frames,
        Pace::random(70, seed ^ 1),
        Pace::random_bursts(10, 30, seed ^ 2),
        seed,
    )?;
    let fits = |f: &TestFrame| beats_of(f.data.len(), 8) <= 64;
    let keep: Vec<usize> = (0..frames.len()).filter(|&i| fits(&frames[i])).collect();
    check_survivors(&frames, &keep, &o, false)?;
    let mut dropped = attribute(&o.probe, "stat_drop_full", &o.taken)?;
    dropped.sort();
    let oversize: Vec<usize> = (0..frames.len()).filter(|&i| !fits(&frames[i])).collect();
    assert_eq!(dropped, oversize, "frames dropped for not fitting");
    assert!(attribute(&o.probe, "stat_drop_bad", &o.taken)?.is_empty());
    for (got, &i) in o.received.iter().zip(&keep) {
        assert!(
            got.first_cycle > o.taken[i].last,
            "frame {i} started leaving in cycle {} before its last beat came in (cycle {})",
            got.first_cycle,
            o.taken[i].last
        );
    }
    assert!(
        o.stalls > 0,
        "the sink's stalls should have back-pressured the source"
    );
    Ok(())
}

/// Without frame mode the FIFO cuts through: beats leave before their
/// frame's end, and a full FIFO back-pressures; nothing is lost.
#[test]
fn stream_mode_cuts_through_and_back_pressures() -> testbenches::Result<()> {
    let fifo = AxisFrameFifo {
        bytes: 8,
        user_width: Some(2),
        depth: 16,
        options: FrameOptions::STREAM,
        meta: None,
    };
    let seed = rng::seed_for("frame_fifo_stream_mode");
    let mut rng = Rng::new(seed);
    let frames = random_frames(&mut rng, 200, 200);
    let o = run(
        &fifo,
        &frames,
        Pace::Always,
        Pace::random_bursts(5, 20, seed ^ 2),
        seed,
    )?;
    let all: Vec<usize> = (0..frames.len()).collect();
    check_survivors(&frames, &all, &o, false)?;
    assert!(o.stalls > 0, "never full");
    let early = o
        .received
        .iter()
        .zip(&o.taken)
        .filter(|(got, t)| got.first_cycle <= t.last)
        .count();
    assert!(early > 0, "no frame left before its last beat came in");
    Ok(())
}

/// With an always-ready sink nothing is full: exactly the frames with
/// `tuser[0]` on their last beat are dropped (earlier beats carry random
/// `tuser`, and `tuser[1]` is no drop reason), each counted once; the
/// metadata of every other frame comes out with it.
#[test]
fn drop_bad_removes_exactly_the_bad_frames() -> testbenches::Result<()> {
    let fifo = drop_fifo();
    let seed = rng::seed_for("frame_fifo_drop_bad");
    let mut rng = Rng::new(seed);
    let frames = random_frames(&mut rng, 400, 200);
    let o = run(&fifo, &frames, Pace::random(60, seed ^ 1), Pace::Always, seed)?;
    let keep: Vec<usize> = (0..frames.len()).filter(|&i| frames[i].user & 1 == 0).collect();
    check_survivors(&frames, &keep, &o, true)?;
    let bad: Vec<usize> = (0..frames.len()).filter(|&i| frames[i].user & 1 == 1).collect();
    assert_eq!(attribute(&o.probe, "stat_drop_bad", &o.taken)?, bad);
    assert!(attribute(&o.probe, "stat_drop_full", &o.taken)?.is_empty());
    Ok(())
}

/// A sink that stalls for hundreds of cycles behind a source that is never
/// back-pressured (a MAC): frames that meet a full FIFO (or a full metadata
/// store) are dropped whole and counted; frames longer than the FIFO always
/// are; the survivors are intact, in order, with their own metadata.
#[test]
fn drop_when_full_drops_whole_frames_under_long_stalls() -> testbenches::Result<()> {
    let fifo = drop_fifo();
    let meta_depth = u64::from(fifo.meta.expect("meta").depth);
    let seed = rng::seed_for("frame_fifo_drop_full");
    let mut rng = Rng::new(seed);
    let frames = random_frames(&mut rng, 600, 300);
    let o = run(
        &fifo,
        &frames,
        Pace::random(90, seed ^ 1),
        Pace::random_bursts(60, 300, seed ^ 2),
        seed,
    )?;
    assert_eq!(o.stalls, 0, "the input was back-pressured");
    let full = attribute(&o.probe, "stat_drop_full", &o.taken)?;
    let bad = attribute(&o.probe, "stat_drop_bad", &o.taken)?;
    let keep = check_drops(&frames, &bad, &full, 32, 8);
    // A frame dropped for room met a full FIFO or a full metadata store.
    let (fr, fm) = (o.probe.index("free"), o.probe.index("frames"));
    for &i in &full {
        let t = o.taken[i];
        let met_full = o
            .probe
            .samples
            .iter()
            .filter(|(c, _)| (t.first..=t.last).contains(c))
            .any(|(_, v)| v[fr] == 0 || v[fm] == meta_depth);
        assert!(met_full, "frame {i} dropped without meeting a full FIFO");
    }
    check_survivors(&frames, &keep, &o, true)?;
    let good_dropped = full.iter().filter(|&&i| frames[i].user & 1 == 0).count();
    eprintln!(
        "{} frames: {} dropped as bad, {} dropped for room ({good_dropped} of them good), {} survived",
        frames.len(),
        bad.len(),
        full.len(),
        keep.len()
    );
    assert!(
        good_dropped > 20,
        "only {good_dropped} good frames met a full FIFO"
    );
    assert!(keep.len() > 50, "only {} frames survived", keep.len());
    Ok(())
}

/// Checks that frame `i + 1` left in the cycle after frame `i`.
fn assert_back_to_back(received: &[ReceivedFrame]) {
    for (i, w) in received.windows(2).enumerate() {
        assert_eq!(
            w[1].first_cycle,
            w[0].last_cycle + 1,
            "a bubble between output frames {i} and {}",
            i + 1
        );
    }
}

/// One-beat frames, back to back, at a beat per cycle: nothing stalls,
/// nothing is dropped, they leave back to back, with their metadata.
#[test]
fn back_to_back_one_beat_frames_at_full_rate() -> testbenches::Result<()> {
    let seed = rng::seed_for("frame_fifo_one_beat_frames");
    let mut rng = Rng::new(seed);
    let nic = nic_fifo();
    let frames: Vec<TestFrame> = (0..2000)
        .map(|i| {
            let len = rng.range(1, 64) as usize;
            TestFrame {
                data: rng.bytes(len),
                user: 0,
                meta: rng.below(1 << 48) ^ i,
            }
        })
        .collect();
    let o = run(&nic, &frames, Pace::Always, Pace::Always, seed)?;
    let all: Vec<usize> = (0..frames.len()).collect();
    check_survivors(&frames, &all, &o, true)?;
    assert!(attribute(&o.probe, "stat_drop_full", &o.taken)?.is_empty());
    assert_back_to_back(&o.received);

    // The same with back-pressure instead of drops: the input never waits.
    let frames: Vec<TestFrame> = (0..2000)
        .map(|_| {
            let len = rng.range(0, 8) as usize;
            TestFrame {
                data: rng.bytes(len),
                user: rng.below(4) & 2,
                meta: 0,
            }
        })
        .collect();
    let o = run(&frame_fifo(), &frames, Pace::Always, Pace::Always, seed)?;
    check_survivors(&frames, &all, &o, false)?;
    assert_eq!(o.stalls, 0, "the input waited");
    assert_back_to_back(&o.received);
    Ok(())
}

/// The smallest shapes: one-byte beats (a 1-bit `tkeep`, stored as a 1-bit
/// count), FIFOs of 2 and 4 beats, metadata for 2 frames. The plain FIFO
/// loses nothing; the packet FIFO keeps exactly what the drop rules allow.
#[test]
fn one_byte_beats_in_tiny_fifos() -> testbenches::Result<()> {
    let seed = rng::seed_for("frame_fifo_tiny");
    let mut rng = Rng::new(seed);
    let frames: Vec<TestFrame> = (0..300)
        .map(|i| {
            let len = rng.range(0, 6) as usize;
            TestFrame {
                data: rng.bytes(len),
                user: rng.below(4),
                meta: i,
            }
        })
        .collect();
    let plain = AxisFrameFifo {
        bytes: 1,
        user_width: Some(2),
        depth: 2,
        options: FrameOptions::STREAM,
        meta: None,
    };
    let o = run(
        &plain,
        &frames,
        Pace::random(80, seed ^ 1),
        Pace::random(50, seed ^ 2),
        seed,
    )?;
    let all: Vec<usize> = (0..frames.len()).collect();
    check_survivors(&frames, &all, &o, false)?;

    let packet = AxisFrameFifo {
        bytes: 1,
        user_width: Some(2),
        depth: 4,
        options: ALL_DROPS,
        meta: Some(FrameMeta { width: 9, depth: 2 }),
    };
    let o = run(
        &packet,
        &frames,
        Pace::random(80, seed ^ 3),
        Pace::random(50, seed ^ 4),
        seed,
    )?;
    let bad = attribute(&o.probe, "stat_drop_bad", &o.taken)?;
    let full = attribute(&o.probe, "stat_drop_full", &o.taken)?;
    let keep = check_drops(&frames, &bad, &full, 4, 1);
    check_survivors(&frames, &keep, &o, true)?;
    assert!(keep.len() > 30, "only {} frames came through", keep.len());
    Ok(())
}
