//! AXI-Stream: frames, port sets, and the source and sink agents.
//!
//! Ports follow the verilog-ethernet names: `<prefix>_tdata`, `_tkeep`,
//! `_tvalid`, `_tready`, `_tlast`, `_tuser`; everything but `tdata` and
//! `tvalid` is optional. Byte `i` of a beat is `tdata[8i+7:8i]`.

mod pace;
mod ports;
mod sink;
mod source;

pub use pace::Pace;
pub use ports::AxisPorts;
pub use sink::{AxisSink, ReceivedFrame};
pub use source::AxisSource;

/// One packet on an AXI-Stream: its bytes, and the `tuser` value that goes
/// with it (driven on every beat by a source; taken from the last beat by a
/// sink).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AxisFrame {
    /// The bytes, first byte first.
    pub data: Vec<u8>,
    /// Sideband value.
    pub user: u64,
}

impl AxisFrame {
    /// A frame of `data` with `tuser` 0.
    pub fn new(data: Vec<u8>) -> AxisFrame {
        AxisFrame { data, user: 0 }
    }

    /// A frame of `data` with the given `tuser`.
    pub fn with_user(data: Vec<u8>, user: u64) -> AxisFrame {
        AxisFrame { data, user }
    }
}

impl crate::scoreboard::Compare for AxisFrame {
    fn describe_difference(&self, got: &Self) -> String {
        let mut out = String::new();
        if self.user != got.user {
            out.push_str(&format!(
                "tuser: expected {:#x}, got {:#x}\n",
                self.user, got.user
            ));
        }
        if let Some(d) = crate::hexdump::first_difference(&self.data, &got.data) {
            out.push_str(&d);
        }
        out
    }
}
