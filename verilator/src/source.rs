//! What a model is built from: an `hdl` design, or Verilog files and a top
//! module name; and how the top module's ports are found for each.

use crate::error::{io, Error, Result};
use hdl::backend::json::DesignDesc;
use hdl::ir::Dir;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Direction of a top-level port.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Driven by the testbench.
    Input,
    /// Driven by the model.
    Output,
}

impl Direction {
    /// The `LHV_DIR_*` code of the C ABI.
    pub(crate) fn code(self) -> u32 {
        match self {
            Direction::Input => 0,
            Direction::Output => 1,
        }
    }
}

/// A top-level port as the shim generator needs it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PortSpec {
    /// Verilog name.
    pub name: String,
    /// Width in bits (at least 1).
    pub width: u32,
    /// Direction.
    pub direction: Direction,
}

/// The Verilog text of a design and where its ports come from.
#[derive(Clone, Debug)]
pub enum Source {
    /// A design elaborated by `hdl`: its Verilog text and JSON description.
    Hdl {
        /// Top module name.
        top: String,
        /// The whole design as one Verilog text.
        verilog: String,
        /// Ports of the top module, from the JSON description.
        ports: Vec<PortSpec>,
    },
    /// Verilog files; the ports are read from `verilator --xml-only`. The
    /// cache key covers these files' text but not files they `include` or
    /// that Verilator finds through `-y`/`-I` arguments: list those here too.
    Files {
        /// Top module name.
        top: String,
        /// The files, in order.
        files: Vec<PathBuf>,
    },
}

impl Source {
    /// A design elaborated with `hdl::elaborate`.
    pub fn from_hdl(e: &hdl::Elaborated) -> Result<Source> {
        let desc = hdl::backend::json::describe(&e.design);
        Ok(Source::Hdl {
            top: desc.top.clone(),
            verilog: e.verilog(),
            ports: ports_from_desc(&desc)?,
        })
    }

    /// Verilog `files` with top module `top`.
    pub fn from_files<P: AsRef<Path>>(files: impl IntoIterator<Item = P>, top: &str) -> Source {
        Source::Files {
            top: top.to_string(),
            files: files.into_iter().map(|p| p.as_ref().to_path_buf()).collect(),
        }
    }

    /// Top module name.
    pub fn top(&self) -> &str {
        match self {
            Source::Hdl { top, .. } | Source::Files { top, .. } => top,
        }
    }
}

/// The top module's ports from an `hdl` JSON description.
pub fn ports_from_desc(desc: &DesignDesc) -> Result<Vec<PortSpec>> {
    let top = desc.modules.iter().find(|m| m.name == desc.top).ok_or_else(|| {
        Error::Source(format!(
            "top module `{}` is not among the described modules",
            desc.top
        ))
    })?;
    Ok(top
        .ports
        .iter()
        .map(|p| PortSpec {
            name: p.name.clone(),
            width: p.width,
            direction: match p.direction {
                Dir::Input => Direction::Input,
                Dir::Output => Direction::Output,
            },
        })
        .collect())
}

/// Runs `verilator --xml-only` on `files` and returns the ports of `top`.
pub(crate) fn ports_from_xml(
    verilator: &str,
    files: &[PathBuf],
    top: &str,
    extra_args: &[String],
    work: &Path,
) -> Result<Vec<PortSpec>> {
    let xml_path = work.join("ports.xml");
    let mut cmd = Command::new(verilator);
    cmd.arg("--xml-only")
        .arg("--xml-output")
        .arg(&xml_path)
        .arg("--Mdir")
        .arg(work.join("xml"))
        .arg("--top-module")
        .arg(top)
        .args(extra_args)
        .args(files);
    let out = cmd.output().map_err(|source| Error::VerilatorMissing {
        program: verilator.to_string(),
        source,
    })?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let log = work.join("xml.log");
    io("write", &log, std::fs::write(&log, &text))?;
    if !out.status.success() {
        return Err(Error::Verilator {
            top: top.to_string(),
            diagnostics: crate::error::diagnostic_lines(&text),
            log,
        });
    }
    let xml = io("read", &xml_path, std::fs::read_to_string(&xml_path))?;
    parse_xml_ports(&xml, top)
}

/// Extracts the ports of `top` from Verilator's XML output.
pub(crate) fn parse_xml_ports(xml: &str, top: &str) -> Result<Vec<PortSpec>> {
    let doc = roxmltree::Document::parse(xml).map_err(|e| Error::Source(format!("Verilator XML: {e}")))?;
    let module = doc
        .descendants()
        .find(|n| n.has_tag_name("module") && n.attribute("topModule") == Some("1"))
        .or_else(|| {
            doc.descendants()
                .find(|n| n.has_tag_name("module") && n.attribute("name") == Some(top))
        })
        .ok_or_else(|| Error::Source(format!("top module `{top}` not found in Verilator XML")))?;
    let mut ports = Vec::new();
    for var in module.children().filter(|n| n.has_tag_name("var")) {
        let Some(dir) = var.attribute("dir") else {
            continue;
        };
        // In this XML `name` is the Verilog name and `origName` the C++-encoded one.
        let name = var.attribute("name").unwrap_or_default();
        let direction = match dir {
            "input" => Direction::Input,
            "output" => Direction::Output,
            other => {
                return Err(Error::UnsupportedPort {
                    name: name.to_string(),
                    reason: format!("direction `{other}` (only input and output are supported)"),
                })
            }
        };
        let dtype_id = var.attribute("dtype_id").unwrap_or_default();
        let dtype = doc
            .descendants()
            .find(|n| {
                n.attribute("id") == Some(dtype_id) && n.parent().is_some_and(|p| p.has_tag_name("typetable"))
            })
            .ok_or_else(|| {
                Error::Source(format!("port `{name}`: type {dtype_id} missing in Verilator XML"))
            })?;
        if !dtype.has_tag_name("basicdtype") {
            return Err(Error::UnsupportedPort {
                name: name.to_string(),
                reason: format!(
                    "type `{}` (only plain packed vectors are supported)",
                    dtype.tag_name().name()
                ),
            });
        }
        let bound = |a: &str| dtype.attribute(a).and_then(|v| v.parse::<i64>().ok());
        let width = match (bound("left"), bound("right")) {
            (Some(l), Some(r)) => (l - r).unsigned_abs() as u32 + 1,
            _ => match dtype.attribute("name") {
                Some("integer") | Some("int") => 32,
                Some("byte") => 8,
                Some("shortint") => 16,
                Some("longint") => 64,
                _ => 1,
            },
        };
        ports.push(PortSpec {
            name: name.to_string(),
            width,
            direction,
        });
    }
    Ok(ports)
}
