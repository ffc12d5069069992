//! A test bench around the whole transmit side (`net_tx_<bits>`).

use super::agents::{set, FieldSource, PulseCounter};
use super::reference::{ip_u64, mac_u64, Host};
use super::rtl;
use generators::net::tx::net_tx::NetTx;
use testbenches::axis::{AxisSink, AxisSource, Pace};
use testbenches::pcap::PcapWriter;
use testbenches::{rng, Handle, Testbench};

/// The bench and the handles of its agents.
pub struct TopBench {
    /// The bench.
    pub tb: Testbench,
    /// ARP events in.
    pub arp: Handle<FieldSource>,
    /// UDP metadata in: dst_ip, dst_port, src_port.
    pub meta: Handle<FieldSource>,
    /// UDP payloads in.
    pub udp: Handle<AxisSource>,
    /// Echo requests in.
    pub icmp: Handle<AxisSource>,
    /// Host frames in.
    pub bypass: Handle<AxisSource>,
    /// Frames out.
    pub out: Handle<AxisSink>,
    /// `stat_tx_*` pulses.
    pub stats: Handle<PulseCounter>,
    /// The seed.
    pub seed: u64,
}

/// Builds `net_tx_<bits>` (RTL checked once per width), configures it as
/// `host` with `mtu` and an ARP timeout of `arp_timeout` cycles; sources at
/// `in_pct` percent of cycles, the sink ready in random bursts unless
/// `full_speed`.
pub fn bench(
    name: &str,
    bytes: u32,
    host: &Host,
    mtu: u16,
    arp_timeout: u32,
    in_pct: u32,
    full_speed: bool,
) -> TopBench {
    let dut = NetTx::new(bytes);
    let e = rtl::elaborate(&dut);
    rtl::check_rtl(&e, &format!("net_tx_{bytes}_{name}"));
    let seed = rng::seed_for(name);
    let mut tb = Testbench::new(rtl::model_of(&dut), seed);
    tb.clock("clk", 4_000).expect("clock");
    let m = tb.model_mut();
    set(m, "cfg_mac", mac_u64(host.mac));
    set(m, "cfg_ip", ip_u64(host.ip));
    set(m, "cfg_netmask", ip_u64(host.mask));
    set(m, "cfg_gateway", ip_u64(host.gateway));
    set(m, "cfg_mtu", u64::from(mtu));
    set(m, "cfg_arp_timeout", u64::from(arp_timeout));
    set(m, "cfg_neigh_flush", 0);
    set(m, "neigh_rd_index", 0);
    tb.reset("rst", true, 4).expect("reset");
    let pace = |s: u64| Pace::random(in_pct, s);
    let m = tb.model();
    let arp = FieldSource::new(
        m,
        "s_arp",
        &["request", "sender_mac", "sender_ip", "target_ip", "for_us"],
        pace(seed ^ 1),
    )
    .expect("s_arp");
    let meta = FieldSource::new(
        m,
        "s_udp_meta",
        &["dst_ip", "dst_port", "src_port"],
        pace(seed ^ 2),
    )
    .expect("meta");
    let udp = AxisSource::new(m, "s_axis_udp", pace(seed ^ 3)).expect("udp");
    let icmp = AxisSource::new(m, "s_axis_icmp", pace(seed ^ 4)).expect("icmp");
    let bypass = AxisSource::new(m, "s_axis_bypass_tx", pace(seed ^ 5)).expect("bypass");
    let sink_pace = if full_speed {
        Pace::Always
    } else {
        Pace::random_bursts(16, 4, seed ^ 6)
    };
    let out = AxisSink::new(m, "m_axis", sink_pace)
        .expect("m_axis")
        .with_pcap(PcapWriter::in_target(&format!("net_tx_{name}_{bytes}")).expect("pcap"));
    let stats = PulseCounter::new(m, "stat_tx_").expect("stats");
    TopBench {
        arp: tb.attach("clk", arp),
        meta: tb.attach("clk", meta),
        udp: tb.attach("clk", udp),
        icmp: tb.attach("clk", icmp),
        bypass: tb.attach("clk", bypass),
        out: tb.attach("clk", out),
        stats: tb.attach("clk", stats),
        tb,
        seed,
    }
}

impl TopBench {
    /// Queues an ARP event.
    pub fn arp_event(
        &mut self,
        request: bool,
        sender_mac: [u8; 6],
        sender_ip: [u8; 4],
        target_ip: [u8; 4],
        for_us: bool,
    ) {
        self.tb.agent_mut(self.arp).push(vec![
            u64::from(request),
            mac_u64(sender_mac),
            ip_u64(sender_ip),
            ip_u64(target_ip),
            u64::from(for_us),
        ]);
    }

    /// Queues a datagram: metadata and payload (`abort`: `tuser` on the last beat).
    pub fn datagram(&mut self, dst: [u8; 4], src_port: u16, dst_port: u16, payload: Vec<u8>, abort: bool) {
        self.tb
            .agent_mut(self.meta)
            .push(vec![ip_u64(dst), u64::from(dst_port), u64::from(src_port)]);
        self.tb
            .agent_mut(self.udp)
            .push(testbenches::axis::AxisFrame::with_user(payload, u64::from(abort)));
    }

    /// Runs until every source is empty and `frames` frames came out (and a
    /// little longer, so that anything unexpected shows).
    pub fn run_for_frames(&mut self, frames: usize, max_cycles: u64) {
        let out = self.out;
        self.tb
            .run_until(|tb| tb.agent(out).frames().len() >= frames, max_cycles)
            .unwrap_or_else(|e| panic!("{e}"));
        self.tb
            .run_until_idle(max_cycles, 200)
            .unwrap_or_else(|e| panic!("{e}"));
    }

    /// Count of `stat_tx_<name>` pulses.
    pub fn stat(&self, name: &str) -> u64 {
        self.tb.agent(self.stats).count(&format!("stat_tx_{name}"))
    }
}
