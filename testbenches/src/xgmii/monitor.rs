//! The XGMII monitor agent: decodes and checks what a design transmits.

use super::{word_chars, Char, ERROR, IDLE, PREAMBLE, SFD, START, TERM};
use crate::pcap::PcapWriter;
use crate::{Agent, Error, Result};
use verilator::{Model, PortHandle};

/// A frame seen on an XGMII output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonitoredFrame {
    /// The bytes between SFD and terminate without the last four (the FCS).
    pub data: Vec<u8>,
    /// Bytes between SFD and terminate, FCS included (`/E/` not counted).
    pub wire_len: usize,
    /// The last four bytes are the CRC-32 of the others (`crc32fast`).
    pub fcs_ok: bool,
    /// An error character `/E/` appeared inside the frame.
    pub error: bool,
    /// Lane of the start character (0 or 4).
    pub lane: usize,
    /// Characters from the previous frame's last FCS byte (terminate
    /// included) to this start character; `None` for the first frame.
    pub gap: Option<u64>,
    /// Cycle whose word held the start character.
    pub start_cycle: u64,
}

impl MonitoredFrame {
    /// A correct frame: good FCS, no error character, at least 64 bytes.
    pub fn is_good(&self) -> bool {
        self.fcs_ok && !self.error && self.wire_len >= 64
    }
}

enum State {
    Between,
    Preamble(usize),
    Frame,
}

/// Watches `<prefix>d` / `<prefix>c` (e.g. `xgmii_txd`, `xgmii_txc`).
///
/// Between frames only idles may appear, and a start only on lane 0 or 4; the
/// preamble must be six `0x55` and the SFD; inside a frame only data, `/E/`
/// and the closing `/T/`. Anything else is a protocol error at that cycle.
pub struct XgmiiMonitor {
    d: PortHandle,
    c: PortHandle,
    state: State,
    bytes: Vec<u8>,
    error: bool,
    lane: usize,
    start_cycle: u64,
    /// Characters since the last terminate (terminate included); `None` before the first frame.
    since_end: Option<u64>,
    gap: Option<u64>,
    frames: Vec<MonitoredFrame>,
    pcap: Option<PcapWriter>,
}

impl XgmiiMonitor {
    /// A monitor of the ports `<prefix>d` and `<prefix>c` of `m`.
    pub fn new(m: &Model, prefix: &str) -> Result<XgmiiMonitor> {
        Ok(XgmiiMonitor {
            d: m.port(&format!("{prefix}d"))?,
            c: m.port(&format!("{prefix}c"))?,
            state: State::Between,
            bytes: Vec::new(),
            error: false,
            lane: 0,
            start_cycle: 0,
            since_end: None,
            gap: None,
            frames: Vec::new(),
            pcap: None,
        })
    }

    /// Writes every frame (without FCS) to `pcap`.
    pub fn with_pcap(mut self, pcap: PcapWriter) -> XgmiiMonitor {
        self.pcap = Some(pcap);
        self
    }

    /// Frames seen so far.
    pub fn frames(&self) -> &[MonitoredFrame] {
        &self.frames
    }

    /// Takes the frames seen so far.
    pub fn take_frames(&mut self) -> Vec<MonitoredFrame> {
        std::mem::take(&mut self.frames)
    }

    /// True while a frame is being received.
    pub fn in_frame(&self) -> bool {
        !matches!(self.state, State::Between)
    }

    fn violation(cycle: u64, lane: usize, message: String) -> Error {
        Error::Protocol {
            agent: "xgmii monitor".into(),
            cycle,
            message: format!("lane {lane}: {message}"),
        }
    }

    fn end_frame(&mut self, m: &Model) -> Result<()> {
        let n = self.bytes.len();
        let fcs_ok = n >= 4 && super::fcs(&self.bytes[..n - 4]) == self.bytes[n - 4..];
        let data = self.bytes[..n.saturating_sub(4)].to_vec();
        if let Some(p) = &mut self.pcap {
            p.write(m.time(), &data)
                .map_err(|e| Error::Setup(format!("pcap: {e}")))?;
        }
        self.frames.push(MonitoredFrame {
            data,
            wire_len: n,
            fcs_ok,
            error: self.error,
            lane: self.lane,
            gap: self.gap,
            start_cycle: self.start_cycle,
        });
        self.bytes.clear();
        self.error = false;
        self.since_end = Some(1);
        Ok(())
    }

    fn char(&mut self, m: &Model, ch: Char, lane: usize, cycle: u64) -> Result<()> {
        match self.state {
            State::Between => match ch {
                Char::Ctrl(IDLE) => {
                    if let Some(n) = &mut self.since_end {
                        *n += 1;
                    }
                }
                Char::Ctrl(START) if lane == 0 || lane == 4 => {
                    self.state = State::Preamble(0);
                    self.lane = lane;
                    self.start_cycle = cycle;
                    self.gap = self.since_end;
                }
                other => {
                    return Err(Self::violation(cycle, lane, format!("{other:x?} between frames")));
                }
            },
            State::Preamble(i) => {
                let want = if i < 6 { PREAMBLE } else { SFD };
                if ch != Char::Data(want) {
                    return Err(Self::violation(
                        cycle,
                        lane,
                        format!("preamble byte {i} is {ch:x?}, expected {want:#04x}"),
                    ));
                }
                self.state = if i < 6 {
                    State::Preamble(i + 1)
                } else {
                    State::Frame
                };
            }
            State::Frame => match ch {
                Char::Data(b) => self.bytes.push(b),
                Char::Ctrl(ERROR) => self.error = true,
                Char::Ctrl(TERM) => {
                    self.state = State::Between;
                    self.end_frame(m)?;
                }
                other => {
                    return Err(Self::violation(cycle, lane, format!("{other:x?} inside a frame")));
                }
            },
        }
        Ok(())
    }
}

impl Agent for XgmiiMonitor {
    fn sample(&mut self, m: &Model, cycle: u64) -> Result<()> {
        let chars = word_chars(m.get_u64(self.d)?, m.get_u64(self.c)?);
        for (lane, ch) in chars.into_iter().enumerate() {
            self.char(m, ch, lane, cycle)?;
        }
        Ok(())
    }

    fn drive(&mut self, _m: &mut Model, _cycle: u64) -> Result<()> {
        Ok(())
    }

    fn is_idle(&self) -> bool {
        !self.in_frame()
    }

    fn status(&self) -> String {
        format!(
            "xgmii monitor: {} frames, {}",
            self.frames.len(),
            if self.in_frame() {
                "inside a frame"
            } else {
                "between frames"
            }
        )
    }
}
