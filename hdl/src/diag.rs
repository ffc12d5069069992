//! Diagnostics: every problem found while building or checking a design carries
//! a stable code, a one-line help and the file:line of the user's Rust code.

use std::fmt;
use std::panic::Location;

/// A position in the user's Rust source, captured with `#[track_caller]`.
pub type Loc = &'static Location<'static>;

/// Stable diagnostic codes. The numeric part never changes meaning; new codes are
/// only ever appended. `docs/diagnostics.md` (the crate's `diagnostics` module)
/// lists them all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// E0001: operand or assignment widths differ.
    WidthMismatch,
    /// E0002: a constant does not fit the width it is given.
    LiteralTooWide,
    /// E0003: a slice or index lies outside the signal.
    SliceOutOfRange,
    /// E0004: a condition or select is not one bit / has the wrong width.
    BadConditionWidth,
    /// E0010: a signal handle from another module (or a finished elaboration) was used.
    ForeignSignal,
    /// E0101: a signal has more than one driver.
    MultipleDrivers,
    /// E0102: an output, wire or instance input is never driven.
    Undriven,
    /// E0103: an assignment to something that cannot be assigned (an input, an expression).
    NotAssignable,
    /// E0201: a combinational signal is not assigned on every path (would infer a latch).
    Latch,
    /// E0301: a combinational loop.
    CombLoop,
    /// E0401: a signal crosses clock domains without a synchroniser.
    ClockCrossing,
    /// E0402: a register or memory port has no clock domain.
    NoClockDomain,
    /// E0501: a name is not a legal identifier even after legalisation.
    IllegalName,
    /// E0502: two different components claim the same module name.
    ModuleNameConflict,
    /// E0601: a child instance's clock domain is not connected.
    UnconnectedDomain,
    /// E0602: a port of a child instance does not exist.
    UnknownPort,
    /// E0701: a switch has two cases with the same value.
    DuplicateCase,
}

impl Code {
    /// Every code, in numeric order (for documentation and tests).
    pub const ALL: &'static [Code] = &[
        Code::WidthMismatch,
        Code::LiteralTooWide,
        Code::SliceOutOfRange,
        Code::BadConditionWidth,
        Code::ForeignSignal,
        Code::MultipleDrivers,
        Code::Undriven,
        Code::NotAssignable,
        Code::Latch,
        Code::CombLoop,
        Code::ClockCrossing,
        Code::NoClockDomain,
        Code::IllegalName,
        Code::ModuleNameConflict,
        Code::UnconnectedDomain,
        Code::UnknownPort,
        Code::DuplicateCase,
    ];

    /// The stable code string, e.g. `E0001`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::WidthMismatch => "E0001",
            Code::LiteralTooWide => "E0002",
            Code::SliceOutOfRange => "E0003",
            Code::BadConditionWidth => "E0004",
            Code::ForeignSignal => "E0010",
            Code::MultipleDrivers => "E0101",
            Code::Undriven => "E0102",
            Code::NotAssignable => "E0103",
            Code::Latch => "E0201",
            Code::CombLoop => "E0301",
            Code::ClockCrossing => "E0401",
            Code::NoClockDomain => "E0402",
            Code::IllegalName => "E0501",
            Code::ModuleNameConflict => "E0502",
            Code::UnconnectedDomain => "E0601",
            Code::UnknownPort => "E0602",
            Code::DuplicateCase => "E0701",
        }
    }

    /// One line telling the user what to do about it.
    pub fn help(self) -> &'static str {
        match self {
            Code::WidthMismatch => "say which width you mean with .resize(), .zext(), .sext() or .truncate()",
            Code::LiteralTooWide => "widen the target or use a smaller constant",
            Code::SliceOutOfRange => "slice bounds are bit indices from 0 to width-1",
            Code::BadConditionWidth => "conditions are Bool; reduce a vector with .any() / .all() or compare it",
            Code::ForeignSignal => "a signal belongs to the component that created it; pass it through a port",
            Code::MultipleDrivers => "drive a signal from one place; use when/otherwise to choose between values",
            Code::Undriven => "assign the signal, or give it a default with .default_value()",
            Code::NotAssignable => "only outputs, wires, registers and child-instance inputs can be assigned",
            Code::Latch => "assign the signal on every path, or give it a default with .default_value()",
            Code::CombLoop => "break the loop with a register",
            Code::ClockCrossing => "pass the signal through a synchroniser (stdlib::cdc) or mark the first stage with .cdc_sync()",
            Code::NoClockDomain => "create registers inside ClockDomain::within, or let the component use its implicit clk/rst",
            Code::IllegalName => "names are ASCII letters, digits and '_', starting with a letter",
            Code::ModuleNameConflict => "include every parameter that changes the hardware in Component::name",
            Code::UnconnectedDomain => "connect the child's clock domain with Instance::connect_domain",
            Code::UnknownPort => "check the port name against the child component's io",
            Code::DuplicateCase => "each switch value may appear in one case only",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The design is still emitted.
    Warning,
    /// Elaboration fails.
    Error,
}

/// One problem, located in the user's source.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// Stable code.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where the user's code created the offending construct.
    pub loc: Loc,
    /// The module (component) it was found in.
    pub module: String,
    /// Further lines (e.g. the signals on a loop).
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// An error with the given code.
    pub fn error(code: Code, loc: Loc, module: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            loc,
            module: module.to_string(),
            notes: Vec::new(),
        }
    }

    /// Add a note line.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// The source line number of the user's code.
    pub fn line(&self) -> u32 {
        self.loc.line()
    }

    /// The source file of the user's code.
    pub fn file(&self) -> &'static str {
        self.loc.file()
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{kind}[{}]: {}", self.code, self.message)?;
        writeln!(
            f,
            "  --> {}:{}:{} (in module `{}`)",
            self.loc.file(),
            self.loc.line(),
            self.loc.column(),
            self.module
        )?;
        for n in &self.notes {
            writeln!(f, "   = note: {n}")?;
        }
        write!(f, "   = help: {}", self.code.help())
    }
}

/// All problems of a design, reported together.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    /// In the order found: by pass, then by module, then by source order.
    pub list: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Record one.
    pub fn push(&mut self, d: Diagnostic) {
        self.list.push(d);
    }

    /// True when any is an error.
    pub fn has_errors(&self) -> bool {
        self.list.iter().any(|d| d.severity == Severity::Error)
    }

    /// The codes, in order (handy in tests).
    pub fn codes(&self) -> Vec<Code> {
        self.list.iter().map(|d| d.code).collect()
    }

    /// The first diagnostic with this code.
    pub fn find(&self, code: Code) -> Option<&Diagnostic> {
        self.list.iter().find(|d| d.code == code)
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.list {
            writeln!(f, "{d}\n")?;
        }
        let errors = self.list.iter().filter(|d| d.severity == Severity::Error).count();
        write!(f, "{errors} error(s), {} warning(s)", self.list.len() - errors)
    }
}

impl std::error::Error for Diagnostics {}
