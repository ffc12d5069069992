//! The network layers, receive side ([`rx`]) and transmit side ([`tx`]), and
//! what they share: header fields in network byte order ([`field`]) and the
//! offsets of the 42-byte header window ([`window`]), one's-complement
//! checksums ([`csum`]), `tkeep` arithmetic ([`keep`]) and the metadata
//! bundles that travel beside frames ([`meta`]).

pub mod csum;
pub mod field;
pub mod keep;
pub mod meta;
pub mod rx;
pub mod tx;
pub mod window;
