//! The elaborated design: one [`Module`] per component specialisation, each an
//! arena of expression [`Node`]s, named [`Signal`]s, a statement tree and child
//! [`Instance`]s. Passes read it; the back ends print it. Everything is kept in
//! `Vec`s and ordered maps so iteration order (and so output) is deterministic.

mod constant;
mod visit;

pub(crate) use constant::group_hex;
pub use constant::Const;
pub use visit::{for_each_assign, node_operands};

use crate::diag::Loc;
use std::collections::BTreeMap;

/// Index of a node in its module's arena.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub u32);
/// Index of a named signal in its module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SigId(pub u32);
/// Index of a statement block in its module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BlockId(pub u32);
/// Index of a module in the design.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ModuleId(pub u32);
/// Index of a clock domain in its module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DomainId(pub u32);

/// How the bits of a value are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// One bit.
    Bool,
    /// Raw bits (no arithmetic).
    Bits,
    /// Unsigned number.
    UInt,
    /// Two's complement number.
    SInt,
}

/// One-operand operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnOp {
    /// Bitwise not.
    Not,
    /// Two's complement negation.
    Neg,
    /// AND of all bits.
    ReduceAnd,
    /// OR of all bits.
    ReduceOr,
    /// XOR of all bits.
    ReduceXor,
}

/// Two-operand operators. Both operands have the same width except for shifts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    /// Wrapping add.
    Add,
    /// Wrapping subtract.
    Sub,
    /// Full-width product (width = sum of widths).
    Mul,
    /// Bitwise and.
    And,
    /// Bitwise or.
    Or,
    /// Bitwise xor.
    Xor,
    /// Equal.
    Eq,
    /// Not equal.
    Ne,
    /// Less than (signedness from the operands' kind).
    Lt,
    /// Less or equal.
    Le,
    /// Greater than.
    Gt,
    /// Greater or equal.
    Ge,
    /// Shift left by a variable amount (width kept).
    Shl,
    /// Logical shift right by a variable amount.
    Shr,
    /// Arithmetic shift right by a variable amount.
    Sra,
}

/// An expression node.
#[derive(Clone, Debug)]
pub enum NodeKind {
    /// The current value of a named signal (port, wire, register).
    Sig(SigId),
    /// A constant.
    Const(Const),
    /// Unary operator.
    Unary(UnOp, NodeId),
    /// Binary operator.
    Binary(BinOp, NodeId, NodeId),
    /// `sel ? t : f`.
    Mux {
        /// One-bit select.
        sel: NodeId,
        /// Value when `sel` is 1.
        t: NodeId,
        /// Value when `sel` is 0.
        f: NodeId,
    },
    /// Concatenation, most significant part first.
    Concat(Vec<NodeId>),
    /// Constant bit range `[lo + width - 1 : lo]`.
    Slice {
        /// Source.
        src: NodeId,
        /// Lowest bit.
        lo: u32,
    },
    /// Variable part select: element `index` of `width`-bit elements.
    DynSlice {
        /// Source.
        src: NodeId,
        /// Element index.
        index: NodeId,
    },
    /// Choose one of `options` by `sel` (out of range picks the last one).
    Select {
        /// Index.
        sel: NodeId,
        /// Candidates, all the same width.
        options: Vec<NodeId>,
    },
    /// Zero or sign extension to the node's width.
    Extend {
        /// Source.
        src: NodeId,
        /// Sign-extend when true.
        signed: bool,
    },
    /// An output port of a child instance.
    InstOut {
        /// The instance.
        inst: u32,
        /// Index of the port in the child module.
        port: u32,
    },
    /// Asynchronous memory read.
    MemRead {
        /// The memory.
        mem: u32,
        /// Address.
        addr: NodeId,
    },
}

/// A node with its width, kind and the user's source position.
#[derive(Clone, Debug)]
pub struct Node {
    /// What it computes.
    pub op: NodeKind,
    /// Result width in bits.
    pub width: u32,
    /// How the result is read.
    pub kind: Kind,
    /// Where the user created it.
    pub loc: Loc,
}

/// Direction of a port.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dir {
    /// Into the module.
    Input,
    /// Out of the module.
    Output,
}

/// What a named signal is.
#[derive(Clone, Debug, PartialEq)]
pub enum Role {
    /// A port of this module.
    Port(Dir),
    /// An internal combinational signal.
    Wire,
    /// The input pin of a child instance (driven in this module).
    InstIn {
        /// The instance.
        inst: u32,
        /// Port index in the child module.
        port: u32,
    },
    /// The registered read data of a synchronous memory read port.
    MemData {
        /// The memory.
        mem: u32,
    },
}

/// Register information of a signal that is a flip-flop.
#[derive(Clone, Debug, PartialEq)]
pub struct RegInfo {
    /// The clock domain.
    pub domain: DomainId,
    /// Reset value, when it has one.
    pub init: Option<Const>,
    /// First stage of a synchroniser: the clock-crossing check accepts it.
    pub cdc_sync: bool,
}

/// A named signal: port, wire or register.
#[derive(Clone, Debug)]
pub struct Signal {
    /// The name from the user's code (legalised by the names pass).
    pub name: String,
    /// Width in bits.
    pub width: u32,
    /// How it is read.
    pub kind: Kind,
    /// Port, wire, instance input...
    pub role: Role,
    /// Set when it is a register.
    pub reg: Option<RegInfo>,
    /// The value it takes when no assignment applies.
    pub default: Option<NodeId>,
    /// Where it was declared.
    pub loc: Loc,
    /// The node that reads it.
    pub node: NodeId,
    /// Optional documentation comment for the Verilog.
    pub doc: Option<String>,
}

impl Signal {
    /// True for ports in the given direction.
    pub fn is_port(&self, dir: Dir) -> bool {
        self.role == Role::Port(dir)
    }
}

/// A statement.
#[derive(Clone, Debug)]
pub enum Stmt {
    /// `target = value` (last assignment wins).
    Assign {
        /// The signal.
        target: SigId,
        /// The value.
        value: NodeId,
        /// Where.
        loc: Loc,
    },
    /// `if (cond) then else els`.
    When {
        /// One-bit condition.
        cond: NodeId,
        /// Taken when 1.
        then: BlockId,
        /// Taken when 0.
        els: BlockId,
        /// Where.
        loc: Loc,
    },
    /// `case (sel)`.
    Switch {
        /// Selector.
        sel: NodeId,
        /// Values and their blocks.
        cases: Vec<(Vec<Const>, BlockId)>,
        /// The default block.
        default: BlockId,
        /// Where.
        loc: Loc,
    },
}

/// Synchronous or asynchronous reset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ResetKind {
    /// Sampled on the clock edge.
    Sync,
    /// Acts immediately.
    Async,
}

/// Which level (or edge) is active.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Polarity {
    /// Active high / rising edge.
    High,
    /// Active low / falling edge.
    Low,
}

/// A clock domain of a module: a clock port and an optional reset port.
#[derive(Clone, Debug)]
pub struct Domain {
    /// Name used to connect it from the parent ("" = the implicit domain).
    pub name: String,
    /// The clock input.
    pub clock: SigId,
    /// Rising (High) or falling (Low) edge.
    pub edge: Polarity,
    /// The reset input, its kind and polarity.
    pub reset: Option<(SigId, ResetKind, Polarity)>,
    /// Where it was created.
    pub loc: Loc,
}

/// A write port of a memory.
#[derive(Clone, Debug)]
pub struct MemWrite {
    /// Clock domain.
    pub domain: DomainId,
    /// Address.
    pub addr: NodeId,
    /// Data.
    pub data: NodeId,
    /// Write enable.
    pub enable: NodeId,
    /// Byte (lane) enables: one bit per `lane_bits` bits of data.
    pub mask: Option<NodeId>,
    /// Where.
    pub loc: Loc,
}

/// A synchronous read port of a memory.
#[derive(Clone, Debug)]
pub struct MemSyncRead {
    /// Clock domain.
    pub domain: DomainId,
    /// Address.
    pub addr: NodeId,
    /// Read enable.
    pub enable: NodeId,
    /// The registered data signal.
    pub data: SigId,
    /// Where.
    pub loc: Loc,
}

/// A memory array, emitted in the form Vivado and Yosys infer as block RAM.
#[derive(Clone, Debug)]
pub struct Memory {
    /// Name.
    pub name: String,
    /// Word width.
    pub width: u32,
    /// Number of words.
    pub depth: u32,
    /// Lane width for byte enables (8 for bytes).
    pub lane_bits: u32,
    /// Initial contents (shorter than depth: rest is zero).
    pub init: Option<Vec<Const>>,
    /// Write ports.
    pub writes: Vec<MemWrite>,
    /// Synchronous read ports.
    pub sync_reads: Vec<MemSyncRead>,
    /// Where.
    pub loc: Loc,
}

/// A Verilog parameter value of a black box.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub enum ParamValue {
    /// An integer.
    Int(i64),
    /// A string.
    Str(String),
    /// A sized bit vector.
    Bits(Const),
}

/// A child instance.
#[derive(Clone, Debug)]
pub struct Instance {
    /// Instance name.
    pub name: String,
    /// The child module.
    pub module: ModuleId,
    /// Parent signal driving each child input port (child port index -> signal).
    pub inputs: BTreeMap<u32, SigId>,
    /// Parent clock domain for each child domain (child domain -> parent domain).
    pub domains: BTreeMap<u32, DomainId>,
    /// Where.
    pub loc: Loc,
}

/// A vendor module whose body is not ours.
#[derive(Clone, Debug, Default)]
pub struct BlackBox {
    /// Verilog parameters passed at instantiation.
    pub params: Vec<(String, ParamValue)>,
    /// Verilog source to pass through into the output (if any).
    pub verilog: Option<String>,
}

/// A named constant emitted as a `localparam` (enum encodings).
#[derive(Clone, Debug)]
pub struct NamedConst {
    /// Name.
    pub name: String,
    /// Value.
    pub value: Const,
}

/// One component specialisation.
#[derive(Clone, Debug)]
pub struct Module {
    /// Module name (unique in the design).
    pub name: String,
    /// Debug rendering of the component's parameters (its identity).
    pub key: String,
    /// Node arena.
    pub nodes: Vec<Node>,
    /// Named signals, ports first in declaration order.
    pub signals: Vec<Signal>,
    /// Port signals in declaration order.
    pub ports: Vec<SigId>,
    /// Statement blocks; block 0 is the top-level block.
    pub blocks: Vec<Vec<Stmt>>,
    /// Clock domains.
    pub domains: Vec<Domain>,
    /// Child instances.
    pub instances: Vec<Instance>,
    /// Memories.
    pub memories: Vec<Memory>,
    /// Enum encodings used (emitted as localparams).
    pub consts: Vec<NamedConst>,
    /// Named constant node -> index into `consts`.
    pub const_names: BTreeMap<u32, u32>,
    /// Set for black boxes.
    pub blackbox: Option<BlackBox>,
    /// Machine-readable facts for tools (e.g. a CSR bank's register map).
    pub annotations: BTreeMap<String, serde_json::Value>,
    /// Where the component was first instantiated.
    pub loc: Loc,
}

impl Module {
    /// The top-level statement block.
    pub const ROOT: BlockId = BlockId(0);

    /// A node by id.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.0 as usize]
    }

    /// A signal by id.
    pub fn signal(&self, id: SigId) -> &Signal {
        &self.signals[id.0 as usize]
    }

    /// A block by id.
    pub fn block(&self, id: BlockId) -> &[Stmt] {
        &self.blocks[id.0 as usize]
    }

    /// Find a port by name.
    pub fn port(&self, name: &str) -> Option<SigId> {
        self.ports.iter().copied().find(|&p| self.signal(p).name == name)
    }
}

/// A whole design: modules in elaboration order (children before parents), top last.
#[derive(Clone, Debug)]
pub struct Design {
    /// All modules.
    pub modules: Vec<Module>,
    /// The top module.
    pub top: ModuleId,
}

impl Design {
    /// A module by id.
    pub fn module(&self, id: ModuleId) -> &Module {
        &self.modules[id.0 as usize]
    }

    /// The top module.
    pub fn top_module(&self) -> &Module {
        self.module(self.top)
    }

    /// Find a module by name.
    pub fn find(&self, name: &str) -> Option<&Module> {
        self.modules.iter().find(|m| m.name == name)
    }

    /// Number of expression nodes in all modules.
    pub fn node_count(&self) -> usize {
        self.modules.iter().map(|m| m.nodes.len()).sum()
    }
}
