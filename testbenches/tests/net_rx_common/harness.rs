//! The test bench around `net_rx`: a source on `s_axis`, sinks with random
//! back-pressure on every output, a counter of every pulse, and the
//! scoreboards fed by the reference model.

use super::model::{classify, ArpEvent, Config, Outcome, Reason, RpcMeta};
use generators::net::rx::net_rx::NetRx;
use std::collections::BTreeMap;
use testbenches::axis::{AxisFrame, AxisSink, AxisSource, Pace};
use testbenches::pcap::PcapWriter;
use testbenches::{Agent, Handle, Result, Scoreboard, Testbench};
use verilator::{Model, PortHandle, Source};

/// Takes items from a valid/ready stream whose payload is several ports.
pub struct FieldSink {
    valid: PortHandle,
    ready: PortHandle,
    fields: Vec<PortHandle>,
    pace: Pace,
    ready_now: bool,
    /// Items taken, one value per field.
    pub items: Vec<Vec<u64>>,
    /// The cycle each item was taken in.
    pub cycles: Vec<u64>,
}

impl FieldSink {
    /// A sink for `<prefix>_valid/_ready/_payload_<field>`.
    pub fn new(m: &Model, prefix: &str, fields: &[&str], pace: Pace) -> Result<FieldSink> {
        Ok(FieldSink {
            valid: m.port(&format!("{prefix}_valid"))?,
            ready: m.port(&format!("{prefix}_ready"))?,
            fields: fields
                .iter()
                .map(|f| m.port(&format!("{prefix}_payload_{f}")))
                .collect::<std::result::Result<_, _>>()?,
            pace,
            ready_now: false,
            items: Vec::new(),
            cycles: Vec::new(),
        })
    }
}

impl FieldSink {
    /// Changes how often the sink is ready from the next cycle on.
    pub fn set_pace(&mut self, pace: Pace) {
        self.pace = pace;
    }
}

impl Agent for FieldSink {
    fn sample(&mut self, m: &Model, cycle: u64) -> Result<()> {
        if self.ready_now && m.get_u64(self.valid)? == 1 {
            self.cycles.push(cycle);
            let item = self
                .fields
                .iter()
                .map(|&f| m.get_u64(f))
                .collect::<std::result::Result<_, _>>()?;
            self.items.push(item);
        }
        Ok(())
    }

    fn drive(&mut self, m: &mut Model, cycle: u64) -> Result<()> {
        self.ready_now = self.pace.next(cycle);
        m.set_u64(self.ready, u64::from(self.ready_now))?;
        Ok(())
    }
}

/// Counts the cycles in which each of a set of one-bit outputs is high.
pub struct PulseCounter {
    ports: Vec<(String, PortHandle)>,
    /// Pulses per port name.
    pub counts: BTreeMap<String, u64>,
}

impl Agent for PulseCounter {
    fn sample(&mut self, m: &Model, _cycle: u64) -> Result<()> {
        for (name, p) in &self.ports {
            if m.get_u64(*p)? == 1 {
                *self.counts.entry(name.clone()).or_default() += 1;
            }
        }
        Ok(())
    }

    fn drive(&mut self, _m: &mut Model, _cycle: u64) -> Result<()> {
        Ok(())
    }
}

/// Every pulse output of `net_rx`.
pub fn pulse_ports() -> Vec<&'static str> {
    let mut v: Vec<&str> = Reason::ALL.iter().map(|r| r.port()).collect();
    v.extend([
        "stat_rx_overflow",
        "stat_rx_arp_overflow",
        "stat_rx_rpc",
        "stat_rx_icmp",
        "stat_rx_bypass",
        "stat_rx_arp",
    ]);
    v
}

const RPC_FIELDS: [&str; 8] = [
    "src_mac",
    "src_ip",
    "dst_ip",
    "src_port",
    "dst_port",
    "length",
    "reply",
    "listen_index",
];
const ARP_FIELDS: [&str; 5] = ["request", "sender_mac", "sender_ip", "target_ip", "for_us"];

/// A built `net_rx` model for `bytes` (cached by Verilator on its content).
pub fn model(bytes: u32) -> Model {
    model_of(&NetRx::new(bytes))
}

/// A built model of any `net_rx` configuration.
pub fn model_of(rx: &NetRx) -> Model {
    let e = hdl::elaborate(rx).unwrap_or_else(|d| panic!("{d}"));
    Model::builder(Source::from_hdl(&e).expect("source"))
        .cxx_opt("-O1")
        .build()
        .expect("net_rx model")
}

/// Output pacing of a bench.
#[derive(Clone, Copy, Debug)]
pub struct Paces {
    /// Percent of cycles the source offers a beat.
    pub input: u32,
    /// Percent of cycles each output is ready.
    pub output: u32,
}

/// `net_rx` in a test bench, with the reference model's expectations.
pub struct Rx {
    pub tb: Testbench,
    pub cfg: Config,
    src: Handle<AxisSource>,
    rpc: Handle<AxisSink>,
    icmp: Handle<AxisSink>,
    bypass: Handle<AxisSink>,
    class: Handle<AxisSink>,
    rpc_meta: Handle<FieldSink>,
    arp: Handle<FieldSink>,
    pulses: Handle<PulseCounter>,
    exp_rpc: Scoreboard<Vec<u8>>,
    exp_rpc_meta: Scoreboard<Fields>,
    exp_icmp: Scoreboard<Vec<u8>>,
    exp_bypass: Scoreboard<Vec<u8>>,
    exp_class: Scoreboard<Vec<u8>>,
    exp_arp: Scoreboard<Fields>,
    /// Expected pulse counts.
    pub exp_pulses: BTreeMap<String, u64>,
    /// Frames sent.
    pub sent: u64,
}

impl Rx {
    /// A bench around `model` with configuration `cfg` (written into the
    /// design, listen table included); captures go to `target/pcap/<name>_*`.
    pub fn new(model: Model, cfg: Config, seed: u64, paces: Paces, name: &str) -> Result<Rx> {
        let mut tb = Testbench::new(model, seed);
        tb.clock("clk", 4_000)?;
        let pcap = |what: &str| PcapWriter::in_target(&format!("{name}_{what}")).expect("pcap");
        let src =
            AxisSource::new(tb.model(), "s_axis", Pace::random(paces.input, seed))?.with_pcap(pcap("in"));
        let out = |i: u64| Pace::random(paces.output, seed ^ (0x100 + i));
        let rpc = AxisSink::new(tb.model(), "m_axis_rpc", out(1))?;
        let icmp = AxisSink::new(tb.model(), "m_axis_icmp", out(2))?.with_pcap(pcap("icmp"));
        let bypass = AxisSink::new(tb.model(), "m_axis_bypass", out(3))?.with_pcap(pcap("bypass"));
        let class = AxisSink::stream(tb.model(), "m_bypass_class", out(4))?;
        let rpc_meta = FieldSink::new(tb.model(), "m_rpc_meta", &RPC_FIELDS, out(5))?;
        let arp = FieldSink::new(tb.model(), "m_arp", &ARP_FIELDS, out(6))?;
        let ports = pulse_ports()
            .into_iter()
            .map(|p| Ok((p.to_string(), tb.model().port(p)?)))
            .collect::<Result<Vec<_>>>()?;
        let pulses = PulseCounter {
            ports,
            counts: BTreeMap::new(),
        };
        let src = tb.attach("clk", src);
        let rpc = tb.attach("clk", rpc);
        let icmp = tb.attach("clk", icmp);
        let bypass = tb.attach("clk", bypass);
        let class = tb.attach("clk", class);
        let rpc_meta = tb.attach("clk", rpc_meta);
        let arp = tb.attach("clk", arp);
        let pulses = tb.attach("clk", pulses);
        let mut rx = Rx {
            tb,
            cfg: cfg.clone(),
            src,
            rpc,
            icmp,
            bypass,
            class,
            rpc_meta,
            arp,
            pulses,
            exp_rpc: Scoreboard::new("rpc payloads"),
            exp_rpc_meta: Scoreboard::new("rpc metadata"),
            exp_icmp: Scoreboard::new("icmp frames"),
            exp_bypass: Scoreboard::new("bypass frames"),
            exp_class: Scoreboard::new("bypass classes"),
            exp_arp: Scoreboard::new("arp events"),
            exp_pulses: BTreeMap::new(),
            sent: 0,
        };
        rx.write_config(&cfg)?;
        rx.tb.reset("rst", true, 4)?;
        for (i, e) in cfg.listen.iter().enumerate() {
            rx.write_listen(i, *e)?;
        }
        Ok(rx)
    }

    fn set(&mut self, port: &str, v: u64) -> Result<()> {
        let p = self.tb.model().port(port)?;
        self.tb.model_mut().set_u64(p, v)?;
        Ok(())
    }

    /// Drives the static `cfg_*` inputs.
    pub fn write_config(&mut self, cfg: &Config) -> Result<()> {
        let mac = cfg.mac.iter().fold(0u64, |a, &b| a << 8 | u64::from(b));
        self.set("cfg_mac", mac)?;
        self.set("cfg_ip", u64::from(u32::from_be_bytes(cfg.ip)))?;
        self.set("cfg_netmask", u64::from(u32::from_be_bytes(cfg.netmask)))?;
        self.set("cfg_promiscuous", u64::from(cfg.promiscuous))?;
        self.set("cfg_max_len", u64::from(cfg.max_len))?;
        self.set("cfg_listen_wr_en", 0)?;
        let listen = self.cfg.listen.clone();
        self.cfg = cfg.clone();
        self.cfg.listen = listen;
        Ok(())
    }

    /// Writes listen-table entry `index` (takes one cycle); the model sees
    /// it from the next frame queued on.
    pub fn write_listen(&mut self, index: usize, entry: Option<(u16, bool)>) -> Result<()> {
        self.set("cfg_listen_wr_en", 1)?;
        self.set("cfg_listen_wr_index", index as u64)?;
        self.set("cfg_listen_wr_enable", u64::from(entry.is_some()))?;
        self.set("cfg_listen_wr_port", u64::from(entry.map_or(0, |e| e.0)))?;
        self.set("cfg_listen_wr_reply", u64::from(entry.is_some_and(|e| e.1)))?;
        self.tb.run("clk", 1)?;
        self.set("cfg_listen_wr_en", 0)?;
        self.cfg.listen[index] = entry;
        Ok(())
    }

    /// Queues `frame` (`bad`: tuser set) and records what the model says
    /// must come of it. Returns the outcome.
    pub fn send(&mut self, frame: Vec<u8>, bad: bool) -> Outcome {
        let outcome = classify(&self.cfg, &frame, bad);
        self.expect(&outcome);
        self.sent += 1;
        self.tb
            .agent_mut(self.src)
            .push(AxisFrame::with_user(frame, u64::from(bad)));
        outcome
    }

    /// Queues a frame without expectations (the caller knows better, e.g.
    /// when it will overflow).
    pub fn send_raw(&mut self, frame: Vec<u8>, bad: bool) {
        self.sent += 1;
        self.tb
            .agent_mut(self.src)
            .push(AxisFrame::with_user(frame, u64::from(bad)));
    }

    /// Adds the expectations of `o`.
    pub fn expect(&mut self, o: &Outcome) {
        let pulse = |p: &mut BTreeMap<String, u64>, name: &str| *p.entry(name.to_string()).or_default() += 1;
        match o {
            Outcome::Drop(r) => pulse(&mut self.exp_pulses, r.port()),
            Outcome::Rpc { payload, meta } => {
                self.exp_rpc.expect(payload.clone());
                self.exp_rpc_meta.expect(rpc_fields(meta));
                pulse(&mut self.exp_pulses, "stat_rx_rpc");
            }
            Outcome::Icmp(f) => {
                self.exp_icmp.expect(f.clone());
                pulse(&mut self.exp_pulses, "stat_rx_icmp");
            }
            Outcome::Bypass { frame, class } => {
                self.exp_bypass.expect(frame.clone());
                self.exp_class.expect(vec![*class]);
                pulse(&mut self.exp_pulses, "stat_rx_bypass");
            }
            Outcome::Arp(e) => {
                self.exp_arp.expect(arp_fields(e));
                pulse(&mut self.exp_pulses, "stat_rx_arp");
            }
        }
    }

    /// Runs until everything queued has gone in and every expected output
    /// has come out (a store-and-forward buffer holds a frame until its last
    /// byte is in, so idle agents are not enough), then 200 more cycles to
    /// catch anything unexpected.
    pub fn run(&mut self, max_cycles: u64) -> Result<u64> {
        let want = [
            self.exp_rpc.outstanding(),
            self.exp_rpc_meta.outstanding(),
            self.exp_icmp.outstanding(),
            self.exp_bypass.outstanding(),
            self.exp_class.outstanding(),
            self.exp_arp.outstanding(),
        ];
        let (src, rpc, meta, icmp, bypass, class, arp) = (
            self.src,
            self.rpc,
            self.rpc_meta,
            self.icmp,
            self.bypass,
            self.class,
            self.arp,
        );
        let n = self.tb.run_until(
            |tb| {
                let got = [
                    tb.agent(rpc).frames().len(),
                    tb.agent(meta).items.len(),
                    tb.agent(icmp).frames().len(),
                    tb.agent(bypass).frames().len(),
                    tb.agent(class).frames().len(),
                    tb.agent(arp).items.len(),
                ];
                tb.agent(src).is_idle() && got.iter().zip(&want).all(|(g, w)| g >= w)
            },
            max_cycles,
        )?;
        self.tb.run("clk", 200)?;
        Ok(n)
    }

    /// Sets the pace of every output (0: stalled).
    pub fn set_output_pace(&mut self, percent: u32, seed: u64) {
        let p = |i: u64| Pace::random(percent, seed ^ i);
        self.tb.agent_mut(self.rpc).set_pace(p(1));
        self.tb.agent_mut(self.icmp).set_pace(p(2));
        self.tb.agent_mut(self.bypass).set_pace(p(3));
        self.tb.agent_mut(self.class).set_pace(p(4));
        self.tb.agent_mut(self.rpc_meta).set_pace(p(5));
        self.tb.agent_mut(self.arp).set_pace(p(6));
    }

    /// Everything received so far: RPC payloads with their metadata
    /// (fields in `RpcMeta` order), bypass frames with their classes.
    pub fn take_outputs(&mut self) -> Outputs {
        let rpc = self
            .tb
            .agent_mut(self.rpc)
            .take_frames()
            .into_iter()
            .map(|f| f.data)
            .collect();
        let meta = std::mem::take(&mut self.tb.agent_mut(self.rpc_meta).items)
            .into_iter()
            .map(Fields)
            .collect();
        let byp = self
            .tb
            .agent_mut(self.bypass)
            .take_frames()
            .into_iter()
            .map(|f| f.data)
            .collect();
        let class = self
            .tb
            .agent_mut(self.class)
            .take_frames()
            .into_iter()
            .map(|f| f.data[0])
            .collect();
        (rpc, meta, byp, class)
    }

    /// The cycles in which RPC metadata items were taken, and the first
    /// and last cycles of each RPC payload frame.
    pub fn rpc_timing(&self) -> (Vec<u64>, Vec<(u64, u64)>) {
        let meta = self.tb.agent(self.rpc_meta).cycles.clone();
        let frames = self
            .tb
            .agent(self.rpc)
            .frames()
            .iter()
            .map(|f| (f.first_cycle, f.last_cycle))
            .collect();
        (meta, frames)
    }

    /// The first and last cycles of each bypass frame.
    pub fn bypass_timing(&self) -> Vec<(u64, u64)> {
        self.tb
            .agent(self.bypass)
            .frames()
            .iter()
            .map(|f| (f.first_cycle, f.last_cycle))
            .collect()
    }

    /// Frames queued and not yet sent.
    pub fn pending(&self) -> usize {
        self.tb.agent(self.src).pending()
    }

    /// Pulses counted so far.
    pub fn pulses(&self) -> &BTreeMap<String, u64> {
        &self.tb.agent(self.pulses).counts
    }

    /// Checks every output against the model, then every pulse count.
    pub fn check(&mut self) -> Result<()> {
        let rpc: Vec<Vec<u8>> = self
            .tb
            .agent_mut(self.rpc)
            .take_frames()
            .into_iter()
            .map(|f| f.data)
            .collect();
        self.exp_rpc.observe_all(rpc)?;
        let meta = std::mem::take(&mut self.tb.agent_mut(self.rpc_meta).items);
        self.exp_rpc_meta.observe_all(meta.into_iter().map(Fields))?;
        let icmp: Vec<Vec<u8>> = self
            .tb
            .agent_mut(self.icmp)
            .take_frames()
            .into_iter()
            .map(|f| f.data)
            .collect();
        self.exp_icmp.observe_all(icmp)?;
        let bypass: Vec<Vec<u8>> = self
            .tb
            .agent_mut(self.bypass)
            .take_frames()
            .into_iter()
            .map(|f| f.data)
            .collect();
        self.exp_bypass.observe_all(bypass)?;
        let class: Vec<Vec<u8>> = self
            .tb
            .agent_mut(self.class)
            .take_frames()
            .into_iter()
            .map(|f| f.data)
            .collect();
        self.exp_class.observe_all(class)?;
        let arp = std::mem::take(&mut self.tb.agent_mut(self.arp).items);
        self.exp_arp.observe_all(arp.into_iter().map(Fields))?;
        for s in [&self.exp_rpc, &self.exp_icmp, &self.exp_bypass, &self.exp_class] {
            s.finish()?;
        }
        self.exp_rpc_meta.finish()?;
        self.exp_arp.finish()?;
        let got: BTreeMap<String, u64> = self
            .pulses()
            .iter()
            .filter(|(_, &n)| n > 0)
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        let want: BTreeMap<String, u64> = self
            .exp_pulses
            .iter()
            .filter(|(_, &n)| n > 0)
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        if got != want {
            return Err(testbenches::Error::Mismatch(format!(
                "pulse counts differ\nexpected {want:?}\n     got {got:?}"
            )));
        }
        Ok(())
    }
}

fn rpc_fields(m: &RpcMeta) -> Fields {
    Fields(vec![
        m.src_mac,
        u64::from(m.src_ip),
        u64::from(m.dst_ip),
        u64::from(m.src_port),
        u64::from(m.dst_port),
        u64::from(m.length),
        u64::from(m.reply),
        u64::from(m.listen_index),
    ])
}

fn arp_fields(e: &ArpEvent) -> Fields {
    Fields(vec![
        u64::from(e.request),
        e.sender_mac,
        u64::from(e.sender_ip),
        u64::from(e.target_ip),
        u64::from(e.for_us),
    ])
}

/// RPC payloads, their metadata, bypass frames, their classes.
pub type Outputs = (Vec<Vec<u8>>, Vec<Fields>, Vec<Vec<u8>>, Vec<u8>);

/// The fields of a metadata item, shown in hex.
#[derive(Clone, PartialEq, Eq)]
pub struct Fields(pub Vec<u64>);

impl std::fmt::Debug for Fields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let v: Vec<String> = self.0.iter().map(|x| format!("{x:#x}")).collect();
        write!(f, "[{}]", v.join(", "))
    }
}

impl testbenches::scoreboard::Compare for Fields {}
