//! The TAP plumbing on its own, with the Linux stack on the other side: a
//! `ping` in the test's namespace makes the kernel ask for the peer's MAC
//! (ARP), a hand-made ARP reply is accepted, and the echo request follows.
//! Reported as ignored (with the reason) where TAP devices cannot be made.

use std::time::{Duration, Instant};
use testbenches::harness::{self, Outcome};
use testbenches::tap::TapHost;

const PEER_MAC: [u8; 6] = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02];

fn wait_frame(tap: &mut TapHost, ethertype: u16, deadline: Instant) -> Result<Vec<u8>, String> {
    while Instant::now() < deadline {
        match tap.recv() {
            Some(f) if f.len() >= 14 && u16::from_be_bytes([f[12], f[13]]) == ethertype => return Ok(f),
            Some(_) => {}
            None => std::thread::sleep(Duration::from_millis(5)),
        }
    }
    Err(format!(
        "no frame of ethertype {ethertype:#06x} from the namespace"
    ))
}

fn kernel_resolves_and_pings_through_the_tap() -> Result<Outcome, String> {
    let mut tap = match TapHost::create("lh_tap_host", "lhtap_host", "10.77.0.1/24") {
        Ok(t) => t,
        Err(why) => return Ok(Outcome::Skipped(why)),
    };
    let mut ping = tap
        .command("ping")
        .args(["-c", "1", "-W", "5", "10.77.0.2"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("ping: {e}"))?;
    let deadline = Instant::now() + Duration::from_secs(5);
    let arp = wait_frame(&mut tap, 0x0806, deadline)?;
    // who-has 10.77.0.2 tell 10.77.0.1
    assert_eq!(&arp[0..6], &[0xff; 6], "ARP request is broadcast");
    assert_eq!(u16::from_be_bytes([arp[20], arp[21]]), 1, "oper request");
    assert_eq!(&arp[38..42], &[10, 77, 0, 2], "target address");
    let host_mac: [u8; 6] = arp[22..28].try_into().expect("6 bytes");
    let host_ip: [u8; 4] = arp[28..32].try_into().expect("4 bytes");
    assert_eq!(host_ip, [10, 77, 0, 1]);
    // is-at 02:00:00:00:00:02
    let mut reply = Vec::new();
    reply.extend_from_slice(&host_mac);
    reply.extend_from_slice(&PEER_MAC);
    reply.extend_from_slice(&[0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, 2]);
    reply.extend_from_slice(&PEER_MAC);
    reply.extend_from_slice(&[10, 77, 0, 2]);
    reply.extend_from_slice(&host_mac);
    reply.extend_from_slice(&host_ip);
    tap.send(&reply).map_err(|e| format!("send ARP reply: {e}"))?;
    let echo = wait_frame(&mut tap, 0x0800, deadline)?;
    assert_eq!(
        &echo[0..6],
        &PEER_MAC,
        "the echo request goes to the MAC we announced"
    );
    assert_eq!(echo[23], 1, "ICMP");
    assert_eq!(echo[34], 8, "echo request");
    let _ = ping.kill();
    let _ = ping.wait();
    Ok(Outcome::Passed)
}

fn main() {
    harness::run(&[(
        "kernel_resolves_and_pings_through_the_tap",
        kernel_resolves_and_pings_through_the_tap,
    )]);
}
