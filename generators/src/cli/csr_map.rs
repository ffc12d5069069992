//! The register maps of a design: every `csr_map` annotation (one per CSR
//! bank module, the JSON form of [`hdl::stdlib::csr_map::CsrMap`]) placed at
//! the base that the top's `csr_banks` annotation gives it. Each map is read
//! and checked by the CSR library itself ([`CsrMap::from_json`],
//! [`CsrMap::validate`]); what only the whole design can tell is checked
//! here: one definition per bank, every placement names a bank, no bank is
//! placed twice, bases are aligned. Every problem is reported.

use hdl::backend::json::DesignDesc;
use hdl::stdlib::csr_map::CsrMap;
use serde::Deserialize;

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

/// Every bank of `desc`, in module order, checked; or every problem found.
pub fn banks(desc: &DesignDesc) -> Result<Vec<PlacedBank>, Vec<String>> {
    let mut errors = Vec::new();
    let mut out: Vec<PlacedBank> = Vec::new();
    // Banks whose maps are reported as invalid: placing them is not a second error.
    let mut invalid: Vec<String> = Vec::new();
    for m in &desc.modules {
        let Some(value) = m.annotations.get("csr_map") else {
            continue;
        };
        let map = match CsrMap::from_json(value) {
            Ok(map) => map,
            Err(e) => {
                errors.push(format!("module {}: {e}", m.name));
                invalid.push(value["bank"].as_str().unwrap_or_default().to_string());
                continue;
            }
        };
        if let Err(e) = map.validate() {
            errors.push(format!("module {}: {e}", m.name));
        }
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
    let top = desc.modules.iter().find(|m| m.name == desc.top);
    if let Some(value) = top.and_then(|t| t.annotations.get("csr_banks")) {
        match serde_json::from_value::<Vec<Placement>>(value.clone()) {
            Err(e) => errors.push(format!("module {}: csr_banks: {e}", desc.top)),
            Ok(places) => {
                for p in places.into_iter().filter(|p| !invalid.contains(&p.bank)) {
                    place(&mut out, p, &mut errors);
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

fn place(banks: &mut [PlacedBank], p: Placement, errors: &mut Vec<String>) {
    match banks.iter_mut().find(|b| b.map.bank == p.bank) {
        None => errors.push(format!(
            "csr_banks places bank `{}` (instance {}) but no module has a csr_map for it",
            p.bank, p.instance
        )),
        Some(b) if b.placement.is_some() => errors.push(format!(
            "csr_banks places bank `{}` twice (instances {} and {}): its macros would collide",
            p.bank,
            b.placement.as_ref().map_or("", |q| q.instance.as_str()),
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
