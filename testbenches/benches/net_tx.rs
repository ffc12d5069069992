//! Transmit-side benchmark: throughput and latency in simulation, and Yosys
//! `synth_xilinx -family xcup` resources with a LUT-depth estimate, at 64
//! and 512 bits. Prints Markdown tables.
//!
//! Throughput: bytes out per cycle from the first to the last beat of a run
//! of back-to-back frames, every source always valid, the sink always ready.
//! Latency: cycles from the first payload beat taken (or the echo request's
//! first beat) to the first beat of the frame out.
//!
//! Area and depth: `lauberhorn synth`'s library, each module synthesised
//! with its children (a parent's row includes them).

#[path = "../tests/net_tx_common/mod.rs"]
mod net_tx_common;
#[path = "common/synth_table.rs"]
mod synth_table;

use etherparse::PacketBuilder;
use generators::net::tx::net_tx::NetTx;
use net_tx_common::agents::{set, FieldSource};
use net_tx_common::reference::{ip_u64, mac_u64, Host};
use net_tx_common::rtl;
use testbenches::axis::{AxisFrame, AxisSink, AxisSource, Pace};
use testbenches::{Agent, Testbench};
use verilator::{Model, PortHandle};

/// Cycle of the first transfer on an AXI-Stream input.
struct FirstFire {
    valid: PortHandle,
    ready: PortHandle,
    first: Option<u64>,
}

impl Agent for FirstFire {
    fn sample(&mut self, m: &Model, cycle: u64) -> testbenches::Result<()> {
        if self.first.is_none() && m.get_u64(self.valid)? == 1 && m.get_u64(self.ready)? == 1 {
            self.first = Some(cycle);
        }
        Ok(())
    }
    fn drive(&mut self, _m: &mut Model, _c: u64) -> testbenches::Result<()> {
        Ok(())
    }
}

struct Run {
    bytes_per_cycle: f64,
    latency: u64,
}

/// Sends `n` frames of one kind through `net_tx` and measures.
fn measure(bytes: u32, kind: &str, payload: usize, n: usize) -> Run {
    let host = Host::example();
    let dut = NetTx::new(bytes);
    let mut tb = Testbench::new(rtl::model_of(&dut), 1);
    tb.clock("clk", 4_000).unwrap();
    let m = tb.model_mut();
    set(m, "cfg_mac", mac_u64(host.mac));
    set(m, "cfg_ip", ip_u64(host.ip));
    set(m, "cfg_netmask", ip_u64(host.mask));
    set(m, "cfg_gateway", ip_u64(host.gateway));
    set(m, "cfg_mtu", 1500);
    set(m, "cfg_arp_timeout", 1000);
    tb.reset("rst", true, 4).unwrap();
    let peer = [10, 0, 0, 2];
    let peer_mac = [0x52, 0x54, 0, 0, 0, 2];
    let mut arp = FieldSource::new(
        tb.model(),
        "s_arp",
        &["request", "sender_mac", "sender_ip", "target_ip", "for_us"],
        Pace::Always,
    )
    .unwrap();
    arp.push(vec![0, mac_u64(peer_mac), ip_u64(peer), ip_u64(host.ip), 1]);
    tb.attach("clk", arp);
    tb.run("clk", 10).unwrap();
    let prefix = if kind == "udp" {
        "s_axis_udp"
    } else {
        "s_axis_icmp"
    };
    let mut src = AxisSource::new(tb.model(), prefix, Pace::Always).unwrap();
    let first = FirstFire {
        valid: tb.model().port(&format!("{prefix}_tvalid")).unwrap(),
        ready: tb.model().port(&format!("{prefix}_tready")).unwrap(),
        first: None,
    };
    let mut meta = FieldSource::new(
        tb.model(),
        "s_udp_meta",
        &["dst_ip", "dst_port", "src_port"],
        Pace::Always,
    )
    .unwrap();
    for i in 0..n {
        if kind == "udp" {
            meta.push(vec![ip_u64(peer), 9, 10]);
            src.push(AxisFrame::new(vec![i as u8; payload]));
        } else {
            let mut req = Vec::new();
            PacketBuilder::ethernet2(peer_mac, host.mac)
                .ipv4(peer, host.ip, 64)
                .icmpv4_echo_request(1, i as u16)
                .write(&mut req, &vec![i as u8; payload])
                .unwrap();
            src.push(AxisFrame::new(req));
        }
    }
    tb.attach("clk", meta);
    let first = tb.attach("clk", first);
    tb.attach("clk", src);
    let sink = tb.attach("clk", AxisSink::new(tb.model(), "m_axis", Pace::Always).unwrap());
    tb.run_until(|tb| tb.agent(sink).frames().len() == n, 10_000_000)
        .unwrap();
    let frames = tb.agent(sink).frames();
    let out_bytes: usize = frames.iter().map(|f| f.data.len()).sum();
    let cycles = frames[n - 1].last_cycle - frames[0].first_cycle + 1;
    Run {
        bytes_per_cycle: out_bytes as f64 / cycles as f64,
        latency: frames[0].first_cycle - tb.agent(first).first.expect("input taken"),
    }
}

fn main() {
    println!("## net_tx: throughput and latency (simulation, Verilator)\n");
    println!("| width | traffic | frame bytes | bytes/cycle | of line rate | latency (cycles) |");
    println!("|---|---|---|---|---|---|");
    for bytes in [8u32, 64] {
        for (kind, payload, frame, what) in [
            ("udp", 18, 60, "UDP, minimum frames"),
            ("udp", 1472, 1514, "UDP, maximum frames"),
            ("icmp", 18, 60, "ICMP echo, minimum frames"),
            ("icmp", 1472, 1514, "ICMP echo, maximum frames"),
        ] {
            let n = if frame > 100 { 40 } else { 400 };
            let r = measure(bytes, kind, payload, n);
            println!(
                "| {} | {what} | {frame} | {:.2} | {:.0}% | {} |",
                8 * bytes,
                r.bytes_per_cycle,
                100.0 * r.bytes_per_cycle / f64::from(bytes),
                r.latency
            );
        }
    }
    println!("\nLatency: UDP from the first payload beat in to the first frame beat out");
    println!("(store and forward: it includes the payload's own length); ICMP from the");
    println!("request's first beat in to the reply's first beat out.\n");
    for bytes in [8u32, 64] {
        println!(
            "\n## net_tx at {} bits: Yosys `synth_xilinx -family xcup` (per module, with its children)\n",
            8 * bytes
        );
        let e = rtl::elaborate(&NetTx::new(bytes));
        let rows = synth_table::synth(&e, &[], "");
        println!("{}", synth_table::table(rows.iter().map(|m| (m, ""))));
    }
}
