//! One AXI4-Lite master, several slaves: address decoding.
//!
//! [`AxiLiteSplit`] forwards each access of its slave port `s_axil` to the
//! master port `m_axil_<i>` whose window holds the address, unchanged, and
//! brings the response back; an address in no window answers DECERR without
//! reaching any slave. One write and one read are handled at a time (each
//! completes before the next of its kind is accepted), which is plenty for
//! control registers and keeps every output a register.

use super::axi_lite::{AxiLite, AxiResp};
use crate::prelude::*;

bundle! {
    /// Ports of [`AxiLiteSplit`].
    pub struct AxiLiteSplitIo {
        /// From the master.
        #[input]
        pub s_axil: AxiLite,
        /// To the slaves, in window order.
        pub m_axil: Vec<AxiLite>,
    }
}

/// An address window: the addresses whose bits above `bits` equal those of
/// `base` (`base` is aligned to `2^bits`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// First address.
    pub base: u64,
    /// log2 of the size.
    pub bits: u32,
}

/// Splits an AXI4-Lite bus of `addr_width` address bits and `data_width`
/// data bits over `windows`: `axil_split_a{addr}_n{windows}` (with the
/// windows' bases and sizes in the name when they are not the default
/// consecutive equal windows).
#[derive(Clone, Debug)]
pub struct AxiLiteSplit {
    /// Address bits.
    pub addr_width: u32,
    /// Data bits (32 or 64).
    pub data_width: u32,
    /// The slaves' windows; they must not overlap.
    pub windows: Vec<Window>,
}

impl AxiLiteSplit {
    fn check(&self) {
        assert!(!self.windows.is_empty(), "AxiLiteSplit needs a window");
        for (i, w) in self.windows.iter().enumerate() {
            assert!(
                w.bits <= self.addr_width && w.base % (1u64 << w.bits) == 0 && w.base >> self.addr_width == 0,
                "AxiLiteSplit window {i} ({:#x}, 2^{}) is not aligned inside {} address bits",
                w.base,
                w.bits,
                self.addr_width
            );
            for (j, v) in self.windows.iter().enumerate().skip(i + 1) {
                let (a0, a1) = (w.base, w.base + (1u64 << w.bits));
                let (b0, b1) = (v.base, v.base + (1u64 << v.bits));
                assert!(a1 <= b0 || b1 <= a0, "AxiLiteSplit windows {i} and {j} overlap");
            }
        }
    }

    /// Bit `i` set: the address lies in window `i`.
    #[track_caller]
    fn decode(&self, addr: UInt) -> Vec<Bool> {
        self.windows
            .iter()
            .map(|w| {
                if w.bits >= self.addr_width {
                    Bool::lit(true)
                } else {
                    addr.range(self.addr_width - 1, w.bits)
                        .is_eq(UInt::lit(u128::from(w.base >> w.bits), self.addr_width - w.bits))
                }
            })
            .collect()
    }
}

impl Component for AxiLiteSplit {
    type Io = AxiLiteSplitIo;

    fn name(&self) -> String {
        let mut n = format!("axil_split_a{}_n{}", self.addr_width, self.windows.len());
        for w in &self.windows {
            n += &format!("_{:x}s{}", w.base, w.bits);
        }
        if self.data_width != 32 {
            n += &format!("_d{}", self.data_width);
        }
        n
    }

    fn io(&self) -> AxiLiteSplitIo {
        self.check();
        let bus = AxiLite::ty(self.addr_width, self.data_width);
        AxiLiteSplitIo {
            s_axil: bus.clone(),
            m_axil: vec![bus; self.windows.len()],
        }
    }

    fn build(&self, io: &AxiLiteSplitIo) {
        let s = &io.s_axil;
        let n = self.windows.len();
        let (aw, dw) = (self.addr_width, self.data_width);
        let decerr = Bits::lit(u128::from(AxiResp::DecErr.code()), 2);

        // Writes: collect address and data, issue both, wait for the response.
        let aw_valid = reg("aw_valid", Bool::ty()).init(false);
        let aw_addr = reg("aw_addr", UInt::ty(aw));
        let aw_prot = reg("aw_prot", Bits::ty(3));
        let w_valid = reg("w_valid", Bool::ty()).init(false);
        let w_data = reg("w_data", Bits::ty(dw));
        let w_strb = reg("w_strb", Bits::ty(dw / 8));
        let wr_target = reg("wr_target", Bits::ty(n as u32)).init(0);
        let wr_aw_out = reg("wr_aw_out", Bool::ty()).init(false);
        let wr_w_out = reg("wr_w_out", Bool::ty()).init(false);
        let wr_wait = reg("wr_wait", Bool::ty()).init(false);
        let b_valid = reg("b_valid", Bool::ty()).init(false);
        let b_resp = reg("b_resp", Bits::ty(2)).init(0);

        s.awready.set(!aw_valid);
        s.wready.set(!w_valid);
        s.bvalid.set(b_valid);
        s.bresp.set(b_resp);
        when(s.aw_fire(), || {
            aw_valid.set(true);
            aw_addr.set(s.awaddr);
            aw_prot.set(s.awprot);
        });
        when(s.w_fire(), || {
            w_valid.set(true);
            w_data.set(s.wdata);
            w_strb.set(s.wstrb);
        });
        let wr_hits = self.decode(aw_addr);
        let wr_start = (aw_valid & w_valid & !wr_wait & !b_valid).named("wr_start");
        when(wr_start, || {
            let any = cat(&wr_hits).any();
            when(any, || {
                // Lowest window first: windows do not overlap, so at most one hits.
                wr_target.set(cat(&wr_hits.iter().rev().copied().collect::<Vec<_>>()));
                wr_aw_out.set(true);
                wr_w_out.set(true);
                wr_wait.set(true);
            })
            .otherwise(|| {
                b_valid.set(true);
                b_resp.set(decerr);
            });
        });
        when(s.b_fire(), || {
            b_valid.set(false);
            aw_valid.set(false);
            w_valid.set(false);
        });

        // Reads: the same with one request channel.
        let ar_valid = reg("ar_valid", Bool::ty()).init(false);
        let ar_addr = reg("ar_addr", UInt::ty(aw));
        let ar_prot = reg("ar_prot", Bits::ty(3));
        let rd_target = reg("rd_target", Bits::ty(n as u32)).init(0);
        let rd_ar_out = reg("rd_ar_out", Bool::ty()).init(false);
        let rd_wait = reg("rd_wait", Bool::ty()).init(false);
        let r_valid = reg("r_valid", Bool::ty()).init(false);
        let r_data = reg("r_data", Bits::ty(dw)).init(0);
        let r_resp = reg("r_resp", Bits::ty(2)).init(0);

        s.arready.set(!ar_valid);
        s.rvalid.set(r_valid);
        s.rdata.set(r_data);
        s.rresp.set(r_resp);
        when(s.ar_fire(), || {
            ar_valid.set(true);
            ar_addr.set(s.araddr);
            ar_prot.set(s.arprot);
        });
        let rd_hits = self.decode(ar_addr);
        let rd_start = (ar_valid & !rd_wait & !r_valid).named("rd_start");
        when(rd_start, || {
            when(cat(&rd_hits).any(), || {
                rd_target.set(cat(&rd_hits.iter().rev().copied().collect::<Vec<_>>()));
                rd_ar_out.set(true);
                rd_wait.set(true);
            })
            .otherwise(|| {
                r_valid.set(true);
                r_data.set(Bits::zeros(dw));
                r_resp.set(decerr);
            });
        });
        when(s.r_fire(), || {
            r_valid.set(false);
            ar_valid.set(false);
        });

        for (i, m) in io.m_axil.iter().enumerate() {
            let wr_mine = wr_target.bit(i as u32);
            let rd_mine = rd_target.bit(i as u32);
            m.awaddr.set(aw_addr);
            m.awprot.set(aw_prot);
            m.awvalid.set(wr_aw_out & wr_mine);
            m.wdata.set(w_data);
            m.wstrb.set(w_strb);
            m.wvalid.set(wr_w_out & wr_mine);
            m.bready.set(wr_wait & wr_mine & !wr_aw_out & !wr_w_out);
            m.araddr.set(ar_addr);
            m.arprot.set(ar_prot);
            m.arvalid.set(rd_ar_out & rd_mine);
            m.rready.set(rd_wait & rd_mine & !rd_ar_out);
            when(wr_mine, || {
                when(m.aw_fire(), || wr_aw_out.set(false));
                when(m.w_fire(), || wr_w_out.set(false));
                when(m.b_fire(), || {
                    wr_wait.set(false);
                    b_valid.set(true);
                    b_resp.set(m.bresp);
                });
            });
            when(rd_mine, || {
                when(m.ar_fire(), || rd_ar_out.set(false));
                when(m.r_fire(), || {
                    rd_wait.set(false);
                    r_valid.set(true);
                    r_data.set(m.rdata);
                    r_resp.set(m.rresp);
                });
            });
        }
    }
}
