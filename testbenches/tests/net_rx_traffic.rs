//! Good traffic through `net_rx`: every UDP payload length from the
//! smallest to the largest standard frame, jumbo frames, echo requests, ARP
//! and host traffic, under random input gaps and output back-pressure. The
//! expected outputs come from the reference model (`net_rx_common::model`).

mod net_rx_common;

use net_rx_common::frames::{self, Addrs};
use net_rx_common::harness::{model, Paces, Rx};
use net_rx_common::model::{Config, Outcome};
use testbenches::{rng, Rng};

const PEER: Addrs = Addrs {
    src_mac: [0x02, 0x11, 0x22, 0x33, 0x44, 0x55],
    dst_mac: [0x02, 0, 0, 0, 0, 0x01],
    src_ip: [10, 0, 0, 2],
    dst_ip: [10, 0, 0, 1],
};

fn config() -> Config {
    let mut cfg = Config::new(16);
    cfg.listen[0] = Some((4000, false));
    cfg.listen[3] = Some((4001, true));
    cfg
}

/// Payload lengths `lens`, alternating between the two listened ports, with
/// an echo request, an ARP request and a host frame every few datagrams.
fn run_lengths(
    bytes: u32,
    lens: impl Iterator<Item = usize>,
    name: &str,
    paces: Paces,
) -> testbenches::Result<()> {
    let seed = rng::seed_for(name);
    let mut rng = Rng::new(seed);
    let mut rx = Rx::new(model(bytes), config(), seed, paces, name)?;
    let mut n = 0u64;
    for len in lens {
        let payload = rng.bytes(len);
        let port = if n.is_multiple_of(2) { 4000 } else { 4001 };
        let sport = rng.range(1024, 65535) as u16;
        let o = rx.send(frames::udp(&PEER, sport, port, &payload, &mut rng), false);
        assert!(matches!(o, Outcome::Rpc { .. }), "{o:?}");
        match n % 7 {
            2 => {
                let n200 = rng.range(0, 200) as usize;
                let p = rng.bytes(n200);
                let o = rx.send(frames::echo_request(&PEER, 1, n as u16, &p, &mut rng), false);
                assert!(matches!(o, Outcome::Icmp(_)), "{o:?}");
            }
            4 => {
                let mut a = PEER;
                a.dst_mac = [0xff; 6];
                let o = rx.send(frames::arp(&a, true, [0; 6], &mut rng), false);
                assert!(matches!(o, Outcome::Arp(_)), "{o:?}");
            }
            6 => {
                let n300 = rng.range(0, 300) as usize;
                let p = rng.bytes(n300);
                let o = rx.send(frames::udp(&PEER, 9, 5555, &p, &mut rng), false);
                assert!(matches!(o, Outcome::Bypass { .. }), "{o:?}");
            }
            _ => {}
        }
        n += 1;
        if n.is_multiple_of(64) {
            rx.run(10_000_000)?;
        }
    }
    rx.run(10_000_000)?;
    rx.check()?;
    assert_eq!(rx.pulses().get("stat_rx_overflow").copied().unwrap_or(0), 0);
    Ok(())
}

#[test]
fn smoke_64() -> testbenches::Result<()> {
    let p = Paces {
        input: 100,
        output: 100,
    };
    run_lengths(
        8,
        [18usize, 19, 20, 21, 22, 23, 24, 30, 100, 1472].into_iter(),
        "net_rx_smoke_64",
        p,
    )
}

#[test]
fn smoke_512() -> testbenches::Result<()> {
    let p = Paces {
        input: 100,
        output: 100,
    };
    run_lengths(
        64,
        [18usize, 19, 20, 21, 22, 23, 24, 30, 100, 1472].into_iter(),
        "net_rx_smoke_512",
        p,
    )
}

/// Every payload length whose frame is 60..=1518 bytes (0..=1472; up to 17
/// bytes the frame is padded to 60), then jumbo frames up to 9018 bytes.
fn all_lengths(rng: &mut Rng) -> Vec<usize> {
    let mut lens: Vec<usize> = (0..=1472).collect();
    lens.extend([1473, 4000, 8000, 8975, 8976]);
    lens.extend((0..8).map(|_| rng.range(1473, 8976) as usize));
    lens
}

#[test]
fn every_length_64() -> testbenches::Result<()> {
    let mut rng = Rng::new(1);
    let p = Paces {
        input: 70,
        output: 85,
    };
    run_lengths(8, all_lengths(&mut rng).into_iter(), "net_rx_every_length_64", p)
}

#[test]
fn every_length_512() -> testbenches::Result<()> {
    let mut rng = Rng::new(2);
    let p = Paces {
        input: 70,
        output: 85,
    };
    run_lengths(
        64,
        all_lengths(&mut rng).into_iter(),
        "net_rx_every_length_512",
        p,
    )
}

/// 16 and 32 bytes: a smaller run over random lengths and the edges.
#[test]
fn random_lengths_128_and_256() -> testbenches::Result<()> {
    for bytes in [16, 32] {
        let mut rng = Rng::new(u64::from(bytes));
        let mut lens: Vec<usize> = (0..=40).chain(1440..=1472).collect();
        lens.extend((0..150).map(|_| rng.range(0, 1472) as usize));
        lens.extend([8976, 5000]);
        let p = Paces {
            input: 70,
            output: 85,
        };
        run_lengths(
            bytes,
            lens.into_iter(),
            &format!("net_rx_random_lengths_{}", 8 * bytes),
            p,
        )?;
    }
    Ok(())
}

/// Back-to-back input (no gaps) with always-ready outputs: nothing lost.
#[test]
fn back_to_back_512() -> testbenches::Result<()> {
    let mut rng = Rng::new(3);
    let lens: Vec<usize> = (0..400).map(|_| rng.range(0, 200) as usize).collect();
    let p = Paces {
        input: 100,
        output: 100,
    };
    run_lengths(64, lens.into_iter(), "net_rx_back_to_back_512", p)
}

/// Back-to-back RPC datagrams of one size at every width with always-ready
/// outputs: the payload stream keeps the input's pace exactly, one beat in,
/// one beat's worth out, with no bubble between datagrams (a stall of the
/// steering at each datagram's first beat would show as one cycle a frame).
#[test]
fn rpc_payloads_keep_the_input_pace() -> testbenches::Result<()> {
    for bytes in [8u32, 64] {
        for frame_len in [60usize, 200, 1518] {
            let name = format!("net_rx_pace_{}_{frame_len}", 8 * bytes);
            let mut rng = Rng::new(rng::seed_for(&name));
            let p = Paces {
                input: 100,
                output: 100,
            };
            let mut rx = Rx::new(model(bytes), config(), 1, p, &name)?;
            let n = 100;
            for _ in 0..n {
                let payload = rng.bytes(frame_len - 42);
                rx.send(frames::udp(&PEER, 7, 4000, &payload, &mut rng), false);
            }
            rx.run(10_000_000)?;
            let ends: Vec<u64> = rx.rpc_timing().1.iter().map(|f| f.1).collect();
            rx.check()?;
            assert_eq!(ends.len(), n);
            let per_frame = frame_len.div_ceil(bytes as usize) as u64;
            assert_eq!(
                ends[n - 1] - ends[0],
                (n as u64 - 1) * per_frame,
                "{name}: cycles between the first and the last datagram out"
            );
        }
    }
    Ok(())
}
