//! Bad input interleaved with good traffic: every malformed frame is dropped
//! and counted by the right `stat_rx_*` pulse (the reference model names the
//! reason), the good frames around it come out intact, nothing hangs.

mod net_rx_common;

use etherparse::IpFragOffset;
use net_rx_common::frames::{self, fix_ip_checksum, Addrs};
use net_rx_common::harness::{model, Paces, Rx};
use net_rx_common::model::{Config, Outcome, Reason};
use testbenches::{rng, Rng};

const PEER: Addrs = Addrs {
    src_mac: [0x02, 0x11, 0x22, 0x33, 0x44, 0x55],
    dst_mac: [0x02, 0, 0, 0, 0, 0x01],
    src_ip: [10, 0, 0, 2],
    dst_ip: [10, 0, 0, 1],
};
const PORT: u16 = 4000;

fn good(rng: &mut Rng) -> Vec<u8> {
    let n = rng.range(0, 300) as usize;
    let p = rng.bytes(n);
    frames::udp(&PEER, 1111, PORT, &p, rng)
}

/// One malformed frame of kind `k`, whether `tuser` is set, and the reason
/// it must be dropped for (`None`: the model decides, e.g. for garbage).
fn bad(k: usize, rng: &mut Rng) -> (Vec<u8>, bool, Option<Reason>) {
    let n = rng.range(18, 400) as usize;
    let payload = rng.bytes(n);
    let udp = |rng: &mut Rng| frames::udp(&PEER, 1111, PORT, &payload, rng);
    match k {
        0 => (udp(rng), true, Some(Reason::MacError)),
        1 => {
            // A runt: an unpadded frame of 42..=59 bytes.
            let l = rng.range(0, 17) as usize;
            let f = frames::udp(&PEER, 1, PORT, &payload[..l], rng);
            (f[..42 + l].to_vec(), false, Some(Reason::Runt))
        }
        2 => {
            let l = rng.range(1, 41) as usize;
            (udp(rng)[..l].to_vec(), false, Some(Reason::Truncated))
        }
        3 => {
            let p = rng.bytes(9020);
            (
                frames::udp(&PEER, 1, PORT, &p, rng),
                false,
                Some(Reason::Oversize),
            )
        }
        4 => {
            let mut a = PEER;
            a.dst_mac = [0x02, 0, 0, 0, 0, 0x77];
            (
                frames::udp(&a, 1, PORT, &payload, rng),
                false,
                Some(Reason::NotForUs),
            )
        }
        5 => {
            let mut f = udp(rng);
            f[14] = 0x65;
            fix_ip_checksum(&mut f);
            (f, false, Some(Reason::IpBadVersion))
        }
        6 => {
            let mut h = frames::ipv4_header(&PEER);
            h.options = [1u8, 1, 1, 0].into();
            (
                frames::udp_with_ip(&PEER, h, 1, PORT, &payload, rng),
                false,
                Some(Reason::IpOptions),
            )
        }
        7 => {
            let mut f = udp(rng);
            f[24] ^= 1 << rng.below(8);
            (f, false, Some(Reason::IpBadChecksum))
        }
        8 => {
            // Total length beyond the frame, or below 20.
            let mut f = udp(rng);
            let total = if rng.chance(50) {
                (f.len() - 14 + rng.range(1, 30) as usize) as u16
            } else {
                rng.range(0, 19) as u16
            };
            f[16..18].copy_from_slice(&total.to_be_bytes());
            fix_ip_checksum(&mut f);
            (f, false, Some(Reason::IpBadLength))
        }
        9 => {
            let mut h = frames::ipv4_header(&PEER);
            if rng.chance(50) {
                h.more_fragments = true;
            } else {
                h.fragment_offset = IpFragOffset::try_new(rng.range(1, 100) as u16).expect("offset");
            }
            (
                frames::udp_with_ip(&PEER, h, 1, PORT, &payload, rng),
                false,
                Some(Reason::IpFragment),
            )
        }
        10 => {
            let mut a = PEER;
            a.dst_ip = [10, 0, 0, 99];
            (
                frames::udp(&a, 1, PORT, &payload, rng),
                false,
                Some(Reason::IpNotOurs),
            )
        }
        11 => {
            // UDP length beyond the IPv4 payload, or below 8.
            let mut f = udp(rng);
            let l = if rng.chance(50) {
                (payload.len() + 8 + rng.range(1, 20) as usize) as u16
            } else {
                rng.range(0, 7) as u16
            };
            f[38..40].copy_from_slice(&l.to_be_bytes());
            (f, false, Some(Reason::UdpBadLength))
        }
        12 => {
            let mut f = udp(rng);
            let i = 42 + rng.below(payload.len() as u64) as usize;
            f[i] ^= 0x5a;
            (f, false, Some(Reason::UdpBadChecksum))
        }
        13 => {
            let mut f = frames::echo_request(&PEER, 3, 4, &payload, rng);
            let i = 42 + rng.below(payload.len() as u64) as usize;
            f[i] ^= 0x80;
            (f, false, Some(Reason::IcmpBadChecksum))
        }
        _ => {
            // Garbage, sometimes starting with our MAC address and IPv4.
            let len = rng.range(1, 200) as usize;
            let mut f = rng.bytes(len);
            if rng.chance(50) && len >= 14 {
                f[..6].copy_from_slice(&PEER.dst_mac);
                f[12] = 8;
                f[13] = 0;
            }
            (f, rng.chance(10), None)
        }
    }
}

fn run(bytes: u32, rounds: usize, name: &str) -> testbenches::Result<()> {
    let seed = rng::seed_for(name);
    let mut rng = Rng::new(seed);
    let mut cfg = Config::new(16);
    cfg.listen[5] = Some((PORT, false));
    let paces = Paces {
        input: 80,
        output: 80,
    };
    let mut rx = Rx::new(model(bytes), cfg, seed, paces, name)?;
    let mut kinds: Vec<usize> = (0..rounds).flat_map(|_| 0..16).collect();
    rng.shuffle(&mut kinds);
    for (i, k) in kinds.into_iter().enumerate() {
        let o = rx.send(good(&mut rng), false);
        assert!(matches!(o, Outcome::Rpc { .. }), "{o:?}");
        let (f, user, reason) = bad(k, &mut rng);
        let o = rx.send(f, user);
        if let Some(r) = reason {
            assert_eq!(o, Outcome::Drop(r), "kind {k}: the model disagrees with the test");
        }
        if i % 50 == 49 {
            rx.run(5_000_000)?;
        }
    }
    // Valid edge cases in between: a zero UDP checksum is accepted, and a
    // UDP datagram shorter than its IPv4 payload is trimmed to its length.
    for _ in 0..20 {
        let n = rng.range(0, 100) as usize;
        let p = rng.bytes(n);
        let mut f = frames::udp(&PEER, 2222, PORT, &p, &mut rng);
        f[40] = 0;
        f[41] = 0;
        if rng.chance(50) && n > 0 {
            f[42] ^= 0xff; // no checksum, so nothing notices
        }
        assert!(matches!(rx.send(f, false), Outcome::Rpc { .. }));
        let mut f = frames::udp(&PEER, 2222, PORT, &p, &mut rng);
        let extra = rng.range(1, 40) as usize;
        f.truncate(42 + n);
        f.extend(rng.bytes(extra));
        let total = (f.len() - 14) as u16;
        f[16..18].copy_from_slice(&total.to_be_bytes());
        fix_ip_checksum(&mut f);
        let f = frames::pad(f, &mut rng);
        match rx.send(f, false) {
            Outcome::Rpc { payload, .. } => assert_eq!(payload, p),
            o => panic!("trailing bytes after the datagram: {o:?}"),
        }
    }
    rx.run(5_000_000)?;
    rx.check()?;
    for r in Reason::ALL {
        assert!(
            rx.exp_pulses.get(r.port()).copied().unwrap_or(0) > 0,
            "{r:?} never exercised"
        );
    }
    Ok(())
}

#[test]
fn bad_frames_are_dropped_and_counted_64() -> testbenches::Result<()> {
    run(8, 12, "net_rx_bad_64")
}

#[test]
fn bad_frames_are_dropped_and_counted_512() -> testbenches::Result<()> {
    run(64, 12, "net_rx_bad_512")
}

#[test]
fn bad_frames_are_dropped_and_counted_128_256() -> testbenches::Result<()> {
    run(16, 4, "net_rx_bad_128")?;
    run(32, 4, "net_rx_bad_256")
}
