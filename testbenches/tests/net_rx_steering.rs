//! Where frames go: ARP requests and replies for us and for others, echo
//! requests, every bypass class, promiscuous mode, and listen-table writes
//! at run time (a port switched off goes to the host).

mod net_rx_common;

use net_rx_common::frames::{self, Addrs};
use net_rx_common::harness::{model, Paces, Rx};
use net_rx_common::model::{class, ArpEvent, Config, Outcome};
use testbenches::{rng, Rng};

const PEER: Addrs = Addrs {
    src_mac: [0x02, 0x11, 0x22, 0x33, 0x44, 0x55],
    dst_mac: [0x02, 0, 0, 0, 0, 0x01],
    src_ip: [10, 0, 0, 2],
    dst_ip: [10, 0, 0, 1],
};

fn bypass_class(o: &Outcome) -> Option<u8> {
    match o {
        Outcome::Bypass { class, .. } => Some(*class),
        _ => None,
    }
}

fn steering(bytes: u32) -> testbenches::Result<()> {
    let name = format!("net_rx_steering_{}", 8 * bytes);
    let seed = rng::seed_for(&name);
    let mut rng = Rng::new(seed);
    let mut cfg = Config::new(16);
    cfg.listen[2] = Some((7000, false));
    cfg.listen[9] = Some((7001, true));
    let paces = Paces {
        input: 60,
        output: 50,
    };
    let mut rx = Rx::new(model(bytes), cfg, seed, paces, &name)?;
    let bcast = Addrs {
        dst_mac: [0xff; 6],
        ..PEER
    };
    for round in 0..6 {
        let p = rng.bytes(40);
        // ARP: a request for us (broadcast), one for another host, a reply.
        let o = rx.send(frames::arp(&bcast, true, [0; 6], &mut rng), false);
        assert_eq!(
            o,
            Outcome::Arp(ArpEvent {
                request: true,
                sender_mac: 0x0211_2233_4455,
                sender_ip: 0x0a00_0002,
                target_ip: 0x0a00_0001,
                for_us: true,
            })
        );
        let other = Addrs {
            dst_ip: [10, 0, 0, 50],
            ..bcast
        };
        let o = rx.send(frames::arp(&other, true, [0; 6], &mut rng), false);
        assert!(matches!(o, Outcome::Arp(ArpEvent { for_us: false, .. })), "{o:?}");
        let o = rx.send(frames::arp(&PEER, false, [2, 0, 0, 0, 0, 1], &mut rng), false);
        assert!(
            matches!(
                o,
                Outcome::Arp(ArpEvent {
                    request: false,
                    for_us: true,
                    ..
                })
            ),
            "{o:?}"
        );
        // ARP of another format goes to the host.
        let mut f = frames::arp(&bcast, true, [0; 6], &mut rng);
        f[15] = 6; // htype IEEE 802
        assert_eq!(bypass_class(&rx.send(f, false)), Some(class::OTHER_ETHERTYPE));
        // Echo requests: unchanged to the responder; other ICMP to the host.
        let o = rx.send(frames::echo_request(&PEER, 9, round, &p, &mut rng), false);
        assert!(matches!(o, Outcome::Icmp(_)), "{o:?}");
        let o = rx.send(frames::echo_reply(&PEER, &p, &mut rng), false);
        assert_eq!(bypass_class(&o), Some(class::OTHER_ICMP));
        // RPC calls and replies.
        for port in [7000, 7001] {
            let o = rx.send(frames::udp(&PEER, 999, port, &p, &mut rng), false);
            assert!(matches!(o, Outcome::Rpc { .. }), "{o:?}");
        }
        // Host traffic of every class.
        let o = rx.send(frames::udp(&PEER, 999, 7002, &p, &mut rng), false);
        assert_eq!(bypass_class(&o), Some(class::UDP_NOT_LISTENED));
        let o = rx.send(frames::tcp(&PEER, &p, &mut rng), false);
        assert_eq!(bypass_class(&o), Some(class::OTHER_IP_PROTOCOL));
        let o = rx.send(frames::ipv6_udp(&PEER, &p, &mut rng), false);
        assert_eq!(bypass_class(&o), Some(class::OTHER_ETHERTYPE));
        for dst in [[255, 255, 255, 255], [10, 0, 0, 255]] {
            let a = Addrs { dst_ip: dst, ..bcast };
            let o = rx.send(frames::udp(&a, 68, 7000, &p, &mut rng), false);
            assert_eq!(bypass_class(&o), Some(class::IP_BROADCAST));
        }
        let mcast = Addrs {
            dst_mac: [0x01, 0x00, 0x5e, 0, 0, 0xfb],
            dst_ip: [224, 0, 0, 251],
            ..PEER
        };
        let o = rx.send(frames::udp(&mcast, 5353, 5353, &p, &mut rng), false);
        assert_eq!(bypass_class(&o), Some(class::IP_BROADCAST));
    }
    rx.run(2_000_000)?;

    // Run-time listen-table changes: port 7000 off, 7002 on as entry 0.
    rx.write_listen(2, None)?;
    rx.write_listen(0, Some((7002, true)))?;
    let p = rng.bytes(30);
    let o = rx.send(frames::udp(&PEER, 5, 7000, &p, &mut rng), false);
    assert_eq!(bypass_class(&o), Some(class::UDP_NOT_LISTENED));
    let o = rx.send(frames::udp(&PEER, 5, 7002, &p, &mut rng), false);
    assert!(
        matches!(&o, Outcome::Rpc { meta, .. } if meta.listen_index == 0 && meta.reply),
        "{o:?}"
    );
    rx.run(200_000)?;

    // Promiscuous mode: another host's unicast and IPv4 not ours go to the host.
    let mut promiscuous = rx.cfg.clone();
    promiscuous.promiscuous = true;
    rx.write_config(&promiscuous)?;
    let other_mac = Addrs {
        dst_mac: [0x02, 9, 9, 9, 9, 9],
        ..PEER
    };
    let o = rx.send(frames::udp(&other_mac, 5, 7001, &p, &mut rng), false);
    assert_eq!(bypass_class(&o), Some(class::NOT_FOR_US));
    let o = rx.send(frames::arp(&other_mac, true, [0; 6], &mut rng), false);
    assert_eq!(bypass_class(&o), Some(class::NOT_FOR_US));
    let other_ip = Addrs {
        dst_ip: [10, 0, 0, 77],
        ..PEER
    };
    let o = rx.send(frames::udp(&other_ip, 5, 7001, &p, &mut rng), false);
    assert_eq!(bypass_class(&o), Some(class::NOT_FOR_US));
    let o = rx.send(frames::udp(&PEER, 5, 7001, &p, &mut rng), false);
    assert!(matches!(o, Outcome::Rpc { .. }), "{o:?}");
    rx.run(200_000)?;
    rx.check()
}

#[test]
fn steering_64() -> testbenches::Result<()> {
    steering(8)
}

#[test]
fn steering_512() -> testbenches::Result<()> {
    steering(64)
}

#[test]
fn steering_128_256() -> testbenches::Result<()> {
    steering(16)?;
    steering(32)
}
