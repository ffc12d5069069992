//! The cycle-driven agent interface and typed handles to attached agents.

use crate::Result;
use std::any::Any;
use std::marker::PhantomData;
use verilator::Model;

/// Something that takes part in every cycle of one clock: a bus driver, a
/// monitor, a responder.
///
/// Around each rising edge of its clock the test bench calls
/// [`sample`](Agent::sample) first, while the design's outputs still show the
/// cycle that is ending (a `valid & ready` seen here is a transfer made by this
/// edge), then applies the edge, then calls [`drive`](Agent::drive), where the
/// agent sets its inputs for the next cycle, as a register would.
pub trait Agent: Any {
    /// Looks at the settled values just before the edge (`cycle` counts edges
    /// of the agent's clock since the test bench started).
    fn sample(&mut self, m: &Model, cycle: u64) -> Result<()>;

    /// Sets inputs for the next cycle, just after the edge.
    fn drive(&mut self, m: &mut Model, cycle: u64) -> Result<()>;

    /// True when the agent has nothing in flight (for [`crate::Testbench::run_until_idle`]).
    fn is_idle(&self) -> bool {
        true
    }

    /// One line about the agent's state, shown when a run times out.
    fn status(&self) -> String {
        String::new()
    }
}

/// A typed reference to an agent owned by a [`crate::Testbench`].
pub struct Handle<A> {
    pub(crate) index: usize,
    pub(crate) _agent: PhantomData<fn() -> A>,
}

impl<A> Clone for Handle<A> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<A> Copy for Handle<A> {}

impl<A> std::fmt::Debug for Handle<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Handle({})", self.index)
    }
}
