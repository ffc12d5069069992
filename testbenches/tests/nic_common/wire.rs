//! The NIC's network side, whichever MAC it has: XGMII (frames with
//! preamble and FCS, checked by the monitor) or the CMAC's streams (frames
//! without FCS, a bad frame flagged in `tuser`).

use super::{Nic, NIC_MAC};
use generators::config::MacKind;
use testbenches::axis::{AxisFrame, AxisSink, AxisSource, Pace};
use testbenches::xgmii::{Fault, LanePolicy, XgmiiMonitor, XgmiiSource};
use testbenches::{Handle, Rng, Testbench};

/// The agents on the NIC's MAC pins.
pub enum Wire {
    /// XGMII source on `xgmii_rx*`, monitor on `xgmii_tx*`.
    Xgmii {
        /// Frames to the NIC.
        src: Handle<XgmiiSource>,
        /// Frames from the NIC.
        mon: Handle<XgmiiMonitor>,
    },
    /// The CMAC's receive stream into the NIC, its transmit stream out.
    Cmac {
        /// Frames to the NIC (`rx_axis_*`).
        src: Handle<AxisSource>,
        /// Frames from the NIC (`tx_axis_*`), with random back-pressure.
        sink: Handle<AxisSink>,
    },
}

impl Wire {
    /// Attaches the agents for the NIC's MAC kind.
    pub fn attach(nic: &mut Nic, seed: u64) -> Wire {
        let tb = &mut nic.tb;
        match nic.cfg.mac.kind {
            MacKind::Xgmii => {
                let src = XgmiiSource::new(tb.model(), "xgmii_rx", LanePolicy::Random(Rng::new(seed)), seed)
                    .expect("xgmii_rx");
                let mon = XgmiiMonitor::new(tb.model(), "xgmii_tx").expect("xgmii_tx");
                Wire::Xgmii {
                    src: tb.attach("mac_rx_clk", src),
                    mon: tb.attach("mac_tx_clk", mon),
                }
            }
            MacKind::Cmac => {
                // The CMAC delivers a beat in about 61 % of its cycles at 100G.
                let src = AxisSource::new(tb.model(), "rx_axis", Pace::random(61, seed)).expect("rx_axis");
                let sink = AxisSink::new(tb.model(), "tx_axis", Pace::random(80, seed ^ 7)).expect("tx_axis");
                Wire::Cmac {
                    src: tb.attach("mac_rx_clk", src),
                    sink: tb.attach("mac_tx_clk", sink),
                }
            }
        }
    }

    /// Sends `frame` (without FCS) to the NIC; `bad` damages it (a wrong FCS,
    /// or the CMAC's error flag).
    pub fn send(&self, tb: &mut Testbench, frame: &[u8], bad: bool) {
        match self {
            Wire::Xgmii { src, .. } => {
                let fault = if bad { Fault::BadFcs } else { Fault::None };
                tb.agent_mut(*src).push_frame(frame, fault, None, None);
            }
            Wire::Cmac { src, .. } => tb
                .agent_mut(*src)
                .push(AxisFrame::with_user(frame.to_vec(), u64::from(bad))),
        }
    }

    /// Takes the frames the NIC sent (without FCS, padding kept), checking
    /// each is whole: a good FCS and no error character, or no error flag.
    pub fn take_sent(&self, tb: &mut Testbench) -> Vec<Vec<u8>> {
        match self {
            Wire::Xgmii { mon, .. } => tb
                .agent_mut(*mon)
                .take_frames()
                .into_iter()
                .map(|f| {
                    assert!(f.is_good(), "the NIC sent a damaged frame: {f:?}");
                    f.data
                })
                .collect(),
            Wire::Cmac { sink, .. } => tb
                .agent_mut(*sink)
                .take_frames()
                .into_iter()
                .map(|f| {
                    assert_eq!(f.user, 0, "the NIC flagged a frame it sent as bad");
                    f.data
                })
                .collect(),
        }
    }

    /// Runs until the NIC has sent `n` frames (kept for [`Wire::take_sent`]).
    pub fn wait_sent(&self, tb: &mut Testbench, n: usize, max_cycles: u64) {
        let count = |tb: &Testbench| match self {
            Wire::Xgmii { mon, .. } => tb.agent(*mon).frames().len(),
            Wire::Cmac { sink, .. } => tb.agent(*sink).frames().len(),
        };
        tb.run_until(|tb| count(tb) >= n, max_cycles)
            .unwrap_or_else(|e| panic!("waiting for {n} frames from the NIC: {e}"));
    }
}

/// `frame` cut to its real length (Ethernet pads short frames to 60 bytes):
/// 14 + the IPv4 total length, or 42 for ARP.
pub fn unpad(frame: &[u8]) -> &[u8] {
    match u16::from_be_bytes([frame[12], frame[13]]) {
        0x0800 => &frame[..14 + usize::from(u16::from_be_bytes([frame[16], frame[17]]))],
        0x0806 => &frame[..42],
        _ => frame,
    }
}

/// True for a frame from the NIC's own MAC address.
pub fn from_nic(frame: &[u8]) -> bool {
    frame[6..12] == NIC_MAC
}
