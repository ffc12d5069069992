//! Writes frames seen in a test to a pcap file that Wireshark and tshark open.
//!
//! The file uses the nanosecond-resolution pcap format (magic `0xa1b23c4d`)
//! with link type Ethernet; timestamps are simulation times.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Link type of Ethernet frames (without preamble, with or without FCS).
pub const LINKTYPE_ETHERNET: u32 = 1;

/// A pcap file being written.
#[derive(Debug)]
pub struct PcapWriter {
    out: BufWriter<File>,
    path: PathBuf,
    frames: u64,
}

impl PcapWriter {
    /// Creates (or truncates) `path` and writes the file header. The path is
    /// printed to stderr so that a failing test's capture can be found.
    pub fn create(path: impl AsRef<Path>) -> std::io::Result<PcapWriter> {
        let path = path.as_ref().to_path_buf();
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut out = BufWriter::new(File::create(&path)?);
        out.write_all(&0xa1b2_3c4du32.to_le_bytes())?;
        out.write_all(&2u16.to_le_bytes())?; // version 2.4
        out.write_all(&4u16.to_le_bytes())?;
        out.write_all(&0i32.to_le_bytes())?; // time zone
        out.write_all(&0u32.to_le_bytes())?; // accuracy
        out.write_all(&65_535u32.to_le_bytes())?; // snap length
        out.write_all(&LINKTYPE_ETHERNET.to_le_bytes())?;
        eprintln!("pcap: writing {}", path.display());
        Ok(PcapWriter { out, path, frames: 0 })
    }

    /// A capture file named `<name>.pcap` under `target/pcap/`.
    pub fn in_target(name: &str) -> std::io::Result<PcapWriter> {
        PcapWriter::create(target_dir().join("pcap").join(format!("{name}.pcap")))
    }

    /// Appends `frame`, seen at `time_ps` picoseconds.
    pub fn write(&mut self, time_ps: u64, frame: &[u8]) -> std::io::Result<()> {
        let ns = time_ps / 1000;
        self.out.write_all(&((ns / 1_000_000_000) as u32).to_le_bytes())?;
        self.out.write_all(&((ns % 1_000_000_000) as u32).to_le_bytes())?;
        let len = frame.len().min(65_535) as u32;
        self.out.write_all(&len.to_le_bytes())?;
        self.out.write_all(&(frame.len() as u32).to_le_bytes())?;
        self.out.write_all(&frame[..len as usize])?;
        self.frames += 1;
        Ok(())
    }

    /// Frames written so far.
    pub fn frames(&self) -> u64 {
        self.frames
    }

    /// Where the file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes buffered frames to the file.
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

impl Drop for PcapWriter {
    fn drop(&mut self) {
        let _ = self.out.flush();
    }
}

/// The workspace's `target` directory (`CARGO_TARGET_DIR` when set).
pub fn target_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(d);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target")
}
