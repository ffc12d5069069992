//! The network layers and the helpers they share: header fields in network
//! byte order ([`field`]), one's-complement checksums ([`csum`]) and the
//! metadata bundles that travel beside frames ([`meta`]).

pub mod csum;
pub mod field;
pub mod meta;
