//! `StreamFifo` through Verilator at depths 2, 5, 16 and widths 1, 8, 72:
//! words keep their order and value under random gaps and stalls, and every
//! output (`s_ready`, `m_valid`, `m_payload`, `occupancy`) matches, cycle by
//! cycle, a Rust model written from the documented behaviour. Never stalled,
//! a FIFO of depth >= 3 moves one word per cycle.

use hdl::prelude::*;
use hdl::stdlib::fifo::{StreamFifo, StreamFifoIo};
use testbenches::axis::{AxisFrame, AxisSink, AxisSource, Pace};
use testbenches::rtl_check::checked_model;
use testbenches::{rng, Agent, Error, Handle, Result, Rng, Scoreboard, Testbench};
use verilator::{Model, PortHandle};

const DEPTHS: [u32; 3] = [2, 5, 16];
const WIDTHS: [u32; 3] = [1, 8, 72];

bundle! {
    /// One port set per FIFO: `f_<i>_s_*`, `f_<i>_m_*`, `f_<i>_occupancy`.
    pub struct FifoSetIo {
        pub f: Vec<StreamFifoIo>,
    }
}

/// Every (depth, width) FIFO side by side, so that one model serves them all.
#[derive(Debug)]
struct FifoSet;

fn configs() -> Vec<StreamFifo> {
    DEPTHS
        .iter()
        .flat_map(|&depth| WIDTHS.iter().map(move |&width| StreamFifo { width, depth }))
        .collect()
}

impl Component for FifoSet {
    type Io = FifoSetIo;
    fn name(&self) -> String {
        "tb_fifo_set".into()
    }
    fn io(&self) -> FifoSetIo {
        FifoSetIo {
            f: configs().iter().map(|c| c.io()).collect(),
        }
    }
    fn build(&self, io: &FifoSetIo) {
        for (i, (c, p)) in configs().iter().zip(&io.f).enumerate() {
            let u = instance(&format!("u_fifo_{i}"), c);
            u.io.s.connect_from(&p.s);
            p.m.connect_from(&u.io.m);
            p.occupancy.set(u.io.occupancy);
        }
    }
}

/// Reads a port of up to 128 bits.
fn get_wide(m: &Model, p: PortHandle) -> Result<u128> {
    if p.width() <= 64 {
        return Ok(u128::from(m.get_u64(p)?));
    }
    Ok(m.get_words(p)?
        .iter()
        .rev()
        .fold(0u128, |acc, w| acc << 32 | u128::from(*w)))
}

/// The FIFO as documented: `s_ready` while not full; a word pushed in cycle
/// `t` is at the output from `t + 2`; `occupancy` counts the words held.
struct FifoModel {
    name: String,
    depth: u32,
    ports: [PortHandle; 7],
    words: std::collections::VecDeque<u128>,
    out_valid: bool,
    pushes: u64,
}

impl FifoModel {
    fn new(m: &Model, i: usize, depth: u32) -> Result<FifoModel> {
        let p = |s: &str| m.port(&format!("f_{i}_{s}"));
        Ok(FifoModel {
            name: format!("fifo {i} (depth {depth})"),
            depth,
            ports: [
                p("s_valid")?,
                p("s_ready")?,
                p("s_payload")?,
                p("m_valid")?,
                p("m_ready")?,
                p("m_payload")?,
                p("occupancy")?,
            ],
            words: Default::default(),
            out_valid: false,
            pushes: 0,
        })
    }
}

impl Agent for FifoModel {
    fn sample(&mut self, m: &Model, cycle: u64) -> Result<()> {
        let [s_valid, s_ready, s_payload, m_valid, m_ready, m_payload, occupancy] = self.ports;
        let count = self.words.len() as u64;
        let want_ready = count != u64::from(self.depth);
        let got = (
            m.get_u64(s_ready)? == 1,
            m.get_u64(m_valid)? == 1,
            m.get_u64(occupancy)?,
        );
        if got != (want_ready, self.out_valid, count) {
            return Err(Error::Mismatch(format!(
                "{} cycle {cycle}: (s_ready, m_valid, occupancy) = {got:?}, model {:?}",
                self.name,
                (want_ready, self.out_valid, count)
            )));
        }
        if self.out_valid && get_wide(m, m_payload)? != self.words[0] {
            return Err(Error::Mismatch(format!(
                "{} cycle {cycle}: m_payload {:#x}, model {:#x}",
                self.name,
                get_wide(m, m_payload)?,
                self.words[0]
            )));
        }
        let push = m.get_u64(s_valid)? == 1 && want_ready;
        let pop = self.out_valid && m.get_u64(m_ready)? == 1;
        if pop {
            self.words.pop_front();
        }
        // Only words that were there before this cycle's push reach the output next cycle.
        self.out_valid = !self.words.is_empty();
        if push {
            self.words.push_back(get_wide(m, s_payload)?);
            self.pushes += 1;
        }
        Ok(())
    }

    fn drive(&mut self, _m: &mut Model, _cycle: u64) -> Result<()> {
        Ok(())
    }
}

/// A word of `width` bits as the bytes a stream source sends.
fn word_bytes(rng: &mut Rng, width: u32) -> Vec<u8> {
    let mut b = rng.bytes(width.div_ceil(8) as usize);
    if !width.is_multiple_of(8) {
        *b.last_mut().unwrap() &= (1 << (width % 8)) - 1;
    }
    b
}

struct Lane {
    src: Handle<AxisSource>,
    sink: Handle<AxisSink>,
    model: Handle<FifoModel>,
    board: Scoreboard<Vec<u8>>,
    /// The cycle each word came out.
    out_cycles: Vec<u64>,
}

/// Sends `words` through every FIFO at once with the given paces; returns the
/// bench and its lanes after checking every word.
fn run(
    test: &str,
    words: usize,
    src_pace: impl Fn(u64) -> Pace,
    sink_pace: impl Fn(u64) -> Pace,
) -> Result<Vec<Lane>> {
    let seed = rng::seed_for(test);
    let mut tb = Testbench::new(checked_model(&FifoSet, test), seed);
    tb.clock("clk", 4_000)?;
    tb.reset("rst", true, 3)?;
    let mut rng = Rng::new(seed);
    let mut lanes = Vec::new();
    for (i, c) in configs().iter().enumerate() {
        let s = seed.wrapping_add(i as u64 * 1000);
        let src = AxisSource::stream(tb.model(), &format!("f_{i}_s"), src_pace(s))?;
        let sink = AxisSink::stream(tb.model(), &format!("f_{i}_m"), sink_pace(s + 1))?;
        let model = FifoModel::new(tb.model(), i, c.depth)?;
        let (src, sink, model) = (
            tb.attach("clk", src),
            tb.attach("clk", sink),
            tb.attach("clk", model),
        );
        let mut board = Scoreboard::new(&format!("fifo {i} w{} d{}", c.width, c.depth));
        for _ in 0..words {
            let w = word_bytes(&mut rng, c.width);
            board.expect(w.clone());
            tb.agent_mut(src).push(AxisFrame::new(w));
        }
        lanes.push(Lane {
            src,
            sink,
            model,
            board,
            out_cycles: Vec::new(),
        });
    }
    tb.run_until_idle(100 * words as u64, 10)?;
    for l in &mut lanes {
        let got = tb.agent_mut(l.sink).take_frames();
        l.out_cycles = got.iter().map(|f| f.last_cycle).collect();
        l.board.observe_all(got.into_iter().map(|f| f.data))?;
        l.board.finish()?;
        assert_eq!(tb.agent(l.model).pushes, words as u64);
        assert_eq!(tb.agent(l.src).frames_sent(), words as u64);
    }
    Ok(lanes)
}

#[test]
fn order_values_and_occupancy_under_random_gaps_and_stalls() -> Result<()> {
    run(
        "fifo_random",
        2_000,
        |s| Pace::random(60, s),
        |s| Pace::random(55, s),
    )?;
    Ok(())
}

#[test]
fn order_values_and_occupancy_under_bursts() -> Result<()> {
    // Long stalls fill every FIFO; long gaps drain them.
    run(
        "fifo_bursts",
        2_000,
        |s| Pace::random_bursts(20, 12, s),
        |s| Pace::random_bursts(12, 20, s),
    )?;
    Ok(())
}

#[test]
fn full_throughput_without_stalls() -> Result<()> {
    let words = 500;
    let lanes = run("fifo_always", words, |_| Pace::Always, |_| Pace::Always)?;
    for (l, c) in lanes.iter().zip(configs()) {
        let span = l.out_cycles[words - 1] - l.out_cycles[0] + 1;
        if c.depth >= 3 {
            assert_eq!(span, words as u64, "{c:?}: one word per cycle");
        } else {
            // Depth 2 moves two words in three cycles (documented).
            assert_eq!(span, (3 * words as u64 - 1) / 2, "{c:?}");
        }
    }
    Ok(())
}
