//! The network layers and the helpers they share: header fields in network
//! byte order ([`field`]) and one's-complement checksums ([`csum`]).

pub mod csum;
pub mod field;
