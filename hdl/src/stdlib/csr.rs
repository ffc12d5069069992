//! A CSR bank: an AXI4-Lite slave in front of a list of registers.
//!
//! [`CsrBank`] builds the registers of a [`CsrMap`] behind a slave port
//! `s_axil` and records the map on its module as the `csr_map` annotation
//! (see [`crate::stdlib::csr_map`]). Per register `<name>` it has these ports:
//!
//! | access | ports |
//! |---|---|
//! | `rw`, `wo` | output `<name>` (the value), output `<name>_wr` |
//! | `ro` | input `<name>` |
//! | `w1c` | output `<name>`, input `<name>_set`, output `<name>_wr` |
//! | `w1s` | output `<name>`, input `<name>_clear`, output `<name>_wr` |
//!
//! `<name>_wr` is high for one cycle, the first cycle in which `<name>` shows
//! the written value: the design can react to a write (a "flush" command)
//! even when the value does not change. A register with
//! [`Register::with_read_strobe`] also has output `<name>_rd`, high
//! (combinationally) in the cycle the bank samples the register for a read.
//!
//! Behaviour:
//! - `wstrb` selects the bytes a write changes (for `w1c`/`w1s`: the bytes
//!   whose ones count). Bits outside a register's fields read as 0 and ignore
//!   writes. A `w1c` bit set by the design in the cycle software clears it
//!   stays set; a `w1s` bit set by software in the cycle the design clears it
//!   stays set, so no event and no command is lost.
//! - Reads of `wo` registers return 0. Writes to `ro` registers answer
//!   SLVERR and change nothing; any access to an offset without a register
//!   answers DECERR with data 0. The low two address bits are ignored.
//! - The AW and W channels are independent: the address may come before, with
//!   or after the data. Each of AW, W and AR has a one-entry buffer, so every
//!   `*ready` comes from a register (no combinational path from an input to an
//!   output of the bus) and nothing is lost while `bready` or `rready` is low.
//!   Without back-pressure the bank completes one write *and* one read per
//!   cycle; a response follows its request by one cycle.
//! - A read and a write in the same cycle are independent: the read sees the
//!   value from before the write.
//!
//! ```
//! use hdl::prelude::*;
//! use hdl::stdlib::csr::CsrBank;
//! use hdl::stdlib::csr_map::{CsrMap, Register};
//!
//! let map = CsrMap::new("demo", 6)
//!     .with_register(Register::rw("ctrl", 0x0).with_reset(1).with_field("enable", 0, 1, "On"))
//!     .with_register(Register::ro("status", 0x4))
//!     .with_register(Register::w1c("events", 0x8).with_field("overflow", 0, 1, "Lost a word"));
//! let e = hdl::elaborate(&CsrBank { map }).unwrap();
//! let v = e.verilog();
//! assert!(v.contains("module csr_demo ("));
//! assert!(v.contains("input  wire [5:0]  s_axil_awaddr"));
//! assert!(v.contains("output wire [31:0] ctrl,"));
//! assert!(v.contains("output wire        ctrl_wr,"));
//! assert!(v.contains("input  wire [31:0] status,"));
//! assert!(v.contains("input  wire [31:0] events_set"));
//! let json: serde_json::Value = serde_json::from_str(&e.json()).unwrap();
//! assert_eq!(json["modules"][0]["annotations"]["csr_map"]["bank"], "demo");
//! ```

use super::axi_lite::{AxiLite, AxiResp};
use super::csr_map::{Access, CsrMap, Register};
use crate::dsl::bundle::join;
use crate::prelude::*;
use crate::{Leaf, Sig};

/// The ports of one register (see the module docs for which exist).
#[derive(Clone, Debug)]
pub struct RegPorts {
    /// The register's name.
    pub name: String,
    /// Its access type (decides the directions).
    pub access: Access,
    /// `<name>`: the value (an input for `ro`, else an output).
    pub value: Bits,
    /// `<name>_wr`: written (writable registers).
    pub write: Option<Bool>,
    /// `<name>_rd`: being read (registers with a read strobe).
    pub read: Option<Bool>,
    /// `<name>_set`: bits the design sets (`w1c`).
    pub set: Option<Bits>,
    /// `<name>_clear`: bits the design clears (`w1s`).
    pub clear: Option<Bits>,
}

impl RegPorts {
    /// The template of `r`'s ports, `data_width` bits wide.
    pub fn ty(r: &Register, data_width: u32) -> RegPorts {
        RegPorts {
            name: r.name.clone(),
            access: r.access,
            value: Bits::ty(data_width),
            write: r.access.is_writable().then(Bool::ty),
            read: r.read_strobe.then(Bool::ty),
            set: (r.access == Access::W1c).then(|| Bits::ty(data_width)),
            clear: (r.access == Access::W1s).then(|| Bits::ty(data_width)),
        }
    }

    /// `<name>_set` of a `w1c` register.
    #[track_caller]
    pub fn set_input(&self) -> Bits {
        self.set
            .unwrap_or_else(|| panic!("register `{}` is {}, not w1c", self.name, self.access.as_str()))
    }

    /// `<name>_clear` of a `w1s` register.
    #[track_caller]
    pub fn clear_input(&self) -> Bits {
        self.clear
            .unwrap_or_else(|| panic!("register `{}` is {}, not w1s", self.name, self.access.as_str()))
    }

    /// `<name>_wr` of a writable register.
    #[track_caller]
    pub fn write_strobe(&self) -> Bool {
        self.write
            .unwrap_or_else(|| panic!("register `{}` is read-only: it has no write strobe", self.name))
    }

    /// `<name>_rd` of a register with a read strobe.
    #[track_caller]
    pub fn read_strobe(&self) -> Bool {
        self.read
            .unwrap_or_else(|| panic!("register `{}` has no read strobe", self.name))
    }
}

impl Bundle for RegPorts {
    fn map_leaves(&self, prefix: &str, flipped: bool, f: &mut dyn FnMut(&Leaf) -> Sig) -> Self {
        let base = join(prefix, &self.name);
        let is_ro = self.access == Access::Ro;
        RegPorts {
            name: self.name.clone(),
            access: self.access,
            value: self.value.map_leaves(&base, flipped ^ is_ro, f),
            write: self.write.map_leaves(&format!("{base}_wr"), flipped, f),
            read: self.read.map_leaves(&format!("{base}_rd"), flipped, f),
            set: self.set.map_leaves(&format!("{base}_set"), !flipped, f),
            clear: self.clear.map_leaves(&format!("{base}_clear"), !flipped, f),
        }
    }
}

/// Ports of a [`CsrBank`]: the slave port and every register's ports.
#[derive(Clone, Debug)]
pub struct CsrIo {
    /// The AXI4-Lite slave port `s_axil_*`.
    pub s_axil: AxiLite,
    /// The registers' ports, in map order.
    pub regs: Vec<RegPorts>,
}

impl CsrIo {
    /// The ports of register `name`.
    #[track_caller]
    pub fn reg(&self, name: &str) -> &RegPorts {
        self.regs
            .iter()
            .find(|r| r.name == name)
            .unwrap_or_else(|| panic!("the CSR bank has no register `{name}`"))
    }
}

impl Bundle for CsrIo {
    fn map_leaves(&self, prefix: &str, flipped: bool, f: &mut dyn FnMut(&Leaf) -> Sig) -> Self {
        CsrIo {
            s_axil: self.s_axil.map_leaves(&join(prefix, "s_axil"), !flipped, f),
            regs: self
                .regs
                .iter()
                .map(|r| r.map_leaves(prefix, flipped, f))
                .collect(),
        }
    }
}

bundle! {
    /// What the W channel carries.
    pub struct WriteBeat {
        /// `wdata`.
        pub data: Bits,
        /// `wstrb`.
        pub strb: Bits,
    }
}

/// A CSR bank for `map`, module `csr_<bank>` (see the module docs).
#[derive(Clone, Debug)]
pub struct CsrBank {
    /// The registers; must pass [`CsrMap::validate`].
    pub map: CsrMap,
}

/// A one-entry buffer in front of a channel: holds what arrived while the
/// bank could not use it. Returns `(have, value)`: something is available,
/// from the buffer or from the bus.
#[track_caller]
fn channel_buffer<T: Bundle>(name: &str, valid: Bool, ready: Bool, payload: &T, used: Bool) -> (Bool, T) {
    let full = reg(&format!("{name}_full"), Bool::ty()).init(false);
    let held = reg(&format!("{name}_q"), payload.clone());
    ready.set(!full);
    let have = (full | valid).named(&format!("{name}_have"));
    let value = wire(name, payload.clone());
    for ((v, h), p) in value.leaves().iter().zip(held.leaves()).zip(payload.leaves()) {
        Bits::from_sig(v.sig).set(full.mux(Bits::from_sig(h.sig), Bits::from_sig(p.sig)));
    }
    when(used, || full.set(false)).elsewhen(valid & !full, || {
        full.set(true);
        super::stream::drive_leaves(&held, payload);
    });
    (have, value)
}

/// `v & mask`, or just `v` when the mask keeps every bit.
#[track_caller]
fn masked(v: Bits, mask: u64) -> Bits {
    if mask == super::csr_map::ones(v.width()) {
        v
    } else {
        v & Bits::lit(u128::from(mask), v.width())
    }
}

/// `wstrb` as a bit mask: each strobe bit repeated over its byte.
#[track_caller]
fn byte_mask(strb: Bits) -> Bits {
    let bytes: Vec<Bits> = (0..strb.width()).rev().map(|i| strb.bit(i).repeat(8)).collect();
    cat(&bytes)
}

impl Component for CsrBank {
    type Io = CsrIo;

    fn name(&self) -> String {
        format!("csr_{}", self.map.bank)
    }

    fn io(&self) -> CsrIo {
        if let Err(e) = self.map.validate() {
            panic!("{e}");
        }
        let dw = self.map.data_width;
        CsrIo {
            s_axil: AxiLite::ty(self.map.address_width, dw),
            regs: self.map.registers.iter().map(|r| RegPorts::ty(r, dw)).collect(),
        }
    }

    fn build(&self, io: &CsrIo) {
        let map = &self.map;
        crate::dsl::annotate("csr_map", map.to_json());
        let bus = &io.s_axil;
        let dw = map.data_width;
        let lsb = crate::clog2(dw / 8);
        let word_of = |byte_offset: u64| byte_offset >> lsb;
        let okay = u128::from(AxiResp::Okay.code());

        // Write: AW and W buffered separately, the write done when both are
        // there and the response register is free (or being emptied).
        let bvalid = reg("bvalid_q", Bool::ty()).init(false);
        let bresp = reg("bresp_q", Bits::ty(2)).init(0);
        let b_free = (!bvalid | bus.bready).named("b_free");
        let do_write = wire("do_write", Bool::ty());
        let (aw_have, wr_addr) = channel_buffer("wr_addr", bus.awvalid, bus.awready, &bus.awaddr, do_write);
        let beat = WriteBeat {
            data: bus.wdata,
            strb: bus.wstrb,
        };
        let (w_have, wr) = channel_buffer("wr", bus.wvalid, bus.wready, &beat, do_write);
        do_write.set(aw_have & w_have & b_free);
        let wr_word = wr_addr.msbs(map.address_width - lsb).named("wr_word");
        let wr_mask = byte_mask(wr.strb).named("wr_mask");
        let wr_resp = wire("wr_resp", Bits::ty(2)).default_value(AxiResp::DecErr.code());
        switch(wr_word, |s| {
            for r in &map.registers {
                let code = if r.access.is_writable() {
                    AxiResp::Okay
                } else {
                    AxiResp::SlvErr
                };
                s.is(word_of(r.offset), || wr_resp.set(code.code()));
            }
        });
        when(do_write, || {
            bvalid.set(true);
            bresp.set(wr_resp);
        })
        .elsewhen(bus.bready, || bvalid.set(false));
        bus.bvalid.set(bvalid);
        bus.bresp.set(bresp);

        // Read: AR buffered, the read done when the data register is free.
        let rvalid = reg("rvalid_q", Bool::ty()).init(false);
        let rresp = reg("rresp_q", Bits::ty(2)).init(0);
        let rdata = reg("rdata_q", Bits::ty(dw)).init(0);
        let r_free = (!rvalid | bus.rready).named("r_free");
        let do_read = wire("do_read", Bool::ty());
        let (ar_have, rd_addr) = channel_buffer("rd_addr", bus.arvalid, bus.arready, &bus.araddr, do_read);
        do_read.set(ar_have & r_free);
        let rd_word = rd_addr.msbs(map.address_width - lsb).named("rd_word");
        let rd_data = wire("rd_data", Bits::ty(dw)).default_value(0);
        let rd_resp = wire("rd_resp", Bits::ty(2)).default_value(AxiResp::DecErr.code());

        // The registers: their storage, write logic, strobes and read values.
        let mut read_values = Vec::new();
        for (r, ports) in map.registers.iter().zip(&io.regs) {
            let mask = r.implemented_mask(dw);
            let word = word_of(r.offset);
            if let Some(strobe) = ports.read {
                strobe.set((do_read & rd_word.is_eq(word)).named(&format!("{}_read", r.name)));
            }
            if r.access == Access::Ro {
                read_values.push(masked(ports.value, mask));
                continue;
            }
            let q = reg(&format!("{}_q", r.name), Bits::ty(dw)).init(u128::from(r.reset));
            ports.value.set(q);
            read_values.push(if r.access == Access::Wo {
                Bits::zeros(dw)
            } else {
                q
            });
            let we = (do_write & wr_word.is_eq(word)).named(&format!("{}_we", r.name));
            let ones_written = masked(wr.data & wr_mask, mask).named(&format!("{}_wbits", r.name));
            let wrote = reg(&format!("{}_wr_q", r.name), Bool::ty()).init(false);
            wrote.set(we);
            ports.write_strobe().set(wrote);
            match r.access {
                Access::Rw | Access::Wo => {
                    let keep = !masked(wr_mask, mask);
                    when(we, || q.set((q & keep) | ones_written));
                }
                Access::W1c => {
                    let cleared = we.mux(ones_written, Bits::zeros(dw));
                    q.set((q & !cleared) | masked(ports.set_input(), mask));
                }
                Access::W1s => {
                    let set = we.mux(ones_written, Bits::zeros(dw));
                    q.set((q & !masked(ports.clear_input(), mask)) | set);
                }
                Access::Ro => unreachable!("read-only registers have no storage"),
            }
        }
        switch(rd_word, |s| {
            for (r, value) in map.registers.iter().zip(&read_values) {
                s.is(word_of(r.offset), || {
                    rd_data.set(*value);
                    rd_resp.set(okay);
                });
            }
        });
        when(do_read, || {
            rvalid.set(true);
            rresp.set(rd_resp);
            rdata.set(rd_data);
        })
        .elsewhen(bus.rready, || rvalid.set(false));
        bus.rvalid.set(rvalid);
        bus.rresp.set(rresp);
        bus.rdata.set(rdata);
    }
}
