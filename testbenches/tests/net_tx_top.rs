//! The whole transmit side with every source busy at once under random
//! stalls: each kind of frame comes out whole, in order, none lost, each
//! checked against the reference model and decoded by etherparse.

mod net_tx_common;

use etherparse::PacketBuilder;
use net_tx_common::decode;
use net_tx_common::reference::{arp_reply, echo_reply, udp_frame, Host};
use net_tx_common::top::bench;
use testbenches::axis::AxisFrame;
use testbenches::Rng;

fn all_sources(bytes: u32, per_kind: usize) {
    let host = Host::example();
    let mut b = bench("all_sources", bytes, &host, 1500, 100_000, 60, false);
    let peer = [10, 0, 0, 2];
    let peer_mac = [0x52, 0x54, 0, 0, 0, 2];
    b.arp_event(false, peer_mac, peer, host.ip, true);
    b.tb.run_until_idle(10_000, 10).expect("learn");
    let mut rng = Rng::new(b.seed);
    let (mut udp, mut icmp, mut arp, mut raw) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for i in 0..per_kind {
        let n = rng.below(300) as usize;
        let payload = rng.bytes(n);
        udp.push(udp_frame(&host, peer_mac, peer, 1000, 2000, i as u16, &payload));
        b.datagram(peer, 1000, 2000, payload, false);

        let n = rng.below(200) as usize;
        let echo_payload = rng.bytes(n);
        let mut req = Vec::new();
        PacketBuilder::ethernet2(peer_mac, host.mac)
            .ipv4(peer, host.ip, 33)
            .icmpv4_echo_request(7, i as u16)
            .write(&mut req, &echo_payload)
            .expect("etherparse builds");
        icmp.push(echo_reply(&req));
        b.tb.agent_mut(b.icmp).push(AxisFrame::new(req));

        // Six requesters: with the peer they fit the 8-entry table (a
        // request for us teaches the table its sender, RFC 826).
        let mac = [0x52, 0x54, 0, 9, 0, (i % 6) as u8];
        let ip = [10, 0, 0, 100 + (i % 6) as u8];
        if i % 2 == 0 {
            b.arp_event(true, mac, ip, host.ip, true);
            arp.push(arp_reply(&host, mac, ip));
        }

        let mut f = vec![0xff; 6];
        f.extend_from_slice(&host.mac);
        f.extend_from_slice(&[0x88, 0xb5]);
        f.extend_from_slice(&(i as u32).to_be_bytes());
        let n = rng.range(46, 400) as usize;
        f.extend(rng.bytes(n));
        raw.push(f.clone());
        b.tb.agent_mut(b.bypass).push(AxisFrame::new(f));
    }
    // ARP events arrive faster than their replies can leave while the other
    // sources share the output: the reply queue drops some, and counts them.
    b.tb.run_until_idle(10_000_000, 3000).expect("sources drain");
    let replied = b.stat("arp_reply") as usize;
    assert_eq!(replied + b.stat("arp_reply_dropped") as usize, arp.len());
    let total = udp.len() + icmp.len() + replied + raw.len();
    let frames = b.tb.agent_mut(b.out).take_frames();
    assert_eq!(frames.len(), total, "every frame out, nothing extra");
    let mut next = [0usize; 4];
    for f in &frames {
        let d = &f.data;
        let kind = match (d[12], d[13], d.get(23)) {
            (0x08, 0x06, _) => 2,
            (0x08, 0x00, Some(17)) => 0,
            (0x08, 0x00, Some(1)) => 1,
            _ => 3,
        };
        let list = [&udp, &icmp, &arp, &raw][kind];
        if kind == 2 {
            // The replies sent are some of those asked for, in order.
            while list[next[kind]] != *d {
                next[kind] += 1;
            }
        }
        assert_eq!(
            d, &list[next[kind]],
            "kind {kind} frame {} whole and in order",
            next[kind]
        );
        match kind {
            0 => drop(decode::udp(d)),
            1 => drop(decode::echo_reply(d)),
            2 => drop(decode::arp(d)),
            _ => {}
        }
        next[kind] += 1;
    }
    assert_eq!(b.stat("udp_sent"), per_kind as u64);
    assert_eq!(b.stat("icmp_reply"), per_kind as u64);
    assert!(replied > 0);
}

#[test]
fn every_source_at_once_at_8_bytes() {
    all_sources(8, 150);
}

#[test]
fn every_source_at_once_at_64_bytes() {
    all_sources(64, 150);
}

#[test]
fn every_source_at_once_at_16_and_32_bytes() {
    all_sources(16, 40);
    all_sources(32, 40);
}
