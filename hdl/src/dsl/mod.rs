//! The builder DSL: what component code calls.

pub mod bundle;
pub mod component;
pub mod cond;
pub(crate) mod context;
pub mod domain;
pub mod enums;
pub mod memory;
pub mod ops;
pub mod signal;
pub mod types;

pub use context::Sig;

use std::panic::Location;

/// Records a machine-readable fact about the module being built (it appears in
/// the JSON description), e.g. a register map.
pub fn annotate(key: &str, value: serde_json::Value) {
    context::with_builder(|b| {
        b.module.annotations.insert(key.to_string(), value);
    });
}

/// Name of the module being built.
pub fn current_module_name() -> String {
    context::with_builder(|b| b.module.name.clone())
}

/// Where the caller is (for library code that reports on behalf of its user).
#[track_caller]
pub fn caller() -> crate::diag::Loc {
    Location::caller()
}
