//! Every diagnostic.
