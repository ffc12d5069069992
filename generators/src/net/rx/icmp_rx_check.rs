//! `icmp_rx_check`: is the ICMP message in the header window an echo request.

use crate::net::field::byte;
use crate::net::window::{ICMP_CODE, ICMP_TYPE, WINDOW_BYTES};
use hdl::prelude::*;

bundle! {
    /// Ports of [`IcmpRxCheck`].
    pub struct IcmpRxCheckIo {
        /// The 42-byte header window.
        #[input]
        pub win: Bits,
        /// The IPv4 total length.
        #[input]
        pub total_length: UInt,
        /// Type 8, code 0, and at least the 8-byte echo header: an echo
        /// request for the ICMP responder. Other ICMP goes to the host.
        pub echo_request: Bool,
    }
}

/// The ICMP classifier (combinational): `icmp_rx_check`.
///
/// The ICMP checksum covers the whole message, so its verdict is taken at
/// the end of the frame from the running one's-complement sum of `rx_parse`
/// (no pseudo header: the sum over the message must be 0xffff).
#[derive(Clone, Debug)]
pub struct IcmpRxCheck;

impl Component for IcmpRxCheck {
    type Io = IcmpRxCheckIo;

    fn name(&self) -> String {
        "icmp_rx_check".into()
    }

    fn io(&self) -> IcmpRxCheckIo {
        IcmpRxCheckIo {
            win: Bits::ty(8 * WINDOW_BYTES),
            total_length: UInt::ty(16),
            echo_request: Bool::ty(),
        }
    }

    fn build(&self, io: &IcmpRxCheckIo) {
        let w = io.win;
        io.echo_request.set(
            byte(w, ICMP_TYPE).is_eq(8u32) & byte(w, ICMP_CODE).is_eq(0u32) & io.total_length.is_ge(28u32),
        );
    }
}
