//! generators (work in progress).
