//! The whole NIC, `lauberhorn_top`, as generated for the `small` (XGMII,
//! 64-bit datapath) and the `enzian` (CMAC, 512-bit datapath)
//! configurations: registers through AXI4-Lite, ARP, ICMP echo, RPC and
//! host traffic in, UDP out, a damaged frame, and every statistics counter
//! read back and compared. Frames are built and decoded by etherparse.

#[path = "net_tx_common/agents.rs"]
#[allow(dead_code)]
mod agents;
#[path = "net_tx_common/decode.rs"]
mod decode;
mod nic_common;

use agents::{FieldSource, FlowMonitor};
use etherparse::{ArpEthIpv4Packet, ArpOperation, PacketBuilder};
use generators::config::{presets, MacKind, NicConfig};
use nic_common::wire::{unpad, Wire};
use nic_common::{Nic, HOST_IP, HOST_MAC, NIC_IP, NIC_MAC};
use std::collections::BTreeMap;
use testbenches::axil::Resp;
use testbenches::axis::{AxisFrame, AxisSink, AxisSource, Pace};
use testbenches::{rng, Rng};

const BROADCAST: [u8; 6] = [0xff; 6];
const RPC_CALL_PORT: u16 = 4000;
const RPC_REPLY_PORT: u16 = 4001;

fn pad(mut f: Vec<u8>) -> Vec<u8> {
    if f.len() < 60 {
        f.resize(60, 0);
    }
    f
}

fn udp(dport: u16, sport: u16, payload: &[u8]) -> Vec<u8> {
    let mut f = Vec::new();
    PacketBuilder::ethernet2(HOST_MAC, NIC_MAC)
        .ipv4(HOST_IP, NIC_IP, 64)
        .udp(sport, dport)
        .write(&mut f, payload)
        .expect("udp frame");
    pad(f)
}

fn arp_request_for(ip: [u8; 4]) -> Vec<u8> {
    let p = ArpEthIpv4Packet {
        operation: ArpOperation::REQUEST,
        sender_mac: HOST_MAC,
        sender_ipv4: HOST_IP,
        target_mac: [0; 6],
        target_ipv4: ip,
    };
    let mut f = Vec::new();
    PacketBuilder::ethernet2(HOST_MAC, BROADCAST)
        .arp(p.to_arp_packet())
        .write(&mut f)
        .expect("arp frame");
    pad(f)
}

fn echo_request(id: u16, seq: u16, payload: &[u8]) -> Vec<u8> {
    let mut f = Vec::new();
    PacketBuilder::ethernet2(HOST_MAC, NIC_MAC)
        .ipv4(HOST_IP, NIC_IP, 64)
        .icmpv4_echo_request(id, seq)
        .write(&mut f, payload)
        .expect("echo request");
    pad(f)
}

fn ip_u64(ip: [u8; 4]) -> u64 {
    u64::from(u32::from_be_bytes(ip))
}

/// Everything the NIC does in this configuration, checked end to end.
fn exercise(cfg: &NicConfig, name: &str) {
    let seed = rng::seed_for(name);
    let mut rng = Rng::new(seed);
    let mut nic = Nic::new(cfg, seed);

    // Identity, and the register map's edges.
    assert_eq!(nic.read("id"), 0x4c42_484e, "id reads LBHN");
    assert_eq!(nic.read("version"), 1);
    let features = nic.read("features");
    assert_eq!(features & 0xff, u64::from(cfg.datapath.bytes), "datapath bytes");
    let kind = u64::from(cfg.mac.kind == MacKind::Xgmii);
    assert_eq!(features >> 8 & 3, kind, "MAC kind");
    assert_eq!(features >> 16 & 0xff, u64::from(cfg.tables.listen_ports));
    assert_eq!(
        nic.read("frame_max"),
        u64::from(cfg.mac.mtu),
        "frame_max resets to the MTU"
    );
    for unmapped in [0x0800, 0x1ffc] {
        let (_, r) = nic.tb.axil(nic.axil).read(unmapped).expect("read");
        assert_eq!(r, Resp::DecErr, "unmapped address {unmapped:#x}");
    }
    let r = nic.tb.axil(nic.axil).write(0x00, 1).expect("write");
    assert_eq!(r, Resp::SlvErr, "id is read-only");
    nic.configure();
    nic.listen(0, RPC_CALL_PORT, false);
    nic.listen(1, RPC_REPLY_PORT, true);

    let wire = Wire::attach(&mut nic, seed);
    let tb = &mut nic.tb;
    let rpc = tb.attach(
        "clk",
        AxisSink::new(tb.model(), "m_axis_rpc", Pace::random(70, seed)).expect("rpc"),
    );
    let bypass = tb.attach(
        "clk",
        AxisSink::new(tb.model(), "m_axis_bypass", Pace::random(70, seed ^ 3)).expect("bypass"),
    );
    let meta_fields: Vec<String> = [
        "src_mac",
        "src_ip",
        "src_port",
        "dst_port",
        "length",
        "reply",
        "listen_index",
    ]
    .iter()
    .map(|f| format!("m_rpc_meta_payload_{f}"))
    .collect();
    let meta_refs: Vec<&str> = meta_fields.iter().map(String::as_str).collect();
    let rpc_meta = tb.attach(
        "clk",
        FlowMonitor::new(tb.model(), "m_rpc_meta_valid", &meta_refs).expect("meta"),
    );
    let class = tb.attach(
        "clk",
        FlowMonitor::new(tb.model(), "m_bypass_class_valid", &["m_bypass_class_payload"]).expect("class"),
    );
    let udp_meta = tb.attach(
        "clk",
        FieldSource::new(
            tb.model(),
            "s_udp_meta",
            &["dst_ip", "dst_port", "src_port"],
            Pace::Always,
        )
        .expect("meta"),
    );
    let udp_payload = tb.attach(
        "clk",
        AxisSource::new(tb.model(), "s_axis_udp", Pace::random(80, seed)).expect("udp"),
    );
    let mut rx_bytes = 0u64;
    let mut send = |tb: &mut testbenches::Testbench, f: &[u8], bad: bool| {
        rx_bytes += f.len() as u64;
        wire.send(tb, f, bad);
    };

    // ARP: the host asks for us; we answer and learn the host.
    send(tb, &arp_request_for(NIC_IP), false);
    wire.wait_sent(tb, 1, 20_000);
    let reply = wire.take_sent(tb).remove(0);
    let (dst, src, arp) = decode::arp(unpad(&reply));
    assert_eq!((dst, src), (HOST_MAC, NIC_MAC), "ARP reply addressing");
    assert_eq!(arp.operation, ArpOperation::REPLY);
    assert_eq!((arp.sender_mac, arp.sender_ipv4), (NIC_MAC, NIC_IP));
    assert_eq!((arp.target_mac, arp.target_ipv4), (HOST_MAC, HOST_IP));
    let mut tx_bytes = 42u64;

    // ICMP echo.
    let payload = rng.bytes(56);
    let request = echo_request(0x1234, 7, &payload);
    send(tb, &request, false);
    wire.wait_sent(tb, 1, 20_000);
    let reply = wire.take_sent(tb).remove(0);
    assert_eq!((&reply[0..6], &reply[6..12]), (&HOST_MAC[..], &NIC_MAC[..]));
    assert_eq!(
        (&reply[26..30], &reply[30..34]),
        (&NIC_IP[..], &HOST_IP[..]),
        "IPv4 addresses swapped"
    );
    let (id, seq, echoed) = decode::echo_reply(unpad(&reply));
    assert_eq!((id, seq, echoed), (0x1234, 7, payload));
    tx_bytes += request.len() as u64;

    // RPC datagrams to both listening ports, one to a port nobody listens on,
    // and one damaged on the wire.
    let call = rng.bytes(100);
    let reply_payload = rng.bytes(5);
    let other = udp(5555, 999, &rng.bytes(30));
    send(tb, &udp(RPC_CALL_PORT, 999, &call), false);
    send(tb, &udp(RPC_CALL_PORT, 998, &rng.bytes(64)), true);
    send(tb, &udp(RPC_REPLY_PORT, 111, &reply_payload), false);
    send(tb, &other, false);
    tb.run_until(
        |tb| tb.agent(rpc).frames().len() == 2 && tb.agent(bypass).frames().len() == 1,
        40_000,
    )
    .expect("RPC and host frames");
    let got: Vec<Vec<u8>> = tb
        .agent_mut(rpc)
        .take_frames()
        .into_iter()
        .map(|f| f.data)
        .collect();
    assert_eq!(got, vec![call.clone(), reply_payload.clone()], "RPC payloads");
    let metas: Vec<Vec<u64>> = tb.agent(rpc_meta).seen().iter().map(|(_, v)| v.clone()).collect();
    let host_mac = HOST_MAC.iter().fold(0u64, |a, &b| a << 8 | u64::from(b));
    assert_eq!(
        metas,
        vec![
            vec![
                host_mac,
                ip_u64(HOST_IP),
                999,
                u64::from(RPC_CALL_PORT),
                100,
                0,
                0
            ],
            vec![host_mac, ip_u64(HOST_IP), 111, u64::from(RPC_REPLY_PORT), 5, 1, 1],
        ],
        "RPC metadata: source MAC, IP, port, our port, length, reply, listen index"
    );
    assert_eq!(
        tb.agent_mut(bypass).take_frames()[0].data,
        other,
        "host frame whole"
    );
    assert_eq!(
        tb.agent(class).seen()[0].1,
        vec![2],
        "class: UDP port not listened"
    );

    // UDP out, to the host we learnt by ARP...
    let out = rng.bytes(200);
    tb.agent_mut(udp_meta)
        .push(vec![ip_u64(HOST_IP), 7000, u64::from(RPC_CALL_PORT)]);
    tb.agent_mut(udp_payload).push(AxisFrame::new(out.clone()));
    wire.wait_sent(tb, 1, 40_000);
    let frame = wire.take_sent(tb).remove(0);
    let v = decode::udp(unpad(&frame));
    assert_eq!(
        (v.eth_dst, v.eth_src),
        (HOST_MAC, NIC_MAC),
        "next hop from the neighbour table"
    );
    assert_eq!(
        (v.src_ip, v.dst_ip, v.src_port, v.dst_port),
        (NIC_IP, HOST_IP, RPC_CALL_PORT, 7000)
    );
    assert_eq!(v.payload, out);
    tx_bytes += frame.len() as u64;

    // ...and to an on-link address nobody has announced: dropped, and ARP asks.
    tb.agent_mut(udp_meta)
        .push(vec![ip_u64([10, 0, 0, 9]), 7000, 4000]);
    tb.agent_mut(udp_payload).push(AxisFrame::new(rng.bytes(20)));
    wire.wait_sent(tb, 1, 40_000);
    let ask = wire.take_sent(tb).remove(0);
    let (dst, src, arp) = decode::arp(unpad(&ask));
    assert_eq!((dst, src), (BROADCAST, NIC_MAC));
    assert_eq!(arp.operation, ArpOperation::REQUEST);
    assert_eq!((arp.sender_ipv4, arp.target_ipv4), (NIC_IP, [10, 0, 0, 9]));
    tx_bytes += 42;
    tb.run("clk", 2_000).expect("settle");
    assert!(wire.take_sent(tb).is_empty(), "nothing else was sent");

    // Every counter of the statistics bank.
    let xgmii = cfg.mac.kind == MacKind::Xgmii;
    let mut want: BTreeMap<&str, u64> = BTreeMap::new();
    want.insert("rx_bytes", rx_bytes);
    want.insert("rx_frames", 6);
    want.insert("tx_bytes", tx_bytes);
    want.insert("tx_frames", 4);
    want.insert("mac_rx_pkt_good", 5);
    want.insert("mac_rx_pkt_bad", 1);
    if xgmii {
        want.insert("mac_rx_err_bad_fcs", 1);
    }
    want.insert("mac_tx_pkt_good", 4);
    want.insert("rx_mac_error", 1);
    want.insert("rx_arp", 1);
    want.insert("rx_icmp", 1);
    want.insert("rx_rpc", 2);
    want.insert("rx_bypass", 1);
    want.insert("tx_arp_reply", 1);
    want.insert("tx_icmp_reply", 1);
    want.insert("tx_udp_sent", 1);
    want.insert("tx_no_neighbour", 1);
    want.insert("tx_arp_request", 1);
    want.insert("tx_neigh_added", 1);
    let names = nic.stat_names();
    for w in want.keys() {
        assert!(names.iter().any(|n| n == w), "no counter {w}");
    }
    let mut got = BTreeMap::new();
    for n in &names {
        got.insert(n.clone(), nic.stat(n));
    }
    let expected: BTreeMap<String, u64> = names
        .iter()
        .map(|n| (n.clone(), want.get(n.as_str()).copied().unwrap_or(0)))
        .collect();
    assert_eq!(got, expected, "statistics counters");

    // The neighbour table lists the host.
    nic.write("neigh_index", 0);
    assert_eq!(nic.read("neigh_ip"), ip_u64(HOST_IP));
    assert_eq!(
        nic.read("neigh_mac_hi"),
        1 << 31 | host_mac >> 32,
        "valid, MAC bytes 0..1"
    );
    assert_eq!(nic.read("neigh_mac_lo"), host_mac & 0xffff_ffff);
}

#[test]
fn small_xgmii_nic_end_to_end() {
    exercise(&presets::small(), "nic_small");
}

#[test]
fn enzian_cmac_nic_end_to_end() {
    exercise(&presets::enzian(), "nic_enzian");
}
