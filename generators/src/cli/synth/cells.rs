//! Xilinx UltraScale+ primitives, as `synth_xilinx` instantiates them,
//! sorted into resource classes and counted.

use super::netlist::Netlist;
use serde::Serialize;
use std::collections::BTreeMap;

/// What a primitive is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A logic LUT (`LUT1`..`LUT6`, `LUT6_2`, `INV`).
    Lut,
    /// Distributed RAM occupying this many LUTs (`RAM32M` = 4, `RAM64X1D` = 2, ...).
    LutRam(u64),
    /// A shift-register LUT (`SRL16E`, `SRLC32E`).
    Srl,
    /// A flip-flop (`FDRE`, `FDSE`, `FDCE`, `FDPE`).
    Ff,
    /// A latch (`LDCE`, `LDPE`).
    Latch,
    /// A carry chain block (`CARRY8`, or `CARRY4`: see [`super::carry`]).
    Carry,
    /// Block RAM in RAMB18 halves (`RAMB18E2` = 1, `RAMB36E2` = 2).
    Bram(u64),
    /// UltraRAM (`URAM288`).
    Uram,
    /// A DSP slice (`DSP48E2`).
    Dsp,
    /// A wide-function multiplexer (`MUXF7`, `MUXF8`, `MUXF9`).
    MuxF,
    /// A buffer (`BUFG`, `IBUF`, `OBUF`, ...): no logic.
    Buffer,
    /// Anything else (listed separately).
    Other,
}

/// The class of cell type `ty`.
pub fn classify(ty: &str) -> Kind {
    match ty {
        "LUT1" | "LUT2" | "LUT3" | "LUT4" | "LUT5" | "LUT6" | "LUT6_2" | "INV" => Kind::Lut,
        "SRL16E" | "SRLC16E" | "SRLC32E" => Kind::Srl,
        "FDRE" | "FDSE" | "FDCE" | "FDPE" | "FDRE_1" | "FDSE_1" | "FDCE_1" | "FDPE_1" => Kind::Ff,
        "LDCE" | "LDPE" | "LDCE_1" | "LDPE_1" => Kind::Latch,
        "CARRY8" | "CARRY4" => Kind::Carry,
        "RAMB18E2" | "RAMB18E1" | "FIFO18E2" | "FIFO18E1" => Kind::Bram(1),
        "RAMB36E2" | "RAMB36E1" | "FIFO36E2" | "FIFO36E1" => Kind::Bram(2),
        "URAM288" | "URAM288_BASE" => Kind::Uram,
        "DSP48E2" | "DSP48E1" => Kind::Dsp,
        "MUXF7" | "MUXF8" | "MUXF9" => Kind::MuxF,
        t if t.starts_with("BUF") || t.ends_with("BUF") || t == "BUFG" => Kind::Buffer,
        t if t.starts_with("RAM") && !t.starts_with("RAMB") => Kind::LutRam(lutram_luts(t)),
        _ => Kind::Other,
    }
}

/// LUTs taken by a distributed-RAM primitive.
fn lutram_luts(ty: &str) -> u64 {
    match ty {
        "RAM32M16" | "RAM64M8" | "RAM256X1D" | "RAM512X1S" => 8,
        "RAM32M" | "RAM64M" | "RAM128X1D" | "RAM256X1S" => 4,
        "RAM16X1D" | "RAM32X1D" | "RAM64X1D" | "RAM128X1S" | "RAM32X2S" => 2,
        _ => 1,
    }
}

/// Resources of a synthesised module (children included).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Resources {
    /// Logic LUTs.
    pub lut: u64,
    /// LUTs used as distributed RAM.
    pub lutram_luts: u64,
    /// Shift-register LUTs.
    pub srl: u64,
    /// Flip-flops.
    pub ff: u64,
    /// Latches (a design bug, usually).
    pub latch: u64,
    /// CARRY8 blocks, counting two consecutive CARRY4 of a chain as one
    /// (see [`super::carry`]).
    pub carry8: u64,
    /// CARRY4 cells as Yosys mapped them (included in `carry8`).
    pub carry4: u64,
    /// Block RAM in RAMB36 equivalents (a RAMB18 is 0.5).
    pub bram36: f64,
    /// UltraRAM blocks.
    pub uram: u64,
    /// DSP slices.
    pub dsp: u64,
    /// MUXF7/8/9.
    pub muxf: u64,
    /// Cells of no class above, by type.
    pub other: BTreeMap<String, u64>,
}

impl Resources {
    fn add(&mut self, kind: Kind, ty: &str, n: u64) {
        match kind {
            Kind::Lut => self.lut += n,
            Kind::LutRam(l) => self.lutram_luts += l * n,
            Kind::Srl => self.srl += n,
            Kind::Ff => self.ff += n,
            Kind::Latch => self.latch += n,
            Kind::Carry if ty == "CARRY4" => self.carry4 += n,
            Kind::Carry => {}
            Kind::Bram(halves) => self.bram36 += (halves * n) as f64 / 2.0,
            Kind::Uram => self.uram += n,
            Kind::Dsp => self.dsp += n,
            Kind::MuxF => self.muxf += n,
            Kind::Buffer => {}
            Kind::Other => *self.other.entry(ty.to_string()).or_insert(0) += n,
        }
    }
}

/// Counts the primitives of `top` in `netlist`; cells that are design modules
/// of the netlist (when it was not flattened) are counted through.
pub fn count(netlist: &Netlist, top: &str) -> Resources {
    let mut r = Resources::default();
    let mut per_type: BTreeMap<String, u64> = BTreeMap::new();
    collect(netlist, top, 1, &mut per_type, &mut r.carry8, 0);
    for (ty, n) in per_type {
        r.add(classify(&ty), &ty, n);
    }
    r
}

fn collect(
    netlist: &Netlist,
    module: &str,
    times: u64,
    out: &mut BTreeMap<String, u64>,
    carry8: &mut u64,
    depth: u32,
) {
    let Some(m) = netlist.modules.get(module) else {
        return;
    };
    *carry8 += times * super::carry::carry8_equivalents(m);
    for c in &m.cells {
        let design_module = netlist.modules.get(&c.ty).is_some_and(|m| !m.library);
        if design_module && depth < 64 {
            collect(netlist, &c.ty, times, out, carry8, depth + 1);
        } else {
            *out.entry(c.ty.clone()).or_insert(0) += times;
        }
    }
}
