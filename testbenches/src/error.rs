//! Errors of a simulation run.

/// Why a simulation step or check failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The model refused an access (unknown port, width, ...).
    #[error(transparent)]
    Model(#[from] verilator::Error),
    /// An interface rule was broken by the design (or by a test's driver).
    #[error("{agent}: protocol violation at cycle {cycle}: {message}")]
    Protocol {
        /// Which agent saw it.
        agent: String,
        /// Cycle of the agent's clock.
        cycle: u64,
        /// What happened.
        message: String,
    },
    /// A run did not reach its goal in time.
    #[error("no progress after {cycles} cycles of `{clock}`; agents:\n{status}")]
    Timeout {
        /// Cycles run.
        cycles: u64,
        /// The clock counted.
        clock: String,
        /// One line per agent, from [`crate::Agent::status`].
        status: String,
    },
    /// A test bench is set up wrongly (unknown clock, missing port, ...).
    #[error("test bench setup: {0}")]
    Setup(String),
    /// A checked value differs from the expected one.
    #[error("{0}")]
    Mismatch(String),
}

/// Result of simulation calls.
pub type Result<T> = std::result::Result<T, Error>;
