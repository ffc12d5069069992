//! Carry chains. Yosys 0.23 maps adders and comparators to `CARRY4` cells
//! (4 bits each) even for UltraScale+ (`-family xcup`), whose slices hold one
//! `CARRY8` (8 bits). Vivado retargets a chain of `CARRY4`s to `CARRY8`s, two
//! consecutive `CARRY4`s of a chain into one `CARRY8`, so a chain of n
//! `CARRY4` counts as ceil(n/2) `CARRY8` here, and in the depth estimate
//! only every other `CARRY4` of a chain (the first, third, ...) adds a level.

use super::netlist::{Bit, Module};
use std::collections::BTreeMap;

/// For every `CARRY4` cell (by index in `m.cells`): its position in its
/// chain, 0 for the first (whose `CI` comes from anything but a `CARRY4`'s
/// `CO[3]`).
pub fn carry4_positions(m: &Module) -> BTreeMap<usize, u32> {
    // The net carrying CO[3] of each CARRY4.
    let mut co3: BTreeMap<u64, usize> = BTreeMap::new();
    for (i, c) in m.cells.iter().enumerate().filter(|(_, c)| c.ty == "CARRY4") {
        if let Some((_, bits)) = c.outputs.iter().find(|(p, _)| p == "CO") {
            if let Some(Bit::Net(n)) = bits.get(3) {
                co3.insert(*n, i);
            }
        }
    }
    let prev: BTreeMap<usize, usize> = m
        .cells
        .iter()
        .enumerate()
        .filter(|(_, c)| c.ty == "CARRY4")
        .filter_map(|(i, c)| {
            let (_, ci) = c.inputs.iter().find(|(p, _)| p == "CI")?;
            match ci.first()? {
                Bit::Net(n) => co3.get(n).filter(|&&p| p != i).map(|&p| (i, p)),
                Bit::Const => None,
            }
        })
        .collect();
    let mut pos: BTreeMap<usize, u32> = BTreeMap::new();
    for (i, c) in m.cells.iter().enumerate() {
        if c.ty != "CARRY4" || pos.contains_key(&i) {
            continue;
        }
        // Walk back to a cell whose position is known, or to the chain's start.
        let mut path = vec![i];
        let mut at = i;
        let base = loop {
            match prev.get(&at) {
                Some(&p) if pos.contains_key(&p) => break pos[&p] + 1,
                Some(&p) if !path.contains(&p) => {
                    path.push(p);
                    at = p;
                }
                _ => break 0,
            }
        };
        for (k, cell) in path.iter().rev().enumerate() {
            pos.insert(*cell, base + k as u32);
        }
    }
    pos
}

/// CARRY8 equivalents of `m`: its `CARRY8` cells plus ceil(n/2) per chain of
/// n `CARRY4` cells.
pub fn carry8_equivalents(m: &Module) -> u64 {
    let pos = carry4_positions(m);
    let native = m.cells.iter().filter(|c| c.ty == "CARRY8").count() as u64;
    // A CARRY4 at an even position starts a new CARRY8.
    native + pos.values().filter(|p| *p % 2 == 0).count() as u64
}
