//! A reference model of the receive rules, written from the RFCs and the
//! rules listed in `docs/network.md` (not from the RTL): what happens to one
//! frame.

/// The configuration the model and the design share.
#[derive(Clone, Debug)]
pub struct Config {
    /// Our MAC address.
    pub mac: [u8; 6],
    /// Our IPv4 address.
    pub ip: [u8; 4],
    /// Our subnet mask.
    pub netmask: [u8; 4],
    /// Promiscuous mode.
    pub promiscuous: bool,
    /// Longest frame accepted (without FCS).
    pub max_len: u16,
    /// The UDP listen table: entry -> (port, reply) when enabled.
    pub listen: Vec<Option<(u16, bool)>>,
}

impl Config {
    /// 02:00:00:00:00:01, 10.0.0.1/24, max 9018 bytes, `entries` listen
    /// entries, all off.
    pub fn new(entries: usize) -> Config {
        Config {
            mac: [0x02, 0, 0, 0, 0, 0x01],
            ip: [10, 0, 0, 1],
            netmask: [255, 255, 255, 0],
            promiscuous: false,
            max_len: 9018,
            listen: vec![None; entries],
        }
    }
}

/// Why a frame is dropped; the name is its `stat_rx_*` pulse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reason {
    MacError,
    Truncated,
    Runt,
    Oversize,
    NotForUs,
    IpBadVersion,
    IpOptions,
    IpBadChecksum,
    IpBadLength,
    IpFragment,
    IpNotOurs,
    UdpBadLength,
    UdpBadChecksum,
    IcmpBadChecksum,
}

impl Reason {
    /// Every reason.
    pub const ALL: [Reason; 14] = [
        Reason::MacError,
        Reason::Truncated,
        Reason::Runt,
        Reason::Oversize,
        Reason::NotForUs,
        Reason::IpBadVersion,
        Reason::IpOptions,
        Reason::IpBadChecksum,
        Reason::IpBadLength,
        Reason::IpFragment,
        Reason::IpNotOurs,
        Reason::UdpBadLength,
        Reason::UdpBadChecksum,
        Reason::IcmpBadChecksum,
    ];

    /// The pulse output counting it.
    pub fn port(self) -> &'static str {
        match self {
            Reason::MacError => "stat_rx_mac_error",
            Reason::Truncated => "stat_rx_truncated",
            Reason::Runt => "stat_rx_runt",
            Reason::Oversize => "stat_rx_oversize",
            Reason::NotForUs => "stat_rx_not_for_us",
            Reason::IpBadVersion => "stat_rx_ip_bad_version",
            Reason::IpOptions => "stat_rx_ip_options",
            Reason::IpBadChecksum => "stat_rx_ip_bad_checksum",
            Reason::IpBadLength => "stat_rx_ip_bad_length",
            Reason::IpFragment => "stat_rx_ip_fragment",
            Reason::IpNotOurs => "stat_rx_ip_not_ours",
            Reason::UdpBadLength => "stat_rx_udp_bad_length",
            Reason::UdpBadChecksum => "stat_rx_udp_bad_checksum",
            Reason::IcmpBadChecksum => "stat_rx_icmp_bad_checksum",
        }
    }
}

/// Bypass class codes (`generators::net::meta::BypassClass`).
pub mod class {
    pub const OTHER_ETHERTYPE: u8 = 0;
    pub const OTHER_IP_PROTOCOL: u8 = 1;
    pub const UDP_NOT_LISTENED: u8 = 2;
    pub const OTHER_ICMP: u8 = 3;
    pub const IP_BROADCAST: u8 = 4;
    pub const NOT_FOR_US: u8 = 5;
}

/// The metadata of an RPC datagram.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RpcMeta {
    pub src_mac: u64,
    pub src_ip: u32,
    pub dst_ip: u32,
    pub src_port: u16,
    pub dst_port: u16,
    pub length: u16,
    pub reply: bool,
    pub listen_index: u32,
}

/// An ARP event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArpEvent {
    pub request: bool,
    pub sender_mac: u64,
    pub sender_ip: u32,
    pub target_ip: u32,
    pub for_us: bool,
}

/// What becomes of a frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Drop(Reason),
    Rpc { payload: Vec<u8>, meta: RpcMeta },
    Icmp(Vec<u8>),
    Bypass { frame: Vec<u8>, class: u8 },
    Arp(ArpEvent),
}

fn be16(f: &[u8], o: usize) -> u16 {
    u16::from_be_bytes([f[o], f[o + 1]])
}

fn be32(f: &[u8], o: usize) -> u32 {
    u32::from_be_bytes([f[o], f[o + 1], f[o + 2], f[o + 3]])
}

fn be48(f: &[u8], o: usize) -> u64 {
    f[o..o + 6].iter().fold(0, |a, &b| a << 8 | u64::from(b))
}

/// The RFC 1071 one's-complement sum of `data` (an odd length is padded
/// with a zero byte), folded to 16 bits.
pub fn ones_sum(data: &[u8], start: u32) -> u16 {
    let mut sum = start;
    for c in data.chunks(2) {
        let w = u32::from(c[0]) << 8 | u32::from(*c.get(1).unwrap_or(&0));
        sum += w;
        sum = (sum & 0xffff) + (sum >> 16);
    }
    sum as u16
}

/// What the receive side does with `frame` (`bad`: the MAC flagged it).
pub fn classify(cfg: &Config, frame: &[u8], bad: bool) -> Outcome {
    use Outcome::*;
    let len = frame.len();
    if bad {
        return Drop(Reason::MacError);
    }
    if len < 42 {
        return Drop(Reason::Truncated);
    }
    if len < 60 {
        return Drop(Reason::Runt);
    }
    if len > usize::from(cfg.max_len) {
        return Drop(Reason::Oversize);
    }
    let dst = &frame[0..6];
    let for_us = dst == cfg.mac;
    let group = dst[0] & 1 == 1;
    let broadcast = dst.iter().all(|&b| b == 0xff);
    let multicast = group && !broadcast;
    if !(for_us || group || cfg.promiscuous) {
        return Drop(Reason::NotForUs);
    }
    let promiscuous_only = !(for_us || group);
    let bypass = |class: u8| Bypass {
        frame: frame.to_vec(),
        class,
    };
    let eth_class = if promiscuous_only {
        class::NOT_FOR_US
    } else {
        class::OTHER_ETHERTYPE
    };
    match be16(frame, 12) {
        0x0806 => {
            // RFC 826, Ethernet/IPv4 only.
            let valid = be16(frame, 14) == 1
                && be16(frame, 16) == 0x0800
                && frame[18] == 6
                && frame[19] == 4
                && matches!(be16(frame, 20), 1 | 2);
            if valid && !promiscuous_only && !multicast {
                let target_ip = be32(frame, 38);
                Arp(ArpEvent {
                    request: be16(frame, 20) == 1,
                    sender_mac: be48(frame, 22),
                    sender_ip: be32(frame, 28),
                    target_ip,
                    for_us: target_ip == u32::from_be_bytes(cfg.ip),
                })
            } else {
                bypass(eth_class)
            }
        }
        0x0800 => classify_ipv4(cfg, frame, promiscuous_only, multicast),
        _ => bypass(eth_class),
    }
}

fn classify_ipv4(cfg: &Config, frame: &[u8], promiscuous_only: bool, multicast: bool) -> Outcome {
    use Outcome::*;
    let bypass = |class: u8| Bypass {
        frame: frame.to_vec(),
        class,
    };
    // RFC 791.
    if frame[14] >> 4 != 4 {
        return Drop(Reason::IpBadVersion);
    }
    if frame[14] & 0xf != 5 {
        return Drop(Reason::IpOptions);
    }
    if ones_sum(&frame[14..34], 0) != 0xffff {
        return Drop(Reason::IpBadChecksum);
    }
    let total = usize::from(be16(frame, 16));
    if total < 20 || 14 + total > frame.len() {
        return Drop(Reason::IpBadLength);
    }
    let frag = be16(frame, 20);
    if frag & 0x2000 != 0 || frag & 0x1fff != 0 {
        return Drop(Reason::IpFragment);
    }
    let ip = u32::from_be_bytes(cfg.ip);
    let mask = u32::from_be_bytes(cfg.netmask);
    let dst = be32(frame, 30);
    let subnet_broadcast = mask != u32::MAX && dst & !mask == !mask && dst & mask == ip & mask;
    let group_ip = dst == u32::MAX || subnet_broadcast || dst >> 28 == 0xe;
    if promiscuous_only {
        return bypass(class::NOT_FOR_US);
    }
    if multicast || group_ip {
        return bypass(class::IP_BROADCAST);
    }
    if dst != ip {
        return if cfg.promiscuous {
            bypass(class::NOT_FOR_US)
        } else {
            Drop(Reason::IpNotOurs)
        };
    }
    let l4 = &frame[34..14 + total];
    match frame[23] {
        17 => {
            // RFC 768.
            let udp_len = usize::from(be16(frame, 38));
            if udp_len < 8 || udp_len > total - 20 {
                return Drop(Reason::UdpBadLength);
            }
            let datagram = &l4[..udp_len];
            if be16(frame, 40) != 0 {
                let mut pseudo = Vec::new();
                pseudo.extend_from_slice(&frame[26..34]);
                pseudo.extend_from_slice(&[0, 17]);
                pseudo.extend_from_slice(&(udp_len as u16).to_be_bytes());
                let start = u32::from(ones_sum(&pseudo, 0));
                if ones_sum(datagram, start) != 0xffff {
                    return Drop(Reason::UdpBadChecksum);
                }
            }
            let dport = be16(frame, 36);
            match cfg.listen.iter().position(|e| e.is_some_and(|(p, _)| p == dport)) {
                Some(i) => Rpc {
                    payload: datagram[8..].to_vec(),
                    meta: RpcMeta {
                        src_mac: be48(frame, 6),
                        src_ip: be32(frame, 26),
                        dst_ip: dst,
                        src_port: be16(frame, 34),
                        dst_port: dport,
                        length: (udp_len - 8) as u16,
                        reply: cfg.listen[i].expect("entry").1,
                        listen_index: i as u32,
                    },
                },
                None => bypass(class::UDP_NOT_LISTENED),
            }
        }
        1 => {
            // RFC 792.
            if ones_sum(l4, 0) != 0xffff {
                return Drop(Reason::IcmpBadChecksum);
            }
            if frame[34] == 8 && frame[35] == 0 && total >= 28 {
                Icmp(frame.to_vec())
            } else {
                bypass(class::OTHER_ICMP)
            }
        }
        _ => bypass(class::OTHER_IP_PROTOCOL),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn rfc1071_example() {
        // RFC 1071 section 3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2.
        assert_eq!(
            super::ones_sum(&[0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7], 0),
            0xddf2
        );
    }
}
