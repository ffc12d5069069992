//! Small traversal helpers shared by the passes and back ends.

use super::{BlockId, Module, NodeId, NodeKind, SigId, Stmt};

/// Calls `f` with every operand of a node.
pub fn node_operands(op: &NodeKind, mut f: impl FnMut(NodeId)) {
    match op {
        NodeKind::Sig(_) | NodeKind::Const(_) | NodeKind::InstOut { .. } => {}
        NodeKind::Unary(_, a) | NodeKind::Slice { src: a, .. } | NodeKind::Extend { src: a, .. } => f(*a),
        NodeKind::Binary(_, a, b) | NodeKind::DynSlice { src: a, index: b } => {
            f(*a);
            f(*b)
        }
        NodeKind::Mux { sel, t, f: e } => {
            f(*sel);
            f(*t);
            f(*e)
        }
        NodeKind::Concat(parts) => parts.iter().for_each(|&p| f(p)),
        NodeKind::Select { sel, options } => {
            f(*sel);
            options.iter().for_each(|&p| f(p))
        }
        NodeKind::MemRead { addr, .. } => f(*addr),
    }
}

/// Calls `f(target, value, conditions)` for every assignment under `block`, where
/// `conditions` are the nodes (when-conditions and switch selectors) it depends on.
pub fn for_each_assign(m: &Module, block: BlockId, f: &mut impl FnMut(SigId, NodeId, &[NodeId])) {
    let mut conds = Vec::new();
    walk(m, block, &mut conds, f);
}

fn walk(m: &Module, block: BlockId, conds: &mut Vec<NodeId>, f: &mut impl FnMut(SigId, NodeId, &[NodeId])) {
    for s in m.block(block) {
        match s {
            Stmt::Assign { target, value, .. } => f(*target, *value, conds),
            Stmt::When { cond, then, els, .. } => {
                conds.push(*cond);
                walk(m, *then, conds, f);
                walk(m, *els, conds, f);
                conds.pop();
            }
            Stmt::Switch {
                sel, cases, default, ..
            } => {
                conds.push(*sel);
                for (_, b) in cases {
                    walk(m, *b, conds, f);
                }
                walk(m, *default, conds, f);
                conds.pop();
            }
        }
    }
}
