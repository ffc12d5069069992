//! The `Crc` component (CRC-32) through Verilator at 8, 64 and 512 data bits,
//! against `crc32fast` for every packet length 0..=300: once in whole beats
//! (AXI-Stream style, only the last beat partial) and once in beats of random
//! sizes, including empty ones, so that every `keep` pattern the component
//! accepts (contiguous from byte 0, 0..=N bytes) appears on every kind of
//! beat. Random gaps between beats; the check value of "123456789" too.

use hdl::stdlib::crc::{Crc, CRC32};
use std::collections::VecDeque;
use testbenches::axis::Pace;
use testbenches::rtl_check::checked_model;
use testbenches::{rng, Agent, Result, Rng, Scoreboard, Testbench};
use verilator::{Model, PortHandle};

fn unit(data_width: u32) -> Crc {
    Crc {
        params: CRC32,
        data_width,
    }
}

/// Sets a port from little-endian bytes (byte 0 in bits 7..0).
fn set_bytes(m: &mut Model, p: PortHandle, bytes: &[u8]) -> Result<()> {
    if p.width() <= 64 {
        let mut v = [0u8; 8];
        v[..bytes.len()].copy_from_slice(bytes);
        return Ok(m.set_u64(p, u64::from_le_bytes(v))?);
    }
    let words: Vec<u32> = bytes
        .chunks(4)
        .map(|c| c.iter().rev().fold(0u32, |w, b| w << 8 | u32::from(*b)))
        .collect();
    Ok(m.set_words(p, &words)?)
}

/// A beat: `keep` = the first `data.len()` bytes.
struct Beat {
    data: Vec<u8>,
    last: bool,
}

/// Feeds packets into one CRC unit, beat by beat, with random gaps. The unit
/// cannot stall, so a beat driven is a beat taken.
struct CrcDriver {
    data: PortHandle,
    keep: PortHandle,
    valid: PortHandle,
    last: PortHandle,
    bytes: usize,
    /// Split packets into random-size beats (else whole beats).
    random_beats: bool,
    packets: VecDeque<Vec<u8>>,
    beats: VecDeque<Beat>,
    pace: Pace,
    rng: Rng,
}

impl CrcDriver {
    fn new(m: &Model, pace: Pace, seed: u64) -> Result<CrcDriver> {
        let p = |s: &str| m.port(s);
        let data = p("data")?;
        Ok(CrcDriver {
            data,
            keep: p("keep")?,
            valid: p("valid")?,
            last: p("last")?,
            bytes: data.width() as usize / 8,
            random_beats: false,
            packets: VecDeque::new(),
            beats: VecDeque::new(),
            pace,
            rng: Rng::new(seed),
        })
    }

    fn split(&mut self, packet: &[u8]) {
        let n = self.bytes;
        if !self.random_beats {
            if packet.is_empty() {
                self.beats.push_back(Beat {
                    data: Vec::new(),
                    last: true,
                });
            }
            for (i, c) in packet.chunks(n).enumerate() {
                self.beats.push_back(Beat {
                    data: c.to_vec(),
                    last: (i + 1) * n >= packet.len(),
                });
            }
            return;
        }
        let mut at = 0;
        loop {
            let k = self.rng.range(0, n.min(packet.len() - at) as u64) as usize;
            at += k;
            // The packet may also end with an extra empty beat.
            let last = at == packet.len() && self.rng.chance(70);
            self.beats.push_back(Beat {
                data: packet[at - k..at].to_vec(),
                last,
            });
            if last {
                return;
            }
        }
    }
}

impl Agent for CrcDriver {
    fn sample(&mut self, _m: &Model, _cycle: u64) -> Result<()> {
        Ok(())
    }

    fn drive(&mut self, m: &mut Model, cycle: u64) -> Result<()> {
        if self.beats.is_empty() {
            if let Some(p) = self.packets.pop_front() {
                self.split(&p);
            }
        }
        let noise = self.rng.bytes(self.bytes);
        let offer = !self.beats.is_empty() && self.pace.next(cycle);
        let Some(beat) = offer.then(|| self.beats.pop_front()).flatten() else {
            // Idle: random data, keep and last, which the unit must ignore.
            set_bytes(m, self.data, &noise)?;
            let k = self.rng.next_u64() & ((1u64 << self.bytes.min(63)) - 1);
            m.set_u64(self.keep, k & (self.keep_mask()))?;
            m.set_u64(self.last, self.rng.next_u64() & 1)?;
            return Ok(m.set_u64(self.valid, 0)?);
        };
        // Bytes beyond `keep` carry random values, which must not count.
        let mut data = beat.data.clone();
        data.extend_from_slice(&noise[beat.data.len()..]);
        set_bytes(m, self.data, &data)?;
        let keep = if beat.data.len() >= 64 {
            u64::MAX
        } else {
            (1u64 << beat.data.len()) - 1
        };
        m.set_u64(self.keep, keep)?;
        m.set_u64(self.last, u64::from(beat.last))?;
        Ok(m.set_u64(self.valid, 1)?)
    }

    fn is_idle(&self) -> bool {
        self.packets.is_empty() && self.beats.is_empty()
    }
}

impl CrcDriver {
    fn keep_mask(&self) -> u64 {
        if self.bytes >= 64 {
            u64::MAX
        } else {
            (1u64 << self.bytes) - 1
        }
    }
}

/// Collects `crc` at every `done` pulse.
struct CrcMonitor {
    crc: PortHandle,
    done: PortHandle,
    results: Vec<u32>,
}

impl Agent for CrcMonitor {
    fn sample(&mut self, m: &Model, _cycle: u64) -> Result<()> {
        if m.get_u64(self.done)? == 1 {
            self.results.push(m.get_u64(self.crc)? as u32);
        }
        Ok(())
    }

    fn drive(&mut self, _m: &mut Model, _cycle: u64) -> Result<()> {
        Ok(())
    }
}

/// Every length 0..=300 (and "123456789") in whole beats, then again in
/// random beats, through the unit of `data_width` bits.
fn run(data_width: u32) -> Result<()> {
    assert_eq!(crc32fast::hash(b"123456789"), 0xCBF4_3926, "the oracle");
    let test = format!("crc32_w{data_width}");
    let seed = rng::seed_for(&test);
    let mut tb = Testbench::new(checked_model(&unit(data_width), &test), seed);
    tb.clock("clk", 4_000)?;
    tb.reset("rst", true, 3)?;
    let mut rng = Rng::new(seed);
    let d = CrcDriver::new(tb.model(), Pace::random(65, seed), seed ^ 1)?;
    let d = tb.attach("clk", d);
    let mon = CrcMonitor {
        crc: tb.model().port("crc")?,
        done: tb.model().port("done")?,
        results: Vec::new(),
    };
    let mon = tb.attach("clk", mon);
    for random_beats in [false, true] {
        let mut board = Scoreboard::new(&format!("{test} random beats: {random_beats}"));
        let mut packets: Vec<Vec<u8>> = (0..=300).map(|len| rng.bytes(len)).collect();
        rng.shuffle(&mut packets);
        packets.insert(7, b"123456789".to_vec());
        for p in packets {
            board.expect(crc32fast::hash(&p));
            tb.agent_mut(d).packets.push_back(p);
        }
        tb.agent_mut(d).random_beats = random_beats;
        tb.run_until_idle(200_000, 5)?;
        let results = std::mem::take(&mut tb.agent_mut(mon).results);
        assert_eq!(results[7], 0xCBF4_3926, "check value of \"123456789\"");
        board.observe_all(results)?;
        board.finish()?;
    }
    Ok(())
}

#[test]
fn crc32_8_bits_every_length() -> Result<()> {
    run(8)
}

#[test]
fn crc32_64_bits_every_length() -> Result<()> {
    run(64)
}

#[test]
fn crc32_512_bits_every_length() -> Result<()> {
    run(512)
}
