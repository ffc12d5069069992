//! Printing one module: header, declarations, continuous assignments,
//! combinational and clocked processes, memories and instances.

use super::expr::Exprs;
use super::usage::Usage;
use super::wrap;
use super::VerilogOptions;
use crate::diag::Loc;
use crate::ir::{
    BlockId, Design, Dir, DomainId, Module, NodeId, NodeKind, Polarity, ResetKind, Role, SigId, Stmt,
};
use crate::passes::names::Namer;
use std::fmt::Write;

/// How a signal is driven in the Verilog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Drive {
    /// Input port: nothing to print.
    Input,
    /// `assign x = value;`
    Assign(NodeId),
    /// Instance input inlined into the port connection.
    Inline(NodeId),
    /// `always @(*)` with the statement tree.
    Comb,
    /// A register.
    Reg(DomainId),
    /// Memory read data.
    MemData,
    /// Nothing drives it (reported by the drivers pass).
    None,
}

/// Port order of a module: clocks and resets first, then declaration order.
pub fn port_order(m: &Module) -> Vec<SigId> {
    let mut first = Vec::new();
    for d in &m.domains {
        first.push(d.clock);
        if let Some((r, _, _)) = d.reset {
            first.push(r);
        }
    }
    let mut out = first.clone();
    out.extend(m.ports.iter().copied().filter(|p| !first.contains(p)));
    out
}

fn range(width: u32) -> String {
    if width == 1 {
        String::new()
    } else {
        format!("[{}:0]", width - 1)
    }
}

struct Printer<'a> {
    d: &'a Design,
    m: &'a Module,
    e: Exprs<'a>,
    drive: Vec<Drive>,
    targets: Vec<Vec<u32>>,
    usage: Usage,
    opts: &'a VerilogOptions,
    out: String,
    /// Per signal: the named constants (enum localparams) assigned to it.
    value_names: Vec<Vec<(crate::ir::Const, String)>>,
}

/// Prints module `m` of design `d`.
pub fn print_module(d: &Design, m: &Module, opts: &VerilogOptions) -> String {
    // Count assignments per signal and find the single root-level ones.
    let n = m.signals.len();
    let mut count = vec![0u32; n];
    let mut root_value = vec![None; n];
    crate::ir::for_each_assign(m, Module::ROOT, &mut |t, v, conds| {
        count[t.0 as usize] += 1;
        if conds.is_empty() {
            root_value[t.0 as usize] = Some(v);
        }
    });
    let mut roots = Vec::new();
    let mut ref_roots = Vec::new();
    crate::ir::for_each_assign(m, Module::ROOT, &mut |_, v, _| roots.push(v));
    for b in &m.blocks {
        for s in b {
            match s {
                Stmt::When { cond, .. } => roots.push(*cond),
                Stmt::Switch { sel, .. } => roots.push(*sel),
                Stmt::Assign { .. } => {}
            }
        }
    }
    for s in &m.signals {
        if let Some(dv) = s.default {
            roots.push(dv);
        }
    }
    for mem in &m.memories {
        for w in &mem.writes {
            roots.extend([w.addr, w.data, w.enable]);
            if let Some(mask) = w.mask {
                roots.push(mask);
                ref_roots.push(w.data);
                ref_roots.push(mask);
            }
        }
        for r in &mem.sync_reads {
            roots.extend([r.addr, r.enable]);
        }
    }

    let mut drive = Vec::with_capacity(n);
    for (i, s) in m.signals.iter().enumerate() {
        let dr = if s.is_port(Dir::Input) {
            Drive::Input
        } else if let Some(r) = &s.reg {
            Drive::Reg(r.domain)
        } else if matches!(s.role, Role::MemData { .. }) {
            Drive::MemData
        } else {
            let single = match (count[i], root_value[i], s.default) {
                (1, Some(v), None) => Some(v),
                (0, _, Some(dv)) => Some(dv),
                _ => None,
            };
            match single {
                Some(v) if matches!(s.role, Role::InstIn { .. }) => Drive::Inline(v),
                Some(v) => Drive::Assign(v),
                None if count[i] == 0 => Drive::None,
                None => Drive::Comb,
            }
        };
        drive.push(dr);
    }

    // Names: everything the names pass settled, then instance outputs, then temporaries.
    let mut namer = Namer::default();
    for s in &m.signals {
        namer.claim(&s.name);
    }
    for i in &m.instances {
        namer.claim(&i.name);
    }
    for mem in &m.memories {
        namer.claim(&mem.name);
    }
    for c in &m.consts {
        namer.claim(&c.name);
    }
    let mut inst_out = vec![None; m.nodes.len()];
    for (i, node) in m.nodes.iter().enumerate() {
        if let NodeKind::InstOut { inst, port } = node.op {
            let child = d.module(m.instances[inst as usize].module);
            let pname = &child.signal(child.ports[port as usize]).name;
            inst_out[i] = Some(namer.claim(&format!("{}_{}", m.instances[inst as usize].name, pname)));
        }
    }
    let mut e = Exprs::new(m, &roots, &mut namer, inst_out);
    for r in ref_roots {
        e.force_temp(r, &mut namer);
    }
    // An instance input that this module also reads needs its own wire.
    for (i, s) in m.signals.iter().enumerate() {
        if let Drive::Inline(v) = drive[i] {
            if e.uses[s.node.0 as usize] > 0 {
                drive[i] = Drive::Assign(v);
            }
        }
    }
    let mut usage = Usage::new(m, &e);
    for inst in &m.instances {
        let child = d.module(inst.module);
        for (cdi, cd) in child.domains.iter().enumerate() {
            let parent = inst
                .domains
                .get(&(cdi as u32))
                .map(|&pd| &m.domains[pd.0 as usize]);
            if let (Some(_), Some(Some((pr, _, _)))) = (cd.reset, parent.map(|p| p.reset)) {
                usage.mark_used(pr);
            }
        }
    }
    let targets = block_targets(m);
    // A case label or reset value of a signal that is assigned enum values is
    // printed as that enum's localparam (`PHASE_IDLE`), not as a bare number.
    let mut value_names: Vec<Vec<(crate::ir::Const, String)>> = vec![Vec::new(); n];
    crate::ir::for_each_assign(m, Module::ROOT, &mut |t, v, _| {
        if let (Some(&ci), NodeKind::Const(c)) = (m.const_names.get(&v.0), &m.node(v).op) {
            let list = &mut value_names[t.0 as usize];
            if !list.iter().any(|(k, _)| k == c) {
                list.push((c.clone(), m.consts[ci as usize].name.clone()));
            }
        }
    });
    let mut p = Printer {
        d,
        m,
        e,
        drive,
        targets,
        usage,
        opts,
        out: String::new(),
        value_names,
    };
    p.print();
    p.out
}

/// For each block, the sorted signals assigned anywhere under it.
fn block_targets(m: &Module) -> Vec<Vec<u32>> {
    let mut t: Vec<Vec<u32>> = vec![Vec::new(); m.blocks.len()];
    // Child blocks are always created after the statement that owns them.
    for b in (0..m.blocks.len()).rev() {
        let mut set = Vec::new();
        for s in &m.blocks[b] {
            match s {
                Stmt::Assign { target, .. } => set.push(target.0),
                Stmt::When { then, els, .. } => {
                    set.extend_from_slice(&t[then.0 as usize]);
                    set.extend_from_slice(&t[els.0 as usize]);
                }
                Stmt::Switch { cases, default, .. } => {
                    for (_, cb) in cases {
                        set.extend_from_slice(&t[cb.0 as usize]);
                    }
                    set.extend_from_slice(&t[default.0 as usize]);
                }
            }
        }
        set.sort_unstable();
        set.dedup();
        t[b] = set;
    }
    t
}

impl Printer<'_> {
    fn loc(&self, loc: Loc) -> String {
        if self.opts.source_locations {
            format!("  // {}:{}", loc.file(), loc.line())
        } else {
            String::new()
        }
    }

    fn print(&mut self) {
        let m = self.m;
        let _ = writeln!(
            self.out,
            "// Generated by lauberhorn-rs `hdl`: module {}. Do not edit.",
            m.name
        );
        self.out.push_str("`default_nettype none\n\n");
        self.header();
        self.localparams();
        self.declarations();
        self.assigns();
        self.comb_processes();
        self.reg_processes();
        self.memories();
        self.instances();
        self.out.push_str("endmodule\n\n`default_nettype wire\n");
    }

    fn is_reg_decl(&self, s: SigId) -> bool {
        matches!(
            self.drive[s.0 as usize],
            Drive::Comb | Drive::Reg(_) | Drive::MemData
        )
    }

    fn header(&mut self) {
        let m = self.m;
        let ports = port_order(m);
        let rw = ports
            .iter()
            .map(|&p| range(m.signal(p).width).len())
            .max()
            .unwrap_or(0);
        let _ = writeln!(self.out, "module {} (", m.name);
        for (i, &p) in ports.iter().enumerate() {
            let s = m.signal(p);
            let dir = if s.is_port(Dir::Input) { "input " } else { "output" };
            let ty = if self.is_reg_decl(p) { "reg " } else { "wire" };
            let comma = if i + 1 < ports.len() { "," } else { "" };
            let unused = !self.usage.used(p);
            if unused {
                self.out.push_str("  /* verilator lint_off UNUSED */\n");
            }
            let r = if rw == 0 {
                String::new()
            } else {
                format!("{:rw$} ", range(s.width))
            };
            let _ = writeln!(self.out, "  {dir} {ty} {r}{}{comma}{}", s.name, self.loc(s.loc));
            if unused {
                self.out.push_str("  /* verilator lint_on UNUSED */\n");
            }
        }
        self.out.push_str(");\n");
    }

    fn localparams(&mut self) {
        if self.m.consts.is_empty() {
            return;
        }
        self.out.push('\n');
        for c in &self.m.consts {
            let w = c.value.width();
            let _ = writeln!(
                self.out,
                "  localparam {} {} = {};",
                range(w),
                c.name,
                c.value.to_verilog()
            )
            .map(|_| ());
        }
        self.out = self.out.replace("localparam  ", "localparam ");
    }

    fn decl(&mut self, ty: &str, width: u32, name: &str, unused: bool, loc: Loc) {
        if unused {
            self.out.push_str("  /* verilator lint_off UNUSED */\n");
        }
        let r = range(width);
        let sep = if r.is_empty() { "" } else { " " };
        let _ = writeln!(self.out, "  {ty} {r}{sep}{name};{}", self.loc(loc));
        if unused {
            self.out.push_str("  /* verilator lint_on UNUSED */\n");
        }
    }

    fn declarations(&mut self) {
        let m = self.m;
        let start = self.out.len();
        for (i, s) in m.signals.iter().enumerate() {
            let id = SigId(i as u32);
            if matches!(s.role, Role::Port(_)) || matches!(self.drive[i], Drive::Inline(_)) {
                continue;
            }
            let ty = if self.is_reg_decl(id) { "reg " } else { "wire" };
            let unused = !self.usage.used(id);
            self.decl(ty, s.width, &s.name, unused, s.loc);
        }
        for (i, node) in m.nodes.iter().enumerate() {
            if let NodeKind::InstOut { .. } = node.op {
                let name = self.e.inst_out[i].clone().unwrap_or_default();
                // A child built for reuse may drive more bits than this parent reads.
                let unused = !self.usage.temp_fully_used(NodeId(i as u32));
                self.decl("wire", node.width, &name, unused, node.loc);
            }
        }
        for &t in &self.e.temps.clone() {
            let node = m.node(t);
            let name = self.e.temp[t.0 as usize].clone().unwrap_or_default();
            let unused = !self.usage.temp_fully_used(t);
            self.decl("wire", node.width, &name, unused, node.loc);
        }
        for mem in &m.memories {
            let _ = writeln!(
                self.out,
                "  reg  {}{}{} [0:{}];{}",
                range(mem.width),
                if mem.width > 1 { " " } else { "" },
                mem.name,
                mem.depth - 1,
                self.loc(mem.loc)
            );
        }
        if self.out.len() > start {
            self.out.insert(start, '\n');
        }
    }

    fn assigns(&mut self) {
        let m = self.m;
        let start = self.out.len();
        for &t in &self.e.temps {
            let name = self.e.temp[t.0 as usize].as_ref().expect("temp name");
            let lead = format!("  assign {name} = ");
            let _ = writeln!(self.out, "{}", wrap::statement(&lead, &self.e.body(t), ";", ""));
        }
        for (i, s) in m.signals.iter().enumerate() {
            if let Drive::Assign(v) = self.drive[i] {
                let lead = format!("  assign {} = ", s.name);
                let line = wrap::statement(&lead, &self.e.expr(v), ";", &self.loc(s.loc));
                let _ = writeln!(self.out, "{line}");
            }
        }
        if self.out.len() > start {
            self.out.insert(start, '\n');
        }
    }

    fn relevant(&self, b: BlockId, pred: &dyn Fn(u32) -> bool) -> bool {
        self.targets[b.0 as usize].iter().any(|&t| pred(t))
    }

    fn stmts(&mut self, b: BlockId, pred: &dyn Fn(u32) -> bool, op: &str, indent: usize) {
        self.stmts_only(b, None, pred, op, indent);
    }

    /// Prints the statements of block `b` that assign a signal accepted by
    /// `pred`; `only`, when given, lists the indices of the statements to look at.
    fn stmts_only(
        &mut self,
        b: BlockId,
        only: Option<&[u32]>,
        pred: &dyn Fn(u32) -> bool,
        op: &str,
        indent: usize,
    ) {
        let pad = "  ".repeat(indent);
        let m = self.m;
        let block = m.block(b);
        let picked: Box<dyn Iterator<Item = &Stmt>> = match only {
            Some(ix) => Box::new(ix.iter().map(|&k| &block[k as usize])),
            None => Box::new(block.iter()),
        };
        for s in picked {
            match s.clone() {
                Stmt::Assign { target, value, loc } => {
                    if pred(target.0) {
                        let lead = format!("{pad}{} {op} ", self.m.signal(target).name);
                        let line = wrap::statement(&lead, &self.e.expr(value), ";", &self.loc(loc));
                        let _ = writeln!(self.out, "{line}");
                    }
                }
                Stmt::When { cond, then, els, .. } => {
                    let rt = self.relevant(then, pred);
                    let mut re = self.relevant(els, pred);
                    if !rt && !re {
                        continue;
                    }
                    if !rt {
                        let _ = writeln!(self.out, "{pad}if ({}) begin", self.e.negated(cond));
                        self.stmts(els, pred, op, indent + 1);
                        let _ = writeln!(self.out, "{pad}end");
                        continue;
                    }
                    let _ = writeln!(self.out, "{pad}if ({}) begin", self.e.expr(cond));
                    self.stmts(then, pred, op, indent + 1);
                    let mut els = els;
                    while re {
                        // `elsewhen` nests a `when` alone in the else block: print `else if`.
                        if let [Stmt::When {
                            cond: c2,
                            then: t2,
                            els: e2,
                            ..
                        }] = self.m.block(els)
                        {
                            if self.relevant(*t2, pred) {
                                let _ = writeln!(self.out, "{pad}end else if ({}) begin", self.e.expr(*c2));
                                self.stmts(*t2, pred, op, indent + 1);
                                els = *e2;
                                re = self.relevant(els, pred);
                                continue;
                            }
                        }
                        let _ = writeln!(self.out, "{pad}end else begin");
                        self.stmts(els, pred, op, indent + 1);
                        break;
                    }
                    let _ = writeln!(self.out, "{pad}end");
                }
                Stmt::Switch {
                    sel, cases, default, ..
                } => {
                    let rd = self.relevant(default, pred);
                    if !rd && !cases.iter().any(|(_, cb)| self.relevant(*cb, pred)) {
                        continue;
                    }
                    let _ = writeln!(self.out, "{pad}case ({})", self.e.expr(sel));
                    for (vals, cb) in &cases {
                        if vals.is_empty() || (!rd && !self.relevant(*cb, pred)) {
                            continue;
                        }
                        let v: Vec<_> = vals.iter().map(|c| self.value_name(sel, c)).collect();
                        let _ = writeln!(self.out, "{pad}  {}: begin", v.join(", "));
                        self.stmts(*cb, pred, op, indent + 2);
                        let _ = writeln!(self.out, "{pad}  end");
                    }
                    if rd {
                        let _ = writeln!(self.out, "{pad}  default: begin");
                        self.stmts(default, pred, op, indent + 2);
                        let _ = writeln!(self.out, "{pad}  end");
                    } else {
                        // Nothing to do, but say so: lint tools flag a case without
                        // default (Verible even when the labels name every value).
                        let _ = writeln!(self.out, "{pad}  default: ;");
                    }
                    let _ = writeln!(self.out, "{pad}endcase");
                }
            }
        }
    }

    fn comb_processes(&mut self) {
        let m = self.m;
        // The top-level statements touching each signal, found in one pass, so
        // that a module with many combinational signals is printed in linear time.
        let mut touching: Vec<Vec<u32>> = vec![Vec::new(); m.signals.len()];
        for (k, st) in m.block(Module::ROOT).iter().enumerate() {
            let mut add = |t: u32| {
                let list = &mut touching[t as usize];
                if list.last() != Some(&(k as u32)) {
                    list.push(k as u32);
                }
            };
            match st {
                Stmt::Assign { target, .. } => add(target.0),
                Stmt::When { then, els, .. } => {
                    for &t in self.targets[then.0 as usize]
                        .iter()
                        .chain(&self.targets[els.0 as usize])
                    {
                        add(t);
                    }
                }
                Stmt::Switch { cases, default, .. } => {
                    for (_, cb) in cases {
                        for &t in &self.targets[cb.0 as usize] {
                            add(t);
                        }
                    }
                    for &t in &self.targets[default.0 as usize] {
                        add(t);
                    }
                }
            }
        }
        for (i, s) in m.signals.iter().enumerate() {
            if self.drive[i] != Drive::Comb {
                continue;
            }
            let _ = writeln!(self.out, "\n  always @(*) begin");
            if let Some(dv) = s.default {
                let _ = writeln!(self.out, "    {} = {};", s.name, self.e.expr(dv));
            }
            let t = i as u32;
            let only = std::mem::take(&mut touching[i]);
            self.stmts_only(Module::ROOT, Some(&only), &|x| x == t, "=", 2);
            self.out.push_str("  end\n");
        }
    }

    fn reg_processes(&mut self) {
        let m = self.m;
        for (di, dom) in m.domains.iter().enumerate() {
            let did = DomainId(di as u32);
            let regs: Vec<u32> = (0..m.signals.len() as u32)
                .filter(|&i| self.drive[i as usize] == Drive::Reg(did))
                .collect();
            if regs.is_empty() {
                continue;
            }
            let clk = &m.signal(dom.clock).name;
            let edge = if dom.edge == Polarity::High {
                "posedge"
            } else {
                "negedge"
            };
            let has_init = |i: &u32| {
                m.signals[*i as usize]
                    .reg
                    .as_ref()
                    .is_some_and(|r| r.init.is_some())
            };
            let (with_init, without): (Vec<u32>, Vec<u32>) = match dom.reset {
                Some(_) => regs.iter().partition(|i| has_init(i)),
                None => (Vec::new(), regs.clone()),
            };
            match dom.reset {
                Some((rst, ResetKind::Async, pol)) if !with_init.is_empty() => {
                    let rn = &m.signal(rst).name;
                    let (redge, active) = match pol {
                        Polarity::High => ("posedge", rn.clone()),
                        Polarity::Low => ("negedge", format!("!{rn}")),
                    };
                    let _ = writeln!(self.out, "\n  always @({edge} {clk} or {redge} {rn}) begin");
                    let _ = writeln!(self.out, "    if ({active}) begin");
                    self.resets(&with_init, 3);
                    self.out.push_str("    end else begin\n");
                    self.reg_body(&with_init, 3);
                    self.out.push_str("    end\n  end\n");
                    if !without.is_empty() {
                        let _ = writeln!(self.out, "\n  always @({edge} {clk}) begin");
                        self.reg_body(&without, 2);
                        self.out.push_str("  end\n");
                    }
                }
                Some((rst, _, pol)) => {
                    let _ = writeln!(self.out, "\n  always @({edge} {clk}) begin");
                    self.reg_body(&regs, 2);
                    if !with_init.is_empty() {
                        let rn = &m.signal(rst).name;
                        let active = if pol == Polarity::High {
                            rn.clone()
                        } else {
                            format!("!{rn}")
                        };
                        let _ = writeln!(self.out, "    if ({active}) begin");
                        self.resets(&with_init, 3);
                        self.out.push_str("    end\n");
                    }
                    self.out.push_str("  end\n");
                }
                None => {
                    let _ = writeln!(self.out, "\n  always @({edge} {clk}) begin");
                    self.reg_body(&regs, 2);
                    self.out.push_str("  end\n");
                }
            }
        }
    }

    /// Constant `c` as a value of signal `sig`: its localparam name when one is
    /// assigned to the signal, else the literal.
    fn named_value(&self, sig: u32, c: &crate::ir::Const) -> String {
        self.value_names[sig as usize]
            .iter()
            .find(|(k, _)| k == c)
            .map_or_else(|| c.to_verilog(), |(_, name)| name.clone())
    }

    /// A case label of a switch on node `sel`.
    fn value_name(&self, sel: NodeId, c: &crate::ir::Const) -> String {
        match self.m.node(sel).op {
            NodeKind::Sig(s) => self.named_value(s.0, c),
            _ => c.to_verilog(),
        }
    }

    fn resets(&mut self, regs: &[u32], indent: usize) {
        let pad = "  ".repeat(indent);
        for &r in regs {
            let s = &self.m.signals[r as usize];
            if let Some(init) = s.reg.as_ref().and_then(|x| x.init.as_ref()) {
                let v = self.named_value(r, init);
                let _ = writeln!(self.out, "{pad}{} <= {v};", s.name);
            }
        }
    }

    fn reg_body(&mut self, regs: &[u32], indent: usize) {
        let pad = "  ".repeat(indent);
        for &r in regs {
            let s = &self.m.signals[r as usize];
            if let Some(dv) = s.default {
                let _ = writeln!(self.out, "{pad}{} <= {};", s.name, self.e.expr(dv));
            }
        }
        let set: Vec<u32> = regs.to_vec();
        self.stmts(Module::ROOT, &|x| set.binary_search(&x).is_ok(), "<=", indent);
    }

    fn memories(&mut self) {
        let m = self.m;
        for mem in &m.memories {
            if let Some(init) = &mem.init {
                self.out.push_str("\n  initial begin\n");
                for i in 0..mem.depth as usize {
                    let v = init
                        .get(i)
                        .cloned()
                        .unwrap_or_else(|| crate::ir::Const::zero(mem.width));
                    let _ = writeln!(self.out, "    {}[{i}] = {};", mem.name, v.to_verilog_hex());
                }
                self.out.push_str("  end\n");
            }
            for w in &mem.writes {
                let clk = self.clock_of(w.domain);
                let _ = writeln!(self.out, "\n  always @({clk}) begin");
                let _ = writeln!(self.out, "    if ({}) begin", self.e.expr(w.enable));
                let addr = self.e.expr(w.addr);
                match w.mask {
                    None => {
                        let lead = format!("      {}[{addr}] <= ", mem.name);
                        let line = wrap::statement(&lead, &self.e.expr(w.data), ";", "");
                        let _ = writeln!(self.out, "{line}");
                    }
                    Some(mask) => {
                        let lanes = mem.width / mem.lane_bits;
                        for l in 0..lanes {
                            let lo = l * mem.lane_bits;
                            let hi = lo + mem.lane_bits - 1;
                            let mb = self.e.slice_pub(mask, l, 1);
                            let db = self.e.slice_pub(w.data, lo, mem.lane_bits);
                            let _ = writeln!(
                                self.out,
                                "      if ({mb}) {}[{addr}][{hi}:{lo}] <= {db};",
                                mem.name
                            );
                        }
                    }
                }
                self.out.push_str("    end\n  end\n");
            }
            for r in &mem.sync_reads {
                let clk = self.clock_of(r.domain);
                let _ = writeln!(self.out, "\n  always @({clk}) begin");
                let _ = writeln!(self.out, "    if ({}) begin", self.e.expr(r.enable));
                let _ = writeln!(
                    self.out,
                    "      {} <= {}[{}];",
                    m.signal(r.data).name,
                    mem.name,
                    self.e.expr(r.addr)
                );
                self.out.push_str("    end\n  end\n");
            }
        }
    }

    fn clock_of(&self, d: DomainId) -> String {
        let dom = &self.m.domains[d.0 as usize];
        let edge = if dom.edge == Polarity::High {
            "posedge"
        } else {
            "negedge"
        };
        format!("{edge} {}", self.m.signal(dom.clock).name)
    }

    fn instances(&mut self) {
        let m = self.m;
        // (instance, child port) -> the node reading that output, found in one pass.
        let mut outputs = std::collections::BTreeMap::new();
        for (ni, n) in m.nodes.iter().enumerate() {
            if let NodeKind::InstOut { inst, port } = n.op {
                outputs.entry((inst, port)).or_insert(ni);
            }
        }
        for (ii, inst) in m.instances.iter().enumerate() {
            let child = self.d.module(inst.module);
            let mut conns: Vec<(String, String)> = Vec::new();
            let port_index: std::collections::BTreeMap<SigId, u32> = child
                .ports
                .iter()
                .enumerate()
                .map(|(i, &p)| (p, i as u32))
                .collect();
            for p in port_order(child) {
                let ps = child.signal(p);
                let pidx = port_index[&p];
                // Clock and reset pins of a child domain.
                let mut conn = None;
                for (cdi, cd) in child.domains.iter().enumerate() {
                    let parent = inst.domains.get(&(cdi as u32)).map(|&d| &m.domains[d.0 as usize]);
                    if cd.clock == p {
                        conn = Some(parent.map_or("1'b0".to_string(), |pd| m.signal(pd.clock).name.clone()));
                    }
                    if let Some((r, _, cpol)) = cd.reset {
                        if r == p {
                            let inactive = if cpol == Polarity::High { "1'b0" } else { "1'b1" };
                            conn = Some(match parent.and_then(|pd| pd.reset) {
                                Some((pr, _, ppol)) if ppol == cpol => m.signal(pr).name.clone(),
                                Some((pr, _, _)) => format!("!{}", m.signal(pr).name),
                                None => inactive.to_string(),
                            });
                        }
                    }
                }
                let conn = conn.unwrap_or_else(|| {
                    if let Some(&s) = inst.inputs.get(&pidx) {
                        match self.drive[s.0 as usize] {
                            Drive::Inline(v) => self.e.expr(v),
                            _ => m.signal(s).name.clone(),
                        }
                    } else {
                        // An output: its wire.
                        outputs
                            .get(&(ii as u32, pidx))
                            .and_then(|&ni| self.e.inst_out[ni].clone())
                            .unwrap_or_default()
                    }
                });
                conns.push((ps.name.clone(), conn));
            }
            self.out.push('\n');
            let params = child
                .blackbox
                .as_ref()
                .map(|b| b.params.clone())
                .unwrap_or_default();
            if params.is_empty() {
                let _ = writeln!(self.out, "  {} {} (", child.name, inst.name);
            } else {
                let _ = writeln!(self.out, "  {} #(", child.name);
                for (i, (k, v)) in params.iter().enumerate() {
                    let val = match v {
                        crate::ir::ParamValue::Int(x) => x.to_string(),
                        crate::ir::ParamValue::Str(s) => format!("\"{s}\""),
                        crate::ir::ParamValue::Bits(c) => c.to_verilog_hex(),
                    };
                    let comma = if i + 1 < params.len() { "," } else { "" };
                    let _ = writeln!(self.out, "    .{k}({val}){comma}");
                }
                let _ = writeln!(self.out, "  ) {} (", inst.name);
            }
            let w = conns.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
            for (i, (n, c)) in conns.iter().enumerate() {
                let comma = if i + 1 < conns.len() { "," } else { "" };
                let line = wrap::statement(&format!("    .{n:w$}("), c, &format!("){comma}"), "");
                let _ = writeln!(self.out, "{line}");
            }
            let _ = writeln!(self.out, "  );{}", self.loc(inst.loc));
        }
    }
}
