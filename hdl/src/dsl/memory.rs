//! Memories with synchronous and asynchronous read ports, byte-enable writes and
//! init contents, emitted in the form Vivado and Yosys infer as block RAM.

use super::context::{push_node, report, resolve, with_builder};
use super::domain::current_domain;
use super::types::{Bits, Bool, HwValue, UInt};
use crate::diag::Code;
use crate::ir::{Const, Kind, MemSyncRead, MemWrite, Memory, NodeId, NodeKind, Role, Signal};
use std::panic::Location;

/// A memory of the module under construction.
#[derive(Clone, Copy, Debug)]
pub struct Mem {
    index: u32,
    width: u32,
    depth: u32,
}

impl Mem {
    /// A memory of `depth` words of `width` bits.
    #[track_caller]
    pub fn new(name: &str, width: u32, depth: u32) -> Mem {
        let loc = Location::caller();
        let index = with_builder(|b| {
            b.module.memories.push(Memory {
                name: name.to_string(),
                width,
                depth,
                lane_bits: 8,
                init: None,
                writes: Vec::new(),
                sync_reads: Vec::new(),
                loc,
            });
            b.module.memories.len() as u32 - 1
        });
        Mem { index, width, depth }
    }

    /// Word width.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Number of words.
    pub fn depth(&self) -> u32 {
        self.depth
    }

    /// Address width: clog2(depth), at least 1.
    pub fn addr_width(&self) -> u32 {
        crate::clog2(self.depth).max(1)
    }

    /// Initial contents (word 0 first; missing words are zero).
    #[track_caller]
    pub fn init(self, words: &[u128]) -> Mem {
        let loc = Location::caller();
        let mut consts = Vec::with_capacity(words.len());
        for (i, &w) in words.iter().enumerate() {
            match Const::new(w, self.width) {
                Some(c) => consts.push(c),
                None => {
                    report(
                        Code::LiteralTooWide,
                        loc,
                        format!("init word {i} ({w:#x}) does not fit {} bits", self.width),
                    );
                    consts.push(Const::zero(self.width));
                }
            }
        }
        if words.len() > self.depth as usize {
            report(
                Code::SliceOutOfRange,
                loc,
                format!("{} init words for a memory of depth {}", words.len(), self.depth),
            );
        }
        with_builder(|b| b.module.memories[self.index as usize].init = Some(consts));
        self
    }

    /// Width of a byte-enable lane (default 8).
    pub fn lane_bits(self, bits: u32) -> Mem {
        with_builder(|b| b.module.memories[self.index as usize].lane_bits = bits);
        self
    }

    /// A write port in the current domain: `mem[addr] = data` when `enable`,
    /// lanes chosen by `mask` (one bit per lane) if given.
    #[track_caller]
    pub fn write(&self, addr: UInt, data: Bits, enable: Bool, mask: Option<Bits>) {
        let loc = Location::caller();
        let domain = current_domain(loc);
        let addr = resolve(addr.sig(), loc);
        let data = resolve(data.sig(), loc);
        let enable = resolve(enable.sig(), loc);
        let mask = mask.map(|m| resolve(m.sig(), loc));
        with_builder(|b| {
            b.module.memories[self.index as usize].writes.push(MemWrite {
                domain,
                addr,
                data,
                enable,
                mask,
                loc,
            })
        });
    }

    /// A synchronous read port in the current domain: the data appears one
    /// cycle after `addr` is presented with `enable`.
    #[track_caller]
    pub fn read_sync(&self, addr: UInt, enable: Bool) -> Bits {
        let loc = Location::caller();
        let domain = current_domain(loc);
        let addr = resolve(addr.sig(), loc);
        let enable = resolve(enable.sig(), loc);
        with_builder(|b| {
            let mem = &b.module.memories[self.index as usize];
            let name = format!("{}_rdata{}", mem.name, mem.sync_reads.len());
            let (data, h) = b.signal(Signal {
                name,
                width: self.width,
                kind: Kind::Bits,
                role: Role::MemData { mem: self.index },
                reg: None,
                default: None,
                loc,
                node: NodeId(0),
                doc: None,
            });
            b.module.memories[self.index as usize]
                .sync_reads
                .push(MemSyncRead {
                    domain,
                    addr,
                    enable,
                    data,
                    loc,
                });
            Bits(h)
        })
    }

    /// An asynchronous (combinational) read port (distributed RAM).
    #[track_caller]
    pub fn read_async(&self, addr: UInt) -> Bits {
        let loc = Location::caller();
        let a = resolve(addr.sig(), loc);
        Bits(push_node(
            NodeKind::MemRead {
                mem: self.index,
                addr: a,
            },
            self.width,
            Kind::Bits,
            loc,
        ))
    }
}
