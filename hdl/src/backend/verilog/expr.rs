//! Expression printing. Expressions are inlined into the statement that uses
//! them, except nodes that are shared (used more than once) or that Verilog can
//! only slice when they are named: those become wires with names derived from
//! what they compute (`count_plus_1`), never numbered temporaries.

use crate::ir::{BinOp, Kind, Module, NodeId, NodeKind, UnOp};
use crate::passes::names::Namer;

/// Per-module expression state: use counts and the temporaries chosen.
pub struct Exprs<'a> {
    pub m: &'a Module,
    /// Uses of each node.
    pub uses: Vec<u32>,
    /// Name of each materialised node.
    pub temp: Vec<Option<String>>,
    /// Materialised nodes in creation order.
    pub temps: Vec<NodeId>,
    /// Wire names of child instance outputs (by node).
    pub inst_out: Vec<Option<String>>,
}

/// Deepest operator nesting printed inline; a deeper expression (say, a fold
/// over thousands of terms) is cut into named wires. This keeps lines readable
/// and the printer's recursion (and work) bounded.
const MAX_INLINE_DEPTH: u32 = 16;

/// How an expression binds, for parenthesisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    /// A name, literal, concatenation, bit select or function call.
    Primary,
    /// A unary operator applied to a primary.
    Unary,
    /// A binary operator.
    Binary(BinOp),
    /// `c ? a : b` (also chains of them).
    Cond,
}

/// Where an operand stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ctx {
    /// Operand of a unary operator.
    Unary,
    /// Left operand of a binary operator.
    BinaryLeft(BinOp),
    /// Right operand of a binary operator.
    BinaryRight,
    /// Condition of `?:`.
    MuxCond,
    /// The `then` arm of `?:`.
    MuxArm,
    /// The `else` arm of `?:` (a further `?:` chains without parentheses).
    MuxElse,
}

/// True when `child` may stand unparenthesised as the left operand of `parent`:
/// the same left-associative operator family, whose meaning nobody has to look up.
fn chains(child: BinOp, parent: BinOp) -> bool {
    use BinOp::*;
    matches!(
        (child, parent),
        (Add | Sub, Add | Sub) | (And, And) | (Or, Or) | (Xor, Xor)
    )
}

fn is_leaf(op: &NodeKind) -> bool {
    matches!(
        op,
        NodeKind::Sig(_) | NodeKind::Const(_) | NodeKind::InstOut { .. }
    )
}

impl<'a> Exprs<'a> {
    /// Analyses `m`: counts uses (including `extra` roots) and picks temporaries.
    pub fn new(m: &'a Module, roots: &[NodeId], namer: &mut Namer, inst_out: Vec<Option<String>>) -> Self {
        let n = m.nodes.len();
        let mut uses = vec![0u32; n];
        let mut needs_ref = vec![false; n];
        for node in &m.nodes {
            crate::ir::node_operands(&node.op, |o| {
                uses[o.0 as usize] += 1;
                // `$signed(a) >>> n` inside a larger expression would take the
                // expression's (unsigned) type and shift logically: name it.
                if matches!(m.node(o).op, NodeKind::Binary(BinOp::Sra, ..)) {
                    needs_ref[o.0 as usize] = true;
                }
            });
            match &node.op {
                NodeKind::Slice { src, .. } | NodeKind::DynSlice { src, .. }
                    if m.node(*src).width != node.width || matches!(node.op, NodeKind::DynSlice { .. }) =>
                {
                    needs_ref[src.0 as usize] = true;
                }
                NodeKind::Extend { src, signed: true } => needs_ref[src.0 as usize] = true,
                NodeKind::Binary(BinOp::Mul, a, b) if node.kind == Kind::SInt => {
                    needs_ref[a.0 as usize] = true;
                    needs_ref[b.0 as usize] = true;
                }
                _ => {}
            }
        }
        for r in roots {
            uses[r.0 as usize] += 1;
        }
        let mut e = Exprs {
            m,
            uses,
            temp: vec![None; n],
            temps: Vec::new(),
            inst_out,
        };
        // Nesting depth of each node's inlined expression (leaves and named values are 0).
        let mut depth = vec![0u32; n];
        for (i, node) in m.nodes.iter().enumerate() {
            if is_leaf(&node.op) {
                continue;
            }
            // A slice of a named value is as cheap to repeat as a name.
            let cheap = match &node.op {
                NodeKind::Slice { src, .. } => {
                    is_leaf(&m.node(*src).op) && !matches!(m.node(*src).op, NodeKind::Const(_))
                }
                _ => false,
            };
            let shared = e.uses[i] > 1 && !cheap;
            let needs = needs_ref[i] && !matches!(node.op, NodeKind::Slice { .. } if cheap);
            // Operands come before their users, so their depth is known here.
            let mut d = 0;
            crate::ir::node_operands(&node.op, |o| {
                if e.temp[o.0 as usize].is_none() {
                    d = d.max(depth[o.0 as usize]);
                }
            });
            depth[i] = d + 1;
            let too_deep = depth[i] > MAX_INLINE_DEPTH;
            if shared || needs || too_deep {
                let hint = e.hint(NodeId(i as u32), 3);
                e.temp[i] = Some(namer.claim(&hint));
                e.temps.push(NodeId(i as u32));
                depth[i] = 0;
            }
        }
        e
    }

    /// Makes `id` a named wire (when it is not already a name) so it can be sliced.
    pub fn force_temp(&mut self, id: NodeId, namer: &mut Namer) {
        if is_leaf(&self.m.node(id).op) || self.temp[id.0 as usize].is_some() {
            return;
        }
        let hint = self.hint(id, 3);
        self.temp[id.0 as usize] = Some(namer.claim(&hint));
        self.temps.push(id);
        self.temps.sort();
    }

    /// Bits `[lo + width - 1 : lo]` of `src`.
    pub fn slice_pub(&self, src: NodeId, lo: u32, width: u32) -> String {
        self.slice_of(src, lo, width)
    }

    /// A readable name for what a node computes.
    fn hint(&self, id: NodeId, depth: u32) -> String {
        let node = self.m.node(id);
        if let Some(t) = &self.temp[id.0 as usize] {
            return t.clone();
        }
        if depth == 0 {
            return "x".into();
        }
        let d = depth - 1;
        let s = match &node.op {
            NodeKind::Sig(s) => self.m.signal(*s).name.clone(),
            NodeKind::Const(c) => match c.to_u64() {
                Some(v) => v.to_string(),
                None => "k".into(),
            },
            NodeKind::InstOut { .. } => self.inst_out[id.0 as usize].clone().unwrap_or_default(),
            NodeKind::Unary(op, a) => {
                let p = match op {
                    UnOp::Not => "not",
                    UnOp::Neg => "neg",
                    UnOp::ReduceAnd => "all",
                    UnOp::ReduceOr => "any",
                    UnOp::ReduceXor => "parity",
                };
                format!("{p}_{}", self.hint(*a, d))
            }
            NodeKind::Binary(op, a, b) => {
                let w = match op {
                    BinOp::Add => "plus",
                    BinOp::Sub => "minus",
                    BinOp::Mul => "times",
                    BinOp::And => "and",
                    BinOp::Or => "or",
                    BinOp::Xor => "xor",
                    BinOp::Eq => "eq",
                    BinOp::Ne => "ne",
                    BinOp::Lt => "lt",
                    BinOp::Le => "le",
                    BinOp::Gt => "gt",
                    BinOp::Ge => "ge",
                    BinOp::Shl => "shl",
                    BinOp::Shr | BinOp::Sra => "shr",
                };
                format!("{}_{w}_{}", self.hint(*a, d), self.hint(*b, d))
            }
            NodeKind::Mux { sel, .. } => format!("{}_mux", self.hint(*sel, d)),
            NodeKind::Concat(_) => "cat".into(),
            NodeKind::Slice { src, lo } => format!("{}_{}", self.hint(*src, d), lo),
            NodeKind::DynSlice { src, .. } => format!("{}_at", self.hint(*src, d)),
            NodeKind::Select { sel, .. } => format!("{}_sel", self.hint(*sel, d)),
            NodeKind::Extend { src, .. } => format!("{}_ext", self.hint(*src, d)),
            NodeKind::MemRead { mem, .. } => format!("{}_rd", self.m.memories[*mem as usize].name),
        };
        if s.len() > 40 {
            s[..40].trim_end_matches('_').to_string()
        } else {
            s
        }
    }

    /// The expression for a use of `id`: the temporary's name if it has one.
    pub fn expr(&self, id: NodeId) -> String {
        match &self.temp[id.0 as usize] {
            Some(t) => t.clone(),
            None => self.body(id),
        }
    }

    /// A name that can be sliced: signals, temporaries and instance outputs.
    fn reference(&self, id: NodeId) -> Option<String> {
        if let Some(t) = &self.temp[id.0 as usize] {
            return Some(t.clone());
        }
        match &self.m.node(id).op {
            NodeKind::Sig(s) => Some(self.m.signal(*s).name.clone()),
            NodeKind::InstOut { .. } => self.inst_out[id.0 as usize].clone(),
            _ => None,
        }
    }

    /// Bits `[lo + width - 1 : lo]` of node `src`.
    fn slice_of(&self, src: NodeId, lo: u32, width: u32) -> String {
        let s = self.m.node(src);
        if let NodeKind::Const(c) = &s.op {
            return c.slice(lo, width).to_verilog();
        }
        if lo == 0 && width == s.width {
            return self.expr(src);
        }
        // Slices of slices compose.
        if self.temp[src.0 as usize].is_none() {
            if let NodeKind::Slice { src: inner, lo: l2 } = &s.op {
                return self.slice_of(*inner, lo + l2, width);
            }
        }
        let r = self
            .reference(src)
            .unwrap_or_else(|| format!("/* unsliceable */ {}", self.expr(src)));
        if s.width == 1 {
            return r;
        }
        if width == 1 {
            format!("{r}[{lo}]")
        } else {
            format!("{r}[{}:{lo}]", lo + width - 1)
        }
    }

    fn signed(&self, id: NodeId) -> String {
        format!("$signed({})", self.expr(id))
    }

    /// How the printed form of `id` binds, for deciding on parentheses.
    fn form(&self, id: NodeId) -> Form {
        if self.temp[id.0 as usize].is_some() || self.m.const_names.contains_key(&id.0) {
            return Form::Primary;
        }
        let node = self.m.node(id);
        match &node.op {
            NodeKind::Unary(op, a) => {
                if self.m.node(*a).width == 1 && !matches!(op, UnOp::Not | UnOp::Neg) {
                    self.form(*a)
                } else {
                    Form::Unary
                }
            }
            NodeKind::Binary(op, ..) => Form::Binary(*op),
            NodeKind::Mux { .. } | NodeKind::Select { .. } => Form::Cond,
            NodeKind::Slice { src, lo } => self.slice_form(*src, *lo, node.width),
            NodeKind::Extend { src, .. } if self.m.node(*src).width >= node.width => self.form(*src),
            _ => Form::Primary,
        }
    }

    /// [`Exprs::form`] of `slice_of(src, lo, width)`.
    fn slice_form(&self, src: NodeId, lo: u32, width: u32) -> Form {
        let s = self.m.node(src);
        if let NodeKind::Const(_) = &s.op {
            return Form::Primary;
        }
        if lo == 0 && width == s.width {
            return self.form(src);
        }
        if self.temp[src.0 as usize].is_none() {
            if let NodeKind::Slice { src: inner, lo: l2 } = &s.op {
                return self.slice_form(*inner, lo + l2, width);
            }
        }
        Form::Primary
    }

    /// `id` printed as an operand in context `ctx`, parenthesised only where
    /// precedence needs it or where mixing operators would make it hard to read.
    fn operand(&self, id: NodeId, ctx: Ctx) -> String {
        let e = self.expr(id);
        let wrap = match (self.form(id), ctx) {
            (Form::Primary, _) => false,
            (Form::Unary, Ctx::Unary) => true,
            (Form::Unary, _) => false,
            // `a + b + c`, `a + b - c`, `a & b & c`: left-associative chains read naturally.
            (Form::Binary(c), Ctx::BinaryLeft(p)) => !chains(c, p),
            (Form::Binary(_), Ctx::MuxArm | Ctx::MuxElse) => false,
            (Form::Cond, Ctx::MuxElse) => false,
            _ => true,
        };
        if wrap {
            format!("({e})")
        } else {
            e
        }
    }

    /// `!c` for a one-bit condition, parenthesised when needed.
    pub fn negated(&self, id: NodeId) -> String {
        format!("!{}", self.operand(id, Ctx::Unary))
    }

    /// A shift amount: a plain decimal for constants (`x << 2`), else the expression.
    fn shift_amount(&self, id: NodeId) -> String {
        match &self.m.node(id).op {
            NodeKind::Const(c) if !self.m.const_names.contains_key(&id.0) => match c.to_u64() {
                Some(v) => v.to_string(),
                None => self.expr(id),
            },
            _ => self.operand(id, Ctx::BinaryRight),
        }
    }

    /// The expression computing node `id` (ignoring its own temporary), as it
    /// stands on the right of an assignment: without outer parentheses.
    pub fn body(&self, id: NodeId) -> String {
        let node = self.m.node(id);
        if let Some(&c) = self.m.const_names.get(&id.0) {
            return self.m.consts[c as usize].name.clone();
        }
        match &node.op {
            NodeKind::Sig(s) => self.m.signal(*s).name.clone(),
            NodeKind::Const(c) => c.to_verilog(),
            NodeKind::InstOut { .. } => self.inst_out[id.0 as usize].clone().unwrap_or_default(),
            NodeKind::Unary(op, a) => {
                let p = match op {
                    UnOp::Not => "~",
                    UnOp::Neg => "-",
                    UnOp::ReduceAnd => "&",
                    UnOp::ReduceOr => "|",
                    UnOp::ReduceXor => "^",
                };
                if self.m.node(*a).width == 1
                    && matches!(op, UnOp::ReduceAnd | UnOp::ReduceOr | UnOp::ReduceXor)
                {
                    return self.expr(*a);
                }
                format!("{p}{}", self.operand(*a, Ctx::Unary))
            }
            NodeKind::Binary(op, a, b) => {
                let signed = self.m.node(*a).kind == Kind::SInt;
                let sym = crate::passes::widths::op_symbol(*op);
                match op {
                    BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge if signed => {
                        format!("{} {sym} {}", self.signed(*a), self.signed(*b))
                    }
                    BinOp::Sra => format!("{} >>> {}", self.signed(*a), self.shift_amount(*b)),
                    BinOp::Shl | BinOp::Shr => format!(
                        "{} {sym} {}",
                        self.operand(*a, Ctx::BinaryLeft(*op)),
                        self.shift_amount(*b)
                    ),
                    BinOp::Mul => {
                        if signed {
                            let (ea, eb) = (self.sext(*a, node.width), self.sext(*b, node.width));
                            format!("$signed({ea}) * $signed({eb})")
                        } else {
                            let ea = self.zext_operand(*a, node.width, Ctx::BinaryLeft(*op));
                            let eb = self.zext_operand(*b, node.width, Ctx::BinaryRight);
                            format!("{ea} * {eb}")
                        }
                    }
                    _ => format!(
                        "{} {sym} {}",
                        self.operand(*a, Ctx::BinaryLeft(*op)),
                        self.operand(*b, Ctx::BinaryRight)
                    ),
                }
            }
            NodeKind::Mux { sel, t, f } => {
                format!(
                    "{} ? {} : {}",
                    self.operand(*sel, Ctx::MuxCond),
                    self.operand(*t, Ctx::MuxArm),
                    self.operand(*f, Ctx::MuxElse)
                )
            }
            NodeKind::Concat(parts) => {
                let p: Vec<_> = parts.iter().map(|&p| self.expr(p)).collect();
                format!("{{{}}}", p.join(", "))
            }
            NodeKind::Slice { src, lo } => self.slice_of(*src, *lo, node.width),
            NodeKind::DynSlice { src, index } => {
                let r = self
                    .reference(*src)
                    .unwrap_or_else(|| format!("/* unsliceable */ {}", self.expr(*src)));
                let i = self.expr(*index);
                if node.width == 1 {
                    format!("{r}[{i}]")
                } else {
                    let sh = node.width.trailing_zeros();
                    format!("{r}[{{{i}, {sh}'d0}} +: {}]", node.width)
                }
            }
            NodeKind::Select { sel, options } => {
                let sw = self.m.node(*sel).width;
                let s = self.operand(*sel, Ctx::BinaryLeft(BinOp::Eq));
                let mut out = self.operand(*options.last().expect("options"), Ctx::MuxElse);
                for (i, &o) in options.iter().enumerate().rev().skip(1) {
                    let k = crate::ir::Const::new(i as u128, sw)
                        .map(|c| c.to_verilog())
                        .unwrap_or_else(|| format!("{sw}'d{i}"));
                    out = format!("({s} == {k}) ? {} : {out}", self.operand(o, Ctx::MuxArm));
                }
                out
            }
            NodeKind::Extend { src, signed } => {
                if *signed {
                    self.sext(*src, node.width)
                } else {
                    self.zext(*src, node.width)
                }
            }
            NodeKind::MemRead { mem, addr } => {
                format!("{}[{}]", self.m.memories[*mem as usize].name, self.expr(*addr))
            }
        }
    }

    /// `src` zero-extended to `width`, as an operand in `ctx`.
    fn zext_operand(&self, src: NodeId, width: u32, ctx: Ctx) -> String {
        if self.m.node(src).width >= width {
            return self.operand(src, ctx);
        }
        self.zext(src, width)
    }

    fn zext(&self, src: NodeId, width: u32) -> String {
        let ws = self.m.node(src).width;
        if ws >= width {
            return self.expr(src);
        }
        format!("{{{}'d0, {}}}", width - ws, self.expr(src))
    }

    fn sext(&self, src: NodeId, width: u32) -> String {
        let ws = self.m.node(src).width;
        if ws >= width {
            return self.expr(src);
        }
        let msb = self.slice_of(src, ws - 1, 1);
        format!("{{{{{}{{{msb}}}}}, {}}}", width - ws, self.expr(src))
    }
}
