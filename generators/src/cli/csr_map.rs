//! Register maps from the design description: every `csr_map` annotation
//! (one per CSR bank module) placed at the base that the top's `csr_banks`
//! annotation gives it. The format is the shared contract in
//! `plan/CSR_FORMAT.md`; everything the C header relies on is checked here
//! and every problem is reported.

use hdl::backend::json::DesignDesc;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// Access kinds of a register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Access {
    /// Read/write.
    Rw,
    /// Read-only.
    Ro,
    /// Write 1 to clear.
    W1c,
    /// Write 1 to set.
    W1s,
    /// Write-only.
    Wo,
}

impl Access {
    /// As written in the map.
    pub fn name(self) -> &'static str {
        match self {
            Access::Rw => "rw",
            Access::Ro => "ro",
            Access::W1c => "w1c",
            Access::W1s => "w1s",
            Access::Wo => "wo",
        }
    }
}

/// A bit field inside a register.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct CsrField {
    /// C identifier, unique within the register.
    pub name: String,
    /// Lowest bit.
    pub lsb: u32,
    /// Bits.
    pub width: u32,
    /// Description.
    #[serde(default)]
    pub doc: String,
}

/// One register.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct CsrRegister {
    /// C identifier, unique within the bank.
    pub name: String,
    /// Byte offset in the bank.
    pub offset: u64,
    /// Access kind.
    pub access: Access,
    /// Reset value.
    pub reset: u64,
    /// Description.
    #[serde(default)]
    pub doc: String,
    /// Bit fields (may be empty).
    #[serde(default)]
    pub fields: Vec<CsrField>,
}

/// The `csr_map` annotation of one bank.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct CsrMap {
    /// C identifier; prefix of every macro.
    pub bank: String,
    /// Byte-address bits decoded by the bank.
    pub address_width: u32,
    /// Bits per register.
    pub data_width: u32,
    /// The registers.
    pub registers: Vec<CsrRegister>,
}

/// One entry of the top's `csr_banks` annotation.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Placement {
    /// Bank name (a `csr_map`'s `bank`).
    pub bank: String,
    /// Instance name of the bank in the top.
    pub instance: String,
    /// Byte address of the bank in the top's AXI4-Lite space.
    pub base: u64,
}

/// A bank with its place in the address space.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlacedBank {
    /// The map.
    pub map: CsrMap,
    /// The module that carries the map.
    pub module: String,
    /// Where the top places it; `None` when the top's `csr_banks` does not
    /// list the bank (its addresses are then offsets within the bank).
    pub placement: Option<Placement>,
}

fn is_c_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// Every bank of `desc`, in module order, checked; or every problem found.
pub fn banks(desc: &DesignDesc) -> Result<Vec<PlacedBank>, Vec<String>> {
    let mut errors = Vec::new();
    let mut out: Vec<PlacedBank> = Vec::new();
    for m in &desc.modules {
        let Some(value) = m.annotations.get("csr_map") else {
            continue;
        };
        match serde_json::from_value::<CsrMap>(value.clone()) {
            Err(e) => errors.push(format!("module {}: csr_map: {e}", m.name)),
            Ok(map) => {
                errors.extend(
                    check_map(&map)
                        .into_iter()
                        .map(|e| format!("module {}: {e}", m.name)),
                );
                match out.iter().find(|b| b.map.bank == map.bank) {
                    Some(other) if other.map != map => errors.push(format!(
                        "modules {} and {} both define bank `{}` differently",
                        other.module, m.name, map.bank
                    )),
                    Some(_) => {}
                    None => out.push(PlacedBank {
                        map,
                        module: m.name.clone(),
                        placement: None,
                    }),
                }
            }
        }
    }
    let top = desc.modules.iter().find(|m| m.name == desc.top);
    if let Some(value) = top.and_then(|t| t.annotations.get("csr_banks")) {
        match serde_json::from_value::<Vec<Placement>>(value.clone()) {
            Err(e) => errors.push(format!("module {}: csr_banks: {e}", desc.top)),
            Ok(places) => {
                for p in places {
                    match out.iter_mut().find(|b| b.map.bank == p.bank) {
                        None => errors.push(format!(
                            "csr_banks places bank `{}` (instance {}) but no module has a csr_map for it",
                            p.bank, p.instance
                        )),
                        Some(b) if b.placement.is_some() => errors.push(format!(
                            "csr_banks places bank `{}` twice (instances {} and {}): its macros would collide",
                            p.bank,
                            b.placement.as_ref().map(|q| q.instance.as_str()).unwrap_or(""),
                            p.instance
                        )),
                        Some(b) => {
                            let span = 1u128 << b.map.address_width.min(64);
                            if u128::from(p.base) % span != 0 {
                                errors.push(format!(
                                    "csr_banks: bank `{}` at base {:#x} is not aligned to its {}-bit address space",
                                    p.bank, p.base, b.map.address_width
                                ));
                            }
                            b.placement = Some(p);
                        }
                    }
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Problems of one map (names, alignment, overlaps, field ranges).
pub fn check_map(map: &CsrMap) -> Vec<String> {
    let mut e = Vec::new();
    let bank = &map.bank;
    if !is_c_ident(bank) {
        e.push(format!("bank name `{bank}` is not a C identifier"));
    }
    if ![8, 16, 32, 64].contains(&map.data_width) {
        e.push(format!(
            "bank {bank}: data_width {} must be 8, 16, 32 or 64",
            map.data_width
        ));
        return e;
    }
    if !(1..=32).contains(&map.address_width) {
        e.push(format!(
            "bank {bank}: address_width {} must be in 1..=32",
            map.address_width
        ));
        return e;
    }
    let step = u64::from(map.data_width / 8);
    let limit = 1u64 << map.address_width;
    let value_max = if map.data_width == 64 {
        u64::MAX
    } else {
        (1u64 << map.data_width) - 1
    };
    let mut names = BTreeSet::new();
    let mut offsets = BTreeMap::new();
    for r in &map.registers {
        let at = format!("bank {bank}, register {}", r.name);
        if !is_c_ident(&r.name) {
            e.push(format!("{at}: name is not a C identifier"));
        }
        if !names.insert(r.name.to_ascii_uppercase()) {
            e.push(format!("{at}: name used twice (case-insensitively)"));
        }
        if r.offset % step != 0 {
            e.push(format!(
                "{at}: offset {:#x} is not a multiple of {step}",
                r.offset
            ));
        }
        if r.offset >= limit {
            e.push(format!(
                "{at}: offset {:#x} is outside the {}-bit address space",
                r.offset, map.address_width
            ));
        }
        if let Some(other) = offsets.insert(r.offset, &r.name) {
            e.push(format!("{at}: offset {:#x} already used by {other}", r.offset));
        }
        if r.reset > value_max {
            e.push(format!(
                "{at}: reset {:#x} does not fit {} bits",
                r.reset, map.data_width
            ));
        }
        let mut used = 0u128;
        let mut fields = BTreeSet::new();
        for f in &r.fields {
            let fat = format!("{at}, field {}", f.name);
            if !is_c_ident(&f.name) {
                e.push(format!("{fat}: name is not a C identifier"));
            }
            if !fields.insert(f.name.to_ascii_uppercase()) {
                e.push(format!("{fat}: name used twice (case-insensitively)"));
            }
            if f.width == 0 || f.lsb + f.width > map.data_width {
                e.push(format!(
                    "{fat}: bits {}..{} do not fit a {}-bit register",
                    f.lsb,
                    f.lsb + f.width,
                    map.data_width
                ));
                continue;
            }
            let mask = ((1u128 << f.width) - 1) << f.lsb;
            if used & mask != 0 {
                e.push(format!("{fat}: overlaps another field"));
            }
            used |= mask;
        }
    }
    e
}
