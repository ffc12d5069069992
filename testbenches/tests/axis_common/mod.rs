//! Shared pieces of the AXI-Stream plumbing tests (and of the
//! `axis_plumbing` bench): a frame source that drives `tuser` only where it
//! matters and records when each frame was taken, a probe that records
//! outputs every cycle, and model building.
#![allow(dead_code)]

use std::collections::VecDeque;
use testbenches::axis::{AxisFrame, AxisPorts, Pace, ReceivedFrame};
use testbenches::{Agent, Error, Result, Rng, Scoreboard};
use verilator::{Model, PortHandle, Source};

/// Elaborates `c` (panicking with the diagnostics) and builds its model.
pub fn model_of<C: hdl::Component>(c: &C) -> Model {
    let e = hdl::elaborate(c).unwrap_or_else(|d| panic!("{d}"));
    Model::builder(Source::from_hdl(&e).expect("source"))
        .cxx_opt("-O1")
        .build()
        .expect("model")
}

/// A frame to send: its bytes, `tuser` of its last beat, and the value
/// driven on a metadata input while it is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestFrame {
    /// The bytes (empty: one beat with `tkeep == 0`).
    pub data: Vec<u8>,
    /// `tuser` on the last beat; earlier beats carry random values, so a
    /// design that looks at them shows it.
    pub user: u64,
    /// Driven on the metadata port (if any) during every beat of the frame.
    pub meta: u64,
}

/// When the design took a frame (cycles of the source's clock).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Taken {
    /// Cycle of the first beat.
    pub first: u64,
    /// Cycle of the last beat.
    pub last: u64,
}

/// Sends [`TestFrame`]s into `<prefix>_*` with packed `tkeep`, holding each
/// offered beat until taken, filling unused bytes and idle cycles with noise.
pub struct FrameSource {
    ports: AxisPorts,
    meta: Option<PortHandle>,
    pace: Pace,
    noise: Rng,
    queue: VecDeque<TestFrame>,
    offset: usize,
    offering: Option<usize>,
    first: Option<u64>,
    /// When each sent frame was taken, in order.
    pub taken: Vec<Taken>,
    /// Cycles in which a beat was offered and not taken.
    pub stalls: u64,
    /// Beats taken.
    pub beats: u64,
}

impl FrameSource {
    /// A source for `<prefix>_*` of `m` at `pace`; `meta` names a metadata input.
    pub fn new(m: &Model, prefix: &str, meta: Option<&str>, pace: Pace, seed: u64) -> Result<FrameSource> {
        Ok(FrameSource {
            ports: AxisPorts::find(m, prefix)?,
            meta: meta.map(|n| m.port(n)).transpose()?,
            pace,
            noise: Rng::new(seed ^ 0x0f0f),
            queue: VecDeque::new(),
            offset: 0,
            offering: None,
            first: None,
            taken: Vec::new(),
            stalls: 0,
            beats: 0,
        })
    }

    /// Queues a frame.
    pub fn push(&mut self, f: TestFrame) {
        self.queue.push_back(f);
    }

    /// Frames not yet completely taken.
    pub fn pending(&self) -> usize {
        self.queue.len()
    }

    fn write_data(&mut self, m: &mut Model, data: &[u8]) -> Result<()> {
        let w = self.ports.bytes;
        let mut bytes = self.noise.bytes(w);
        bytes[..data.len()].copy_from_slice(data);
        if w <= 8 {
            let mut v = [0u8; 8];
            v[..w].copy_from_slice(&bytes);
            m.set_u64(self.ports.tdata, u64::from_le_bytes(v))?;
        } else {
            let words: Vec<u32> = bytes
                .chunks(4)
                .map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes")))
                .collect();
            m.set_words(self.ports.tdata, &words)?;
        }
        Ok(())
    }

    fn user_mask(&self) -> u64 {
        self.ports.tuser.map_or(0, |u| mask(u.width()))
    }

    fn drive_idle(&mut self, m: &mut Model) -> Result<()> {
        m.set_u64(self.ports.tvalid, 0)?;
        self.write_data(m, &[])?;
        let w = self.ports.bytes as u32;
        let keep = self.noise.next_u64() & mask(w);
        let noise = self.noise.next_u64();
        if let Some(k) = self.ports.tkeep {
            m.set_u64(k, keep)?;
        }
        if let Some(l) = self.ports.tlast {
            m.set_u64(l, noise & 1)?;
        }
        if let Some(u) = self.ports.tuser {
            m.set_u64(u, noise >> 1 & self.user_mask())?;
        }
        Ok(())
    }

    fn drive_beat(&mut self, m: &mut Model) -> Result<()> {
        let w = self.ports.bytes;
        let f = self.queue.front().expect("a frame").clone();
        let rest = f.data.len() - self.offset;
        let len = rest.min(w);
        let last = rest <= w;
        self.write_data(m, &f.data[self.offset..self.offset + len])?;
        if let Some(k) = self.ports.tkeep {
            m.set_u64(k, mask(len as u32))?;
        } else if len < w {
            return Err(Error::Setup("a partial beat needs tkeep".into()));
        }
        match self.ports.tlast {
            Some(l) => m.set_u64(l, u64::from(last))?,
            None if !last => return Err(Error::Setup("a multi-beat frame needs tlast".into())),
            None => {}
        }
        if let Some(u) = self.ports.tuser {
            let v = if last {
                f.user
            } else {
                self.noise.next_u64() & self.user_mask()
            };
            m.set_u64(u, v)?;
        }
        if let Some(p) = self.meta {
            m.set_u64(p, f.meta)?;
        }
        m.set_u64(self.ports.tvalid, 1)?;
        self.offering = Some(len);
        Ok(())
    }
}

/// The low `n` bits set.
pub fn mask(n: u32) -> u64 {
    if n >= 64 {
        u64::MAX
    } else {
        (1u64 << n) - 1
    }
}

impl Agent for FrameSource {
    fn sample(&mut self, m: &Model, cycle: u64) -> Result<()> {
        let Some(len) = self.offering else {
            return Ok(());
        };
        let taken = match self.ports.tready {
            Some(r) => m.get_u64(r)? == 1,
            None => true,
        };
        if !taken {
            self.stalls += 1;
            return Ok(());
        }
        self.offering = None;
        self.beats += 1;
        self.first.get_or_insert(cycle);
        self.offset += len;
        if self.offset >= self.queue.front().map_or(0, |f| f.data.len()) {
            self.queue.pop_front();
            self.offset = 0;
            let first = self.first.take().unwrap_or(cycle);
            self.taken.push(Taken { first, last: cycle });
        }
        Ok(())
    }

    fn drive(&mut self, m: &mut Model, cycle: u64) -> Result<()> {
        if self.offering.is_some() {
            return Ok(());
        }
        if !self.queue.is_empty() && self.pace.next(cycle) {
            self.drive_beat(m)
        } else {
            self.drive_idle(m)
        }
    }

    fn is_idle(&self) -> bool {
        self.queue.is_empty() && self.offering.is_none()
    }

    fn status(&self) -> String {
        format!(
            "frame source: {} frames taken, {} queued",
            self.taken.len(),
            self.queue.len()
        )
    }
}

/// Records the value of some ports (at most 64 bits each) at every edge of
/// its clock, just before the edge.
pub struct Probe {
    names: Vec<String>,
    ports: Vec<PortHandle>,
    /// `(cycle, values in the order of the names)`.
    pub samples: Vec<(u64, Vec<u64>)>,
}

impl Probe {
    /// A probe of the ports `names` of `m`.
    pub fn new(m: &Model, names: &[&str]) -> Result<Probe> {
        Ok(Probe {
            names: names.iter().map(|s| s.to_string()).collect(),
            ports: names
                .iter()
                .map(|n| m.port(n))
                .collect::<std::result::Result<_, _>>()?,
            samples: Vec::new(),
        })
    }

    /// The samples so far, as a probe of their own (this one starts afresh).
    pub fn take(&mut self) -> Probe {
        Probe {
            names: self.names.clone(),
            ports: self.ports.clone(),
            samples: std::mem::take(&mut self.samples),
        }
    }

    /// Index of port `name` in the sample vectors.
    pub fn index(&self, name: &str) -> usize {
        self.names
            .iter()
            .position(|n| n == name)
            .unwrap_or_else(|| panic!("probe has no port {name}"))
    }

    /// Cycles in which port `name` was `value`.
    pub fn cycles_where(&self, name: &str, value: u64) -> Vec<u64> {
        let i = self.index(name);
        self.samples
            .iter()
            .filter(|(_, v)| v[i] == value)
            .map(|(c, _)| *c)
            .collect()
    }
}

impl Agent for Probe {
    fn sample(&mut self, m: &Model, cycle: u64) -> Result<()> {
        let v = self
            .ports
            .iter()
            .map(|&p| m.get_u64(p))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        self.samples.push((cycle, v));
        Ok(())
    }

    fn drive(&mut self, _m: &mut Model, _cycle: u64) -> Result<()> {
        Ok(())
    }
}

/// Beats a frame of `len` bytes takes on a `width`-byte stream (an empty
/// frame is one beat).
pub fn beats_of(len: usize, width: usize) -> u64 {
    len.div_ceil(width).max(1) as u64
}

/// The frames (indices into `taken`, the source's record) that each pulse of
/// the 1-bit `port` reports: a drop pulse comes one cycle after the edge
/// that took the dropped frame's last beat. Fails on a pulse that follows no
/// frame's last beat, or two pulses for one frame.
pub fn attribute(probe: &Probe, port: &str, taken: &[Taken]) -> Result<Vec<usize>> {
    let by_last: std::collections::BTreeMap<u64, usize> =
        taken.iter().enumerate().map(|(i, t)| (t.last, i)).collect();
    let mut out = Vec::new();
    for p in probe.cycles_where(port, 1) {
        match p.checked_sub(1).and_then(|c| by_last.get(&c)) {
            Some(&i) if !out.contains(&i) => out.push(i),
            Some(&i) => return Err(Error::Mismatch(format!("{port}: two pulses for frame {i}"))),
            None => {
                return Err(Error::Mismatch(format!(
                    "{port}: pulse in cycle {p} does not follow the last beat of a frame"
                )))
            }
        }
    }
    Ok(out)
}

/// From a probe of `<prefix>_tvalid/_tready/_tlast` (and `meta`, if given):
/// per output frame, the metadata on its beats, which must all agree.
pub fn output_meta(probe: &Probe, prefix: &str, meta: &str) -> Result<Vec<u64>> {
    let (v, r, l) = (
        probe.index(&format!("{prefix}_tvalid")),
        probe.index(&format!("{prefix}_tready")),
        probe.index(&format!("{prefix}_tlast")),
    );
    let mi = probe.index(meta);
    let mut out = Vec::new();
    let mut current: Option<u64> = None;
    for (cycle, s) in &probe.samples {
        if s[v] == 1 && s[r] == 1 {
            let m = s[mi];
            if let Some(c) = current {
                if c != m {
                    return Err(Error::Mismatch(format!(
                        "{meta} changed inside a frame in cycle {cycle}: {c:#x} -> {m:#x}"
                    )));
                }
            }
            current = Some(m);
            if s[l] == 1 {
                out.push(m);
                current = None;
            }
        }
    }
    Ok(out)
}

/// From a probe of `<prefix>_tvalid/_tready/_tlast`: once the first beat of
/// a frame is taken, `tvalid` stays high until its last beat is taken (what a
/// MAC transmitter, which cannot pause inside a frame, needs).
pub fn check_no_gap(probe: &Probe, prefix: &str) -> Result<()> {
    let (v, r, l) = (
        probe.index(&format!("{prefix}_tvalid")),
        probe.index(&format!("{prefix}_tready")),
        probe.index(&format!("{prefix}_tlast")),
    );
    let mut inside = false;
    for (cycle, s) in &probe.samples {
        if inside && s[v] == 0 {
            return Err(Error::Mismatch(format!(
                "{prefix}_tvalid fell inside a frame in cycle {cycle}"
            )));
        }
        if s[v] == 1 && s[r] == 1 {
            inside = s[l] == 0;
        }
    }
    Ok(())
}

/// Checks that exactly the frames `keep` (indices into `frames`) were
/// received, intact (bytes and final `tuser`) and in order.
pub fn check_frames(frames: &[TestFrame], keep: &[usize], received: &[ReceivedFrame]) -> Result<()> {
    let mut board = Scoreboard::new("frames out");
    for &i in keep {
        board.expect(AxisFrame::with_user(frames[i].data.clone(), frames[i].user));
    }
    board.observe_all(
        received
            .iter()
            .map(|f| AxisFrame::with_user(f.data.clone(), f.user)),
    )?;
    board.finish()
}

/// Checks the drops of a run with drop-bad and drop-when-full, given the
/// frames the pulses reported (`bad`, `full`): a frame is dropped at most
/// once; only frames with `tuser[0]` on the last beat are dropped as bad,
/// and every one of them is dropped; every frame longer than `depth` beats
/// of `width` bytes is dropped for room. Returns the frames that must come
/// out, in order.
pub fn check_drops(
    frames: &[TestFrame],
    bad: &[usize],
    full: &[usize],
    depth: u64,
    width: usize,
) -> Vec<usize> {
    for &i in bad {
        assert_eq!(frames[i].user & 1, 1, "good frame {i} dropped as bad");
        assert!(!full.contains(&i), "frame {i} counted twice");
    }
    for (i, f) in frames.iter().enumerate() {
        if f.user & 1 == 1 {
            assert!(
                bad.contains(&i) || full.contains(&i),
                "bad frame {i} was not dropped"
            );
        }
        if beats_of(f.data.len(), width) > depth {
            assert!(
                full.contains(&i),
                "frame {i} is longer than the FIFO but was not dropped"
            );
        }
    }
    (0..frames.len())
        .filter(|i| !bad.contains(i) && !full.contains(i))
        .collect()
}
