//! Buffer overflow: with every output stalled, frames that do not fit are
//! dropped whole and counted (`stat_rx_overflow`); once the outputs move,
//! the frames that were kept come out intact and in order, each with its
//! own metadata, and nothing else does.

mod net_rx_common;

use net_rx_common::frames::{self, Addrs};
use net_rx_common::harness::{model, Paces, Rx};
use net_rx_common::model::{class, classify, Config, Outcome};
use testbenches::{rng, Rng};

const PEER: Addrs = Addrs {
    src_mac: [0x02, 0x11, 0x22, 0x33, 0x44, 0x55],
    dst_mac: [0x02, 0, 0, 0, 0, 0x01],
    src_ip: [10, 0, 0, 2],
    dst_ip: [10, 0, 0, 1],
};

fn overflow(bytes: u32) -> testbenches::Result<()> {
    let name = format!("net_rx_overflow_{}", 8 * bytes);
    let seed = rng::seed_for(&name);
    let mut rng = Rng::new(seed);
    let mut cfg = Config::new(16);
    cfg.listen[1] = Some((6000, false));
    let paces = Paces { input: 90, output: 0 };
    let mut rx = Rx::new(model(bytes), cfg.clone(), seed, paces, &name)?;
    rx.set_output_pace(0, seed);
    // About 3x the buffer: RPC datagrams numbered by source port, and host
    // frames (UDP to an unlistened port) numbered the same way.
    let mut sent = Vec::new();
    let mut total = 0;
    let mut i = 0u16;
    while total < 3 * 2 * 9018 {
        let n = rng.range(0, 1400) as usize;
        let p = rng.bytes(n);
        let port = if rng.chance(80) { 6000 } else { 6001 };
        let f = frames::udp(&PEER, 10_000 + i, port, &p, &mut rng);
        total += f.len();
        sent.push((classify(&cfg, &f, false), i));
        rx.send_raw(f, false);
        i += 1;
    }
    // Let everything in while nothing goes out.
    let src_idle = |rx: &Rx| rx.pending() == 0;
    while !src_idle(&rx) {
        rx.tb.run("clk", 1000)?;
    }
    rx.tb.run("clk", 100)?;
    let dropped = rx.pulses().get("stat_rx_overflow").copied().unwrap_or(0);
    assert!(dropped > 0, "the buffer never overflowed");
    // Release the outputs.
    rx.set_output_pace(70, seed ^ 7);
    rx.tb.run("clk", 200_000)?;
    let (rpc, meta, byp, classes) = rx.take_outputs();
    assert_eq!(rpc.len(), meta.len());
    assert_eq!(byp.len(), classes.len());
    assert!(classes.iter().all(|&c| c == class::UDP_NOT_LISTENED));
    assert_eq!(
        rpc.len() + byp.len() + dropped as usize,
        sent.len(),
        "every frame is delivered or counted"
    );
    // In order, intact: each output is a subsequence of what was sent.
    let mut want_rpc = sent.iter().filter_map(|(o, i)| match o {
        Outcome::Rpc { payload, meta } => Some((payload, meta, *i)),
        _ => None,
    });
    for (payload, m) in rpc.iter().zip(&meta) {
        let sport = m.0[3] as u16;
        let (p, mm, _) = want_rpc
            .find(|(_, _, i)| 10_000 + *i == sport)
            .unwrap_or_else(|| panic!("datagram from port {sport} out of order or unknown"));
        assert_eq!(payload, p, "payload of datagram {sport}");
        assert_eq!(m.0[5], u64::from(mm.length));
    }
    let mut want_byp = sent.iter().filter_map(|(o, _)| match o {
        Outcome::Bypass { frame, .. } => Some(frame),
        _ => None,
    });
    for f in &byp {
        assert!(want_byp.any(|w| w == f), "a host frame out of order or corrupted");
    }
    // Afterwards the buffer works as before.
    let p = rng.bytes(100);
    let o = rx.send(frames::udp(&PEER, 1, 6000, &p, &mut rng), false);
    assert!(matches!(o, Outcome::Rpc { .. }));
    rx.run(100_000)?;
    let (rpc, _, _, _) = rx.take_outputs();
    assert_eq!(rpc, vec![p]);
    Ok(())
}

#[test]
fn overflow_drops_whole_frames_64() -> testbenches::Result<()> {
    overflow(8)
}

#[test]
fn overflow_drops_whole_frames_512() -> testbenches::Result<()> {
    overflow(64)
}
