//! The framework itself, on small designs: frames survive a real FIFO under
//! random stalls, protocol violations and hangs are reported, captures open.

use hdl::prelude::*;
use hdl::stdlib::axis::Axis;
use hdl::stdlib::fifo::StreamFifo;
use testbenches::axis::{AxisFrame, AxisSink, AxisSource, Pace};
use testbenches::pcap::PcapWriter;
use testbenches::{rng, Error, Rng, Scoreboard, Testbench};
use verilator::{Model, Source};

bundle! {
    /// An AXI-Stream in and out.
    pub struct AxisIo {
        #[input]
        pub s_axis: Axis,
        pub m_axis: Axis,
    }
}

/// An AXI-Stream FIFO made of the stdlib's stream FIFO: every beat's
/// `{tuser, tlast, tkeep, tdata}` is one FIFO word.
#[derive(Debug)]
struct AxisFifo {
    bytes: u32,
}

impl Component for AxisFifo {
    type Io = AxisIo;
    fn name(&self) -> String {
        format!("tb_axis_fifo_w{}", 8 * self.bytes)
    }
    fn io(&self) -> AxisIo {
        AxisIo {
            s_axis: Axis::ty(self.bytes, Some(3)),
            m_axis: Axis::ty(self.bytes, Some(3)),
        }
    }
    fn build(&self, io: &AxisIo) {
        let (s, m) = (&io.s_axis, &io.m_axis);
        let user = s.tuser.as_ref().expect("tuser");
        let width = 9 * self.bytes + 4;
        let fifo = instance("u_fifo", &StreamFifo { width, depth: 8 });
        fifo.io.s.valid.set(s.tvalid);
        fifo.io.s.payload.set(cat!(*user, s.tlast, s.tkeep, s.tdata));
        s.tready.set(fifo.io.s.ready);
        let word = fifo.io.m.payload;
        let b = 8 * self.bytes;
        m.tvalid.set(fifo.io.m.valid);
        fifo.io.m.ready.set(m.tready);
        m.tdata.set(word.range(b - 1, 0));
        m.tkeep.set(word.range(b + self.bytes - 1, b));
        m.tlast.set(word.bit(b + self.bytes));
        m.tuser
            .as_ref()
            .expect("tuser")
            .set(word.range(width - 1, width - 3));
    }
}

fn model_of<C: Component>(c: &C) -> Model {
    let e = hdl::elaborate(c).unwrap_or_else(|d| panic!("{d}"));
    Model::builder(Source::from_hdl(&e).expect("source"))
        .cxx_opt("-O1")
        .build()
        .expect("model")
}

#[test]
fn frames_cross_a_fifo_intact_under_random_gaps_and_stalls() -> testbenches::Result<()> {
    for bytes in [1, 8, 64] {
        let seed = rng::seed_for(&format!("fifo_frames_{bytes}"));
        let mut tb = Testbench::new(model_of(&AxisFifo { bytes }), seed);
        tb.clock("clk", 4_000)?;
        tb.reset("rst", true, 3)?;
        let src = AxisSource::new(tb.model(), "s_axis", Pace::random(60, seed))?;
        let sink = AxisSink::new(tb.model(), "m_axis", Pace::random_bursts(6, 4, seed ^ 1))?
            .with_pcap(PcapWriter::in_target(&format!("framework_fifo_{bytes}")).expect("pcap"));
        let (src, sink) = (tb.attach("clk", src), tb.attach("clk", sink));
        let mut rng = Rng::new(seed);
        let mut board = Scoreboard::new("fifo frames");
        for i in 0..200u64 {
            let len = rng.range(1, 5 * u64::from(bytes)) as usize;
            let f = AxisFrame::with_user(rng.bytes(len), i % 8);
            board.expect((f.data.clone(), f.user));
            tb.agent_mut(src).push(f);
        }
        tb.run_until_idle(100_000, 20)?;
        let got = tb.agent_mut(sink).take_frames();
        board.observe_all(got.into_iter().map(|f| (f.data, f.user)))?;
        board.finish()?;
        assert_eq!(tb.agent(src).frames_sent(), 200);
    }
    Ok(())
}

bundle! {
    /// A stream out only.
    pub struct OutIo {
        pub m_axis: Axis,
    }
}

/// Breaks the protocol: offers a beat every cycle and changes it every cycle,
/// taken or not.
#[derive(Debug)]
struct Fickle;

impl Component for Fickle {
    type Io = OutIo;
    fn name(&self) -> String {
        "tb_fickle".into()
    }
    fn io(&self) -> OutIo {
        OutIo {
            m_axis: Axis::ty(1, None),
        }
    }
    fn build(&self, io: &OutIo) {
        let n = reg("n", UInt::ty(8)).init(0);
        n.set(n + 1);
        io.m_axis.tdata.set(n.as_bits());
        io.m_axis.tkeep.set(Bits::ones(1));
        io.m_axis.tvalid.set(true);
        io.m_axis.tlast.set(true);
    }
}

#[test]
fn a_beat_that_changes_while_stalled_is_a_protocol_error() -> testbenches::Result<()> {
    let mut tb = Testbench::new(model_of(&Fickle), 1);
    tb.clock("clk", 2)?;
    tb.reset("rst", true, 2)?;
    let sink = AxisSink::new(tb.model(), "m_axis", Pace::Bursts { on: 2, off: 2 })?;
    tb.attach("clk", sink);
    match tb.run("clk", 20) {
        Err(Error::Protocol { message, .. }) => {
            assert!(message.contains("changed while stalled"), "{message}");
            Ok(())
        }
        other => panic!("expected a protocol error, got {other:?}"),
    }
}

#[test]
fn a_stuck_design_times_out_with_every_agents_status() -> testbenches::Result<()> {
    let mut tb = Testbench::new(model_of(&AxisFifo { bytes: 1 }), 2);
    tb.clock("clk", 2)?;
    tb.reset("rst", true, 2)?;
    let src = tb.attach("clk", AxisSource::new(tb.model(), "s_axis", Pace::Always)?);
    // The sink never takes anything: the FIFO fills and the source stalls.
    let sink = tb.attach("clk", AxisSink::new(tb.model(), "m_axis", Pace::random(0, 3))?);
    for _ in 0..20 {
        tb.agent_mut(src).push(AxisFrame::new(vec![1, 2]));
    }
    let err = tb.run_until_idle(200, 0).unwrap_err().to_string();
    assert!(err.contains("no progress after 200 cycles"), "{err}");
    assert!(err.contains("source s_axis") && err.contains("queued"), "{err}");
    assert!(err.contains("sink m_axis: 0 frames received"), "{err}");
    assert_eq!(tb.agent(sink).frames().len(), 0);
    Ok(())
}
