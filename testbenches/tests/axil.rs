//! The AXI4-Lite master's own checks, against a slave that misbehaves on
//! purpose: each way of breaking the protocol is reported as a protocol
//! error, and a slave that never answers makes a blocking call time out.
//! (The master against a correct slave: `stdlib_csr.rs`.)

use hdl::prelude::*;
use hdl::stdlib::axi_lite::AxiLite;
use testbenches::axil::{AxilMaster, AxilPace};
use testbenches::axis::Pace;
use testbenches::rtl_check::checked_model;
use testbenches::{Error, Testbench};

bundle! {
    /// A slave port and the misbehaviour to show.
    pub struct BadSlaveIo {
        #[input]
        pub s_axil: AxiLite,
        #[input]
        pub mode: UInt,
    }
}

/// Modes of [`BadSlave`].
const SILENT: u64 = 0;
const B_BEFORE_W: u64 = 1;
const R_UNASKED: u64 = 2;
const R_CHANGES: u64 = 3;
const B_DROPS: u64 = 4;
const B_EXOKAY: u64 = 5;

/// A slave that breaks the protocol in the way `mode` says.
#[derive(Debug)]
struct BadSlave;

impl Component for BadSlave {
    type Io = BadSlaveIo;
    fn name(&self) -> String {
        "tb_bad_axil_slave".into()
    }
    fn io(&self) -> BadSlaveIo {
        BadSlaveIo {
            s_axil: AxiLite::ty(8, 32),
            mode: UInt::ty(3),
        }
    }
    fn build(&self, io: &BadSlaveIo) {
        let s = &io.s_axil;
        let mode = io.mode;
        let is = |m: u64| mode.is_eq(m);
        let bvalid = reg("bvalid_q", Bool::ty()).init(false);
        let rvalid = reg("rvalid_q", Bool::ty()).init(false);
        let counter = reg("counter", UInt::ty(32)).init(0);
        counter.set(counter + 1);
        s.awready.set(!is(SILENT));
        s.wready.set(!is(SILENT) & !is(B_BEFORE_W));
        s.arready.set(is(R_CHANGES));
        s.bvalid.set(bvalid);
        s.bresp.set(is(B_EXOKAY).mux(Bits::lit(1, 2), Bits::lit(0, 2)));
        s.rvalid.set(rvalid | is(R_UNASKED));
        s.rresp.set(0);
        s.rdata.set(counter.as_bits());
        // B: after the address alone, or after the data; dropped after one cycle.
        let answer = is(B_BEFORE_W).mux(s.aw_fire(), s.w_fire() & (is(B_DROPS) | is(B_EXOKAY)));
        when(answer, || bvalid.set(true)).elsewhen(is(B_DROPS) | s.bready, || bvalid.set(false));
        when(s.ar_fire(), || rvalid.set(true)).elsewhen(s.rready, || rvalid.set(false));
    }
}

/// Runs one write and one read against the slave in `mode`; returns the error.
fn misbehave(mode: u64, pace: AxilPace) -> Error {
    let mut tb = Testbench::new(checked_model(&BadSlave, "axil_bad_slave"), mode);
    tb.clock("clk", 2).unwrap();
    let mode_port = tb.model().port("mode").unwrap();
    tb.model_mut().set_u64(mode_port, mode).unwrap();
    tb.reset("rst", true, 2).unwrap();
    let m = AxilMaster::new(tb.model(), "s_axil", pace)
        .unwrap()
        .with_timeout(200);
    let m = tb.attach("clk", m);
    tb.agent_mut(m).write(0x4, 1, 0xf);
    tb.agent_mut(m).read(0x4);
    match tb.run_until_idle(200, 2) {
        Err(e) => e,
        Ok(_) => panic!("mode {mode}: no error"),
    }
}

fn protocol_message(e: Error) -> String {
    match e {
        Error::Protocol { message, agent, .. } => {
            assert!(agent.contains("axil master s_axil"), "{agent}");
            message
        }
        other => panic!("expected a protocol error, got {other}"),
    }
}

#[test]
fn a_write_response_before_the_data_is_an_error() {
    let msg = protocol_message(misbehave(B_BEFORE_W, AxilPace::always()));
    assert!(msg.contains("before its data was accepted"), "{msg}");
}

#[test]
fn read_data_nobody_asked_for_is_an_error() {
    let mut pace = AxilPace::always();
    pace.ar = Pace::random(0, 1); // never send the read address
    let msg = protocol_message(misbehave(R_UNASKED, pace));
    assert!(
        msg.contains("read data without an accepted read address"),
        "{msg}"
    );
}

#[test]
fn read_data_that_changes_while_stalled_is_an_error() {
    let mut pace = AxilPace::always();
    pace.r = Pace::random(0, 1); // never ready: the data must wait unchanged
    let msg = protocol_message(misbehave(R_CHANGES, pace));
    assert!(msg.contains("r response changed while rready was low"), "{msg}");
}

#[test]
fn a_write_response_withdrawn_before_it_was_taken_is_an_error() {
    let mut pace = AxilPace::always();
    pace.b = Pace::random(0, 1);
    let msg = protocol_message(misbehave(B_DROPS, pace));
    assert!(msg.contains("bvalid fell before the response was taken"), "{msg}");
}

#[test]
fn exokay_is_an_error() {
    let msg = protocol_message(misbehave(B_EXOKAY, AxilPace::always()));
    assert!(msg.contains("EXOKAY"), "{msg}");
}

#[test]
fn a_slave_that_never_answers_times_out() {
    let mut tb = Testbench::new(checked_model(&BadSlave, "axil_bad_slave"), 9);
    tb.clock("clk", 2).unwrap();
    tb.reset("rst", true, 2).unwrap();
    let m = AxilMaster::new(tb.model(), "s_axil", AxilPace::random(50, 9))
        .unwrap()
        .with_timeout(300);
    let m = tb.attach("clk", m);
    let mode = tb.model().port("mode").unwrap();
    tb.model_mut().set_u64(mode, SILENT).unwrap();
    match tb.axil(m).write(0x10, 5) {
        Err(Error::Timeout { cycles, status, .. }) => {
            assert_eq!(cycles, 300);
            assert!(status.contains("0 writes done, 1 open"), "{status}");
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
}
