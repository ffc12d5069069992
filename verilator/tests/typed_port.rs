//! Typed port handles (`src/typed_port.rs`): the same values as untyped
//! handles at every storage size, and lookups and writes that go wrong say so.

use hdl::prelude::*;
use verilator::{Error, Model, Source};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Port widths: one per storage word size, and a partial one of each.
const WIDTHS: [u32; 7] = [1, 8, 12, 16, 20, 40, 64];

bundle! {
    /// Inputs `a<w>` and outputs `q<w>` per width.
    pub struct WidthsIo {
        #[input]
        pub a: Vec<UInt>,
        pub q: Vec<UInt>,
    }
}

/// Registers `a<w> + 1` into `q<w>` for every width.
#[derive(Debug)]
struct Widths;

impl Component for Widths {
    type Io = WidthsIo;
    fn name(&self) -> String {
        "typed_widths".into()
    }
    fn io(&self) -> WidthsIo {
        WidthsIo {
            a: WIDTHS.iter().map(|&w| UInt::ty(w)).collect(),
            q: WIDTHS.iter().map(|&w| UInt::ty(w)).collect(),
        }
    }
    fn build(&self, io: &WidthsIo) {
        for (i, (a, q)) in io.a.iter().zip(&io.q).enumerate() {
            let r = reg(&format!("r{i}"), UInt::ty(WIDTHS[i])).init(0);
            r.set(*a + 1);
            q.set(r);
        }
    }
}

fn model() -> Result<Model, Box<dyn std::error::Error>> {
    let e = hdl::elaborate(&Widths).map_err(|d| d.to_string())?;
    let mut m = Model::builder(Source::from_hdl(&e)?)
        .cxx_opt("-O1")
        .trace(None)
        .build()?;
    m.add_clock("clk", 10)?;
    m.reset("rst", true, 1)?;
    Ok(m)
}

fn mask(w: u32) -> u64 {
    u64::MAX >> (64 - w)
}

#[test]
fn typed_handles_agree_with_untyped_ones() -> TestResult {
    let mut m = model()?;
    let names: Vec<String> = m.port_names().iter().map(|s| s.to_string()).collect();
    let (ins, outs): (Vec<_>, Vec<_>) = (
        names.iter().filter(|n| n.starts_with("a_")).cloned().collect(),
        names.iter().filter(|n| n.starts_with("q_")).cloned().collect(),
    );
    assert_eq!((ins.len(), outs.len()), (WIDTHS.len(), WIDTHS.len()), "{names:?}");
    let (a8, a16, a32, a64) = (
        m.input::<u8>(&ins[1])?,
        m.input::<u16>(&ins[3])?,
        m.input::<u32>(&ins[4])?,
        m.input::<u64>(&ins[6])?,
    );
    let (q1, q12, q40) = (
        m.output::<u8>(&outs[0])?,
        m.output::<u16>(&outs[2])?,
        m.output::<u64>(&outs[5])?,
    );
    let untyped_in: Vec<_> = ins.iter().map(|n| m.port(n)).collect::<Result<_, _>>()?;
    let untyped_out: Vec<_> = outs.iter().map(|n| m.port(n)).collect::<Result<_, _>>()?;
    let mut x: u64 = 0x0123_4567_89ab_cdef;
    for cycle in 0..2000 {
        let mut vals = Vec::new();
        for (i, &w) in WIDTHS.iter().enumerate() {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let v = x & mask(w);
            vals.push(v);
            // Typed where there is a typed handle, on every other cycle.
            match (i, cycle % 2) {
                (1, 0) => m.set(a8, v as u8)?,
                (3, 0) => m.set(a16, v as u16)?,
                (4, 0) => m.set(a32, v as u32)?,
                (6, 0) => m.set(a64, v)?,
                _ => m.set_u64(untyped_in[i], v)?,
            }
        }
        // Inputs read back through both kinds of handle.
        assert_eq!(u64::from(m.get(a32)?), vals[4]);
        assert_eq!(m.get_u64(untyped_in[6])?, vals[6]);
        m.step()?;
        for (i, &w) in WIDTHS.iter().enumerate() {
            assert_eq!(
                m.get_u64(untyped_out[i])?,
                vals[i].wrapping_add(1) & mask(w),
                "q{w} at {cycle}"
            );
        }
        assert_eq!(u64::from(m.get(q1)?), (vals[0] + 1) & 1);
        assert_eq!(u64::from(m.get(q12)?), (vals[2] + 1) & mask(12));
        assert_eq!(m.get(q40)?, (vals[5] + 1) & mask(40));
    }
    Ok(())
}

#[test]
fn typed_lookups_and_writes_report_what_is_wrong() -> TestResult {
    let mut m = model()?;
    let names: Vec<String> = m.port_names().iter().map(|s| s.to_string()).collect();
    let port = |w: u32, dir: &str| {
        let i = WIDTHS.iter().position(|&x| x == w).expect("a width");
        names
            .iter()
            .filter(|n| n.starts_with(dir))
            .nth(i)
            .cloned()
            .expect("a port")
    };
    // The storage type of a 20-bit port is u32, and the error says so.
    let e = m.input::<u16>(&port(20, "a_")).unwrap_err();
    assert!(matches!(e, Error::Width { width: 20, .. }), "{e}");
    assert!(e.to_string().contains("stored as u32, not u16"), "{e}");
    assert!(matches!(
        m.output::<u8>(&port(8, "a_")),
        Err(Error::NotAnOutput { .. })
    ));
    assert!(matches!(
        m.input::<u8>(&port(8, "q_")),
        Err(Error::NotAnInput { .. })
    ));
    assert!(matches!(m.input::<u8>("nope"), Err(Error::UnknownPort { .. })));

    // Values must fit the width, not just the type.
    let a12 = m.input::<u16>(&port(12, "a_"))?;
    m.set(a12, 0xfff)?;
    let e = m.set(a12, 0x1000).unwrap_err();
    assert!(
        matches!(&e, Error::Width { name, width: 12, .. } if *name == port(12, "a_")),
        "{e}"
    );
    let a64 = m.input::<u64>(&port(64, "a_"))?;
    m.set(a64, u64::MAX)?;
    let a1 = m.input::<u8>(&port(1, "a_"))?;
    assert!(matches!(m.set(a1, 2), Err(Error::Width { width: 1, .. })));

    // Handles of another model are refused.
    let other = model()?;
    let foreign_in = other.input::<u16>(&port(12, "a_"))?;
    let foreign_out = other.output::<u64>(&port(40, "q_"))?;
    assert!(matches!(m.set(foreign_in, 1), Err(Error::ForeignPort { .. })));
    assert!(matches!(m.get(foreign_out), Err(Error::ForeignPort { .. })));
    Ok(())
}
