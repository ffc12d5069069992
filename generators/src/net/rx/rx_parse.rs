//! `rx_parse`: parses a received frame in place, while it streams past.
//!
//! The input cannot stall (it comes from the MAC), so this block is a pure
//! pipeline of six register stages, each at most six LUT levels deep at 64
//! bytes:
//!
//! - **s0** (the input): the 42-byte header window is captured
//!   ([`crate::net::window::capture`]), the byte offset counted, and the
//!   beat's byte count and `L3 - off`, `L4 - off` prepared.
//! - **s1**: the checkers look at the window, which now holds every window
//!   byte of the frame received so far (in the cycle after a frame's last
//!   beat the window is still that frame's: the next frame overwrites it only
//!   at the end of this cycle). Here too the L4 end relative to the beat,
//!   `l4_end - off`, is taken, so that the L4 end, which comes from bytes
//!   16-17 and 38-39 of the window, is always known, even when one beat holds
//!   the IPv4 length, the UDP length and the first L4 bytes (at 64 bytes,
//!   beat 0).
//! - **s2**: the beat's mask of L4 bytes and the first two levels of the sum
//!   of its words; for UDP, the pseudo header sum joins at the last beat.
//! - **s3**: the rest of the beat's share, accumulated.
//! - **s4**: the L4 and IPv4 header sums checked (unfolded,
//!   [`crate::net::csum::folds_to_ffff`]), the frame length compared.
//! - **s5**: at the last beat the verdict is decided ([`super::rx_verdict`]).
//! - **out**: the frame leaves six cycles after it came in, its last beat
//!   carrying the verdict: `tuser[0]` set when it must not be stored (dropped,
//!   or an ARP packet, which is reported as an event instead), and the
//!   metadata. Drop pulses and the ARP event come out in the same cycle.
//!
//! The L4 sum covers bytes `[34, end)` where `end` is `14 + total_length`, or
//! for UDP `34 + udp_length` when that is shorter (a UDP datagram may end
//! before its IPv4 payload; the checksum covers the datagram only).

use super::arp_rx_check::ArpRxCheck;
use super::eth_rx_filter::EthRxFilter;
use super::icmp_rx_check::IcmpRxCheck;
use super::ipv4_rx_check::Ipv4RxCheck;
use super::rx_verdict::{decide, Dest, Facts, RxDrops, RxFrameMeta, MIN_FRAME, MIN_HEADER};
use super::udp_rx_check::UdpRxCheck;
use crate::net::csum::{be_words, folds_to_ffff, sum_levels, wide_sum};
use crate::net::meta::ArpEvent;
use crate::net::window::{capture, first_payload_bytes, L3, L4};
use hdl::prelude::*;
use hdl::stdlib::axis::keep_to_count;
use hdl::stdlib::axis::AxisFlow;
use hdl::stdlib::stream::Flow;

/// The configuration inputs of the receive side.
#[derive(Clone, Debug)]
pub struct RxConfig {
    /// Our MAC address.
    pub mac: Bits,
    /// Our IPv4 address.
    pub ip: Bits,
    /// Our subnet mask.
    pub netmask: Bits,
    /// Accept frames to any MAC address (they go to the host).
    pub promiscuous: Bool,
    /// Longest frame accepted, in bytes without FCS.
    pub max_len: UInt,
}

bundle! {
    /// Ports of [`RxParse`].
    pub struct RxParseIo {
        /// Frames from the MAC (no back-pressure).
        #[input]
        pub s_axis: AxisFlow,
        /// Our MAC address.
        #[input]
        pub cfg_mac: Bits,
        /// Our IPv4 address.
        #[input]
        pub cfg_ip: Bits,
        /// Our subnet mask.
        #[input]
        pub cfg_netmask: Bits,
        /// Promiscuous mode.
        #[input]
        pub cfg_promiscuous: Bool,
        /// Longest frame accepted (bytes, without FCS).
        #[input]
        pub cfg_max_len: UInt,
        /// Listen-table write: enable.
        #[input]
        pub cfg_listen_wr_en: Bool,
        /// Listen-table write: entry.
        #[input]
        pub cfg_listen_wr_index: UInt,
        /// Listen-table write: the entry listens.
        #[input]
        pub cfg_listen_wr_enable: Bool,
        /// Listen-table write: UDP port.
        #[input]
        pub cfg_listen_wr_port: Bits,
        /// Listen-table write: 1 for RPC replies, 0 for calls.
        #[input]
        pub cfg_listen_wr_reply: Bool,
        /// The frames, unchanged, six cycles later; `tuser[0]` on the last
        /// beat: do not store.
        pub m_axis: AxisFlow,
        /// Where the frame goes; valid with the last beat of `m_axis`.
        pub m_meta: RxFrameMeta,
        /// A good ARP packet, in the cycle of its last beat on `m_axis`.
        pub m_arp: Flow<ArpEvent>,
        /// One pulse per dropped frame, naming the reason.
        pub stat_rx: RxDrops,
    }
}

/// The parser for a `bytes`-wide datapath: `rx_parse_{8 * bytes}`.
#[derive(Clone, Debug)]
pub struct RxParse {
    /// Bytes per beat: 8, 16, 32 or 64.
    pub bytes: u32,
    /// Entries of the UDP listen table.
    pub listen_entries: u32,
}

bundle! {
    /// The checker results that travel from s1 to the verdict (the IPv4
    /// header sum is checked on the way, in s4).
    struct Checks {
        accept: Bool,
        promiscuous_only: Bool,
        multicast: Bool,
        is_ipv4: Bool,
        is_arp: Bool,
        arp_valid: Bool,
        arp: ArpEvent,
        ip_bad_version: Bool,
        ip_options: Bool,
        ip_header_sum: UInt,
        ip_bad_length: Bool,
        ip_fragment: Bool,
        ip_dst_ours: Bool,
        ip_dst_group: Bool,
        is_udp: Bool,
        is_icmp: Bool,
        udp_bad_length: Bool,
        udp_checksum_present: Bool,
        udp_pseudo_sum: UInt,
        listen_hit: Bool,
        listen_reply: Bool,
        listen_index: UInt,
        echo_request: Bool,
        fits_first_beat: Bool,
        frame_len: UInt,
    }
}

impl Checks {
    fn ty(iw: u32) -> Checks {
        let b = Bool::ty;
        Checks {
            accept: b(),
            promiscuous_only: b(),
            multicast: b(),
            is_ipv4: b(),
            is_arp: b(),
            arp_valid: b(),
            arp: ArpEvent::ty(),
            ip_bad_version: b(),
            ip_options: b(),
            ip_header_sum: UInt::ty(20),
            ip_bad_length: b(),
            ip_fragment: b(),
            ip_dst_ours: b(),
            ip_dst_group: b(),
            is_udp: b(),
            is_icmp: b(),
            udp_bad_length: b(),
            udp_checksum_present: b(),
            udp_pseudo_sum: UInt::ty(19),
            listen_hit: b(),
            listen_reply: b(),
            listen_index: UInt::ty(iw),
            echo_request: b(),
            fits_first_beat: b(),
            frame_len: UInt::ty(16),
        }
    }
}

bundle! {
    /// One beat of the frame inside the pipeline.
    struct Beat {
        valid: Bool,
        data: Bits,
        keep: Bits,
        last: Bool,
        user: Bool,
    }
}

impl Beat {
    /// The next stage: `valid` reset low, the rest without reset.
    #[track_caller]
    fn stage(&self, name: &str) -> Beat {
        let next = reg_next(name, self);
        next.valid.init(false);
        next
    }
}

impl RxParse {
    fn index_width(&self) -> u32 {
        hdl::clog2(self.listen_entries).max(1)
    }
}

impl Component for RxParse {
    type Io = RxParseIo;

    fn name(&self) -> String {
        format!("rx_parse_{}", 8 * self.bytes)
    }

    fn io(&self) -> RxParseIo {
        assert!(
            [8, 16, 32, 64].contains(&self.bytes),
            "rx_parse: {} bytes per beat (8, 16, 32 or 64)",
            self.bytes
        );
        let iw = self.index_width();
        RxParseIo {
            s_axis: AxisFlow::ty(self.bytes, 1),
            cfg_mac: Bits::ty(48),
            cfg_ip: Bits::ty(32),
            cfg_netmask: Bits::ty(32),
            cfg_promiscuous: Bool::ty(),
            cfg_max_len: UInt::ty(16),
            cfg_listen_wr_en: Bool::ty(),
            cfg_listen_wr_index: UInt::ty(iw),
            cfg_listen_wr_enable: Bool::ty(),
            cfg_listen_wr_port: Bits::ty(16),
            cfg_listen_wr_reply: Bool::ty(),
            m_axis: AxisFlow::ty(self.bytes, 1),
            m_meta: RxFrameMeta::ty(iw),
            m_arp: Flow::ty(ArpEvent::ty()),
            stat_rx: RxDrops::ty(),
        }
    }

    fn build(&self, io: &RxParseIo) {
        let w = self.bytes;
        let lw = w.trailing_zeros();
        let iw = self.index_width();
        let s = &io.s_axis;

        // s0: byte offset of the current beat (saturating: `huge` once a
        // frame passes 64 KiB), and the header window.
        let off = reg("off", UInt::ty(16)).init(0);
        let huge = reg("huge", Bool::ty()).init(false);
        when(s.tvalid, || {
            when(s.tlast, || {
                off.set(0);
                huge.set(false);
            })
            .elsewhen(off.is_gt(0xffff - w), || huge.set(true))
            .otherwise(|| off.set(off + w));
        });
        let beat = off.range(15, lw).named("beat");
        let win = capture("win", s.tdata, s.tvalid, beat).held;

        let s0 = Beat {
            valid: s.tvalid,
            data: s.tdata,
            keep: s.tkeep,
            last: s.tlast,
            user: s.tuser.bit(0),
        };
        let s1 = s0.stage("s1");
        let s1_off = reg_next("s1_off", &off);
        let s1_huge = reg_next("s1_huge", &huge);
        // Counted here: the popcount and the frame-length compare of s1 do
        // not fit one stage.
        let s1_count = reg_next("s1_count", &keep_to_count(s.tkeep));
        // `L3 - off` and `L4 - off` (18-bit two's complement), so that s1
        // needs one adder for each candidate of `l4_end - off`.
        let off18 = off.zext(18);
        let s1_ip_k = reg_next("s1_ip_k", &(UInt::lit(u128::from(L3), 18) - off18));
        let s1_udp_k = reg_next("s1_udp_k", &(UInt::lit(u128::from(L4), 18) - off18));

        // s1: the checkers.
        let eth = instance("u_eth", &EthRxFilter);
        eth.io.hdr.set(win.range(8 * 14 - 1, 0));
        eth.io.cfg_mac.set(io.cfg_mac);
        eth.io.cfg_promiscuous.set(io.cfg_promiscuous);
        let arp = instance("u_arp", &ArpRxCheck);
        arp.io.win.set(win);
        arp.io.cfg_ip.set(io.cfg_ip);
        let len17 = (s1_off.zext(17) + s1_count.zext(17)).named("s1_len_wide");
        let frame_len = (s1_huge | len17.bit(16))
            .mux(UInt::lit(0xffff, 16), len17.range(15, 0))
            .named("s1_frame_len");
        let ip = instance("u_ipv4", &Ipv4RxCheck);
        ip.io.win.set(win);
        ip.io.frame_len.set(frame_len);
        ip.io.cfg_ip.set(io.cfg_ip);
        ip.io.cfg_netmask.set(io.cfg_netmask);
        let icmp = instance("u_icmp", &IcmpRxCheck);
        icmp.io.win.set(win);
        icmp.io.total_length.set(ip.io.total_length);
        let udp = instance(
            "u_udp",
            &UdpRxCheck {
                listen_entries: self.listen_entries,
            },
        );
        udp.io.win.set(win);
        udp.io.total_length.set(ip.io.total_length);
        udp.io.cfg_listen_wr_en.set(io.cfg_listen_wr_en);
        udp.io.cfg_listen_wr_index.set(io.cfg_listen_wr_index);
        udp.io.cfg_listen_wr_enable.set(io.cfg_listen_wr_enable);
        udp.io.cfg_listen_wr_port.set(io.cfg_listen_wr_port);
        udp.io.cfg_listen_wr_reply.set(io.cfg_listen_wr_reply);

        let chk = wire("chk", Checks::ty(iw));
        chk.accept.set(eth.io.accept);
        chk.promiscuous_only.set(eth.io.promiscuous_only);
        chk.multicast.set(eth.io.multicast);
        chk.is_ipv4.set(eth.io.is_ipv4);
        chk.is_arp.set(eth.io.is_arp);
        chk.arp_valid.set(arp.io.valid);
        chk.arp.request.set(arp.io.event.request);
        chk.arp.sender_mac.set(arp.io.event.sender_mac);
        chk.arp.sender_ip.set(arp.io.event.sender_ip);
        chk.arp.target_ip.set(arp.io.event.target_ip);
        chk.arp.for_us.set(arp.io.event.for_us);
        chk.ip_bad_version.set(ip.io.bad_version);
        chk.ip_options.set(ip.io.options);
        chk.ip_header_sum.set(ip.io.header_sum);
        chk.ip_bad_length.set(ip.io.bad_length);
        chk.ip_fragment.set(ip.io.fragment);
        chk.ip_dst_ours.set(ip.io.dst_ours);
        chk.ip_dst_group.set(ip.io.dst_group);
        chk.is_udp.set(ip.io.is_udp);
        chk.is_icmp.set(ip.io.is_icmp);
        chk.udp_bad_length.set(udp.io.bad_length);
        chk.udp_checksum_present.set(udp.io.checksum_present);
        chk.udp_pseudo_sum.set(udp.io.pseudo_sum);
        chk.listen_hit.set(udp.io.listen_hit);
        chk.listen_reply.set(udp.io.listen_reply);
        chk.listen_index.set(udp.io.listen_index);
        chk.echo_request.set(icmp.io.echo_request);
        // For rx_steer: the UDP payload (length - 8) fits in the payload
        // bytes of the beat that holds the end of the 42 header bytes, so
        // that it need not look at the length to decide its `tready`.
        let tail = first_payload_bytes(w);
        chk.fits_first_beat.set(
            udp.io
                .udp_length
                .is_le(u128::from(tail + 8))
                .named("fits_first_beat"),
        );
        chk.frame_len.set(frame_len);

        // s1: the L4 end relative to this beat, `left = l4_end - off`.
        let total = ip.io.total_length;
        let udp_len = udp.io.udp_length;
        let ip_left = (total.zext(18) + s1_ip_k).named("s1_ip_left");
        let udp_left = (udp_len.zext(18) + s1_udp_k).named("s1_udp_left");
        // 34 + udp_length < 14 + total_length: the datagram ends first.
        let udp_first = (udp_len.zext(17) + (L4 - L3)).is_lt(total.zext(17));
        let left = (ip.io.is_udp & udp_first)
            .mux(udp_left, ip_left)
            .named("s1_l4_left");
        // Split for the mask: the whole beat is before the end (`all`), or
        // the first `lo` lanes are (0 past the end).
        let neg = left.bit(17);
        let all = (!neg & left.range(16, lw).any()).named("s1_l4_all");
        let lo = neg.mux(UInt::lit(0, lw), left.range(lw - 1, 0)).named("s1_l4_lo");
        // Lanes at or past byte 34 of the frame.
        let after_start: Vec<Bool> = (0..w)
            .rev()
            .map(|i| {
                if i >= L4 {
                    Bool::lit(true)
                } else {
                    s1_off.is_ge(L4 - i)
                }
            })
            .collect();
        let after_start = cat(&after_start).named("s1_after_start");

        // s2: the beat's mask of L4 bytes, `[34, l4_end)`, and the first
        // levels of its sum (its share of the L4 sum).
        let s2 = s1.stage("s2");
        let s2_all = reg_next("s2_l4_all", &all);
        let s2_lo = reg_next("s2_l4_lo", &lo);
        let s2_after_start = reg_next("s2_after_start", &after_start);
        let s2_chk = reg_next("s2_chk", &chk);
        let mask: Vec<Bool> = (0..w)
            .rev()
            .map(|i| {
                // `lo` never exceeds the last lane.
                let before_end = if i + 1 < w {
                    s2_all | s2_lo.is_gt(u128::from(i))
                } else {
                    s2_all
                };
                s2_after_start.bit(i) & before_end
            })
            .collect();
        let mask = cat(&mask).named("s2_l4_mask");
        let part = sum_levels(&be_words(s2.data, Some(mask)), 2);
        // The pseudo header joins the sum of a UDP datagram at its last beat.
        let pseudo = (s2.last & s2_chk.is_udp)
            .mux(s2_chk.udp_pseudo_sum, UInt::lit(0, 19))
            .named("s2_pseudo");

        // s3: the rest of the share, accumulated.
        let s3 = s2.stage("s3");
        let mut s3_words: Vec<UInt> = part
            .iter()
            .enumerate()
            .map(|(i, p)| reg_next(&format!("s3_part{i}"), p))
            .collect();
        s3_words.push(reg_next("s3_pseudo", &pseudo));
        let s3_chk = reg_next("s3_chk", &s2_chk);
        let acc = reg("l4_acc", UInt::ty(32)).init(0);
        let share = wide_sum(&s3_words).named("s3_share");
        let acc_next = (acc + share.zext(32)).named("l4_acc_next");
        when(s3.valid, || {
            acc.set(s3.last.mux(UInt::lit(0, 32), acc_next));
        });

        // s4: the sums checked, the frame length compared.
        let s4 = s3.stage("s4");
        let s4_l4 = reg_next("s4_l4_sum", &acc_next);
        let s4_chk = reg_next("s4_chk", &s3_chk);
        let len = s4_chk.frame_len;
        let flags = cat(&[
            folds_to_ffff(s4_l4),
            folds_to_ffff(s4_chk.ip_header_sum),
            len.is_lt(MIN_HEADER),
            len.is_lt(MIN_FRAME),
            len.is_gt(io.cfg_max_len),
        ])
        .named("s4_flags");

        // s5: the verdict.
        let s5 = s4.stage("s5");
        let s5_flags = reg_next("s5_flags", &flags);
        let c = reg_next("s5_chk", &s4_chk);
        let v = decide(&Facts {
            mac_error: s5.user,
            l4_sum_ok: s5_flags.bit(4),
            truncated: s5_flags.bit(2),
            runt: s5_flags.bit(1),
            oversize: s5_flags.bit(0),
            cfg_promiscuous: io.cfg_promiscuous,
            accept: c.accept,
            promiscuous_only: c.promiscuous_only,
            multicast: c.multicast,
            is_ipv4: c.is_ipv4,
            is_arp: c.is_arp,
            arp_valid: c.arp_valid,
            ip_bad_version: c.ip_bad_version,
            ip_options: c.ip_options,
            ip_bad_checksum: !s5_flags.bit(3),
            ip_bad_length: c.ip_bad_length,
            ip_fragment: c.ip_fragment,
            ip_dst_ours: c.ip_dst_ours,
            ip_dst_group: c.ip_dst_group,
            is_udp: c.is_udp,
            is_icmp: c.is_icmp,
            udp_bad_length: c.udp_bad_length,
            udp_checksum_present: c.udp_checksum_present,
            listen_hit: c.listen_hit,
            listen_reply: c.listen_reply,
            listen_index: c.listen_index,
            echo_request: c.echo_request,
            fits_first_beat: c.fits_first_beat,
        });
        let end = (s5.valid & s5.last).named("s5_end");
        let dropped = v.drops.any().named("s5_dropped");
        let is_arp = v.meta.dest.is_eq(Dest::Arp as u32);

        // out.
        let out = s5.stage("out");
        let out_drop = reg_next("out_drop", &(dropped | is_arp));
        io.m_axis.tdata.set(out.data);
        io.m_axis.tkeep.set(out.keep);
        io.m_axis.tvalid.set(out.valid);
        io.m_axis.tlast.set(out.last);
        io.m_axis.tuser.set(out_drop.as_bits());
        let meta = reg_next("out_meta", &v.meta);
        stream_leaves(&io.m_meta, &meta);
        let arp_valid = reg("out_arp_valid", Bool::ty()).init(false);
        arp_valid.set(end & !dropped & is_arp);
        io.m_arp.valid.set(arp_valid);
        let arp_event = reg_next("out_arp", &c.arp);
        stream_leaves(&io.m_arp.payload, &arp_event);
        for ((name, pulse), (_, port)) in v.drops.named().into_iter().zip(io.stat_rx.named()) {
            let r = reg(&format!("stat_{name}"), Bool::ty()).init(false);
            r.set(end & pulse);
            port.set(r);
        }
    }
}

/// Drives every leaf of `dst` from the same leaf of `src`.
#[track_caller]
fn stream_leaves<T: Bundle>(dst: &T, src: &T) {
    hdl::stdlib::stream::drive_leaves(dst, src);
}
