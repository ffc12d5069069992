//! `AxiLiteSplit` through Verilator: a paced master on the slave port, a
//! paced memory slave (`AxilSlave`) on every master port. Random accesses
//! over the whole address space, holes included, checked against a model
//! written from the window list: each access reaches exactly the slave whose
//! window holds it, with its address, data and strobes unchanged and in
//! order; an address in no window answers DECERR and reaches no slave; reads
//! return what the model's memory holds.

use hdl::stdlib::axi_lite_split::{AxiLiteSplit, Window};
use std::collections::HashMap;
use testbenches::axil::{AxilMaster, AxilOp, AxilPace, AxilResult, AxilSlave, Resp};
use testbenches::rtl_check::checked_model;
use testbenches::{rng, Handle, Result, Rng, Testbench};

struct Bench {
    tb: Testbench,
    master: Handle<AxilMaster>,
    slaves: Vec<Handle<AxilSlave>>,
    split: AxiLiteSplit,
    /// The model: per window, word address -> word.
    memory: Vec<HashMap<u64, u64>>,
    rng: Rng,
}

impl Bench {
    fn new(split: AxiLiteSplit, test: &str, master_pace: u32, slave_pace: u32) -> Result<Bench> {
        let seed = rng::seed_for(test);
        let mut tb = Testbench::new(checked_model(&split, test), seed);
        tb.clock("clk", 4_000)?;
        tb.reset("rst", true, 4)?;
        let pace = |p: u32, s: u64| {
            if p >= 100 {
                AxilPace::always()
            } else {
                AxilPace::random(p, s)
            }
        };
        let master = AxilMaster::new(tb.model(), "s_axil", pace(master_pace, seed))?.with_max_outstanding(4);
        let master = tb.attach("clk", master);
        let mut slaves = Vec::new();
        for i in 0..split.windows.len() {
            let s = AxilSlave::new(
                tb.model(),
                &format!("m_axil_{i}"),
                pace(slave_pace, seed ^ (i as u64 + 7)),
            )?;
            slaves.push(tb.attach("clk", s));
        }
        let memory = vec![HashMap::new(); split.windows.len()];
        Ok(Bench {
            tb,
            master,
            slaves,
            split,
            memory,
            rng: Rng::new(seed ^ 0x5eed),
        })
    }

    fn data_bytes(&self) -> u64 {
        u64::from(self.split.data_width / 8)
    }

    /// The window holding `addr`, from the window list (the model).
    fn window_of(&self, addr: u64) -> Option<usize> {
        self.split
            .windows
            .iter()
            .position(|w| addr >> w.bits == w.base >> w.bits)
    }

    /// A random word address over the whole space, holes included.
    fn random_addr(&mut self) -> u64 {
        let words = (1u64 << self.split.addr_width) / self.data_bytes();
        self.rng.below(words) * self.data_bytes()
    }

    /// Queues `ops`, runs until every one is answered, and checks the
    /// responses, the read data and what each slave saw.
    fn run(&mut self, ops: &[AxilOp]) -> Result<()> {
        let mut expect_reads: Vec<Option<u64>> = Vec::new();
        let mut per_slave: Vec<Vec<AxilOp>> = vec![Vec::new(); self.slaves.len()];
        // Reads see the memory as it was before this batch; a batch never
        // reads an address it writes (see `mixed`).
        for op in ops {
            let addr = match op {
                AxilOp::Write { addr, .. } | AxilOp::Read { addr } => *addr,
            };
            let window = self.window_of(addr);
            if let Some(w) = window {
                per_slave[w].push(op.clone());
            }
            match op {
                AxilOp::Write { addr, data, strb } => {
                    self.tb.agent_mut(self.master).write(*addr, *data, *strb);
                    if let Some(w) = window {
                        let key = addr / self.data_bytes();
                        let old = self.memory[w].get(&key).copied().unwrap_or(0);
                        let mask = (0..self.data_bytes())
                            .filter(|i| strb >> i & 1 == 1)
                            .fold(0u64, |m, i| m | 0xff << (8 * i));
                        self.memory[w].insert(key, old & !mask | data & mask);
                    }
                    expect_reads.push(None);
                }
                AxilOp::Read { addr } => {
                    self.tb.agent_mut(self.master).read(*addr);
                    expect_reads.push(window.map(|w| self.memory_before(w, *addr, ops)));
                }
            }
        }
        self.tb.run_until_idle(200 * ops.len() as u64 + 1_000, 10)?;
        let results: Vec<AxilResult> = self.tb.agent_mut(self.master).take_results();
        assert_eq!(results.len(), ops.len());
        for ((r, op), want) in results.iter().zip(ops).zip(&expect_reads) {
            assert_eq!(&r.op, op);
            let addr = match op {
                AxilOp::Write { addr, .. } | AxilOp::Read { addr } => *addr,
            };
            match self.window_of(addr) {
                None => assert_eq!(r.resp, Resp::DecErr, "{addr:#x} is in no window: {r:?}"),
                Some(w) => {
                    assert_eq!(r.resp, Resp::Okay, "{addr:#x} is in window {w}: {r:?}");
                    if let (AxilOp::Read { .. }, Some(word)) = (op, want) {
                        assert_eq!(r.data, *word, "read {addr:#x} (window {w})");
                    }
                }
            }
        }
        // Each slave saw exactly its accesses, unchanged; writes in order and
        // reads in order (the two directions are independent).
        for (i, want) in per_slave.iter().enumerate() {
            let got: Vec<AxilOp> = self
                .tb
                .agent_mut(self.slaves[i])
                .take_served()
                .into_iter()
                .map(|s| s.op)
                .collect();
            let split = |v: &[AxilOp], writes: bool| -> Vec<AxilOp> {
                v.iter()
                    .filter(|o| matches!(o, AxilOp::Write { .. }) == writes)
                    .cloned()
                    .collect()
            };
            assert_eq!(split(&got, true), split(want, true), "writes at slave {i}");
            assert_eq!(split(&got, false), split(want, false), "reads at slave {i}");
        }
        Ok(())
    }

    /// What a read of `addr` in this batch returns: the model's word before
    /// the batch's writes (a batch never reads what it writes).
    fn memory_before(&self, w: usize, addr: u64, ops: &[AxilOp]) -> u64 {
        let key = addr / self.data_bytes();
        assert!(
            !ops.iter()
                .any(|o| matches!(o, AxilOp::Write { addr: a, .. } if a / self.data_bytes() == key)),
            "test bug: a batch reads {addr:#x}, which it writes"
        );
        self.memory[w].get(&key).copied().unwrap_or(0)
    }

    fn random_write(&mut self) -> AxilOp {
        let addr = self.random_addr();
        let full = (1u64 << self.data_bytes()) - 1;
        let data = self.rng.next_u64()
            & if self.data_bytes() == 8 {
                u64::MAX
            } else {
                0xffff_ffff
            };
        let strb = if self.rng.chance(50) {
            full
        } else {
            self.rng.below(full + 1)
        };
        AxilOp::Write { addr, data, strb }
    }

    /// Writes everywhere, then reads everywhere, then both at once to
    /// different addresses.
    fn exercise(&mut self, n: usize) -> Result<()> {
        let writes: Vec<AxilOp> = (0..n).map(|_| self.random_write()).collect();
        // Writes to one address in one batch are fine: they go in order.
        self.run(&writes)?;
        let reads: Vec<AxilOp> = (0..n)
            .map(|_| AxilOp::Read {
                addr: self.random_addr(),
            })
            .collect();
        self.run(&reads)?;
        // Mixed: reads of addresses written earlier, writes to others.
        let mut mixed = Vec::new();
        let mut written = std::collections::HashSet::new();
        while mixed.len() < n {
            if self.rng.chance(50) {
                let w = self.random_write();
                if let AxilOp::Write { addr, .. } = w {
                    written.insert(addr);
                }
                mixed.push(w);
            } else {
                mixed.push(AxilOp::Read {
                    addr: self.random_addr(),
                });
            }
        }
        mixed.retain(|o| !matches!(o, AxilOp::Read { addr } if written.contains(addr)));
        self.run(&mixed)
    }
}

/// Three windows of different sizes with holes between them.
fn three_windows(data_width: u32) -> AxiLiteSplit {
    AxiLiteSplit {
        addr_width: 13,
        data_width,
        windows: vec![
            Window { base: 0x0, bits: 8 },
            Window {
                base: 0x400,
                bits: 10,
            },
            Window {
                base: 0x1000,
                bits: 12,
            },
        ],
    }
}

#[test]
fn random_accesses_reach_their_window_or_decerr() -> Result<()> {
    let mut b = Bench::new(three_windows(32), "axil_split_random", 60, 60)?;
    b.exercise(400)
}

#[test]
fn full_speed_master_and_slaves() -> Result<()> {
    let mut b = Bench::new(three_windows(32), "axil_split_full_speed", 100, 100)?;
    b.exercise(300)
}

#[test]
fn slow_slaves_behind_a_busy_master() -> Result<()> {
    let mut b = Bench::new(three_windows(32), "axil_split_slow_slaves", 100, 15)?;
    b.exercise(150)
}

#[test]
fn sixty_four_bit_data_and_equal_windows() -> Result<()> {
    let split = AxiLiteSplit {
        addr_width: 12,
        data_width: 64,
        windows: vec![
            Window { base: 0, bits: 10 },
            Window {
                base: 0x400,
                bits: 10,
            },
        ],
    };
    let mut b = Bench::new(split, "axil_split_d64", 50, 50)?;
    b.exercise(300)
}

#[test]
fn holes_answer_decerr_without_touching_a_slave() -> Result<()> {
    let mut b = Bench::new(three_windows(32), "axil_split_holes", 70, 70)?;
    // Every hole word of the 13-bit space, written then read.
    let holes: Vec<u64> = (0..(1u64 << 13))
        .step_by(4)
        .filter(|a| b.window_of(*a).is_none())
        .collect();
    assert_eq!(holes.len(), (0x300 + 0x800) / 4);
    let ops: Vec<AxilOp> = holes
        .iter()
        .step_by(7)
        .flat_map(|&addr| {
            [
                AxilOp::Write {
                    addr,
                    data: 0xdead_beef,
                    strb: 0xf,
                },
                AxilOp::Read { addr },
            ]
        })
        .collect();
    // `run` checks that no slave saw any of them.
    b.run(&ops)
}
