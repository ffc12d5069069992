//! Register maps of CSR banks: the registers described in Rust, their checks,
//! and the `csr_map` JSON form that a bank records on its module.
//!
//! A [`CsrMap`] names the bank, says how many byte-address bits it decodes,
//! and lists [`Register`]s by byte offset. [`crate::stdlib::csr::CsrBank`]
//! builds the hardware from it; [`CsrMap::to_json`] is the annotation the CLI
//! reads (the JSON layout shared with it is below), and
//! [`crate::stdlib::csr_header`] renders the C header of one bank.
//!
//! ```json
//! { "bank": "nic_csr", "address_width": 12, "data_width": 32,
//!   "registers": [
//!     { "name": "ctrl", "offset": 0, "access": "rw", "reset": 1, "doc": "...",
//!       "fields": [ { "name": "enable", "lsb": 0, "width": 1, "doc": "..." } ] } ] }
//! ```
//!
//! ```
//! use hdl::stdlib::csr_map::{CsrMap, Register};
//!
//! let map = CsrMap::new("demo", 8)
//!     .with_register(
//!         Register::rw("ctrl", 0x0)
//!             .with_reset(1)
//!             .with_doc("Control")
//!             .with_field("enable", 0, 1, "Turn the block on")
//!             .with_field("mode", 4, 2, "Operating mode"),
//!     )
//!     .with_register(Register::ro("status", 0x4).with_doc("What the block does"));
//! map.validate().unwrap();
//! assert_eq!(map.registers[0].implemented_mask(32), 0x31);
//! assert_eq!(map.to_json()["registers"][0]["access"], "rw");
//! assert_eq!(CsrMap::from_json(&map.to_json()).unwrap(), map);
//!
//! // Mistakes are all reported together.
//! let bad = CsrMap::new("demo", 8)
//!     .with_register(Register::rw("a", 0x2))
//!     .with_register(Register::ro("a", 0x400));
//! let e = bad.validate().unwrap_err().to_string();
//! assert!(e.contains("offset 0x2 is not a multiple of 4"), "{e}");
//! assert!(e.contains("two registers are named `a`"), "{e}");
//! assert!(e.contains("offset 0x400 is outside the 8-bit address space"), "{e}");
//! ```

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt;

/// How software may access a register, and who else changes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Access {
    /// Read/write: software writes it, the design reads it (output `<name>`).
    Rw,
    /// Read-only: the design drives it (input `<name>`); writes answer SLVERR.
    Ro,
    /// Write-1-to-clear: the design sets bits (input `<name>_set`, e.g.
    /// sticky events), software clears them by writing ones.
    W1c,
    /// Write-1-to-set: software sets bits by writing ones (e.g. commands), the
    /// design clears them (input `<name>_clear`).
    W1s,
    /// Write-only: like [`Access::Rw`] but reads return 0.
    Wo,
}

impl Access {
    /// The JSON spelling: `rw`, `ro`, `w1c`, `w1s`, `wo`.
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Rw => "rw",
            Access::Ro => "ro",
            Access::W1c => "w1c",
            Access::W1s => "w1s",
            Access::Wo => "wo",
        }
    }

    /// The access named `s` in JSON.
    pub fn parse(s: &str) -> Option<Access> {
        [Access::Rw, Access::Ro, Access::W1c, Access::W1s, Access::Wo]
            .into_iter()
            .find(|a| a.as_str() == s)
    }

    /// Software may write it.
    pub fn is_writable(self) -> bool {
        self != Access::Ro
    }

    /// The bank holds its value in a register (all but [`Access::Ro`]).
    pub fn is_stored(self) -> bool {
        self != Access::Ro
    }
}

/// A bit field inside a register.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// C identifier, unique within the register.
    pub name: String,
    /// Lowest bit.
    pub lsb: u32,
    /// Number of bits (at least 1).
    pub width: u32,
    /// What the field means.
    pub doc: String,
}

impl Field {
    /// The field's bits in its register.
    pub fn mask(&self) -> u64 {
        ones(self.width.min(64)).checked_shl(self.lsb).unwrap_or(0)
    }
}

/// One register of a bank.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Register {
    /// C identifier, unique within the bank; also the name of its ports.
    pub name: String,
    /// Byte offset in the bank, a multiple of the data width in bytes.
    pub offset: u64,
    /// Access type.
    pub access: Access,
    /// Value after reset. For [`Access::Ro`] it documents what the design
    /// drives after reset; the bank does not store it.
    pub reset: u64,
    /// What the register is for.
    pub doc: String,
    /// Bit fields. When there are any, only their bits exist: other bits read
    /// as 0 and ignore writes. Without fields all bits exist.
    pub fields: Vec<Field>,
    /// The bank pulses output `<name>_rd` in the cycle it samples this
    /// register for a read (e.g. to latch the upper half of a wide counter).
    /// Not part of the JSON.
    pub read_strobe: bool,
}

impl Register {
    /// A register at byte `offset`, reset value 0, no doc, no fields.
    pub fn new(name: &str, offset: u64, access: Access) -> Register {
        Register {
            name: name.to_string(),
            offset,
            access,
            reset: 0,
            doc: String::new(),
            fields: Vec::new(),
            read_strobe: false,
        }
    }

    /// A read/write register.
    pub fn rw(name: &str, offset: u64) -> Register {
        Register::new(name, offset, Access::Rw)
    }

    /// A read-only register (driven by the design).
    pub fn ro(name: &str, offset: u64) -> Register {
        Register::new(name, offset, Access::Ro)
    }

    /// A write-1-to-clear register (bits set by the design).
    pub fn w1c(name: &str, offset: u64) -> Register {
        Register::new(name, offset, Access::W1c)
    }

    /// A write-1-to-set register (bits cleared by the design).
    pub fn w1s(name: &str, offset: u64) -> Register {
        Register::new(name, offset, Access::W1s)
    }

    /// A write-only register (reads return 0).
    pub fn wo(name: &str, offset: u64) -> Register {
        Register::new(name, offset, Access::Wo)
    }

    /// Sets the reset value.
    pub fn with_reset(mut self, value: u64) -> Register {
        self.reset = value;
        self
    }

    /// Sets the description.
    pub fn with_doc(mut self, doc: &str) -> Register {
        self.doc = doc.to_string();
        self
    }

    /// Adds a bit field of `width` bits from bit `lsb`.
    pub fn with_field(mut self, name: &str, lsb: u32, width: u32, doc: &str) -> Register {
        self.fields.push(Field {
            name: name.to_string(),
            lsb,
            width,
            doc: doc.to_string(),
        });
        self
    }

    /// Adds the `<name>_rd` read strobe output (see [`Register::read_strobe`]).
    pub fn with_read_strobe(mut self) -> Register {
        self.read_strobe = true;
        self
    }

    /// The bits that exist: the union of the fields, or all `data_width` bits.
    pub fn implemented_mask(&self, data_width: u32) -> u64 {
        if self.fields.is_empty() {
            ones(data_width)
        } else {
            self.fields.iter().fold(0, |m, f| m | f.mask()) & ones(data_width)
        }
    }

    /// The ports of the bank for this register, with their direction seen
    /// from the bank (`true`: input).
    pub fn ports(&self) -> Vec<(String, bool)> {
        let n = &self.name;
        let mut out = vec![(n.clone(), self.access == Access::Ro)];
        if self.access.is_writable() {
            out.push((format!("{n}_wr"), false));
        }
        if self.read_strobe {
            out.push((format!("{n}_rd"), false));
        }
        match self.access {
            Access::W1c => out.push((format!("{n}_set"), true)),
            Access::W1s => out.push((format!("{n}_clear"), true)),
            _ => {}
        }
        out
    }
}

/// The register map of one bank.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsrMap {
    /// C identifier; prefix of every C macro, and the bank's module is `csr_<bank>`.
    pub bank: String,
    /// Byte-address bits the bank decodes (its AXI4-Lite address width).
    pub address_width: u32,
    /// Bits per register (32).
    pub data_width: u32,
    /// The registers, in the order they are documented.
    pub registers: Vec<Register>,
}

/// Everything wrong with a register map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsrMapError {
    /// The bank.
    pub bank: String,
    /// One line per problem.
    pub problems: Vec<String>,
}

impl fmt::Display for CsrMapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "register map `{}`:", self.bank)?;
        for p in &self.problems {
            write!(f, "\n  - {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CsrMapError {}

/// The low `n` bits set.
pub(crate) fn ones(n: u32) -> u64 {
    if n >= 64 {
        u64::MAX
    } else {
        (1u64 << n) - 1
    }
}

/// A C identifier: a letter or `_`, then letters, digits and `_`.
pub fn is_c_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Ports of the bank that registers must not take.
const BANK_PORTS: [&str; 2] = ["clk", "rst"];

impl CsrMap {
    /// An empty map of 32-bit registers decoding `address_width` byte-address bits.
    pub fn new(bank: &str, address_width: u32) -> CsrMap {
        CsrMap {
            bank: bank.to_string(),
            address_width,
            data_width: 32,
            registers: Vec::new(),
        }
    }

    /// Adds a register.
    pub fn with_register(mut self, r: Register) -> CsrMap {
        self.registers.push(r);
        self
    }

    /// The register called `name`.
    pub fn register(&self, name: &str) -> Option<&Register> {
        self.registers.iter().find(|r| r.name == name)
    }

    /// The register at byte `offset` (exactly).
    pub fn at_offset(&self, offset: u64) -> Option<&Register> {
        self.registers.iter().find(|r| r.offset == offset)
    }

    /// Bytes per register.
    pub fn data_bytes(&self) -> u64 {
        u64::from(self.data_width / 8)
    }

    /// Checks everything the hardware and the C header rely on and returns
    /// every problem found.
    pub fn validate(&self) -> Result<(), CsrMapError> {
        let mut p = Vec::new();
        let dw = self.data_width;
        if !is_c_identifier(&self.bank) {
            p.push(format!("bank name `{}` is not a C identifier", self.bank));
        }
        if dw != 32 {
            p.push(format!("data_width is {dw}; CSR banks have 32-bit registers"));
        }
        let min_aw = crate::clog2(dw / 8).max(1) + 1;
        if !(min_aw..=32).contains(&self.address_width) {
            p.push(format!(
                "address_width {} is outside {min_aw}..=32",
                self.address_width
            ));
        }
        if self.registers.is_empty() {
            p.push("a bank needs at least one register".into());
        }
        let mut names = BTreeMap::new();
        let mut offsets = BTreeMap::new();
        let mut ports = BTreeMap::new();
        for r in &self.registers {
            self.check_register(r, &mut p);
            if names.insert(r.name.as_str(), ()).is_some() {
                p.push(format!("two registers are named `{}`", r.name));
            }
            if let Some(other) = offsets.insert(r.offset, r.name.as_str()) {
                p.push(format!(
                    "`{}` and `{other}` both sit at offset {:#x}",
                    r.name, r.offset
                ));
            }
            for (port, _) in r.ports() {
                if BANK_PORTS.contains(&port.as_str()) || port.starts_with("s_axil_") {
                    p.push(format!("port `{port}` of `{}` clashes with a bank port", r.name));
                }
                if let Some(other) = ports.insert(port.clone(), r.name.clone()) {
                    if other != r.name {
                        p.push(format!(
                            "port `{port}` of `{}` clashes with a port of `{other}`",
                            r.name
                        ));
                    }
                }
            }
        }
        let mut macros = BTreeMap::new();
        for (m, owner) in crate::stdlib::csr_header::macro_names(self) {
            if let Some(other) = macros.insert(m.clone(), owner.clone()) {
                if other == owner {
                    continue; // two registers of one name: reported above
                }
                p.push(format!("C macro {m} is made by both {other} and {owner}"));
            }
        }
        if p.is_empty() {
            Ok(())
        } else {
            Err(CsrMapError {
                bank: self.bank.clone(),
                problems: p,
            })
        }
    }

    fn check_register(&self, r: &Register, p: &mut Vec<String>) {
        let dw = self.data_width;
        let n = &r.name;
        if !is_c_identifier(n) {
            p.push(format!("register name `{n}` is not a C identifier"));
        } else if crate::passes::names::is_keyword(n) {
            p.push(format!("register name `{n}` is a Verilog keyword"));
        }
        if !r.offset.is_multiple_of(self.data_bytes()) {
            p.push(format!(
                "`{n}`: offset {:#x} is not a multiple of {}",
                r.offset,
                self.data_bytes()
            ));
        }
        if self.address_width < 64 && r.offset >> self.address_width != 0 {
            p.push(format!(
                "`{n}`: offset {:#x} is outside the {}-bit address space",
                r.offset, self.address_width
            ));
        }
        if r.reset & !r.implemented_mask(dw) != 0 {
            p.push(format!(
                "`{n}`: reset value {:#x} sets bits outside {}",
                r.reset,
                if r.fields.is_empty() {
                    format!("{dw} bits")
                } else {
                    "its fields".to_string()
                }
            ));
        }
        let mut taken = 0u64;
        let mut field_names = BTreeMap::new();
        for f in &r.fields {
            if !is_c_identifier(&f.name) {
                p.push(format!("`{n}`: field name `{}` is not a C identifier", f.name));
            }
            if field_names.insert(f.name.as_str(), ()).is_some() {
                p.push(format!("`{n}`: two fields are named `{}`", f.name));
            }
            if f.width == 0 || f.lsb + f.width > dw {
                p.push(format!(
                    "`{n}`: field `{}` (bits {}..{}) does not fit {dw} bits",
                    f.name,
                    f.lsb,
                    f.lsb + f.width
                ));
                continue;
            }
            if taken & f.mask() != 0 {
                p.push(format!("`{n}`: field `{}` overlaps another field", f.name));
            }
            taken |= f.mask();
        }
    }

    /// The `csr_map` annotation (see the module docs).
    pub fn to_json(&self) -> Value {
        let regs: Vec<Value> = self
            .registers
            .iter()
            .map(|r| {
                let mut v = json!({
                    "name": r.name,
                    "offset": r.offset,
                    "access": r.access.as_str(),
                    "reset": r.reset,
                    "doc": r.doc,
                });
                if !r.fields.is_empty() {
                    let fields: Vec<Value> = r
                        .fields
                        .iter()
                        .map(|f| json!({"name": f.name, "lsb": f.lsb, "width": f.width, "doc": f.doc}))
                        .collect();
                    v["fields"] = Value::Array(fields);
                }
                v
            })
            .collect();
        json!({
            "bank": self.bank,
            "address_width": self.address_width,
            "data_width": self.data_width,
            "registers": regs,
        })
    }

    /// Reads a `csr_map` annotation back (read strobes are not part of it)
    /// and validates it.
    pub fn from_json(v: &Value) -> Result<CsrMap, CsrMapError> {
        let bank = v["bank"].as_str().unwrap_or("?").to_string();
        let err = |msg: String| CsrMapError {
            bank: bank.clone(),
            problems: vec![msg],
        };
        let num = |v: &Value, what: &str| v.as_u64().ok_or_else(|| err(format!("{what} is not a number")));
        let text = |v: &Value, what: &str| {
            v.as_str()
                .map(str::to_string)
                .ok_or_else(|| err(format!("{what} is not a string")))
        };
        let small = |x: u64, what: &str| u32::try_from(x).map_err(|_| err(format!("{what} is too large")));
        let mut map = CsrMap {
            bank: text(&v["bank"], "bank")?,
            address_width: small(num(&v["address_width"], "address_width")?, "address_width")?,
            data_width: small(num(&v["data_width"], "data_width")?, "data_width")?,
            registers: Vec::new(),
        };
        let regs = v["registers"]
            .as_array()
            .ok_or_else(|| err("registers is not a list".into()))?;
        for (i, r) in regs.iter().enumerate() {
            let at = format!("registers[{i}]");
            let access = text(&r["access"], &format!("{at}.access"))?;
            let mut reg = Register {
                name: text(&r["name"], &format!("{at}.name"))?,
                offset: num(&r["offset"], &format!("{at}.offset"))?,
                access: Access::parse(&access)
                    .ok_or_else(|| err(format!("{at}.access `{access}` is unknown")))?,
                reset: num(&r["reset"], &format!("{at}.reset"))?,
                doc: r["doc"].as_str().unwrap_or_default().to_string(),
                fields: Vec::new(),
                read_strobe: false,
            };
            if let Some(fields) = r.get("fields") {
                let fields = fields
                    .as_array()
                    .ok_or_else(|| err(format!("{at}.fields is not a list")))?;
                for (j, f) in fields.iter().enumerate() {
                    let fat = format!("{at}.fields[{j}]");
                    reg.fields.push(Field {
                        name: text(&f["name"], &format!("{fat}.name"))?,
                        lsb: small(num(&f["lsb"], &format!("{fat}.lsb"))?, "lsb")?,
                        width: small(num(&f["width"], &format!("{fat}.width"))?, "width")?,
                        doc: f["doc"].as_str().unwrap_or_default().to_string(),
                    });
                }
            }
            map.registers.push(reg);
        }
        map.validate()?;
        Ok(map)
    }
}
