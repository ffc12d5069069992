//! A first design.
