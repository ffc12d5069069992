//! `Axis::full_pipe` / `Axis::s2m_pipe` (through `Axis::pipe_with`, with a
//! sideband vector) under Verilator: frames of every length 0..=100 bytes
//! and some long ones under random gaps and stalls come out unchanged with
//! their final `tuser`; the sideband seen with every output beat is the
//! value sent with that frame; with both sides always ready, neither slice
//! stalls its input or leaves a bubble. The RTL passes `rtl_check`.

mod axis_common;

use axis_common::{FrameSource, Probe, TestFrame};
use hdl::prelude::*;
use hdl::stdlib::axis::Axis;
use testbenches::axis::{AxisFrame, AxisSink, Pace};
use testbenches::rtl_check::checked_model;
use testbenches::{rng, Rng, Scoreboard, Testbench};

const BYTES: u32 = 8;
const SIDE_BITS: u32 = 12;

bundle! {
    /// The slice's ports with the sideband as `s_meta` / `m_meta`.
    pub struct PipeIo {
        #[input]
        pub s_axis: Axis,
        #[input]
        pub s_meta: Bits,
        pub m_axis: Axis,
        pub m_meta: Bits,
    }
}

/// One register slice: both ways (`full`) or the skid buffer alone.
#[derive(Debug)]
struct Pipe {
    full: bool,
}

impl Component for Pipe {
    type Io = PipeIo;
    fn name(&self) -> String {
        format!("tb_axis_pipe_{}", if self.full { "full" } else { "s2m" })
    }
    fn io(&self) -> PipeIo {
        PipeIo {
            s_axis: Axis::ty(BYTES, Some(1)),
            s_meta: Bits::ty(SIDE_BITS),
            m_axis: Axis::ty(BYTES, Some(1)),
            m_meta: Bits::ty(SIDE_BITS),
        }
    }
    fn build(&self, io: &PipeIo) {
        let (out, side) = io.s_axis.pipe_with("slice", self.full, Some(io.s_meta));
        io.m_axis.connect_from(&out);
        io.m_meta.set(side.expect("sideband"));
    }
}

fn frames(rng: &mut Rng, lens: impl Iterator<Item = usize>) -> Vec<TestFrame> {
    lens.map(|len| TestFrame {
        data: rng.bytes(len),
        user: rng.below(2),
        meta: rng.below(1 << SIDE_BITS),
    })
    .collect()
}

/// Sends `frames` through the slice; checks bytes, `tuser` and the sideband
/// of every beat; returns (input stalls, output cycles from first to last beat).
fn run(
    full: bool,
    frames: &[TestFrame],
    src: Pace,
    sink: Pace,
    seed: u64,
) -> testbenches::Result<(u64, u64)> {
    // Lint-clean in every tool, then the model.
    let pipe = Pipe { full };
    let mut tb = Testbench::new(checked_model(&pipe, &pipe.name()), seed);
    tb.clock("clk", 4_000)?;
    tb.reset("rst", true, 4)?;
    let s = FrameSource::new(tb.model(), "s_axis", Some("s_meta"), src, seed)?;
    let k = AxisSink::new(tb.model(), "m_axis", sink)?;
    let p = Probe::new(
        tb.model(),
        &["m_axis_tvalid", "m_axis_tready", "m_axis_tlast", "m_meta"],
    )?;
    let (s, k, p) = (tb.attach("clk", s), tb.attach("clk", k), tb.attach("clk", p));
    for f in frames {
        tb.agent_mut(s).push(f.clone());
    }
    let n = frames.len();
    tb.run_until(|tb| tb.agent(k).frames().len() >= n, 1_000_000)?;
    tb.run("clk", 20)?;
    let got = tb.agent_mut(k).take_frames();
    let mut board = Scoreboard::new(&format!("axis pipe (full: {full})"));
    for f in frames {
        board.expect(AxisFrame::with_user(f.data.clone(), f.user));
    }
    board.observe_all(got.iter().map(|f| AxisFrame::with_user(f.data.clone(), f.user)))?;
    board.finish()?;
    // The sideband of every output beat is its frame's.
    let probe = tb.agent_mut(p).take();
    let (v, r, l, m) = (
        probe.index("m_axis_tvalid"),
        probe.index("m_axis_tready"),
        probe.index("m_axis_tlast"),
        probe.index("m_meta"),
    );
    let mut frame = 0;
    for (cycle, s) in &probe.samples {
        if s[v] == 1 && s[r] == 1 {
            assert_eq!(
                s[m], frames[frame].meta,
                "sideband of frame {frame} at cycle {cycle}"
            );
            frame += usize::from(s[l] == 1);
        }
    }
    assert_eq!(frame, n);
    let span = got[n - 1].last_cycle - got[0].first_cycle + 1;
    Ok((tb.agent(s).stalls, span))
}

#[test]
fn frames_and_sideband_pass_under_random_stalls() -> testbenches::Result<()> {
    for full in [true, false] {
        let seed = rng::seed_for(&format!("axis_pipe_random_{full}"));
        let mut rng = Rng::new(seed);
        let lens: Vec<usize> = (0..=100).chain([511, 1500, 9000]).collect();
        let fs = frames(&mut rng, lens.into_iter());
        run(
            full,
            &fs,
            Pace::random(60, seed ^ 1),
            Pace::random_bursts(8, 8, seed ^ 2),
            seed,
        )?;
    }
    Ok(())
}

#[test]
fn full_throughput_without_stalls() -> testbenches::Result<()> {
    for full in [true, false] {
        let seed = rng::seed_for(&format!("axis_pipe_throughput_{full}"));
        let mut rng = Rng::new(seed);
        let fs = frames(&mut rng, (0..200).map(|i| 1 + i % 100));
        let beats: u64 = fs
            .iter()
            .map(|f| f.data.len().div_ceil(BYTES as usize) as u64)
            .sum();
        let (stalls, span) = run(full, &fs, Pace::Always, Pace::Always, seed)?;
        assert_eq!(stalls, 0, "full: {full}: the slice stalled its input");
        assert_eq!(span, beats, "full: {full}: a bubble in the output");
    }
    Ok(())
}
