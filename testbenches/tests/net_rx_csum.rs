//! `generators::net::csum` in hardware against RFC 1071's worked example
//! and a Rust reference of the one's-complement sum.

use generators::net::csum::{be_words, fold16, ones_sum, wide_sum};
use hdl::prelude::*;
use testbenches::Rng;
use verilator::{Model, Source};

bundle! {
    /// Bytes and their keep mask in; the sums out.
    pub struct CsumIo {
        #[input]
        pub data: Bits,
        #[input]
        pub keep: Bits,
        pub sum: UInt,
        pub wide: UInt,
        pub folded: UInt,
    }
}

/// `ones_sum(be_words(data, keep))`, and the wide sum folded separately.
#[derive(Debug)]
struct CsumProbe {
    bytes: u32,
}

impl Component for CsumProbe {
    type Io = CsumIo;
    fn name(&self) -> String {
        format!("csum_probe_{}", self.bytes)
    }
    fn io(&self) -> CsumIo {
        let wide = 16 + hdl::clog2(self.bytes / 2);
        CsumIo {
            data: Bits::ty(8 * self.bytes),
            keep: Bits::ty(self.bytes),
            sum: UInt::ty(16),
            wide: UInt::ty(wide),
            folded: UInt::ty(16),
        }
    }
    fn build(&self, io: &CsumIo) {
        let words = be_words(io.data, Some(io.keep));
        io.sum.set(ones_sum(&words));
        let w = wide_sum(&words);
        io.wide.set(w);
        io.folded.set(fold16(w));
    }
}

/// RFC 1071: the 16-bit one's-complement sum, end-around carry each step.
fn reference(bytes: &[u8]) -> u16 {
    let mut sum = 0u32;
    for c in bytes.chunks(2) {
        sum += u32::from(c[0]) << 8 | u32::from(*c.get(1).unwrap_or(&0));
        sum = (sum & 0xffff) + (sum >> 16);
    }
    sum as u16
}

fn model(bytes: u32) -> Model {
    let e = hdl::elaborate(&CsumProbe { bytes }).unwrap_or_else(|d| panic!("{d}"));
    Model::build(Source::from_hdl(&e).expect("source")).expect("model")
}

fn eval(m: &mut Model, data: &[u8], keep: u64) -> (u16, u64, u16) {
    let (d, k) = (m.port("data").unwrap(), m.port("keep").unwrap());
    let words: Vec<u32> = data
        .chunks(4)
        .map(|c| c.iter().rev().fold(0u32, |a, &b| a << 8 | u32::from(b)))
        .collect();
    m.set_words(d, &words).unwrap();
    m.set_u64(k, keep).unwrap();
    m.eval().unwrap();
    let get = |m: &Model, n: &str| m.get_u64(m.port(n).unwrap()).unwrap();
    (get(m, "sum") as u16, get(m, "wide"), get(m, "folded") as u16)
}

#[test]
fn rfc1071_worked_example() {
    // RFC 1071 section 3: 00 01 f2 03 f4 f5 f6 f7 -> ddf2 (carries 2, folded).
    let mut m = model(8);
    let bytes = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
    let (sum, wide, folded) = eval(&mut m, &bytes, 0xff);
    assert_eq!(wide, 0x2_ddf0);
    assert_eq!(sum, 0xddf2);
    assert_eq!(folded, 0xddf2);
    assert_eq!(reference(&bytes), 0xddf2);
}

#[test]
fn random_bytes_and_keep_masks_match_the_reference() {
    let mut rng = Rng::new(1071);
    for bytes in [8u32, 64] {
        let mut m = model(bytes);
        for i in 0..2000 {
            let mut data = rng.bytes(bytes as usize);
            if i % 7 == 0 {
                data.iter_mut().for_each(|b| *b = 0xff); // many carries
            }
            // Keep a packed prefix of `n` bytes (odd lengths included).
            let n = rng.range(0, u64::from(bytes)) as usize;
            let keep = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
            let (sum, _, folded) = eval(&mut m, &data, keep);
            let want = reference(&data[..n]);
            assert_eq!(sum, want, "{n} bytes of {data:02x?}");
            assert_eq!(folded, want);
        }
    }
}
