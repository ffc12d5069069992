//! `AxisAdapter` under Verilator: every frame length through each width
//! change, random gaps and stalls, `tuser` of the last beat kept, and no
//! bubble where the adapter promises full throughput. The reference is the
//! frame itself (bytes and final `tuser` must come out unchanged) and the
//! beat count a packed stream of the output width needs.

mod axis_common;

use axis_common::{beats_of, model_of, FrameSource, TestFrame};
use hdl::prelude::*;
use hdl::stdlib::axis::Axis;
use hdl::stdlib::axis_adapter::{AxisAdapter, AxisAdapterIo};
use testbenches::axis::{AxisFrame, AxisSink, Pace, ReceivedFrame};
use testbenches::{rng, Rng, Scoreboard, Testbench};

/// Adapters in a row: byte widths `widths[0] -> widths[1] -> ...`.
#[derive(Debug)]
struct Chain {
    widths: Vec<u32>,
}

impl Component for Chain {
    type Io = AxisAdapterIo;
    fn name(&self) -> String {
        let w: Vec<String> = self.widths.iter().map(|b| (8 * b).to_string()).collect();
        format!("tb_adapter_chain_{}", w.join("_"))
    }
    fn io(&self) -> AxisAdapterIo {
        AxisAdapterIo {
            s_axis: Axis::ty(self.widths[0], Some(1)),
            m_axis: Axis::ty(*self.widths.last().expect("widths"), Some(1)),
        }
    }
    fn build(&self, io: &AxisAdapterIo) {
        let mut prev = io.s_axis.clone();
        for (i, w) in self.widths.windows(2).enumerate() {
            let a = instance(
                &format!("u_adapter{i}"),
                &AxisAdapter {
                    in_bytes: w[0],
                    out_bytes: w[1],
                    user_width: Some(1),
                },
            );
            a.io.s_axis.connect_from(&prev);
            prev = a.io.m_axis;
        }
        io.m_axis.connect_from(&prev);
    }
}

/// Frames of every length 0..=200 and some long ones up to 9000 bytes, in a
/// random order, with a random final `tuser` bit.
fn frame_set(rng: &mut Rng) -> Vec<TestFrame> {
    let mut lens: Vec<usize> = (0..=200).collect();
    lens.extend([201, 511, 512, 513, 1500, 1518, 4000, 9000]);
    for i in (1..lens.len()).rev() {
        lens.swap(i, rng.below(i as u64 + 1) as usize);
    }
    lens.into_iter()
        .map(|len| TestFrame {
            data: rng.bytes(len),
            user: rng.below(2),
            meta: 0,
        })
        .collect()
}

struct Run {
    received: Vec<ReceivedFrame>,
    out_beats: u64,
    source_stalls: u64,
}

fn run(widths: &[u32], frames: &[TestFrame], src: Pace, sink: Pace, seed: u64) -> testbenches::Result<Run> {
    let mut tb = Testbench::new(
        model_of(&Chain {
            widths: widths.to_vec(),
        }),
        seed,
    );
    tb.clock("clk", 4_000)?;
    tb.reset("rst", true, 4)?;
    let s = FrameSource::new(tb.model(), "s_axis", None, src, seed)?;
    let k = AxisSink::new(tb.model(), "m_axis", sink)?;
    let (s, k) = (tb.attach("clk", s), tb.attach("clk", k));
    for f in frames {
        tb.agent_mut(s).push(f.clone());
    }
    let n = frames.len();
    tb.run_until(|tb| tb.agent(k).frames().len() >= n, 2_000_000)?;
    tb.run("clk", 50)?;
    Ok(Run {
        received: tb.agent_mut(k).take_frames(),
        out_beats: tb.agent(k).beats(),
        source_stalls: tb.agent(s).stalls,
    })
}

/// Frames out equal frames in, in packed beats of the output width.
fn check(widths: &[u32], frames: &[TestFrame], r: &Run) -> testbenches::Result<()> {
    let mut board = Scoreboard::new(&format!("adapter {widths:?}"));
    for f in frames {
        board.expect(AxisFrame::with_user(f.data.clone(), f.user));
    }
    board.observe_all(
        r.received
            .iter()
            .map(|f| AxisFrame::with_user(f.data.clone(), f.user)),
    )?;
    board.finish()?;
    let out = *widths.last().expect("widths") as usize;
    let want: u64 = frames.iter().map(|f| beats_of(f.data.len(), out)).sum();
    assert_eq!(
        r.out_beats, want,
        "{widths:?}: output beats (empty trailing sub-beats must be skipped)"
    );
    Ok(())
}

fn every_length(widths: &[u32]) -> testbenches::Result<()> {
    let seed = rng::seed_for(&format!("adapter_every_length_{widths:?}"));
    let mut rng = Rng::new(seed);
    let frames = frame_set(&mut rng);
    let r = run(
        widths,
        &frames,
        Pace::random(70, seed ^ 1),
        Pace::random_bursts(12, 6, seed ^ 2),
        seed,
    )?;
    check(widths, &frames, &r)
}

#[test]
fn upsize_8_to_64_bytes() -> testbenches::Result<()> {
    every_length(&[8, 64])
}

#[test]
fn downsize_64_to_8_bytes() -> testbenches::Result<()> {
    every_length(&[64, 8])
}

#[test]
fn upsize_8_to_16_bytes() -> testbenches::Result<()> {
    every_length(&[8, 16])
}

#[test]
fn chain_64_to_8_to_64_bytes() -> testbenches::Result<()> {
    every_length(&[64, 8, 64])
}

#[test]
fn chain_8_to_1_to_8_bytes() -> testbenches::Result<()> {
    every_length(&[8, 1, 8])
}

/// Long stretches of stalls on both sides: nothing is lost or duplicated.
#[test]
fn long_stalls_lose_nothing() -> testbenches::Result<()> {
    for widths in [[8u32, 64], [64, 8]] {
        let seed = rng::seed_for(&format!("adapter_long_stalls_{widths:?}"));
        let mut rng = Rng::new(seed);
        let frames: Vec<TestFrame> = (0..150)
            .map(|_| {
                let len = rng.range(0, 300) as usize;
                TestFrame {
                    data: rng.bytes(len),
                    user: rng.below(2),
                    meta: 0,
                }
            })
            .collect();
        let r = run(
            &widths,
            &frames,
            Pace::random_bursts(40, 60, seed ^ 1),
            Pace::random_bursts(30, 90, seed ^ 2),
            seed,
        )?;
        check(&widths, &frames, &r)?;
    }
    Ok(())
}

fn continuous_frames(seed: u64) -> Vec<TestFrame> {
    let mut rng = Rng::new(seed);
    (0..200)
        .map(|_| {
            let len = rng.range(1, 300) as usize;
            TestFrame {
                data: rng.bytes(len),
                user: rng.below(2),
                meta: 0,
            }
        })
        .collect()
}

/// Upsizing never stalls a continuous input whose output is always taken.
#[test]
fn continuous_upsized_input_never_stalls() -> testbenches::Result<()> {
    for widths in [[8u32, 64], [8, 16]] {
        let seed = rng::seed_for(&format!("adapter_no_stall_{widths:?}"));
        let frames = continuous_frames(seed);
        let r = run(&widths, &frames, Pace::Always, Pace::Always, seed)?;
        check(&widths, &frames, &r)?;
        assert_eq!(r.source_stalls, 0, "{widths:?}: the upsizer stalled its input");
    }
    Ok(())
}

/// Downsizing of a continuous input emits a beat in every cycle: no bubble
/// inside a frame nor between frames.
#[test]
fn continuous_downsized_output_has_no_bubble() -> testbenches::Result<()> {
    let widths = [64u32, 8];
    let seed = rng::seed_for("adapter_no_bubble");
    let frames = continuous_frames(seed);
    let r = run(&widths, &frames, Pace::Always, Pace::Always, seed)?;
    check(&widths, &frames, &r)?;
    for (i, (f, got)) in frames.iter().zip(&r.received).enumerate() {
        assert_eq!(
            got.last_cycle - got.first_cycle + 1,
            beats_of(f.data.len(), 8),
            "frame {i}: a bubble inside the frame"
        );
        if let Some(next) = r.received.get(i + 1) {
            assert_eq!(next.first_cycle, got.last_cycle + 1, "a bubble after frame {i}");
        }
    }
    Ok(())
}
