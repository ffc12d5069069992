//! A reference model of what the transmit side sends, written from the RFCs
//! (791 IPv4, 768 UDP, 792 ICMP, 826 ARP, 1071 checksum), not from the RTL.

/// Our host's configuration.
#[derive(Clone, Copy, Debug)]
pub struct Host {
    /// Our MAC address.
    pub mac: [u8; 6],
    /// Our IPv4 address.
    pub ip: [u8; 4],
    /// Subnet mask.
    pub mask: [u8; 4],
    /// Default gateway.
    pub gateway: [u8; 4],
}

impl Host {
    /// 02:00:00:00:00:01, 10.0.0.1/24, gateway 10.0.0.254.
    pub fn example() -> Host {
        Host {
            mac: [0x02, 0, 0, 0, 0, 0x01],
            ip: [10, 0, 0, 1],
            mask: [255, 255, 255, 0],
            gateway: [10, 0, 0, 254],
        }
    }

    /// The next hop for `dst`: itself on our subnet, else the gateway.
    pub fn next_hop(&self, dst: [u8; 4]) -> [u8; 4] {
        let on_link = (0..4).all(|i| dst[i] & self.mask[i] == self.ip[i] & self.mask[i]);
        if on_link {
            dst
        } else {
            self.gateway
        }
    }

    /// The MAC address a datagram to `dst` goes to without asking ARP:
    /// broadcast (limited or our subnet's) and multicast (RFC 1112).
    pub fn fixed_mac(&self, dst: [u8; 4]) -> Option<[u8; 6]> {
        let on_link = (0..4).all(|i| dst[i] & self.mask[i] == self.ip[i] & self.mask[i]);
        let host_ones = (0..4).all(|i| dst[i] | self.mask[i] == 0xff);
        if dst == [255; 4] || (on_link && host_ones) {
            Some([0xff; 6])
        } else if dst[0] >> 4 == 0xe {
            Some([0x01, 0x00, 0x5e, dst[1] & 0x7f, dst[2], dst[3]])
        } else {
            None
        }
    }
}

/// A 32-bit address as a number (network order).
pub fn ip_u64(ip: [u8; 4]) -> u64 {
    u64::from(u32::from_be_bytes(ip))
}

/// A MAC address as a number (first byte most significant).
pub fn mac_u64(mac: [u8; 6]) -> u64 {
    mac.iter().fold(0, |a, &b| a << 8 | u64::from(b))
}

/// The 16-bit one's-complement sum of `data` (odd length padded with 0).
pub fn ones_sum(data: &[u8]) -> u16 {
    let mut sum: u64 = data
        .chunks(2)
        .map(|c| u64::from(c[0]) << 8 | u64::from(*c.get(1).unwrap_or(&0)))
        .sum();
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    sum as u16
}

/// A UDP datagram in an Ethernet frame, as RFC 791 and RFC 768 describe it:
/// IHL 5, TOS 0, DF, TTL 64, UDP checksum over the pseudo header (0 sent as
/// 0xffff).
#[allow(clippy::too_many_arguments)]
pub fn udp_frame(
    host: &Host,
    dst_mac: [u8; 6],
    dst_ip: [u8; 4],
    src_port: u16,
    dst_port: u16,
    ident: u16,
    payload: &[u8],
) -> Vec<u8> {
    let mut f = Vec::with_capacity(42 + payload.len());
    f.extend_from_slice(&dst_mac);
    f.extend_from_slice(&host.mac);
    f.extend_from_slice(&[0x08, 0x00]);
    let total = (20 + 8 + payload.len()) as u16;
    let mut ip = vec![0x45, 0x00];
    ip.extend_from_slice(&total.to_be_bytes());
    ip.extend_from_slice(&ident.to_be_bytes());
    ip.extend_from_slice(&[0x40, 0x00, 64, 17, 0, 0]);
    ip.extend_from_slice(&host.ip);
    ip.extend_from_slice(&dst_ip);
    let c = !ones_sum(&ip);
    ip[10..12].copy_from_slice(&c.to_be_bytes());
    f.extend_from_slice(&ip);
    let udp_len = (8 + payload.len()) as u16;
    let mut udp = Vec::with_capacity(8 + payload.len());
    udp.extend_from_slice(&src_port.to_be_bytes());
    udp.extend_from_slice(&dst_port.to_be_bytes());
    udp.extend_from_slice(&udp_len.to_be_bytes());
    udp.extend_from_slice(&[0, 0]);
    udp.extend_from_slice(payload);
    let mut pseudo = Vec::new();
    pseudo.extend_from_slice(&host.ip);
    pseudo.extend_from_slice(&dst_ip);
    pseudo.extend_from_slice(&[0, 17]);
    pseudo.extend_from_slice(&udp_len.to_be_bytes());
    pseudo.extend_from_slice(&udp);
    let mut c = !ones_sum(&pseudo);
    if c == 0 {
        c = 0xffff;
    }
    udp[6..8].copy_from_slice(&c.to_be_bytes());
    f.extend_from_slice(&udp);
    f
}

/// An ARP packet for Ethernet/IPv4 in a 42-byte frame (RFC 826).
pub fn arp_frame(
    eth_dst: [u8; 6],
    eth_src: [u8; 6],
    oper: u16,
    sha: [u8; 6],
    spa: [u8; 4],
    tha: [u8; 6],
    tpa: [u8; 4],
) -> Vec<u8> {
    let mut f = Vec::with_capacity(42);
    f.extend_from_slice(&eth_dst);
    f.extend_from_slice(&eth_src);
    f.extend_from_slice(&[0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 6, 4]);
    f.extend_from_slice(&oper.to_be_bytes());
    f.extend_from_slice(&sha);
    f.extend_from_slice(&spa);
    f.extend_from_slice(&tha);
    f.extend_from_slice(&tpa);
    f
}

/// Our reply to an ARP request from `(mac, ip)` for our address (RFC 826:
/// swap, our addresses as sender, opcode 2, sent to the requester).
pub fn arp_reply(host: &Host, requester_mac: [u8; 6], requester_ip: [u8; 4]) -> Vec<u8> {
    arp_frame(
        requester_mac,
        host.mac,
        2,
        host.mac,
        host.ip,
        requester_mac,
        requester_ip,
    )
}

/// Our broadcast request for `ip`.
pub fn arp_request(host: &Host, ip: [u8; 4]) -> Vec<u8> {
    arp_frame([0xff; 6], host.mac, 1, host.mac, host.ip, [0; 6], ip)
}

/// The echo reply to `request` (a whole frame: Ethernet, IPv4 with IHL 5,
/// ICMP echo request), both checksums computed from scratch.
pub fn echo_reply(request: &[u8]) -> Vec<u8> {
    let mut f = request.to_vec();
    f[0..6].copy_from_slice(&request[6..12]);
    f[6..12].copy_from_slice(&request[0..6]);
    f[22] = 64;
    f[26..30].copy_from_slice(&request[30..34]);
    f[30..34].copy_from_slice(&request[26..30]);
    f[24..26].copy_from_slice(&[0, 0]);
    let c = !ones_sum(&f[14..34]);
    f[24..26].copy_from_slice(&c.to_be_bytes());
    let ip_end = 14 + usize::from(u16::from_be_bytes([f[16], f[17]]));
    f[34] = 0;
    f[36..38].copy_from_slice(&[0, 0]);
    let c = !ones_sum(&f[34..ip_end]);
    f[36..38].copy_from_slice(&c.to_be_bytes());
    f
}
