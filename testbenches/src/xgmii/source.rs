//! The XGMII source agent: frames, gaps and raw words onto an XGMII input.

use super::{chars_word, encode, Char, Fault};
use crate::{Agent, Result, Rng};
use std::collections::VecDeque;
use verilator::{Model, PortHandle};

/// Which lane a frame's start character goes to, when the frame does not say.
#[derive(Clone, Debug)]
pub enum LanePolicy {
    /// Always lane 0.
    Zero,
    /// Always lane 4.
    Four,
    /// Lane 0 or 4 at random.
    Random(Rng),
}

impl LanePolicy {
    fn next(&mut self) -> usize {
        match self {
            LanePolicy::Zero => 0,
            LanePolicy::Four => 4,
            LanePolicy::Random(r) => 4 * r.below(2) as usize,
        }
    }
}

enum Item {
    Frame {
        chars: Vec<Char>,
        lane: Option<usize>,
        gap: Option<usize>,
    },
    Words(Vec<(u64, u64)>),
}

/// Drives `<prefix>d` / `<prefix>c` (e.g. `xgmii_rxd`, `xgmii_rxc`) with
/// queued frames and words, idles otherwise.
///
/// Before each frame at least `gap` idle characters are sent (a frame's own
/// gap, else one drawn from the source's range), then idles until the start
/// character falls on the frame's lane. Raw words start on a word boundary.
pub struct XgmiiSource {
    d: PortHandle,
    c: PortHandle,
    lanes: LanePolicy,
    gap: (usize, usize),
    rng: Rng,
    queue: VecDeque<Item>,
    wire: VecDeque<Char>,
    /// Characters already driven.
    sent: u64,
    /// Characters up to the end of the last queued frame, and frames queued.
    frame_ends: VecDeque<u64>,
    frames_sent: u64,
    /// Line-rate mode: the nominal gap and the deficit idle count.
    line_rate: Option<(u64, u64)>,
    /// Position of the last queued frame's terminate.
    last_term: Option<u64>,
}

impl XgmiiSource {
    /// A source on the ports `<prefix>d` and `<prefix>c` of `m`, idle gaps of
    /// 5..=12 characters, start lanes chosen by `lanes`.
    pub fn new(m: &Model, prefix: &str, lanes: LanePolicy, seed: u64) -> Result<XgmiiSource> {
        Ok(XgmiiSource {
            d: m.port(&format!("{prefix}d"))?,
            c: m.port(&format!("{prefix}c"))?,
            lanes,
            gap: (5, 12),
            rng: Rng::new(seed),
            queue: VecDeque::new(),
            wire: VecDeque::new(),
            sent: 0,
            frame_ends: VecDeque::new(),
            frames_sent: 0,
            line_rate: None,
            last_term: None,
        })
    }

    /// Idle characters before each frame: at random in `min..=max`.
    pub fn with_gap(mut self, min: usize, max: usize) -> XgmiiSource {
        self.gap = (min, max.max(min));
        self
    }

    /// Back-to-back frames at line rate: each start goes to lane 0 or 4 with
    /// the deficit idle count (IEEE 802.3 clause 46), so that the gap from
    /// the terminate to the next start averages exactly `ifg` characters
    /// (a frame's own gap and lane are ignored).
    pub fn at_line_rate(mut self, ifg: u64) -> XgmiiSource {
        self.line_rate = Some((ifg, 0));
        self
    }

    /// Queues a correct frame (the FCS is appended).
    pub fn push(&mut self, frame: &[u8]) {
        self.push_frame(frame, Fault::None, None, None);
    }

    /// Queues a frame with `fault`, on `lane` (0 or 4; `None`: the policy)
    /// after `gap` idles (`None`: the source's range).
    pub fn push_frame(&mut self, frame: &[u8], fault: Fault, lane: Option<usize>, gap: Option<usize>) {
        self.push_chars(encode(frame, fault), lane, gap);
    }

    /// Queues characters from a start character on (any framing, however broken).
    pub fn push_chars(&mut self, chars: Vec<Char>, lane: Option<usize>, gap: Option<usize>) {
        assert!(lane.is_none_or(|l| l == 0 || l == 4), "start lane must be 0 or 4");
        self.queue.push_back(Item::Frame { chars, lane, gap });
    }

    /// Queues raw words `(d, c)`, starting on a word boundary.
    pub fn push_words(&mut self, words: Vec<(u64, u64)>) {
        self.queue.push_back(Item::Words(words));
    }

    /// Frames whose last character has been driven.
    pub fn frames_sent(&self) -> u64 {
        self.frames_sent
    }

    fn refill(&mut self) {
        while self.wire.len() < 8 {
            let Some(item) = self.queue.pop_front() else {
                self.wire.push_back(Char::IDLE);
                continue;
            };
            match item {
                Item::Frame { chars, lane, gap } => {
                    let here = self.sent + self.wire.len() as u64;
                    match (self.line_rate, self.last_term) {
                        (Some((ifg, deficit)), Some(term)) => {
                            let mut start = (term + ifg).max(here);
                            let round = start % 4;
                            let mut deficit = deficit;
                            if round != 0 {
                                if deficit + round <= 3 && start - round >= here {
                                    start -= round;
                                    deficit += round;
                                } else {
                                    start += 4 - round;
                                    deficit = deficit.saturating_sub(4 - round);
                                }
                            }
                            self.line_rate = Some((ifg, deficit));
                            self.wire
                                .extend(std::iter::repeat_n(Char::IDLE, (start - here) as usize));
                        }
                        _ => {
                            let gap = gap.unwrap_or_else(|| {
                                self.rng.range(self.gap.0 as u64, self.gap.1 as u64) as usize
                            });
                            let lane = lane.unwrap_or_else(|| self.lanes.next());
                            self.wire.extend(std::iter::repeat_n(Char::IDLE, gap));
                            while (self.sent + self.wire.len() as u64) % 8 != lane as u64 {
                                self.wire.push_back(Char::IDLE);
                            }
                        }
                    }
                    let term = chars.iter().rposition(|c| *c == Char::Ctrl(super::TERM));
                    let start = self.sent + self.wire.len() as u64;
                    self.last_term = term.map(|t| start + t as u64);
                    self.wire.extend(chars);
                    self.frame_ends.push_back(self.sent + self.wire.len() as u64);
                }
                Item::Words(words) => {
                    while !(self.sent + self.wire.len() as u64).is_multiple_of(8) {
                        self.wire.push_back(Char::IDLE);
                    }
                    for (d, c) in words {
                        self.wire.extend(super::word_chars(d, c));
                    }
                }
            }
        }
    }
}

impl Agent for XgmiiSource {
    fn sample(&mut self, _m: &Model, _cycle: u64) -> Result<()> {
        Ok(())
    }

    fn drive(&mut self, m: &mut Model, _cycle: u64) -> Result<()> {
        self.refill();
        let word: Vec<Char> = self.wire.drain(..8).collect();
        self.sent += 8;
        while self.frame_ends.front().is_some_and(|&e| e <= self.sent) {
            self.frame_ends.pop_front();
            self.frames_sent += 1;
        }
        let (d, c) = chars_word(&word);
        m.set_u64(self.d, d)?;
        m.set_u64(self.c, c)?;
        Ok(())
    }

    fn is_idle(&self) -> bool {
        self.queue.is_empty() && self.wire.iter().all(|c| c.is_idle())
    }

    fn status(&self) -> String {
        format!(
            "xgmii source: {} frames sent, {} items queued",
            self.frames_sent,
            self.queue.len()
        )
    }
}
