//! The handles of one AXI4-Lite interface of a model.

use crate::{Error, Result};
use verilator::{Model, PortHandle};

/// The ports of one AXI4-Lite interface, found by prefix.
#[derive(Clone, Copy, Debug)]
#[allow(missing_docs)] // the fields are the AXI4-Lite signals of the same names
pub struct AxilPorts {
    pub awaddr: PortHandle,
    pub awprot: Option<PortHandle>,
    pub awvalid: PortHandle,
    pub awready: PortHandle,
    pub wdata: PortHandle,
    pub wstrb: Option<PortHandle>,
    pub wvalid: PortHandle,
    pub wready: PortHandle,
    pub bresp: PortHandle,
    pub bvalid: PortHandle,
    pub bready: PortHandle,
    pub araddr: PortHandle,
    pub arprot: Option<PortHandle>,
    pub arvalid: PortHandle,
    pub arready: PortHandle,
    pub rdata: PortHandle,
    pub rresp: PortHandle,
    pub rvalid: PortHandle,
    pub rready: PortHandle,
}

impl AxilPorts {
    /// Looks up `<prefix>_awaddr` ... `<prefix>_rready`.
    pub fn find(m: &Model, prefix: &str) -> Result<AxilPorts> {
        let p = |s: &str| m.port(&format!("{prefix}_{s}"));
        let opt = |s: &str| p(s).ok();
        let ports = AxilPorts {
            awaddr: p("awaddr")?,
            awprot: opt("awprot"),
            awvalid: p("awvalid")?,
            awready: p("awready")?,
            wdata: p("wdata")?,
            wstrb: opt("wstrb"),
            wvalid: p("wvalid")?,
            wready: p("wready")?,
            bresp: p("bresp")?,
            bvalid: p("bvalid")?,
            bready: p("bready")?,
            araddr: p("araddr")?,
            arprot: opt("arprot"),
            arvalid: p("arvalid")?,
            arready: p("arready")?,
            rdata: p("rdata")?,
            rresp: p("rresp")?,
            rvalid: p("rvalid")?,
            rready: p("rready")?,
        };
        let dw = ports.wdata.width();
        if dw > 64 || !dw.is_multiple_of(8) || ports.rdata.width() != dw {
            return Err(Error::Setup(format!(
                "{prefix}: wdata/rdata are {dw}/{} bits; the master handles equal widths of whole bytes up to 64",
                ports.rdata.width()
            )));
        }
        if let Some(s) = ports.wstrb {
            if s.width() != dw / 8 {
                return Err(Error::Setup(format!(
                    "{prefix}_wstrb is {} bits for {} data bytes",
                    s.width(),
                    dw / 8
                )));
            }
        }
        if ports.awaddr.width() > 64 || ports.araddr.width() > 64 {
            return Err(Error::Setup(format!("{prefix}: addresses over 64 bits")));
        }
        Ok(ports)
    }

    /// Bytes per data word.
    pub fn data_bytes(&self) -> u32 {
        self.wdata.width() / 8
    }

    /// All data bytes enabled.
    pub fn full_strb(&self) -> u64 {
        (1u64 << self.data_bytes()) - 1
    }

    /// Address bits.
    pub fn addr_width(&self) -> u32 {
        self.awaddr.width()
    }
}
