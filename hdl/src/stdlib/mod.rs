//! The standard library, written only against the public DSL API.
