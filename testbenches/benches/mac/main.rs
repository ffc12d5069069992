//! MAC benchmark: throughput and latency in simulation, area and LUT depth
//! from Yosys, one Markdown table per block (RX, TX, the combined MAC).
//!
//! `cargo bench -p testbenches --bench mac`. Throughput is measured with
//! back-to-back frames at 64, 1518 and 9018 bytes (FCS included): the wire
//! carries preamble (8), frame, FCS and a 12-byte average gap, so the line
//! rate of a 64-bit XGMII is 8 bytes of payload + overhead per cycle.

#[path = "../common/synth_table.rs"]
mod synth_table;

use generators::mac::axis_xgmii_rx_64::AxisXgmiiRx64;
use generators::mac::axis_xgmii_tx_64::AxisXgmiiTx64;
use generators::mac::eth_mac_10g_64::EthMac10g64;
use hdl::{Component, Elaborated};
use testbenches::axis::{AxisFrame, AxisSink, AxisSource, Pace};
use testbenches::xgmii::{LanePolicy, XgmiiLink, XgmiiMonitor, XgmiiSource};
use testbenches::{Agent, Testbench};
use verilator::{Model, PortHandle, Source};

const IFG: u64 = 12;
/// Frame sizes without FCS and how many frames to send of each.
const SIZES: [(usize, usize); 3] = [(60, 3000), (1514, 200), (9014, 40)];

fn elaborate<C: Component>(c: &C) -> Elaborated {
    hdl::elaborate(c).unwrap_or_else(|d| panic!("{d}"))
}

fn model(e: &Elaborated) -> Model {
    Model::builder(Source::from_hdl(e).expect("source"))
        .build()
        .expect("model")
}

fn frame(len: usize, seq: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 + seq) as u8).collect()
}

/// Cycles per frame from the cycles at which consecutive frames started.
fn period(starts: &[u64]) -> f64 {
    (starts[starts.len() - 1] - starts[0]) as f64 / (starts.len() - 1) as f64
}

struct Rate {
    frame_len: usize,
    cycles_per_frame: f64,
    lost: usize,
}

impl Rate {
    fn row(&self) -> String {
        let l = self.frame_len as f64;
        let wire = (l + 4.0 + 8.0 + IFG as f64) / self.cycles_per_frame;
        let ideal_payload = 8.0 * l / (l + 4.0 + 8.0 + IFG as f64);
        format!(
            "| {} | {:.3} | {:.3} | {:.3} | {:.4} | {} |",
            self.frame_len + 4,
            self.cycles_per_frame,
            l / self.cycles_per_frame,
            ideal_payload,
            wire / 8.0,
            self.lost
        )
    }
}

fn rate_header() -> &'static str {
    "| frame bytes (with FCS) | cycles per frame | payload B/cycle | max payload B/cycle | of line rate (8 B/cycle incl. preamble, FCS, gap) | frames lost |\n|---|---|---|---|---|---|"
}

fn rx_rates(e: &Elaborated) -> (Vec<Rate>, u64) {
    let mut rates = Vec::new();
    let mut latency = 0;
    for (len, n) in SIZES {
        let mut tb = Testbench::new(model(e), 1);
        tb.clock("clk", 6_400).unwrap();
        let p = tb.model().port("cfg_rx_max_len").unwrap();
        tb.model_mut().set_u64(p, 9018).unwrap();
        // Idles on the wire from the start, so that the input monitor sees XGMII.
        for (port, v) in [("xgmii_rxd", 0x0707_0707_0707_0707), ("xgmii_rxc", 0xFF)] {
            let p = tb.model().port(port).unwrap();
            tb.model_mut().set_u64(p, v).unwrap();
        }
        tb.reset("rst", true, 4).unwrap();
        let mut src = XgmiiSource::new(tb.model(), "xgmii_rx", LanePolicy::Zero, 1)
            .unwrap()
            .at_line_rate(IFG);
        for i in 0..n {
            src.push(&frame(len, i));
        }
        let wire = XgmiiMonitor::new(tb.model(), "xgmii_rx").unwrap();
        let sink = AxisSink::new(tb.model(), "m_axis", Pace::Always).unwrap();
        tb.attach("clk", src);
        let wire = tb.attach("clk", wire);
        let sink = tb.attach("clk", sink);
        tb.run_until_idle(10_000_000, 50).unwrap();
        let got = tb.agent(sink).frames();
        let starts: Vec<u64> = got.iter().map(|f| f.first_cycle).collect();
        rates.push(Rate {
            frame_len: len,
            cycles_per_frame: period(&starts),
            lost: n - got.iter().filter(|f| f.user == 0).count(),
        });
        latency = got[0].first_cycle - tb.agent(wire).frames()[0].start_cycle;
    }
    (rates, latency)
}

/// Records the cycle of the first AXI-Stream handshake on `s_axis`.
struct FirstBeat {
    valid: PortHandle,
    ready: PortHandle,
    cycle: Option<u64>,
}

impl Agent for FirstBeat {
    fn sample(&mut self, m: &Model, cycle: u64) -> testbenches::Result<()> {
        if self.cycle.is_none() && m.get_u64(self.valid)? == 1 && m.get_u64(self.ready)? == 1 {
            self.cycle = Some(cycle);
        }
        Ok(())
    }
    fn drive(&mut self, _m: &mut Model, _cycle: u64) -> testbenches::Result<()> {
        Ok(())
    }
}

fn tx_rates(e: &Elaborated) -> (Vec<Rate>, u64) {
    let mut rates = Vec::new();
    let mut latency = 0;
    for (len, n) in SIZES {
        let mut tb = Testbench::new(model(e), 1);
        tb.clock("clk", 6_400).unwrap();
        let p = tb.model().port("cfg_ifg").unwrap();
        tb.model_mut().set_u64(p, IFG).unwrap();
        tb.reset("rst", true, 4).unwrap();
        let mut src = AxisSource::new(tb.model(), "s_axis", Pace::Always).unwrap();
        for i in 0..n {
            src.push(AxisFrame::new(frame(len, i)));
        }
        let first = FirstBeat {
            valid: tb.model().port("s_axis_tvalid").unwrap(),
            ready: tb.model().port("s_axis_tready").unwrap(),
            cycle: None,
        };
        let mon = XgmiiMonitor::new(tb.model(), "xgmii_tx").unwrap();
        tb.attach("clk", src);
        let first = tb.attach("clk", first);
        let mon = tb.attach("clk", mon);
        tb.run_until_idle(10_000_000, 50).unwrap();
        let got = tb.agent(mon).frames();
        let starts: Vec<u64> = got.iter().map(|f| f.start_cycle).collect();
        rates.push(Rate {
            frame_len: len,
            cycles_per_frame: period(&starts),
            lost: n - got.iter().filter(|f| f.is_good()).count(),
        });
        latency = got[0].start_cycle - tb.agent(first).cycle.expect("a beat");
    }
    (rates, latency)
}

fn mac_rates(e: &Elaborated) -> Vec<Rate> {
    let mut rates = Vec::new();
    for (len, n) in SIZES {
        let mut tb = Testbench::new(model(e), 1);
        tb.clock("tx_clk", 6_400).unwrap();
        tb.clock("rx_clk", 6_400).unwrap();
        for (port, v) in [("cfg_ifg", IFG), ("cfg_rx_max_len", 9018)] {
            let p = tb.model().port(port).unwrap();
            tb.model_mut().set_u64(p, v).unwrap();
        }
        tb.resets(&[("tx_rst", true), ("rx_rst", true)], 4).unwrap();
        // Backlog above the largest frame: no idle column is deleted at
        // equal clocks once the frames flow.
        let (ltx, lrx) = XgmiiLink::pair(tb.model(), "xgmii_tx", "xgmii_rx", 4096).unwrap();
        let mut src = AxisSource::new(tb.model(), "tx_axis", Pace::Always).unwrap();
        for i in 0..n {
            src.push(AxisFrame::new(frame(len, i)));
        }
        let sink = AxisSink::new(tb.model(), "rx_axis", Pace::Always).unwrap();
        tb.attach("tx_clk", src);
        tb.attach("tx_clk", ltx);
        tb.attach("rx_clk", lrx);
        let sink = tb.attach("rx_clk", sink);
        tb.run_until_idle(10_000_000, 100).unwrap();
        let got = tb.agent(sink).frames();
        let starts: Vec<u64> = got.iter().map(|f| f.first_cycle).collect();
        rates.push(Rate {
            frame_len: len,
            cycles_per_frame: period(&starts[1..]),
            lost: n - got.iter().filter(|f| f.user == 0).count(),
        });
    }
    rates
}

/// The `synth_xilinx` option sets reported, because Yosys 0.23's mappings
/// differ a lot on XOR trees: the default (ABC, LUTs plus MUXF7/8/9),
/// `-nowidelut` (LUTs only: depth-oriented, the closest to what Vivado does
/// with a CRC) and `-abc9` (Yosys' Xilinx delay model, which favours chains
/// of small LUTs, so its LUT levels overstate the depth).
const FLOWS: [&str; 3] = ["", "-nowidelut", "-abc9"];

fn synth_flows(e: &Elaborated) -> Vec<generators::cli::synth::ModuleResult> {
    FLOWS
        .iter()
        .map(|f| {
            synth_table::synth(e, &[e.top_name()], f)
                .pop()
                .expect("one module")
        })
        .collect()
}

fn area_table(flows: &[generators::cli::synth::ModuleResult]) -> String {
    synth_table::table(flows.iter().zip(FLOWS))
}

fn main() {
    let rx = elaborate(&AxisXgmiiRx64);
    let tx = elaborate(&AxisXgmiiTx64);
    let mac = elaborate(&EthMac10g64);
    let rx_syn = synth_flows(&rx);
    let tx_syn = synth_flows(&tx);
    let mac_syn = synth_flows(&mac);

    let (rx_rates, rx_latency) = rx_rates(&rx);
    println!("## axis_xgmii_rx_64\n");
    println!("Input: back-to-back frames at line rate (deficit idle count, 12-byte average gap), starts on lane 0.\n");
    println!("{}", rate_header());
    for r in &rx_rates {
        println!("{}", r.row());
    }
    println!("\nLatency, first XGMII word (start) in -> first AXI-Stream beat out: {rx_latency} cycles\n");
    println!("{}\n", area_table(&rx_syn));

    let (tx_rates, tx_latency) = tx_rates(&tx);
    println!("## axis_xgmii_tx_64\n");
    println!("Input: every frame queued at once, `tvalid` high throughout; cfg_ifg = 12.\n");
    println!("{}", rate_header());
    for r in &tx_rates {
        println!("{}", r.row());
    }
    println!("\nLatency, first AXI-Stream beat in -> start character out: {tx_latency} cycles\n");
    println!("{}\n", area_table(&tx_syn));

    let mac_rates = mac_rates(&mac);
    println!("## eth_mac_10g_64 (TX -> XGMII -> RX, equal clocks)\n");
    println!("{}", rate_header());
    for r in &mac_rates {
        println!("{}", r.row());
    }
    println!();
    println!("{}", area_table(&mac_syn));
    for (flow, s) in FLOWS.iter().zip(&mac_syn) {
        let r = &s.resources;
        println!(
            "\nRX + TX, `synth_xilinx -family xcup {flow}`: {} LUT ({:.0} % of the 2,000 goal), {} FF ({:.0} % of 2,100), {} LUT levels (goal <= 6), {} logic levels; deepest: {} -> {}.",
            r.lut,
            100.0 * r.lut as f64 / 2000.0,
            r.ff,
            100.0 * r.ff as f64 / 2100.0,
            s.depth.lut_levels,
            s.depth.levels,
            s.depth.from,
            s.depth.to
        );
    }
}
