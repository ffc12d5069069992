//! `udp_rx_check`: the UDP header in the header window and the listen table.

use crate::net::csum::{be_words, wide_sum};
use crate::net::field::be_field;
use crate::net::window::{IP_DST, IP_SRC, PROTO_UDP, UDP_CSUM, UDP_DST_PORT, UDP_LEN, WINDOW_BYTES};
use hdl::prelude::*;

bundle! {
    /// Ports of [`UdpRxCheck`].
    pub struct UdpRxCheckIo {
        /// The 42-byte header window.
        #[input]
        pub win: Bits,
        /// The IPv4 total length.
        #[input]
        pub total_length: UInt,
        /// Write listen-table entry `cfg_listen_wr_index` this cycle.
        #[input]
        pub cfg_listen_wr_en: Bool,
        /// The entry to write.
        #[input]
        pub cfg_listen_wr_index: UInt,
        /// The entry listens (0: off).
        #[input]
        pub cfg_listen_wr_enable: Bool,
        /// Its UDP port.
        #[input]
        pub cfg_listen_wr_port: Bits,
        /// 0: the port receives RPC calls; 1: RPC replies.
        #[input]
        pub cfg_listen_wr_reply: Bool,
        /// The UDP length is below 8 or more than the IPv4 payload.
        pub bad_length: Bool,
        /// The UDP length field.
        pub udp_length: UInt,
        /// The checksum field is not zero (zero: the sender computed none).
        pub checksum_present: Bool,
        /// The plain (unfolded, 19-bit) sum of the 16-bit words of the pseudo
        /// header (addresses, protocol, UDP length); with the sum over the
        /// datagram it must fold to 0xffff.
        pub pseudo_sum: UInt,
        /// An enabled listen-table entry has the destination port.
        pub listen_hit: Bool,
        /// That entry receives replies (else calls).
        pub listen_reply: Bool,
        /// Its index (the lowest when several match).
        pub listen_index: UInt,
    }
}

/// The UDP checker with its listen table of `listen_entries` entries
/// (registers, compared in parallel): `udp_rx_check_l{listen_entries}`.
#[derive(Clone, Debug)]
pub struct UdpRxCheck {
    /// Entries of the listen table (at least 1).
    pub listen_entries: u32,
}

impl UdpRxCheck {
    /// Width of a listen-table index.
    pub fn index_width(&self) -> u32 {
        hdl::clog2(self.listen_entries).max(1)
    }
}

impl Component for UdpRxCheck {
    type Io = UdpRxCheckIo;

    fn name(&self) -> String {
        format!("udp_rx_check_l{}", self.listen_entries)
    }

    fn io(&self) -> UdpRxCheckIo {
        let iw = self.index_width();
        UdpRxCheckIo {
            win: Bits::ty(8 * WINDOW_BYTES),
            total_length: UInt::ty(16),
            cfg_listen_wr_en: Bool::ty(),
            cfg_listen_wr_index: UInt::ty(iw),
            cfg_listen_wr_enable: Bool::ty(),
            cfg_listen_wr_port: Bits::ty(16),
            cfg_listen_wr_reply: Bool::ty(),
            bad_length: Bool::ty(),
            udp_length: UInt::ty(16),
            checksum_present: Bool::ty(),
            pseudo_sum: UInt::ty(19),
            listen_hit: Bool::ty(),
            listen_reply: Bool::ty(),
            listen_index: UInt::ty(iw),
        }
    }

    fn build(&self, io: &UdpRxCheckIo) {
        assert!(self.listen_entries >= 1, "the listen table needs an entry");
        let w = io.win;
        let iw = self.index_width();
        let len = be_field(w, UDP_LEN, 2).named("udp_len");
        io.udp_length.set(len);
        // The IPv4 payload is total - 20; a total below 20 is dropped by the
        // IPv4 check, so the comparison is done without the subtraction.
        let too_long = (len.zext(17) + 20u32).is_gt(io.total_length.zext(17));
        io.bad_length.set(len.is_lt(8u32) | too_long);
        io.checksum_present.set(be_field(w, UDP_CSUM, 2).any());
        let mut words = be_words(w.range(8 * (IP_SRC + 8) - 1, 8 * IP_SRC), None);
        debug_assert_eq!(IP_DST, IP_SRC + 4);
        words.push(UInt::lit(PROTO_UDP, 16));
        words.push(len);
        // Left unfolded: it is folded together with the datagram's sum.
        io.pseudo_sum.set(wide_sum(&words).named("pseudo"));

        let port = be_field(w, UDP_DST_PORT, 2).as_bits().named("dst_port");
        let mut hit = Bool::lit(false);
        let mut reply = Bool::lit(false);
        let mut index = UInt::lit(0, iw);
        // Walk from the highest entry down so that the lowest match wins.
        for i in (0..self.listen_entries).rev() {
            let enable = reg(&format!("listen{i}_enable"), Bool::ty()).init(false);
            let eport = reg(&format!("listen{i}_port"), Bits::ty(16));
            let ereply = reg(&format!("listen{i}_reply"), Bool::ty());
            when(
                io.cfg_listen_wr_en & io.cfg_listen_wr_index.is_eq(u128::from(i)),
                || {
                    enable.set(io.cfg_listen_wr_enable);
                    eport.set(io.cfg_listen_wr_port);
                    ereply.set(io.cfg_listen_wr_reply);
                },
            );
            let m = (enable & eport.is_eq(port)).named(&format!("listen{i}_match"));
            hit = hit | m;
            reply = m.mux(ereply, reply);
            index = m.mux(UInt::lit(u128::from(i), iw), index);
        }
        io.listen_hit.set(hit);
        io.listen_reply.set(reply);
        io.listen_index.set(index);
    }
}
