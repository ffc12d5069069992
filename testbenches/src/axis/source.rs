//! The AXI-Stream source: sends queued frames beat by beat.

use super::ports::{ones, AxisPorts};
use super::{AxisFrame, Pace};
use crate::pcap::PcapWriter;
use crate::{Agent, Error, Result, Rng};
use std::collections::VecDeque;
use verilator::Model;

/// Sends frames into a design's AXI-Stream input.
///
/// Beats are offered when the [`Pace`] says so, and an offered beat is held,
/// unchanged, until the design takes it (`tready`), as the protocol requires.
/// Bytes that carry no data (`tkeep` low, or `tvalid` low) are driven with
/// random filler, so a design that reads them shows it. An empty frame is one
/// beat with `tkeep` all zero.
pub struct AxisSource {
    name: String,
    ports: AxisPorts,
    pace: Pace,
    queue: VecDeque<AxisFrame>,
    /// Bytes of the front frame already sent.
    offset: usize,
    /// A beat is on the wires and not yet taken.
    offering: bool,
    /// Bytes in the offered beat.
    beat_len: usize,
    /// Idle cycles required between frames, and those still to wait.
    gap: (u32, u32),
    filler: Rng,
    frames_sent: u64,
    beats_sent: u64,
    pcap: Option<PcapWriter>,
}

impl AxisSource {
    /// A source for the interface `<prefix>_*` of `m`, offering beats at `pace`.
    pub fn new(m: &Model, prefix: &str, pace: Pace) -> Result<AxisSource> {
        Ok(AxisSource::from_ports(AxisPorts::find(m, prefix)?, prefix, pace))
    }

    /// A source for a plain valid/ready/payload stream (see [`AxisPorts::stream`]).
    pub fn stream(m: &Model, prefix: &str, pace: Pace) -> Result<AxisSource> {
        Ok(AxisSource::from_ports(
            AxisPorts::stream(m, prefix)?,
            prefix,
            pace,
        ))
    }

    /// A source on ports found some other way; `name` appears in messages.
    pub fn from_ports(ports: AxisPorts, name: &str, pace: Pace) -> AxisSource {
        AxisSource {
            name: format!("source {name}"),
            ports,
            pace,
            queue: VecDeque::new(),
            offset: 0,
            offering: false,
            beat_len: 0,
            gap: (0, 0),
            filler: Rng::new(0x5eed ^ ports.bytes as u64),
            frames_sent: 0,
            beats_sent: 0,
            pcap: None,
        }
    }

    /// Leaves at least `cycles` idle cycles between frames.
    pub fn with_gap(mut self, cycles: u32) -> AxisSource {
        self.gap = (cycles, 0);
        self
    }

    /// Writes every frame, when its last beat is taken, to `pcap`.
    pub fn with_pcap(mut self, pcap: PcapWriter) -> AxisSource {
        self.pcap = Some(pcap);
        self
    }

    /// Queues `frame` to be sent after those already queued.
    pub fn push(&mut self, frame: AxisFrame) {
        self.queue.push_back(frame);
    }

    /// Frames still queued or being sent.
    pub fn pending(&self) -> usize {
        self.queue.len()
    }

    /// Frames completely sent.
    pub fn frames_sent(&self) -> u64 {
        self.frames_sent
    }

    /// Beats taken by the design.
    pub fn beats_sent(&self) -> u64 {
        self.beats_sent
    }

    /// The port set.
    pub fn ports(&self) -> &AxisPorts {
        &self.ports
    }

    fn drive_idle(&mut self, m: &mut Model) -> Result<()> {
        m.set_u64(self.ports.tvalid, 0)?;
        let filler = self.filler.bytes(self.ports.bytes);
        self.ports.write_data(m, &[], &filler)?;
        if let Some(k) = self.ports.tkeep {
            m.set_u64(k, self.filler.next_u64() & ones(self.ports.bytes))?;
        }
        if let Some(l) = self.ports.tlast {
            m.set_u64(l, self.filler.next_u64() & 1)?;
        }
        Ok(())
    }

    fn drive_beat(&mut self, m: &mut Model) -> Result<()> {
        let w = self.ports.bytes;
        let frame = self.queue.front().expect("a frame to send");
        let rest = frame.data.len() - self.offset;
        let len = rest.min(w);
        let last = rest <= w;
        if len < w && !last {
            unreachable!("only the last beat is partial");
        }
        if len < w && self.ports.tkeep.is_none() && !frame.data.is_empty() {
            return Err(Error::Setup(format!(
                "{}: a {}-byte frame does not fill whole beats and the interface has no tkeep",
                self.name,
                frame.data.len()
            )));
        }
        if !last && self.ports.tlast.is_none() {
            return Err(Error::Setup(format!(
                "{}: a {}-byte frame needs several beats and the interface has no tlast",
                self.name,
                frame.data.len()
            )));
        }
        let data = frame.data[self.offset..self.offset + len].to_vec();
        let user = frame.user;
        let filler = self.filler.bytes(w);
        self.ports.write_data(m, &data, &filler)?;
        if let Some(k) = self.ports.tkeep {
            m.set_u64(k, ones(len))?;
        }
        if let Some(l) = self.ports.tlast {
            m.set_u64(l, u64::from(last))?;
        }
        if let Some(u) = self.ports.tuser {
            let mask = ones(u.width() as usize);
            if user & !mask != 0 {
                return Err(Error::Setup(format!(
                    "{}: tuser {user:#x} does not fit {} bits",
                    self.name,
                    u.width()
                )));
            }
            m.set_u64(u, user)?;
        }
        m.set_u64(self.ports.tvalid, 1)?;
        self.beat_len = len;
        self.offering = true;
        Ok(())
    }
}

impl Agent for AxisSource {
    fn sample(&mut self, m: &Model, _cycle: u64) -> Result<()> {
        if !self.offering {
            return Ok(());
        }
        let taken = match self.ports.tready {
            Some(r) => m.get_u64(r)? == 1,
            None => true,
        };
        if taken {
            self.offering = false;
            self.beats_sent += 1;
            self.offset += self.beat_len;
            let len = self.queue.front().map_or(0, |f| f.data.len());
            if self.offset >= len {
                let frame = self.queue.pop_front().expect("front frame");
                self.offset = 0;
                self.frames_sent += 1;
                self.gap.1 = self.gap.0;
                if let Some(p) = &mut self.pcap {
                    p.write(m.time(), &frame.data)
                        .map_err(|e| Error::Setup(format!("pcap: {e}")))?;
                }
            }
        }
        Ok(())
    }

    fn drive(&mut self, m: &mut Model, cycle: u64) -> Result<()> {
        if self.offering {
            return Ok(()); // hold the beat until it is taken
        }
        if self.gap.1 > 0 {
            self.gap.1 -= 1;
            return self.drive_idle(m);
        }
        if !self.queue.is_empty() && self.pace.next(cycle) {
            self.drive_beat(m)
        } else {
            self.drive_idle(m)
        }
    }

    fn is_idle(&self) -> bool {
        self.queue.is_empty() && !self.offering
    }

    fn status(&self) -> String {
        format!(
            "{}: {} frames sent, {} queued, {}",
            self.name,
            self.frames_sent,
            self.queue.len(),
            if self.offering {
                "offering a beat the design does not take"
            } else {
                "not offering"
            }
        )
    }
}
