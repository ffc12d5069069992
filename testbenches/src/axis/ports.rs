//! The handles of one AXI-Stream interface of a model, and beat packing.

use crate::{Error, Result};
use verilator::{Model, PortHandle};

/// The ports of one AXI-Stream interface, found by prefix.
#[derive(Clone, Copy, Debug)]
pub struct AxisPorts {
    /// `tdata`.
    pub tdata: PortHandle,
    /// `tkeep`, if the interface has one.
    pub tkeep: Option<PortHandle>,
    /// `tvalid`.
    pub tvalid: PortHandle,
    /// `tready`, if the interface has one (streams without it cannot stall).
    pub tready: Option<PortHandle>,
    /// `tlast`, if the interface has one (without it every beat is a frame).
    pub tlast: Option<PortHandle>,
    /// `tuser`, if the interface has one.
    pub tuser: Option<PortHandle>,
    /// Data bytes per beat.
    pub bytes: usize,
    /// Bits of `tdata` (`8 * bytes`, or less for a plain stream's payload).
    pub bits: u32,
}

impl AxisPorts {
    /// Looks up `<prefix>_tdata`, `<prefix>_tvalid` and the optional signals.
    pub fn find(m: &Model, prefix: &str) -> Result<AxisPorts> {
        let opt = |s: &str| m.port(&format!("{prefix}_{s}")).ok();
        let tdata = m.port(&format!("{prefix}_tdata"))?;
        if tdata.width() % 8 != 0 {
            return Err(Error::Setup(format!(
                "{prefix}_tdata is {} bits, not whole bytes",
                tdata.width()
            )));
        }
        let bytes = tdata.width() as usize / 8;
        let tkeep = opt("tkeep");
        if let Some(k) = tkeep {
            if k.width() as usize != bytes {
                return Err(Error::Setup(format!(
                    "{prefix}_tkeep is {} bits for {bytes} data bytes",
                    k.width()
                )));
            }
        }
        let tuser = opt("tuser");
        if tuser.is_some_and(|u| u.width() > 64) {
            return Err(Error::Setup(format!("{prefix}_tuser wider than 64 bits")));
        }
        Ok(AxisPorts {
            tdata,
            tkeep,
            tvalid: m.port(&format!("{prefix}_tvalid"))?,
            tready: opt("tready"),
            tlast: opt("tlast"),
            tuser,
            bytes,
            bits: tdata.width(),
        })
    }

    /// A plain valid/ready stream as the `hdl` stdlib names it:
    /// `<prefix>_valid`, `<prefix>_ready`, `<prefix>_payload` (any width; the
    /// payload is handled as `ceil(width / 8)` bytes, one beat per frame).
    pub fn stream(m: &Model, prefix: &str) -> Result<AxisPorts> {
        let tdata = m.port(&format!("{prefix}_payload"))?;
        Ok(AxisPorts {
            tdata,
            tkeep: None,
            tvalid: m.port(&format!("{prefix}_valid"))?,
            tready: m.port(&format!("{prefix}_ready")).ok(),
            tlast: None,
            tuser: None,
            bytes: tdata.width().div_ceil(8) as usize,
            bits: tdata.width(),
        })
    }

    /// Writes a beat: `data` (at most `bytes` bytes) into the low bytes of
    /// `tdata`, `filler` into the rest.
    pub(crate) fn write_data(&self, m: &mut Model, data: &[u8], filler: &[u8]) -> Result<()> {
        let mut bytes = vec![0u8; self.bytes];
        bytes[..data.len()].copy_from_slice(data);
        let rest = self.bytes - data.len();
        bytes[data.len()..].copy_from_slice(&filler[..rest]);
        if !self.bits.is_multiple_of(8) {
            // A payload that is not whole bytes: the top byte is partial.
            let top = self.bytes - 1;
            if data.len() == self.bytes && bytes[top] >> (self.bits % 8) != 0 {
                return Err(Error::Setup(format!(
                    "value {:#x} does not fit the {}-bit payload",
                    bytes[top], self.bits
                )));
            }
            bytes[top] &= (1u8 << (self.bits % 8)) - 1;
        }
        if self.bytes <= 8 {
            let mut v = [0u8; 8];
            v[..self.bytes].copy_from_slice(&bytes);
            m.set_u64(self.tdata, u64::from_le_bytes(v))?;
        } else {
            let words: Vec<u32> = bytes
                .chunks(4)
                .map(|c| {
                    let mut w = [0u8; 4];
                    w[..c.len()].copy_from_slice(c);
                    u32::from_le_bytes(w)
                })
                .collect();
            m.set_words(self.tdata, &words)?;
        }
        Ok(())
    }

    /// Reads the whole `tdata` as bytes.
    pub(crate) fn read_data(&self, m: &Model) -> Result<Vec<u8>> {
        if self.bytes <= 8 {
            Ok(m.get_u64(self.tdata)?.to_le_bytes()[..self.bytes].to_vec())
        } else {
            let mut out: Vec<u8> = m
                .get_words(self.tdata)?
                .iter()
                .flat_map(|w| w.to_le_bytes())
                .collect();
            out.truncate(self.bytes);
            Ok(out)
        }
    }

    /// `tkeep` as a mask (all ones when the interface has none).
    pub(crate) fn read_keep(&self, m: &Model) -> Result<u64> {
        match self.tkeep {
            Some(k) if self.bytes <= 64 => Ok(m.get_u64(k)?),
            Some(_) => Err(Error::Setup("tkeep wider than 64 bits".into())),
            None => Ok(ones(self.bytes)),
        }
    }
}

/// The low `n` bits set.
pub(crate) fn ones(n: usize) -> u64 {
    if n >= 64 {
        u64::MAX
    } else {
        (1u64 << n) - 1
    }
}
