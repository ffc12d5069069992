//! The combinational dependency graph of one module, shared by the
//! `comb_loops` and `cdc` passes, with an iterative (stack-safe) Tarjan SCC.
//!
//! Vertices are the module's expression nodes (`0..nodes.len()`) followed by
//! its signals (`nodes.len() + signal index`). An edge `v -> w` means "the value
//! of `v` depends combinationally on `w`":
//! - a node depends on its operands;
//! - a `Sig` node depends on the signal's vertex, unless the signal is a
//!   register or a memory's registered read data (those break loops);
//!   input port vertices have no dependencies (assignments to inputs, an
//!   error reported by `drivers`, are ignored);
//! - a signal depends on every value assigned to it, every when-condition and
//!   switch selector enclosing those assignments, and its default;
//! - a child instance output depends on the parent signals driving the child
//!   inputs that reach it combinationally inside the child (`child_paths`).

use crate::ir::{for_each_assign, node_operands, Dir, Module, NodeKind, Role};

/// For each port index of a module: the indices (into `Module::ports`) of the
/// input ports that reach it through combinational logic. Empty for inputs.
pub(crate) type CombPaths = Vec<Vec<u32>>;

/// A dependency graph in compressed sparse row form.
pub(crate) struct Graph {
    /// Number of expression nodes (signal vertices start here).
    pub n_nodes: usize,
    start: Vec<u32>,
    adj: Vec<u32>,
}

impl Graph {
    /// Number of vertices.
    pub fn len(&self) -> usize {
        self.start.len() - 1
    }

    /// What `v` depends on.
    pub fn succ(&self, v: u32) -> &[u32] {
        let v = v as usize;
        &self.adj[self.start[v] as usize..self.start[v + 1] as usize]
    }

    /// The vertex of signal `s`.
    pub fn sig_vertex(&self, s: u32) -> u32 {
        (self.n_nodes + s as usize) as u32
    }

    /// The signal of a vertex, if it is a signal vertex.
    pub fn vertex_sig(&self, v: u32) -> Option<u32> {
        (v as usize).checked_sub(self.n_nodes).map(|s| s as u32)
    }
}

/// True for signals whose value is not a combinational function of anything
/// (registers and memory read data).
pub(crate) fn is_sequential(m: &Module, s: u32) -> bool {
    let sig = &m.signals[s as usize];
    sig.reg.is_some() || matches!(sig.role, Role::MemData { .. })
}

/// Builds the graph of `m`. `child_paths[module id]` gives the combinational
/// paths through each child module.
pub(crate) fn build(m: &Module, child_paths: &[CombPaths]) -> Graph {
    let n_nodes = m.nodes.len();
    let n = n_nodes + m.signals.len();
    let mut edges: Vec<(u32, u32)> = Vec::with_capacity(n * 2);
    for (i, node) in m.nodes.iter().enumerate() {
        let v = i as u32;
        match &node.op {
            NodeKind::Sig(s) => {
                if !is_sequential(m, s.0) {
                    edges.push((v, (n_nodes + s.0 as usize) as u32));
                }
            }
            NodeKind::InstOut { inst, port } => {
                let inst = &m.instances[*inst as usize];
                if let Some(paths) = child_paths
                    .get(inst.module.0 as usize)
                    .and_then(|p| p.get(*port as usize))
                {
                    for i in paths {
                        if let Some(s) = inst.inputs.get(i) {
                            edges.push((v, (n_nodes + s.0 as usize) as u32));
                        }
                    }
                }
            }
            op => node_operands(op, |o| edges.push((v, o.0))),
        }
    }
    for_each_assign(m, Module::ROOT, &mut |target, value, conds| {
        if m.signal(target).is_port(Dir::Input) {
            return;
        }
        let t = (n_nodes + target.0 as usize) as u32;
        edges.push((t, value.0));
        edges.extend(conds.iter().map(|c| (t, c.0)));
    });
    for (i, s) in m.signals.iter().enumerate() {
        if let Some(d) = s.default {
            if !s.is_port(Dir::Input) {
                edges.push(((n_nodes + i) as u32, d.0));
            }
        }
    }
    // Counting sort by source vertex.
    let mut start = vec![0u32; n + 1];
    for &(a, _) in &edges {
        start[a as usize + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut adj = vec![0u32; edges.len()];
    for &(a, b) in &edges {
        adj[fill[a as usize] as usize] = b;
        fill[a as usize] += 1;
    }
    Graph { n_nodes, start, adj }
}

/// Strongly connected components.
pub(crate) struct Sccs {
    /// Component of each vertex.
    pub comp: Vec<u32>,
    /// Vertices grouped by component, components in the order found: every
    /// component comes after all components it depends on.
    pub members: Vec<u32>,
    /// `members[first[c]..first[c + 1]]` are the vertices of component `c`.
    pub first: Vec<u32>,
}

impl Sccs {
    /// Number of components.
    pub fn count(&self) -> usize {
        self.first.len() - 1
    }

    /// The vertices of component `c`.
    pub fn of(&self, c: usize) -> &[u32] {
        &self.members[self.first[c] as usize..self.first[c + 1] as usize]
    }
}

/// Tarjan's algorithm without recursion.
pub(crate) fn sccs(g: &Graph) -> Sccs {
    const NONE: u32 = u32::MAX;
    let n = g.len();
    let mut index = vec![NONE; n];
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<u32> = Vec::new();
    let mut call: Vec<(u32, u32)> = Vec::new();
    let mut comp = vec![NONE; n];
    let mut members = Vec::with_capacity(n);
    let mut first = vec![0u32];
    let mut counter = 0u32;
    for root in 0..n as u32 {
        if index[root as usize] != NONE {
            continue;
        }
        index[root as usize] = counter;
        low[root as usize] = counter;
        counter += 1;
        stack.push(root);
        on_stack[root as usize] = true;
        call.push((root, 0));
        while let Some(top) = call.last_mut() {
            let v = top.0;
            let succ = g.succ(v);
            if (top.1 as usize) < succ.len() {
                let w = succ[top.1 as usize];
                top.1 += 1;
                if index[w as usize] == NONE {
                    index[w as usize] = counter;
                    low[w as usize] = counter;
                    counter += 1;
                    stack.push(w);
                    on_stack[w as usize] = true;
                    call.push((w, 0));
                } else if on_stack[w as usize] {
                    low[v as usize] = low[v as usize].min(index[w as usize]);
                }
                continue;
            }
            call.pop();
            if let Some(&(u, _)) = call.last() {
                low[u as usize] = low[u as usize].min(low[v as usize]);
            }
            if low[v as usize] == index[v as usize] {
                let c = (first.len() - 1) as u32;
                loop {
                    let w = stack.pop().expect("v is on the stack");
                    on_stack[w as usize] = false;
                    comp[w as usize] = c;
                    members.push(w);
                    if w == v {
                        break;
                    }
                }
                first.push(members.len() as u32);
            }
        }
    }
    Sccs { comp, members, first }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(n: usize, edges: &[(u32, u32)]) -> Graph {
        let mut start = vec![0u32; n + 1];
        let mut e = edges.to_vec();
        e.sort_unstable();
        for &(a, _) in &e {
            start[a as usize + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        Graph {
            n_nodes: n,
            start,
            adj: e.iter().map(|&(_, b)| b).collect(),
        }
    }

    #[test]
    fn components_come_after_their_dependencies() {
        // 0 -> 1 -> 2 -> 1, 2 -> 3
        let g = graph(4, &[(0, 1), (1, 2), (2, 1), (2, 3)]);
        let s = sccs(&g);
        assert_eq!(s.count(), 3);
        assert_eq!(s.comp[1], s.comp[2]);
        assert!(s.comp[3] < s.comp[1]);
        assert!(s.comp[1] < s.comp[0]);
        let mut loop_members = s.of(s.comp[1] as usize).to_vec();
        loop_members.sort_unstable();
        assert_eq!(loop_members, vec![1, 2]);
    }

    #[test]
    fn a_million_vertex_chain_does_not_overflow_the_stack() {
        let n = 1_000_000u32;
        let edges: Vec<(u32, u32)> = (0..n - 1).map(|i| (i, i + 1)).chain([(n - 1, 0)]).collect();
        let g = graph(n as usize, &edges);
        let s = sccs(&g);
        assert_eq!(s.count(), 1);
        assert_eq!(s.of(0).len(), n as usize);
    }
}
