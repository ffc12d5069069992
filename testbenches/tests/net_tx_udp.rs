//! UDP transmit through `net_tx_<bits>`: every frame decoded by etherparse
//! (IPv4 header and UDP checksums verified) and compared byte for byte with
//! the reference model's frame, under random gaps and back-pressure.

mod net_tx_common;

use net_tx_common::decode;
use net_tx_common::reference::{arp_request, ones_sum, udp_frame, Host};
use net_tx_common::top::{bench, TopBench};
use testbenches::{Rng, Scoreboard};

const PEER: [u8; 4] = [10, 0, 0, 2];
const PEER_MAC: [u8; 6] = [0x52, 0x54, 0, 0, 0, 0x02];
const GW_MAC: [u8; 6] = [0x52, 0x54, 0, 0, 0, 0xfe];
const FAR: [u8; 4] = [192, 0, 2, 77];

/// Teaches the table the peer and the gateway (ARP replies to us).
fn learn_neighbours(b: &mut TopBench, host: &Host) {
    b.arp_event(false, PEER_MAC, PEER, host.ip, true);
    b.arp_event(false, GW_MAC, host.gateway, host.ip, true);
    settle(b);
}

/// Runs until the ARP events are in the table.
fn settle(b: &mut TopBench) {
    let arp = b.arp;
    b.tb.run_until(|tb| tb.agent(arp).pending() == 0, 10_000)
        .expect("events taken");
    b.tb.run("clk", 10).expect("run");
}

/// The expected destination MAC of a datagram to `dst`, given the table.
fn dst_mac(host: &Host, dst: [u8; 4]) -> [u8; 6] {
    if let Some(m) = host.fixed_mac(dst) {
        return m;
    }
    match host.next_hop(dst) {
        PEER => PEER_MAC,
        gw if gw == host.gateway => GW_MAC,
        other => panic!("no neighbour {other:?} in this test"),
    }
}

/// Sends `lengths` datagrams to assorted destinations; checks every frame.
fn every_length(name: &str, bytes: u32, lengths: &[usize], mtu: u16) {
    let host = Host::example();
    let mut b = bench(name, bytes, &host, mtu, 1000, 85, false);
    learn_neighbours(&mut b, &host);
    let mut rng = Rng::new(b.seed);
    let dests = [PEER, FAR, [10, 0, 0, 255], [255; 4], [239, 129, 2, 3]];
    let mut board = Scoreboard::new("udp frames");
    for (ident, &len) in lengths.iter().enumerate() {
        let dst = *rng.pick(&dests);
        let (sport, dport) = (rng.below(65536) as u16, rng.below(65536) as u16);
        let payload = rng.bytes(len);
        let mac = dst_mac(&host, dst);
        board.expect(udp_frame(&host, mac, dst, sport, dport, ident as u16, &payload));
        b.datagram(dst, sport, dport, payload, false);
    }
    b.run_for_frames(lengths.len(), 100_000_000);
    let frames = b.tb.agent_mut(b.out).take_frames();
    for (i, f) in frames.iter().enumerate() {
        let v = decode::udp(&f.data);
        assert_eq!(v.ident, i as u16, "IPv4 identification counts datagrams");
        assert_eq!(v.eth_src, host.mac);
        assert_eq!(v.src_ip, host.ip);
        assert_eq!(v.eth_dst, dst_mac(&host, v.dst_ip));
        assert_eq!(f.user, 0);
    }
    board
        .observe_all(frames.into_iter().map(|f| f.data))
        .unwrap_or_else(|e| panic!("{e}"));
    board.finish().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(b.stat("udp_sent"), lengths.len() as u64);
    assert_eq!(
        b.stat("no_neighbour") + b.stat("udp_oversize") + b.stat("udp_aborted"),
        0
    );
}

#[test]
fn every_payload_length_at_8_bytes() {
    every_length("udp_lengths", 8, &(0..=1472).collect::<Vec<_>>(), 1500);
}

#[test]
fn every_payload_length_at_64_bytes() {
    every_length("udp_lengths", 64, &(0..=1472).collect::<Vec<_>>(), 1500);
}

#[test]
fn jumbo_payloads_with_a_larger_mtu() {
    let lengths = [1473, 2000, 4095, 4096, 8191, 8972, 0, 1];
    every_length("udp_jumbo", 8, &lengths, 9000);
    every_length("udp_jumbo", 64, &lengths, 9000);
}

#[test]
fn some_payload_lengths_at_16_and_32_bytes() {
    let lengths: Vec<usize> = (0..=100).chain([511, 1000, 1471, 1472]).collect();
    every_length("udp_lengths_small", 16, &lengths, 1500);
    every_length("udp_lengths_small", 32, &lengths, 1500);
}

/// Drops: oversize, aborted by the host, unknown next hop (an ARP request
/// goes out once; the repeat is suppressed); once the neighbour is learnt
/// the next datagram goes out.
fn drops_and_arp(bytes: u32) {
    let host = Host::example();
    let mut b = bench("udp_drops", bytes, &host, 1500, 1_000_000, 90, false);
    b.arp_event(false, GW_MAC, host.gateway, host.ip, true);
    settle(&mut b);
    let stranger = [10, 0, 0, 3];
    let stranger_mac = [0x52, 0x54, 0, 0, 0, 0x03];
    // Kept: ident 0. Oversize, aborted: dropped, no ident used.
    b.datagram(FAR, 1, 2, vec![7; 100], false);
    b.datagram(FAR, 1, 2, vec![7; 1473], false);
    b.datagram(FAR, 1, 2, vec![7; 64], true);
    // Unknown next hop, twice: one ARP request, one suppressed.
    b.datagram(stranger, 3, 4, vec![9; 10], false);
    b.datagram(stranger, 3, 4, vec![9; 11], false);
    b.run_for_frames(2, 1_000_000);
    let frames = b.tb.agent_mut(b.out).take_frames();
    assert_eq!(frames.len(), 2, "the kept datagram and one ARP request");
    let mut udp = None;
    let mut arp = None;
    for f in frames {
        if f.data[12..14] == [0x08, 0x06] {
            arp = Some(f.data);
        } else {
            udp = Some(f.data);
        }
    }
    let udp = udp.expect("a datagram");
    assert_eq!(udp, udp_frame(&host, GW_MAC, FAR, 1, 2, 0, &[7; 100]));
    decode::udp(&udp);
    let arp = arp.expect("an ARP request");
    let (eth_dst, eth_src, pkt) = decode::arp(&arp);
    assert_eq!((eth_dst, eth_src), ([0xff; 6], host.mac));
    assert_eq!(pkt.operation, etherparse::ArpOperation::REQUEST);
    assert_eq!((pkt.sender_mac, pkt.sender_ipv4), (host.mac, host.ip));
    assert_eq!((pkt.target_mac, pkt.target_ipv4), ([0; 6], stranger));
    assert_eq!(arp, arp_request(&host, stranger));
    assert_eq!(b.stat("udp_sent"), 1);
    assert_eq!(b.stat("udp_oversize"), 1);
    assert_eq!(b.stat("udp_aborted"), 1);
    assert_eq!(b.stat("no_neighbour"), 2);
    assert_eq!(b.stat("arp_request"), 1);
    assert_eq!(b.stat("arp_req_suppressed"), 1);
    // The stranger answers; the next datagram goes out with the next ident.
    b.arp_event(false, stranger_mac, stranger, host.ip, true);
    settle(&mut b);
    b.datagram(stranger, 3, 4, vec![9; 12], false);
    b.run_for_frames(1, 1_000_000);
    let frames = b.tb.agent_mut(b.out).take_frames();
    assert_eq!(frames.len(), 1);
    assert_eq!(
        frames[0].data,
        udp_frame(&host, stranger_mac, stranger, 3, 4, 1, &[9; 12])
    );
    decode::udp(&frames[0].data);
    assert_eq!(b.stat("udp_sent"), 2);
    assert_eq!(b.stat("no_neighbour"), 2);
}

#[test]
fn drops_are_counted_and_a_miss_asks_arp_at_8_bytes() {
    drops_and_arp(8);
}

#[test]
fn drops_are_counted_and_a_miss_asks_arp_at_64_bytes() {
    drops_and_arp(64);
}

/// A payload whose UDP checksum computes to 0 is sent with 0xffff (RFC 768).
#[test]
fn a_zero_checksum_is_sent_as_all_ones() {
    let host = Host::example();
    for bytes in [8, 64] {
        let mut b = bench("udp_zero_csum", bytes, &host, 1500, 1000, 100, true);
        learn_neighbours(&mut b, &host);
        let (sport, dport) = (0x1234, 0x5678);
        // Sum of pseudo header and UDP header for a 2-byte payload.
        let mut words = Vec::new();
        words.extend_from_slice(&host.ip);
        words.extend_from_slice(&PEER);
        words.extend_from_slice(&[0, 17, 0, 10]);
        words.extend_from_slice(&[0x12, 0x34, 0x56, 0x78, 0, 10]);
        let fill = !ones_sum(&words);
        let payload = fill.to_be_bytes().to_vec();
        let mut all = words.clone();
        all.extend_from_slice(&payload);
        assert_eq!(!ones_sum(&all), 0, "the checksum computes to 0");
        b.datagram(PEER, sport, dport, payload.clone(), false);
        b.run_for_frames(1, 100_000);
        let frames = b.tb.agent_mut(b.out).take_frames();
        let v = decode::udp(&frames[0].data);
        assert_eq!(v.udp_checksum, 0xffff);
        assert_eq!(
            frames[0].data,
            udp_frame(&host, PEER_MAC, PEER, sport, dport, 0, &payload)
        );
    }
}
