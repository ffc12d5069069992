//! testbenches (work in progress).
