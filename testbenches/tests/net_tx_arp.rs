//! ARP through `net_tx_<bits>`: replies to requests for us (RFC 826 fields,
//! decoded by etherparse and compared with the reference), learning as seen
//! from the UDP path (unknown not-for-us senders are not learnt, known
//! senders are updated, flush), the reply queue's counted drops, and
//! rate-limited requests.

mod net_tx_common;

use net_tx_common::agents::set;
use net_tx_common::decode;
use net_tx_common::reference::{arp_reply, arp_request, ip_u64, mac_u64, udp_frame, Host};
use net_tx_common::top::{bench, TopBench};
use testbenches::Rng;

/// Runs until the sources are empty and whatever they caused has left.
fn settle(b: &mut TopBench) {
    b.tb.run_until_idle(100_000, 400).expect("sources drain");
}

fn replies(bytes: u32) {
    let host = Host::example();
    let mut b = bench("arp_replies", bytes, &host, 1500, 1000, 100, false);
    let mut rng = Rng::new(b.seed);
    let mut answered = 0;
    for _ in 0..60 {
        let mut want = Vec::new();
        for _ in 0..3 {
            let mac = [0x52, 0x54, 0, 1, rng.below(256) as u8, rng.below(256) as u8];
            let ip = [10, 0, 0, rng.range(2, 250) as u8];
            match rng.below(3) {
                0 => {
                    b.arp_event(true, mac, ip, host.ip, true);
                    want.push(arp_reply(&host, mac, ip));
                }
                // A request for someone else, and a reply to us: no answer.
                1 => b.arp_event(true, mac, ip, [10, 0, 0, 99], false),
                _ => b.arp_event(false, mac, ip, host.ip, true),
            }
        }
        settle(&mut b);
        let frames = b.tb.agent_mut(b.out).take_frames();
        assert_eq!(frames.len(), want.len());
        for (f, w) in frames.iter().zip(&want) {
            let (eth_dst, eth_src, p) = decode::arp(&f.data);
            assert_eq!(p.operation, etherparse::ArpOperation::REPLY, "oper 2");
            assert_eq!(
                (eth_src, p.sender_mac, p.sender_ipv4),
                (host.mac, host.mac, host.ip)
            );
            assert_eq!(
                (eth_dst, p.target_mac),
                (w[0..6].try_into().unwrap(), w[0..6].try_into().unwrap())
            );
            assert_eq!(&f.data, w, "byte for byte");
        }
        answered += want.len() as u64;
    }
    assert_eq!(b.stat("arp_reply"), answered);
    assert_eq!(b.stat("arp_reply_dropped"), 0);
}

#[test]
fn replies_to_requests_for_us_at_8_bytes() {
    replies(8);
}

#[test]
fn replies_to_requests_for_us_at_64_bytes() {
    replies(64);
}

/// Requests arriving faster than replies leave: the queue drops and counts.
#[test]
fn a_full_reply_queue_drops_and_counts() {
    let host = Host::example();
    let mut b = bench("arp_overflow", 8, &host, 1500, 1000, 100, true);
    let mut expected = Vec::new();
    for i in 0..40u8 {
        let mac = [0x52, 0x54, 0, 2, 0, i];
        let ip = [10, 0, 0, 100 + i];
        b.arp_event(true, mac, ip, host.ip, true);
        expected.push(arp_reply(&host, mac, ip));
    }
    settle(&mut b);
    let frames = b.tb.agent_mut(b.out).take_frames();
    let (sent, dropped) = (b.stat("arp_reply"), b.stat("arp_reply_dropped"));
    assert_eq!(sent + dropped, 40);
    assert!(dropped > 0, "a 6-beat reply per request cannot keep up");
    assert_eq!(frames.len() as u64, sent);
    // The replies sent are some of the expected ones, in order.
    let mut it = expected.iter();
    for f in &frames {
        assert!(it.any(|e| *e == f.data), "an unexpected or reordered reply");
    }
}

/// Learning seen from the UDP path.
#[test]
fn learning_follows_rfc_826() {
    let host = Host::example();
    for bytes in [8, 64] {
        let mut b = bench("arp_learning", bytes, &host, 1500, 1_000_000, 100, true);
        let peer = [10, 0, 0, 42];
        let (mac1, mac2) = ([0x52, 0x54, 0, 3, 0, 1], [0x52, 0x54, 0, 3, 0, 2]);
        // A request for someone else from an unknown sender: not learnt.
        b.arp_event(true, mac1, peer, [10, 0, 0, 43], false);
        settle(&mut b);
        b.datagram(peer, 5, 6, vec![1; 20], false);
        settle(&mut b);
        let f = b.tb.agent_mut(b.out).take_frames();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].data, arp_request(&host, peer), "a miss: ARP request");
        assert_eq!(b.stat("no_neighbour"), 1);
        // A request for us: answered and learnt.
        b.arp_event(true, mac1, peer, host.ip, true);
        settle(&mut b);
        b.datagram(peer, 5, 6, vec![2; 20], false);
        settle(&mut b);
        let f = b.tb.agent_mut(b.out).take_frames();
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].data, arp_reply(&host, mac1, peer));
        assert_eq!(f[1].data, udp_frame(&host, mac1, peer, 5, 6, 0, &[2; 20]));
        // A known sender's new address, even in a packet not for us: updated.
        b.arp_event(true, mac2, peer, [10, 0, 0, 43], false);
        settle(&mut b);
        b.datagram(peer, 5, 6, vec![3; 20], false);
        settle(&mut b);
        let f = b.tb.agent_mut(b.out).take_frames();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].data, udp_frame(&host, mac2, peer, 5, 6, 1, &[3; 20]));
        // The CSR read port lists it; a flush forgets it.
        set(b.tb.model_mut(), "neigh_rd_index", 0);
        b.tb.run("clk", 2).expect("run");
        let m = b.tb.model();
        let get = |p: &str| m.get_u64(m.port(p).unwrap()).unwrap();
        assert_eq!(
            (get("neigh_rd_valid"), get("neigh_rd_ip"), get("neigh_rd_mac")),
            (1, ip_u64(peer), mac_u64(mac2))
        );
        set(b.tb.model_mut(), "cfg_neigh_flush", 1);
        b.tb.run("clk", 1).expect("run");
        set(b.tb.model_mut(), "cfg_neigh_flush", 0);
        b.tb.run("clk", 2).expect("run");
        let m = b.tb.model();
        assert_eq!(m.get_u64(m.port("neigh_rd_valid").unwrap()).unwrap(), 0);
        b.datagram(peer, 5, 6, vec![4; 20], false);
        settle(&mut b);
        assert_eq!(b.stat("no_neighbour"), 2, "forgotten after the flush");
        assert_eq!(b.stat("arp_req_suppressed"), 1, "asked for recently");
        assert!(b.tb.agent_mut(b.out).take_frames().is_empty());
    }
}

/// At most one request per address per timeout, at most four addresses at
/// once; everything else is counted as suppressed.
#[test]
fn requests_are_rate_limited() {
    let host = Host::example();
    for bytes in [8, 64] {
        let timeout = 3000;
        let mut b = bench("arp_rate", bytes, &host, 1500, timeout, 100, false);
        let dests: Vec<[u8; 4]> = (50..56).map(|i| [10, 0, 0, i]).collect();
        for round in 0..3 {
            for d in &dests {
                b.datagram(*d, 7, 8, vec![round; 8], false);
            }
        }
        settle(&mut b);
        let f = b.tb.agent_mut(b.out).take_frames();
        let asked: Vec<Vec<u8>> = dests[..4].iter().map(|d| arp_request(&host, *d)).collect();
        assert_eq!(f.iter().map(|f| f.data.clone()).collect::<Vec<_>>(), asked);
        assert_eq!(b.stat("no_neighbour"), 18);
        assert_eq!(b.stat("arp_request"), 4);
        assert_eq!(b.stat("arp_req_suppressed"), 14);
        // After the timeout an address may be asked for again.
        b.tb.run("clk", u64::from(timeout) + 10).expect("run");
        b.datagram(dests[5], 7, 8, vec![9; 8], false);
        b.datagram(dests[0], 7, 8, vec![9; 8], false);
        settle(&mut b);
        let f = b.tb.agent_mut(b.out).take_frames();
        let again: Vec<Vec<u8>> = [dests[5], dests[0]]
            .iter()
            .map(|d| arp_request(&host, *d))
            .collect();
        assert_eq!(f.iter().map(|f| f.data.clone()).collect::<Vec<_>>(), again);
        for fr in &f {
            decode::arp(&fr.data);
        }
        assert_eq!(b.stat("arp_request"), 6);
    }
}
