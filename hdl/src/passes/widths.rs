//! Pass `widths`: every operator, assignment and port sees the widths it needs.
//! Nothing is ever truncated or extended silently: the user says
//! `resize`/`zext`/`sext`/`truncate`.

use crate::diag::{Code, Diagnostic, Diagnostics, Loc};
use crate::ir::{BinOp, Design, Module, NodeId, NodeKind, Stmt};

struct Checker<'a> {
    m: &'a Module,
    diags: &'a mut Diagnostics,
}

impl Checker<'_> {
    fn w(&self, n: NodeId) -> u32 {
        self.m.node(n).width
    }

    fn err(&mut self, code: Code, loc: Loc, msg: String) {
        self.diags.push(Diagnostic::error(code, loc, &self.m.name, msg));
    }

    fn same(&mut self, what: &str, a: u32, b: u32, loc: Loc) {
        if a != b {
            self.err(
                Code::WidthMismatch,
                loc,
                format!("width mismatch in {what}: {a} bits vs {b} bits"),
            );
        }
    }

    fn one_bit(&mut self, what: &str, n: NodeId, loc: Loc) {
        let w = self.w(n);
        if w != 1 {
            self.err(
                Code::BadConditionWidth,
                loc,
                format!("{what} must be 1 bit, is {w} bits"),
            );
        }
    }

    fn node(&mut self, id: NodeId) {
        let n = self.m.node(id);
        let loc = n.loc;
        if n.width == 0 {
            self.err(Code::WidthMismatch, loc, "a value of width 0".into());
        }
        match &n.op {
            NodeKind::Binary(op, a, b) => {
                let (wa, wb) = (self.w(*a), self.w(*b));
                match op {
                    BinOp::Shl | BinOp::Shr | BinOp::Sra => {}
                    BinOp::Mul => self.same("the result of `*`", n.width, wa + wb, loc),
                    _ => self.same(&format!("`{}`", op_symbol(*op)), wa, wb, loc),
                }
            }
            NodeKind::Mux { sel, t, f } => {
                self.one_bit("a mux select", *sel, loc);
                let (wt, wf) = (self.w(*t), self.w(*f));
                self.same("the two arms of a mux", wt, wf, loc);
            }
            NodeKind::Slice { src, lo } => {
                let ws = self.w(*src);
                if lo + n.width > ws {
                    self.err(
                        Code::SliceOutOfRange,
                        loc,
                        format!("bits [{}:{}] of a {ws}-bit value", lo + n.width - 1, lo),
                    );
                }
            }
            NodeKind::DynSlice { src, index } => {
                let (ws, wi) = (self.w(*src), self.w(*index));
                if n.width == 0 || ws % n.width != 0 || (n.width > 1 && !n.width.is_power_of_two()) {
                    self.err(
                        Code::SliceOutOfRange,
                        loc,
                        format!("a variable slice of {} bits from a {ws}-bit value (elements must be a power of two dividing it)", n.width),
                    );
                } else {
                    let need = crate::clog2(ws / n.width).max(1);
                    if wi != need {
                        self.err(
                            Code::WidthMismatch,
                            loc,
                            format!(
                                "index of {} elements must be {need} bits, is {wi} bits",
                                ws / n.width
                            ),
                        );
                    }
                }
            }
            NodeKind::Select { sel, options } => {
                let w0 = options.first().map_or(n.width, |&o| self.w(o));
                for &o in options {
                    let wo = self.w(o);
                    self.same("the options of a select", w0, wo, loc);
                }
                if options.is_empty() {
                    self.err(Code::WidthMismatch, loc, "a select with no options".into());
                }
                let _ = sel;
            }
            NodeKind::Extend { src, .. } => {
                let ws = self.w(*src);
                if n.width < ws {
                    self.err(
                        Code::WidthMismatch,
                        loc,
                        format!(
                            "extending a {ws}-bit value to {} bits would truncate it; use truncate()",
                            n.width
                        ),
                    );
                }
            }
            NodeKind::MemRead { mem, addr } => {
                let m = &self.m.memories[*mem as usize];
                let need = crate::clog2(m.depth).max(1);
                let wa = self.w(*addr);
                self.same(&format!("the address of memory `{}`", m.name), need, wa, loc);
            }
            NodeKind::Sig(_)
            | NodeKind::Const(_)
            | NodeKind::Concat(_)
            | NodeKind::Unary(..)
            | NodeKind::InstOut { .. } => {}
        }
    }

    fn stmts(&mut self) {
        for block in &self.m.blocks {
            for s in block {
                match s {
                    Stmt::Assign { target, value, loc } => {
                        let t = self.m.signal(*target);
                        let wv = self.w(*value);
                        if t.width != wv {
                            self.err(
                                Code::WidthMismatch,
                                loc,
                                format!("assigning {wv} bits to `{}` of {} bits", t.name, t.width),
                            );
                        }
                    }
                    Stmt::When { cond, loc, .. } => self.one_bit("a when condition", *cond, loc),
                    Stmt::Switch { .. } => {}
                }
            }
        }
        for s in &self.m.signals {
            if let Some(d) = s.default {
                let wd = self.w(d);
                if wd != s.width {
                    self.err(
                        Code::WidthMismatch,
                        s.loc,
                        format!("default of {wd} bits for `{}` of {} bits", s.name, s.width),
                    );
                }
            }
        }
        for mem in &self.m.memories {
            let need = crate::clog2(mem.depth).max(1);
            for wr in &mem.writes {
                let (wa, wd) = (self.w(wr.addr), self.w(wr.data));
                self.same(&format!("the write address of `{}`", mem.name), need, wa, wr.loc);
                self.same(
                    &format!("the write data of `{}`", mem.name),
                    mem.width,
                    wd,
                    wr.loc,
                );
                self.one_bit("a write enable", wr.enable, wr.loc);
                if let Some(mask) = wr.mask {
                    let wm = self.w(mask);
                    if mem.width % mem.lane_bits != 0 {
                        self.err(
                            Code::WidthMismatch,
                            wr.loc,
                            format!(
                                "memory width {} is not a multiple of the lane width {}",
                                mem.width, mem.lane_bits
                            ),
                        );
                    }
                    self.same("the byte-enable mask", mem.width / mem.lane_bits, wm, wr.loc);
                }
            }
            for rd in &mem.sync_reads {
                let wa = self.w(rd.addr);
                self.same(&format!("the read address of `{}`", mem.name), need, wa, rd.loc);
                self.one_bit("a read enable", rd.enable, rd.loc);
            }
        }
    }
}

/// The Verilog spelling of a binary operator (for messages).
pub fn op_symbol(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::And => "&",
        BinOp::Or => "|",
        BinOp::Xor => "^",
        BinOp::Eq => "==",
        BinOp::Ne => "!=",
        BinOp::Lt => "<",
        BinOp::Le => "<=",
        BinOp::Gt => ">",
        BinOp::Ge => ">=",
        BinOp::Shl => "<<",
        BinOp::Shr => ">>",
        BinOp::Sra => ">>>",
    }
}

/// Checks every module.
pub fn run(design: &mut Design, diags: &mut Diagnostics) {
    for m in &design.modules {
        let mut c = Checker { m, diags };
        for i in 0..m.nodes.len() {
            c.node(NodeId(i as u32));
        }
        c.stmts();
    }
}
