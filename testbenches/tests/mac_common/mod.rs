//! Shared by the MAC tests: RTL checks, models, and frames built by
//! `etherparse` (an implementation independent of ours).
#![allow(dead_code)]

use hdl::{Component, Elaborated, VerilogOptions};
use std::path::{Path, PathBuf};
use std::process::Command;
use testbenches::axis::ReceivedFrame;
use testbenches::Rng;
use verilator::{Model, Source};

/// Elaborates `c`, panicking with the diagnostics on error.
pub fn elaborate<C: Component>(c: &C) -> Elaborated {
    hdl::elaborate(c).unwrap_or_else(|d| panic!("{d}"))
}

/// A Verilator model of `e`.
pub fn model(e: &Elaborated) -> Model {
    Model::builder(Source::from_hdl(e).expect("source"))
        .cxx_opt("-O1")
        .build()
        .expect("model")
}

fn run(cmd: &mut Command) -> (bool, String) {
    let out = cmd.output().unwrap_or_else(|e| {
        panic!(
            "cannot run {:?}: {e} (scripts/setup.sh installs it)",
            cmd.get_program()
        )
    });
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// `verilator --lint-only -Wall` with zero warnings, `iverilog -g2005` and
/// Yosys accept every module. The same commands as `check_rtl` in
/// `hdl/tests/support`, which the `hdl` crate's tests keep to themselves;
/// this local copy goes once a shared one exists in `testbenches`.
pub fn check_rtl(e: &Elaborated, test: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../target/mac-rtl")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create test dir");
    let files: Vec<PathBuf> = e
        .verilog_files(&VerilogOptions::default())
        .into_iter()
        .map(|f| {
            let p = dir.join(&f.file_name);
            std::fs::write(&p, &f.text).expect("write verilog");
            p
        })
        .collect();
    let top = e.top_name();
    let (ok, text) = run(Command::new("verilator")
        .args(["--lint-only", "-Wall", "--top-module", top])
        .args(&files));
    assert!(ok && text.trim().is_empty(), "verilator -Wall on {test}:\n{text}");
    let (ok, text) = run(Command::new("iverilog")
        .args(["-g2005", "-o"])
        .arg(dir.join("lint.vvp"))
        .args(["-s", top])
        .args(&files));
    assert!(ok && text.trim().is_empty(), "iverilog on {test}:\n{text}");
    let reads: Vec<String> = files
        .iter()
        .map(|f| format!("read_verilog {};", f.display()))
        .collect();
    let script = format!(
        "{} hierarchy -check -top {top}; proc; check -assert",
        reads.join(" ")
    );
    let (ok, text) = run(Command::new("yosys").args(["-q", "-p", &script]));
    assert!(ok, "yosys on {test}:\n{text}");
    files
}

/// An Ethernet II / IPv4 / UDP frame of exactly `len` bytes (without FCS,
/// `len >= 42`), built by `etherparse`; `seq` varies addresses, ports and
/// payload so that frames differ.
pub fn udp_frame(len: usize, seq: u64) -> Vec<u8> {
    assert!(len >= 42, "a UDP frame has at least 42 bytes");
    let s = seq.to_le_bytes();
    let builder = etherparse::PacketBuilder::ethernet2(
        [0x02, 0x00, 0x00, s[2], s[1], s[0]],
        [0x02, 0x11, 0x22, 0x33, 0x44, 0x55],
    )
    .ipv4([10, 0, s[1], s[0]], [10, 0, 0, 1], 64)
    .udp(1024 + (seq % 1000) as u16, 4791);
    let payload: Vec<u8> = (0..len - 42)
        .map(|i| (i as u64).wrapping_mul(31).wrapping_add(seq) as u8)
        .collect();
    let mut frame = Vec::with_capacity(len);
    builder.write(&mut frame, &payload).expect("etherparse");
    assert_eq!(frame.len(), len);
    frame
}

/// A frame of `len` bytes (any length): a UDP frame from 42 bytes on, else
/// an `etherparse` Ethernet II header (or part of one) and random bytes.
pub fn frame_of_len(len: usize, seq: u64, rng: &mut Rng) -> Vec<u8> {
    if len >= 42 {
        return udp_frame(len, seq);
    }
    let header = etherparse::Ethernet2Header {
        source: [0x02, 0, 0, 0, 0, seq as u8],
        destination: [0xff; 6],
        ether_type: etherparse::EtherType(0x88b5),
    };
    let mut frame = header.to_bytes().to_vec();
    frame.extend(rng.bytes(len.saturating_sub(14)));
    frame.truncate(len);
    frame
}

/// What the receive side must deliver for one frame put on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    /// These bytes, `tuser` 0.
    Good(Vec<u8>),
    /// One frame with `tuser[0]` set (contents unspecified).
    Flagged,
    /// Nothing at all (e.g. a bad preamble).
    Nothing,
}

/// Checks received frames against the expectations, in order.
pub fn check_received(expect: &[Expect], got: &[ReceivedFrame]) {
    let wanted: Vec<&Expect> = expect.iter().filter(|e| **e != Expect::Nothing).collect();
    for (i, (w, g)) in wanted.iter().zip(got).enumerate() {
        match w {
            Expect::Good(data) => {
                assert_eq!(g.user, 0, "frame #{i} ({} bytes) flagged bad", data.len());
                if *data != g.data {
                    let diff = testbenches::hexdump::first_difference(data, &g.data).unwrap_or_default();
                    panic!("frame #{i} differs:\n{diff}");
                }
            }
            Expect::Flagged => assert_eq!(
                g.user & 1,
                1,
                "frame #{i} should be flagged, got {} good bytes",
                g.data.len()
            ),
            Expect::Nothing => unreachable!(),
        }
    }
    assert_eq!(
        got.len(),
        wanted.len(),
        "{} frames expected, {} received",
        wanted.len(),
        got.len()
    );
}
