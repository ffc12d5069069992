//! AXI4-Lite with the verilog-axi / cocotbext-axi port names.
//!
//! ```
//! use hdl::prelude::*;
//! use hdl::stdlib::axi_lite::AxiLite;
//!
//! bundle! {
//!     /// A slave port and nothing else.
//!     pub struct SlaveIo {
//!         #[input]
//!         pub s_axil: AxiLite,
//!     }
//! }
//!
//! #[derive(Debug)]
//! struct Sink;
//!
//! impl Component for Sink {
//!     type Io = SlaveIo;
//!     fn name(&self) -> String {
//!         "axil_sink".into()
//!     }
//!     fn io(&self) -> SlaveIo {
//!         SlaveIo { s_axil: AxiLite::ty(12, 32) }
//!     }
//!     fn build(&self, io: &SlaveIo) {
//!         // Never accepts anything (a real slave answers, see `stdlib::csr`).
//!         let s = &io.s_axil;
//!         for out in [s.awready, s.wready, s.bvalid, s.arready, s.rvalid] {
//!             out.set(false);
//!         }
//!         s.bresp.set(0);
//!         s.rresp.set(0);
//!         s.rdata.set(0);
//!     }
//! }
//!
//! let v = hdl::elaborate(&Sink).unwrap().verilog();
//! assert!(v.contains("input  wire [11:0] s_axil_awaddr"));
//! assert!(v.contains("input  wire [3:0]  s_axil_wstrb"));
//! assert!(v.contains("output wire [1:0]  s_axil_bresp"));
//! assert!(v.contains("output wire [31:0] s_axil_rdata"));
//! ```

use crate::prelude::*;

bundle! {
    /// An AXI4-Lite interface, seen from the master: `input("s_axil",
    /// AxiLite::ty(12, 32))` declares a slave port `s_axil_awaddr`,
    /// `s_axil_awprot`, ..., `s_axil_rready`, with `*ready`, `bresp`, `bvalid`,
    /// `rdata`, `rresp` and `rvalid` as outputs.
    pub struct AxiLite {
        /// Write address (byte address).
        pub awaddr: UInt,
        /// Write protection type (3 bits).
        pub awprot: Bits,
        /// The master offers a write address.
        pub awvalid: Bool,
        /// The slave takes it.
        #[flip]
        pub awready: Bool,
        /// Write data.
        pub wdata: Bits,
        /// One bit per byte of `wdata`: write this byte.
        pub wstrb: Bits,
        /// The master offers write data.
        pub wvalid: Bool,
        /// The slave takes it.
        #[flip]
        pub wready: Bool,
        /// Write response (see [`AxiResp`]).
        #[flip]
        pub bresp: Bits,
        /// The slave offers a write response.
        #[flip]
        pub bvalid: Bool,
        /// The master takes it.
        pub bready: Bool,
        /// Read address (byte address).
        pub araddr: UInt,
        /// Read protection type (3 bits).
        pub arprot: Bits,
        /// The master offers a read address.
        pub arvalid: Bool,
        /// The slave takes it.
        #[flip]
        pub arready: Bool,
        /// Read data.
        #[flip]
        pub rdata: Bits,
        /// Read response (see [`AxiResp`]).
        #[flip]
        pub rresp: Bits,
        /// The slave offers read data.
        #[flip]
        pub rvalid: Bool,
        /// The master takes it.
        pub rready: Bool,
    }
}

impl AxiLite {
    /// A template with `addr_width` address bits and `data_width` data bits
    /// (32 or 64, as AXI4-Lite allows).
    pub fn ty(addr_width: u32, data_width: u32) -> AxiLite {
        assert!(
            data_width == 32 || data_width == 64,
            "AXI4-Lite data is 32 or 64 bits wide (got {data_width})"
        );
        assert!(addr_width >= 1, "AXI4-Lite needs at least one address bit");
        AxiLite {
            awaddr: UInt::ty(addr_width),
            awprot: Bits::ty(3),
            awvalid: Bool::ty(),
            awready: Bool::ty(),
            wdata: Bits::ty(data_width),
            wstrb: Bits::ty(data_width / 8),
            wvalid: Bool::ty(),
            wready: Bool::ty(),
            bresp: Bits::ty(2),
            bvalid: Bool::ty(),
            bready: Bool::ty(),
            araddr: UInt::ty(addr_width),
            arprot: Bits::ty(3),
            arvalid: Bool::ty(),
            arready: Bool::ty(),
            rdata: Bits::ty(data_width),
            rresp: Bits::ty(2),
            rvalid: Bool::ty(),
            rready: Bool::ty(),
        }
    }

    /// Address bits.
    pub fn addr_width(&self) -> u32 {
        self.awaddr.width()
    }

    /// Data bits.
    pub fn data_width(&self) -> u32 {
        self.wdata.width()
    }

    /// A write address is transferred in this cycle.
    #[track_caller]
    pub fn aw_fire(&self) -> Bool {
        self.awvalid & self.awready
    }

    /// Write data is transferred in this cycle.
    #[track_caller]
    pub fn w_fire(&self) -> Bool {
        self.wvalid & self.wready
    }

    /// A write response is transferred in this cycle.
    #[track_caller]
    pub fn b_fire(&self) -> Bool {
        self.bvalid & self.bready
    }

    /// A read address is transferred in this cycle.
    #[track_caller]
    pub fn ar_fire(&self) -> Bool {
        self.arvalid & self.arready
    }

    /// Read data is transferred in this cycle.
    #[track_caller]
    pub fn r_fire(&self) -> Bool {
        self.rvalid & self.rready
    }
}

/// The AXI response codes (`bresp`, `rresp`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AxiResp {
    /// `0`: success.
    Okay,
    /// `1`: exclusive access success (not used by AXI4-Lite).
    ExOkay,
    /// `2`: the slave was reached but refused (e.g. a write to a read-only register).
    SlvErr,
    /// `3`: no slave at this address.
    DecErr,
}

impl AxiResp {
    /// The 2-bit code.
    pub fn code(self) -> u8 {
        match self {
            AxiResp::Okay => 0,
            AxiResp::ExOkay => 1,
            AxiResp::SlvErr => 2,
            AxiResp::DecErr => 3,
        }
    }

    /// The response with the 2-bit `code` (only the low two bits are looked at).
    pub fn from_code(code: u64) -> AxiResp {
        match code & 3 {
            0 => AxiResp::Okay,
            1 => AxiResp::ExOkay,
            2 => AxiResp::SlvErr,
            _ => AxiResp::DecErr,
        }
    }
}
