//! XGMII (64-bit, 8 lanes): characters, frame encoding with injected faults,
//! and the agents that drive and watch an XGMII port.
//!
//! - [`XgmiiSource`] puts frames on an XGMII input (`xgmii_rxd`/`xgmii_rxc`):
//!   start on lane 0 or 4 (per frame, or by a [`LanePolicy`]), configurable
//!   idle gaps, raw words (garbage), and faults from [`Fault`].
//! - [`XgmiiMonitor`] decodes what a design sends on an XGMII output
//!   (`xgmii_txd`/`xgmii_txc`): preamble and SFD, FCS (checked with
//!   `crc32fast`), minimum length, error characters, and the gap before
//!   every frame; anything that is not XGMII framing is a protocol error.
//! - [`XgmiiLink`] carries one design's XGMII output to another (or the same
//!   design's) XGMII input across unrelated clocks, inserting or deleting
//!   idle columns between frames as a PHY's clock compensation does.
//!
//! The encoder here is written from IEEE 802.3 clause 46, independently of
//! the MAC under test; the FCS comes from `crc32fast`.

mod link;
mod monitor;
mod source;

pub use link::{XgmiiLink, XgmiiLinkRx, XgmiiLinkTx};
pub use monitor::{MonitoredFrame, XgmiiMonitor};
pub use source::{LanePolicy, XgmiiSource};

/// Idle control character `/I/`.
pub const IDLE: u8 = 0x07;
/// Start control character `/S/` (lane 0 or 4 only).
pub const START: u8 = 0xFB;
/// Terminate control character `/T/`.
pub const TERM: u8 = 0xFD;
/// Error control character `/E/`.
pub const ERROR: u8 = 0xFE;
/// Preamble data byte.
pub const PREAMBLE: u8 = 0x55;
/// Start frame delimiter.
pub const SFD: u8 = 0xD5;

/// One XGMII lane in one cycle: a data byte or a control character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Char {
    /// Data byte (`rxc` bit 0).
    Data(u8),
    /// Control character (`rxc` bit 1).
    Ctrl(u8),
}

impl Char {
    /// `/I/`.
    pub const IDLE: Char = Char::Ctrl(IDLE);

    /// True for an idle character.
    pub fn is_idle(self) -> bool {
        self == Char::IDLE
    }
}

/// The eight characters of a word (lane 0 first) from `d`/`c` port values.
pub fn word_chars(d: u64, c: u64) -> [Char; 8] {
    std::array::from_fn(|i| {
        let b = (d >> (8 * i)) as u8;
        if c >> i & 1 == 1 {
            Char::Ctrl(b)
        } else {
            Char::Data(b)
        }
    })
}

/// `d`/`c` port values of eight characters.
pub fn chars_word(chars: &[Char]) -> (u64, u64) {
    chars
        .iter()
        .enumerate()
        .fold((0, 0), |(d, c), (i, ch)| match *ch {
            Char::Data(b) => (d | u64::from(b) << (8 * i), c),
            Char::Ctrl(b) => (d | u64::from(b) << (8 * i), c | 1 << i),
        })
}

/// The Ethernet FCS of `frame` (CRC-32 by `crc32fast`), in wire order.
pub fn fcs(frame: &[u8]) -> [u8; 4] {
    crc32fast::hash(frame).to_le_bytes()
}

/// What to break when a frame is put on the wire.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Fault {
    /// Nothing: a correct frame.
    #[default]
    None,
    /// The last FCS byte is inverted.
    BadFcs,
    /// Byte `i` after the SFD (FCS bytes count) is replaced by `/E/`.
    ErrorChar(usize),
    /// Preamble byte `i` (0..=5 the 0x55 bytes, 6 the SFD) becomes `value`.
    BadPreamble {
        /// Which byte after the start character.
        index: usize,
        /// Its value.
        value: u8,
    },
    /// No terminate: idles (or the next frame's start) follow the last byte.
    NoTerminate,
    /// Only the first `n` bytes of frame + FCS are sent, then `/T/`.
    Truncate(usize),
}

/// The characters of `frame` on the wire, from `/S/` to `/T/`: start,
/// preamble, SFD, the frame, its FCS, terminate, with `fault` applied.
pub fn encode(frame: &[u8], fault: Fault) -> Vec<Char> {
    let mut out = vec![Char::Ctrl(START)];
    out.extend(std::iter::repeat_n(Char::Data(PREAMBLE), 6));
    out.push(Char::Data(SFD));
    if let Fault::BadPreamble { index, value } = fault {
        out[1 + index] = Char::Data(value);
    }
    let mut bytes = frame.to_vec();
    bytes.extend_from_slice(&fcs(frame));
    match fault {
        Fault::BadFcs => *bytes.last_mut().expect("fcs") ^= 0xFF,
        Fault::Truncate(n) => bytes.truncate(n),
        _ => {}
    }
    let first = out.len();
    out.extend(bytes.iter().map(|&b| Char::Data(b)));
    if let Fault::ErrorChar(i) = fault {
        out[first + i] = Char::Ctrl(ERROR);
    }
    if fault != Fault::NoTerminate {
        out.push(Char::Ctrl(TERM));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip() {
        let chars = [
            Char::Ctrl(START),
            Char::Data(1),
            Char::Data(2),
            Char::Data(3),
            Char::Ctrl(TERM),
            Char::IDLE,
            Char::IDLE,
            Char::Data(0xAB),
        ];
        let (d, c) = chars_word(&chars);
        assert_eq!(c, 0b0111_0001);
        assert_eq!(d & 0xFF, 0xFB);
        assert_eq!(word_chars(d, c), chars);
    }

    #[test]
    fn encoding_has_preamble_fcs_and_faults() {
        let frame = vec![0x11u8; 60];
        let good = encode(&frame, Fault::None);
        assert_eq!(good.len(), 8 + 64 + 1);
        assert_eq!(good[7], Char::Data(SFD));
        assert_eq!(*good.last().unwrap(), Char::Ctrl(TERM));
        let fcs_bytes = fcs(&frame);
        assert_eq!(good[8 + 60], Char::Data(fcs_bytes[0]));
        assert_eq!(encode(&frame, Fault::NoTerminate).len(), good.len() - 1);
        assert_eq!(encode(&frame, Fault::Truncate(10)).len(), 8 + 10 + 1);
        assert_eq!(encode(&frame, Fault::ErrorChar(3))[11], Char::Ctrl(ERROR));
        let bad = encode(
            &frame,
            Fault::BadPreamble {
                index: 6,
                value: 0x55,
            },
        );
        assert_eq!(bad[7], Char::Data(0x55));
    }
}
