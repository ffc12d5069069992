//! Pass `cdc`: no value crosses from one clock domain into another without a
//! synchroniser (E0401 [`Code::ClockCrossing`]), and every clock domain of a
//! child instance is connected (E0601 [`Code::UnconnectedDomain`]).
//!
//! Each vertex of the dependency graph (`passes/graph.rs`) gets the set of
//! *sources* its value depends on combinationally: the clock of every register
//! (and memory read port) it reads, and every input port it reads. Domains are
//! told apart by their clock signal. Then:
//! - a register whose next-value cone (assigned values, the conditions around
//!   those assignments, its default) contains a register of another clock
//!   domain is a crossing, unless it is marked `.cdc_sync()` (the first stage
//!   of a synchroniser); reported at the register's declaration;
//! - so are a memory write port (address, data, enable, mask) and a
//!   synchronous read port (address, enable) fed from another domain; the
//!   memory array itself may be written and read in different domains
//!   (dual-clock RAM), and an asynchronous read counts only its address;
//! - across hierarchy, each module gets a summary, children first: for each
//!   output the child domains whose registers feed it, for each output the
//!   inputs that reach it combinationally, and for each input the child
//!   domains that sample it (registers marked `.cdc_sync()` do not count).
//!   Child domains map to the parent's through `Instance::domains`. A value
//!   registered in the parent's domain A driving a child input sampled in the
//!   child's domain connected to B is reported at the instance; a child output
//!   registered in domain A sampled by a parent register in domain B is
//!   reported at that register.
//!
//! E0402 [`Code::NoClockDomain`] is reported for a register or memory port
//! whose domain does not exist in its module. The builder DSL always gives
//! registers a domain (the implicit `clk`/`rst` one when none is open), so
//! this only catches designs whose IR was built or edited by other means.
//!
//! Black boxes have empty summaries: their outputs count as coming from no
//! domain and their inputs as sampled by none.

use super::graph::{self, CombPaths, Graph, Sccs};
use crate::diag::{Code, Diagnostic, Diagnostics, Loc};
use crate::ir::{Design, Dir, Module, NodeKind, Role};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

/// What a parent needs to know about a child module.
#[derive(Clone, Default)]
struct Summary {
    /// Per port index: the module's domains whose registers feed it.
    out_domains: Vec<Vec<u32>>,
    /// Per port index: the input port indices that reach it combinationally.
    out_inputs: CombPaths,
    /// Per port index: the module's domains that sample it.
    in_sampled: Vec<Vec<u32>>,
}

impl Summary {
    fn empty(ports: usize) -> Summary {
        Summary {
            out_domains: vec![Vec::new(); ports],
            out_inputs: vec![Vec::new(); ports],
            in_sampled: vec![Vec::new(); ports],
        }
    }
}

type Set = Rc<Vec<u32>>;

struct Checker<'a> {
    m: &'a Module,
    modules: &'a [Module],
    sums: &'a [Summary],
    g: Graph,
    s: Sccs,
    /// Source set of each component.
    sets: Vec<Set>,
    /// Clock signal -> domain index.
    domain_of_clock: BTreeMap<u32, u32>,
    /// Signal -> port index.
    port_index: Vec<u32>,
    diags: &'a mut Diagnostics,
}

impl Checker<'_> {
    fn clock(&self, d: u32) -> Option<u32> {
        self.m.domains.get(d as usize).map(|d| d.clock.0)
    }

    fn clock_name(&self, c: u32) -> &str {
        &self.m.signals[c as usize].name
    }

    fn err(&mut self, code: Code, loc: Loc, msg: String) -> &mut Diagnostic {
        self.diags.push(Diagnostic::error(code, loc, &self.m.name, msg));
        self.diags.list.last_mut().expect("just pushed")
    }

    /// The labels a vertex contributes by itself.
    fn own(&self, v: u32, mem_clock: &[Option<u32>], out: &mut Vec<u32>) {
        let m = self.m;
        if (v as usize) >= self.g.n_nodes {
            return;
        }
        match &m.nodes[v as usize].op {
            NodeKind::Sig(s) => {
                let sig = m.signal(*s);
                if let Some(r) = &sig.reg {
                    out.extend(self.clock(r.domain.0));
                } else if let Role::MemData { .. } = sig.role {
                    out.extend(mem_clock[s.0 as usize]);
                } else if sig.is_port(Dir::Input) {
                    out.push(s.0);
                }
            }
            NodeKind::InstOut { inst, port } => {
                let inst = &m.instances[*inst as usize];
                let sum = &self.sums[inst.module.0 as usize];
                for k in sum.out_domains.get(*port as usize).into_iter().flatten() {
                    if let Some(d) = inst.domains.get(k) {
                        out.extend(self.clock(d.0));
                    }
                }
            }
            _ => {}
        }
    }

    fn compute_sets(&mut self) {
        let m = self.m;
        let mut mem_clock = vec![None; m.signals.len()];
        for mem in &m.memories {
            for rd in &mem.sync_reads {
                mem_clock[rd.data.0 as usize] = self.clock(rd.domain.0);
            }
        }
        let empty: Set = Rc::new(Vec::new());
        let mut sets: Vec<Set> = Vec::with_capacity(self.s.count());
        let mut own = Vec::new();
        for c in 0..self.s.count() {
            own.clear();
            let mut parts: Vec<&Set> = Vec::new();
            for &v in self.s.of(c) {
                self.own(v, &mem_clock, &mut own);
                for &w in self.g.succ(v) {
                    let wc = self.s.comp[w as usize] as usize;
                    if wc != c && !sets[wc].is_empty() && !parts.iter().any(|p| Rc::ptr_eq(p, &sets[wc])) {
                        parts.push(&sets[wc]);
                    }
                }
            }
            let set = if own.is_empty() && parts.len() == 1 {
                parts[0].clone()
            } else if own.is_empty() && parts.is_empty() {
                empty.clone()
            } else {
                let mut all: Vec<u32> = own.clone();
                for p in &parts {
                    all.extend(p.iter());
                }
                all.sort_unstable();
                all.dedup();
                Rc::new(all)
            };
            sets.push(set);
        }
        self.sets = sets;
    }

    fn set_of(&self, v: u32) -> Set {
        self.sets[self.s.comp[v as usize] as usize].clone()
    }

    /// The sources of several node vertices together.
    fn cone(&self, nodes: &[u32]) -> Vec<u32> {
        let mut all: Vec<u32> = nodes.iter().flat_map(|&n| self.set_of(n).to_vec()).collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    /// Reports foreign clocks in `cone` for a sampler in `domain`; records the
    /// input ports it samples unless `synchroniser`.
    fn sample(
        &mut self,
        cone: &[u32],
        domain: u32,
        synchroniser: bool,
        sampled: &mut [BTreeSet<u32>],
    ) -> Vec<u32> {
        let own = self.clock(domain);
        let mut foreign = Vec::new();
        for &src in cone {
            if self.domain_of_clock.contains_key(&src) {
                if Some(src) != own {
                    foreign.push(src);
                }
            } else if self.port_index[src as usize] != u32::MAX && !synchroniser {
                sampled[self.port_index[src as usize] as usize].insert(domain);
            }
        }
        if synchroniser {
            Vec::new()
        } else {
            foreign
        }
    }

    fn names(&self, clocks: &[u32]) -> String {
        clocks
            .iter()
            .map(|&c| format!("`{}`", self.clock_name(c)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn run(&mut self) -> Summary {
        let m = self.m;
        let mut sampled = vec![BTreeSet::new(); m.ports.len()];
        // Registers.
        for (i, sig) in m.signals.iter().enumerate() {
            let Some(r) = &sig.reg else { continue };
            if self.clock(r.domain.0).is_none() {
                self.err(
                    Code::NoClockDomain,
                    sig.loc,
                    format!("register `{}` has no clock domain", sig.name),
                );
                continue;
            }
            let v = self.g.sig_vertex(i as u32);
            let cone = self.set_of(v);
            let foreign = self.sample(&cone, r.domain.0, r.cdc_sync, &mut sampled);
            if !foreign.is_empty() {
                let own = self.clock_name(self.clock(r.domain.0).expect("checked"));
                let msg = format!(
                    "register `{}` (clock `{own}`) samples a value from clock domain {}",
                    sig.name,
                    self.names(&foreign)
                );
                self.err(Code::ClockCrossing, sig.loc, msg);
            }
        }
        // Memory ports.
        for mem in &m.memories {
            let ports = mem
                .writes
                .iter()
                .map(|w| {
                    let mut n = vec![w.addr.0, w.data.0, w.enable.0];
                    n.extend(w.mask.map(|x| x.0));
                    (w.domain, n, w.loc, "write")
                })
                .chain(
                    mem.sync_reads
                        .iter()
                        .map(|r| (r.domain, vec![r.addr.0, r.enable.0], r.loc, "read")),
                );
            for (domain, nodes, loc, what) in ports {
                let Some(own) = self.clock(domain.0) else {
                    self.err(
                        Code::NoClockDomain,
                        loc,
                        format!("a {what} port of memory `{}` has no clock domain", mem.name),
                    );
                    continue;
                };
                let cone = self.cone(&nodes);
                let foreign = self.sample(&cone, domain.0, false, &mut sampled);
                if !foreign.is_empty() {
                    let msg = format!(
                        "the {what} port of memory `{}` (clock `{}`) is fed from clock domain {}",
                        mem.name,
                        self.clock_name(own),
                        self.names(&foreign)
                    );
                    self.err(Code::ClockCrossing, loc, msg);
                }
            }
        }
        // Child instances: unconnected domains, and inputs sampled in another domain.
        for inst in &m.instances {
            let sum = &self.sums[inst.module.0 as usize];
            let child = &self.modules[inst.module.0 as usize];
            for (k, dom) in child.domains.iter().enumerate() {
                let name = &dom.name;
                if !inst.domains.contains_key(&(k as u32)) {
                    let shown = if name.is_empty() {
                        "the implicit domain (clk/rst)".to_string()
                    } else {
                        format!("`{name}`")
                    };
                    self.err(
                        Code::UnconnectedDomain,
                        inst.loc,
                        format!(
                            "clock domain {shown} of instance `{}` is not connected",
                            inst.name
                        ),
                    );
                }
            }
            for (&p, &s) in &inst.inputs {
                let Some(ks) = sum.in_sampled.get(p as usize) else {
                    continue;
                };
                let cone = self.set_of(self.g.sig_vertex(s.0));
                let mut foreign = BTreeSet::new();
                for k in ks {
                    let Some(d) = inst.domains.get(k) else { continue };
                    foreign.extend(self.sample(&cone, d.0, false, &mut sampled));
                }
                let foreign: Vec<u32> = foreign.into_iter().collect();
                if !foreign.is_empty() {
                    let targets: Vec<u32> = ks
                        .iter()
                        .filter_map(|k| inst.domains.get(k).and_then(|d| self.clock(d.0)))
                        .collect();
                    let msg = format!(
                        "input `{}` of instance `{}` is sampled in clock domain {} but driven from clock domain {}",
                        m.signal(s).name,
                        inst.name,
                        self.names(&targets),
                        self.names(&foreign)
                    );
                    self.err(Code::ClockCrossing, inst.loc, msg);
                }
            }
        }
        // This module's summary.
        let mut sum = Summary::empty(m.ports.len());
        for (i, &p) in m.ports.iter().enumerate() {
            if !m.signal(p).is_port(Dir::Output) {
                sum.in_sampled[i] = sampled[i].iter().copied().collect();
                continue;
            }
            for &src in self.set_of(self.g.sig_vertex(p.0)).iter() {
                if let Some(&d) = self.domain_of_clock.get(&src) {
                    sum.out_domains[i].push(d);
                } else if self.port_index[src as usize] != u32::MAX {
                    sum.out_inputs[i].push(self.port_index[src as usize]);
                }
            }
        }
        sum
    }
}

/// Checks every module, children first.
pub fn run(design: &mut Design, diags: &mut Diagnostics) {
    let mut sums: Vec<Summary> = Vec::with_capacity(design.modules.len());
    let mut paths: Vec<CombPaths> = Vec::with_capacity(design.modules.len());
    for m in &design.modules {
        if m.blackbox.is_some() {
            sums.push(Summary::empty(m.ports.len()));
            paths.push(vec![Vec::new(); m.ports.len()]);
            continue;
        }
        let g = graph::build(m, &paths);
        let s = graph::sccs(&g);
        let mut port_index = vec![u32::MAX; m.signals.len()];
        for (i, p) in m.ports.iter().enumerate() {
            port_index[p.0 as usize] = i as u32;
        }
        let domain_of_clock = m
            .domains
            .iter()
            .enumerate()
            .map(|(i, d)| (d.clock.0, i as u32))
            .collect();
        let mut c = Checker {
            m,
            modules: &design.modules,
            sums: &sums,
            g,
            s,
            sets: Vec::new(),
            domain_of_clock,
            port_index,
            diags,
        };
        c.compute_sets();
        let sum = c.run();
        paths.push(sum.out_inputs.clone());
        sums.push(sum);
    }
}

#[cfg(test)]
mod tests {
    use crate::prelude::*;
    use crate::{Code, Diagnostics};

    /// Registers its input in its implicit domain, or in a domain called `x`
    /// that the parent must connect.
    #[derive(Debug)]
    struct Child {
        named: bool,
    }
    bundle! {
        pub struct ChildIo {
            #[input]
            pub d: Bool,
            pub q: Bool,
        }
    }
    impl Component for Child {
        type Io = ChildIo;
        fn name(&self) -> String {
            format!("child_{}", self.named)
        }
        fn io(&self) -> ChildIo {
            ChildIo {
                d: Bool::ty(),
                q: Bool::ty(),
            }
        }
        fn build(&self, io: &ChildIo) {
            if self.named {
                let x = ClockDomain::new("x", "clk_x", None);
                x.within(|| io.q.set(reg_next("q", &io.d)));
            } else {
                io.q.set(reg_next_init("q", &io.d, 0));
            }
        }
    }

    #[derive(Debug)]
    struct T(u8);
    impl Component for T {
        type Io = ();
        fn name(&self) -> String {
            format!("t{}", self.0)
        }
        fn io(&self) {}
        fn build(&self, _: &()) {
            let i = input("i", Bool::ty());
            let o = output("o", Bool::ty());
            let a = ClockDomain::new("a", "clk_a", Some(Reset::sync_high("rst_a")));
            let b = ClockDomain::new("b", "clk_b", Some(Reset::sync_high("rst_b")));
            let ra = a.within(|| reg_next_init("ra", &i, 0));
            match self.0 {
                // plain crossing
                0 => o.set(b.within(|| reg_next_init("rb", &ra, 0))),
                // two-flop synchroniser
                1 => b.within(|| {
                    let s1 = reg_next_init("s1", &ra, 0).cdc_sync();
                    o.set(reg_next_init("s2", &s1, 0));
                }),
                // through a wire and a when-condition
                2 => {
                    let w = wire("w", Bool::ty());
                    w.set(!ra);
                    let rb = b.within(|| reg("rb", Bool::ty()).init(false));
                    when(w, || rb.set(true)).otherwise(|| rb.set(i));
                    o.set(rb);
                }
                // a child domain left unconnected
                3 => {
                    let u = instance("u", &Child { named: true });
                    u.io.d.set(ra);
                    o.set(u.io.q);
                }
                // into a child: registered in `a`, sampled by the child in `b`
                4 => {
                    let u = b.within(|| instance("u", &Child { named: false }));
                    u.io.d.set(ra);
                    o.set(u.io.q);
                }
                // out of a child: registered in `a` inside it, sampled in `b` here
                5 => {
                    let u = a.within(|| instance("u", &Child { named: false }));
                    u.io.d.set(ra);
                    o.set(b.within(|| reg_next_init("rb", &u.io.q, 0)));
                }
                // memory write port in `b` fed from `a`
                6 => {
                    let m = Mem::new("m", 1, 2);
                    b.within(|| m.write(UInt::lit(0, 1), ra.as_bits(), Bool::lit(true), None));
                    o.set(m.read_async(UInt::lit(0, 1)).bit(0));
                }
                // same domain everywhere through a child
                _ => {
                    let u = a.within(|| instance("u", &Child { named: false }));
                    u.io.d.set(ra);
                    o.set(a.within(|| reg_next_init("ra2", &u.io.q, 0)));
                }
            }
        }
    }

    fn diags(t: u8) -> Diagnostics {
        match crate::elaborate(&T(t)) {
            Ok(_) => Diagnostics::default(),
            Err(d) => d,
        }
    }

    #[test]
    fn crossing_is_reported_at_the_receiving_register() {
        let d = diags(0);
        assert_eq!(d.codes(), vec![Code::ClockCrossing], "{d}");
        assert!(d.list[0].message.contains("`rb`") && d.list[0].message.contains("`clk_a`"));
        let d = diags(2);
        assert_eq!(d.codes(), vec![Code::ClockCrossing], "{d}");
        assert!(d.list[0].message.contains("`rb`"));
    }

    #[test]
    fn a_marked_synchroniser_passes() {
        assert_eq!(diags(1).codes(), vec![]);
        assert_eq!(diags(7).codes(), vec![]);
    }

    #[test]
    fn unconnected_child_domain() {
        let d = diags(3);
        assert_eq!(d.codes(), vec![Code::UnconnectedDomain], "{d}");
    }

    #[test]
    fn crossings_into_and_out_of_children() {
        let d = diags(4);
        assert_eq!(d.codes(), vec![Code::ClockCrossing], "{d}");
        assert!(d.list[0].message.contains("instance `u`"), "{d}");
        let d = diags(5);
        assert_eq!(d.codes(), vec![Code::ClockCrossing], "{d}");
        assert!(d.list[0].message.contains("`rb`"), "{d}");
    }

    #[test]
    fn memory_port_fed_from_another_domain() {
        let d = diags(6);
        assert_eq!(d.codes(), vec![Code::ClockCrossing], "{d}");
        assert!(d.list[0].message.contains("write port of memory `m`"), "{d}");
    }

    #[test]
    fn a_register_without_a_domain() {
        let mut e = crate::elaborate(&T(1)).unwrap();
        let m = e.design.modules.last_mut().unwrap();
        let s1 = m.signals.iter_mut().find(|s| s.name == "s1").unwrap();
        s1.reg.as_mut().unwrap().domain = crate::ir::DomainId(99);
        let mut d = Diagnostics::default();
        super::run(&mut e.design, &mut d);
        assert_eq!(d.codes(), vec![Code::NoClockDomain], "{d}");
    }
}
