//! The AXI-Stream sink: takes beats with back-pressure and checks the protocol.

use super::ports::{ones, AxisPorts};
use super::Pace;
use crate::pcap::PcapWriter;
use crate::{Agent, Error, Result};
use verilator::Model;

/// A frame taken from a design.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceivedFrame {
    /// The bytes whose `tkeep` was set, first byte first.
    pub data: Vec<u8>,
    /// `tuser` of the last beat.
    pub user: u64,
    /// Cycle of the first beat.
    pub first_cycle: u64,
    /// Cycle of the last beat.
    pub last_cycle: u64,
}

#[derive(Clone, PartialEq, Eq)]
struct Beat {
    data: Vec<u8>,
    keep: u64,
    last: bool,
    user: u64,
}

/// Takes frames from a design's AXI-Stream output and checks what the design
/// does: a beat offered must stay, unchanged, until taken; and unless the
/// sink is made [`AxisSink::sparse`], `tkeep` must be contiguous from byte 0
/// and full on every beat but the last.
pub struct AxisSink {
    name: String,
    ports: AxisPorts,
    pace: Pace,
    ready: bool,
    packed: bool,
    /// The beat that was offered and not taken in the last cycle.
    stalled: Option<Beat>,
    current: Vec<u8>,
    first_cycle: Option<u64>,
    frames: Vec<ReceivedFrame>,
    beats: u64,
    pcap: Option<PcapWriter>,
}

impl AxisSink {
    /// A sink for the interface `<prefix>_*` of `m`, ready at `pace` (ignored
    /// when the interface has no `tready`).
    pub fn new(m: &Model, prefix: &str, pace: Pace) -> Result<AxisSink> {
        Ok(AxisSink::from_ports(AxisPorts::find(m, prefix)?, prefix, pace))
    }

    /// A sink for a plain valid/ready/payload stream (see [`AxisPorts::stream`]).
    pub fn stream(m: &Model, prefix: &str, pace: Pace) -> Result<AxisSink> {
        Ok(AxisSink::from_ports(AxisPorts::stream(m, prefix)?, prefix, pace))
    }

    /// A sink on ports found some other way; `name` appears in messages.
    pub fn from_ports(ports: AxisPorts, name: &str, pace: Pace) -> AxisSink {
        AxisSink {
            name: format!("sink {name}"),
            ports,
            pace,
            ready: false,
            packed: true,
            stalled: None,
            current: Vec::new(),
            first_cycle: None,
            frames: Vec::new(),
            beats: 0,
            pcap: None,
        }
    }

    /// Accepts any `tkeep` pattern (default: packed, see the type's docs).
    pub fn sparse(mut self) -> AxisSink {
        self.packed = false;
        self
    }

    /// Writes every received frame to `pcap`.
    pub fn with_pcap(mut self, pcap: PcapWriter) -> AxisSink {
        self.pcap = Some(pcap);
        self
    }

    /// Changes how often the sink is ready from the next cycle on (e.g. to
    /// stall an output and release it later).
    pub fn set_pace(&mut self, pace: Pace) {
        self.pace = pace;
    }

    /// Frames received so far.
    pub fn frames(&self) -> &[ReceivedFrame] {
        &self.frames
    }

    /// Takes the frames received so far.
    pub fn take_frames(&mut self) -> Vec<ReceivedFrame> {
        std::mem::take(&mut self.frames)
    }

    /// Beats taken so far.
    pub fn beats(&self) -> u64 {
        self.beats
    }

    /// The port set.
    pub fn ports(&self) -> &AxisPorts {
        &self.ports
    }

    fn violation(&self, cycle: u64, message: String) -> Error {
        Error::Protocol {
            agent: self.name.clone(),
            cycle,
            message,
        }
    }

    fn read_beat(&self, m: &Model) -> Result<Beat> {
        Ok(Beat {
            data: self.ports.read_data(m)?,
            keep: self.ports.read_keep(m)?,
            last: match self.ports.tlast {
                Some(l) => m.get_u64(l)? == 1,
                None => true,
            },
            user: match self.ports.tuser {
                Some(u) => m.get_u64(u)?,
                None => 0,
            },
        })
    }

    fn take(&mut self, m: &Model, beat: Beat, cycle: u64) -> Result<()> {
        let w = self.ports.bytes;
        if self.packed {
            let n = beat.keep.trailing_ones() as usize;
            if beat.keep != ones(n) {
                return Err(self.violation(
                    cycle,
                    format!("tkeep {:#x} is not contiguous from byte 0", beat.keep),
                ));
            }
            if !beat.last && n != w {
                return Err(self.violation(
                    cycle,
                    format!("tkeep {:#x} is not full on a beat without tlast", beat.keep),
                ));
            }
        }
        self.beats += 1;
        self.first_cycle.get_or_insert(cycle);
        for (i, b) in beat.data.iter().enumerate() {
            if beat.keep >> i & 1 == 1 {
                self.current.push(*b);
            }
        }
        if beat.last {
            let frame = ReceivedFrame {
                data: std::mem::take(&mut self.current),
                user: beat.user,
                first_cycle: self.first_cycle.take().unwrap_or(cycle),
                last_cycle: cycle,
            };
            if let Some(p) = &mut self.pcap {
                p.write(m.time(), &frame.data)
                    .map_err(|e| Error::Setup(format!("pcap: {e}")))?;
            }
            self.frames.push(frame);
        }
        Ok(())
    }
}

impl Agent for AxisSink {
    fn sample(&mut self, m: &Model, cycle: u64) -> Result<()> {
        let valid = m.get_u64(self.ports.tvalid)? == 1;
        if !valid {
            if self.stalled.is_some() {
                return Err(self.violation(cycle, "tvalid fell before the offered beat was taken".into()));
            }
            return Ok(());
        }
        let beat = self.read_beat(m)?;
        if let Some(prev) = self.stalled.take() {
            if prev != beat {
                return Err(self.violation(
                    cycle,
                    format!(
                        "the beat changed while stalled: data/keep/last/user {}/{:#x}/{}/{:#x} became {}/{:#x}/{}/{:#x}",
                        hex(&prev.data),
                        prev.keep,
                        prev.last,
                        prev.user,
                        hex(&beat.data),
                        beat.keep,
                        beat.last,
                        beat.user
                    ),
                ));
            }
        }
        if self.ready || self.ports.tready.is_none() {
            self.take(m, beat, cycle)
        } else {
            self.stalled = Some(beat);
            Ok(())
        }
    }

    fn drive(&mut self, m: &mut Model, cycle: u64) -> Result<()> {
        if let Some(r) = self.ports.tready {
            self.ready = self.pace.next(cycle);
            m.set_u64(r, u64::from(self.ready))?;
        }
        Ok(())
    }

    fn is_idle(&self) -> bool {
        self.current.is_empty() && self.stalled.is_none()
    }

    fn status(&self) -> String {
        format!(
            "{}: {} frames received, {} bytes of a frame in progress",
            self.name,
            self.frames.len(),
            self.current.len()
        )
    }
}

fn hex(data: &[u8]) -> String {
    data.iter().rev().map(|b| format!("{b:02x}")).collect()
}
