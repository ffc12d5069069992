//! The simulated NIC on a real network: its XGMII ports are bridged to a
//! Linux TAP device in a network namespace the test creates, and the
//! unmodified Linux `ping` and `arping` must get their replies. Reported as
//! ignored, with the reason, where a TAP device cannot be created.

mod nic_common;

use generators::config::presets;
use nic_common::wire::Wire;
use nic_common::{Nic, NIC_IP};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use testbenches::axis::{AxisSink, Pace};
use testbenches::harness::{self, Outcome};
use testbenches::rng;
use testbenches::tap::TapHost;

/// Frames from the host's stack go onto the wire padded, as a NIC would.
fn pad(mut f: Vec<u8>) -> Vec<u8> {
    if f.len() < 60 {
        f.resize(60, 0);
    }
    f
}

/// Simulates while `child` runs, carrying frames both ways; returns its output.
fn bridge(nic: &mut Nic, wire: &Wire, tap: &mut TapHost, mut child: Child) -> Result<(bool, String), String> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        while let Some(f) = tap.recv() {
            wire.send(&mut nic.tb, &pad(f), false);
        }
        nic.tb.run("clk", 2_000).map_err(|e| e.to_string())?;
        for f in wire.take_sent(&mut nic.tb) {
            tap.send(&f).map_err(|e| format!("TAP write: {e}"))?;
        }
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            let mut out = String::new();
            if let Some(mut s) = child.stdout.take() {
                use std::io::Read;
                let _ = s.read_to_string(&mut out);
            }
            return Ok((status.success(), out));
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            return Err("the tool did not finish within 60 s".into());
        }
    }
}

fn ping_and_arping_get_answers() -> Result<Outcome, String> {
    let mut tap = match TapHost::create("lh_nic_tap", "lhnic0", "10.0.0.1/24") {
        Ok(t) => t,
        Err(why) => return Ok(Outcome::Skipped(why)),
    };
    let seed = rng::seed_for("nic_tap");
    let mut nic = Nic::new(&presets::small(), seed);
    nic.configure();
    let wire = Wire::attach(&mut nic, seed);
    // The host side takes whatever the NIC hands it (the namespace's IPv6
    // multicast goes to the bypass stream), as the host interface will.
    for out in ["m_axis_rpc", "m_axis_bypass"] {
        let sink = AxisSink::new(nic.tb.model(), out, Pace::Always).map_err(|e| e.to_string())?;
        nic.tb.attach("clk", sink);
    }
    let nic_ip = format!("{}.{}.{}.{}", NIC_IP[0], NIC_IP[1], NIC_IP[2], NIC_IP[3]);

    let spawn = |mut c: Command| {
        c.stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| e.to_string())
    };
    let mut ping = tap.command("ping");
    ping.args(["-c", "3", "-i", "0.2", "-W", "5", &nic_ip]);
    let (ok, out) = bridge(&mut nic, &wire, &mut tap, spawn(ping)?)?;
    println!("{}", out.trim_end());
    if !ok || !out.contains("3 received") {
        return Err(format!("ping did not get its three replies:\n{out}"));
    }

    let mut arping = tap.command("arping");
    arping.args(["-c", "2", "-w", "5", "-I", tap.ifname(), &nic_ip]);
    let (ok, out) = bridge(&mut nic, &wire, &mut tap, spawn(arping)?)?;
    println!("{}", out.trim_end());
    if !ok || !out.contains("Received 2 response(s)") {
        return Err(format!("arping did not get its two replies:\n{out}"));
    }

    let (icmp, arp) = (nic.stat("tx_icmp_reply"), nic.stat("tx_arp_reply"));
    if icmp != 3 || arp < 3 {
        return Err(format!(
            "counters: {icmp} echo replies (want 3), {arp} ARP replies (want >= 3)"
        ));
    }
    Ok(Outcome::Passed)
}

fn main() {
    harness::run(&[("ping_and_arping_get_answers", ping_and_arping_get_answers)]);
}
