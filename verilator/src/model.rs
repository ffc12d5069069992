//! Loading a built model and driving it safely: ports, evaluation, time,
//! clocks, reset and waveform traces.

use crate::builder::{build, default_cache_dir, BuildInfo, BuildOptions, TraceFormat, XInitial};
use crate::error::{Error, Result};
use crate::source::{Direction, Source};
use crate::sys;
use num_bigint::BigUint;
use std::collections::HashMap;
use std::ffi::{CStr, CString};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

static NEXT_MODEL_ID: AtomicU64 = AtomicU64::new(1);

/// A built and loaded model library, from which any number of independent
/// [`Model`] instances can be created.
pub struct Library {
    lib: Arc<sys::LhvLib>,
    info: BuildInfo,
    top: String,
    cache_dir: PathBuf,
}

impl std::fmt::Debug for Library {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Library")
            .field("top", &self.top)
            .field("info", &self.info)
            .finish()
    }
}

impl Library {
    /// Loads the shared object of a finished build.
    fn load(info: BuildInfo, cache_dir: PathBuf) -> Result<Library> {
        // SAFETY: the library was produced by this crate from the shim template and
        // exports exactly the functions of c/lhv_model.h; loading runs the Verilator
        // runtime's static constructors only.
        let lib = unsafe { sys::LhvLib::new(&info.library) }.map_err(|source| Error::Load {
            path: info.library.clone(),
            source,
        })?;
        // SAFETY: plain functions without arguments.
        let found = unsafe { lib.lhv_abi_version() };
        if found != sys::LHV_ABI_VERSION {
            return Err(Error::Abi {
                path: info.library.clone(),
                found,
                expected: sys::LHV_ABI_VERSION,
            });
        }
        // SAFETY: returns a static NUL-terminated string.
        let top = unsafe { CStr::from_ptr(lib.lhv_top_name()) }
            .to_string_lossy()
            .into_owned();
        Ok(Library {
            lib: Arc::new(lib),
            info,
            top,
            cache_dir,
        })
    }

    /// How the library was built.
    pub fn build_info(&self) -> &BuildInfo {
        &self.info
    }

    /// Top module name.
    pub fn top(&self) -> &str {
        &self.top
    }

    /// A new model instance, tracing when the library was built with tracing
    /// (to a fresh file under the cache's `traces/` directory).
    pub fn instantiate(&self) -> Result<Model> {
        let path = self.info.trace.map(|fmt| {
            static N: AtomicU64 = AtomicU64::new(0);
            self.cache_dir.join("traces").join(format!(
                "{}-{}-{}.{}",
                self.top,
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed),
                fmt.extension()
            ))
        });
        self.instantiate_with_trace(path.as_deref())
    }

    /// A new model instance tracing to `trace` (ignored when the library was
    /// built without tracing). The path is printed to stderr.
    pub fn instantiate_with_trace(&self, trace: Option<&Path>) -> Result<Model> {
        let trace = trace.filter(|_| self.info.trace.is_some());
        let c_path = match trace {
            Some(p) => {
                if let Some(parent) = p.parent() {
                    crate::error::io("create trace directory", parent, std::fs::create_dir_all(parent))?;
                }
                Some(
                    CString::new(p.to_string_lossy().as_bytes()).map_err(|_| Error::Create {
                        top: self.top.clone(),
                        trace: Some(p.to_path_buf()),
                    })?,
                )
            }
            None => None,
        };
        // SAFETY: the path is NUL-terminated or NULL; the shim copies what it needs.
        let raw = unsafe {
            self.lib
                .lhv_create(c_path.as_ref().map_or(std::ptr::null(), |c| c.as_ptr()))
        };
        if raw.is_null() {
            return Err(Error::Create {
                top: self.top.clone(),
                trace: trace.map(Path::to_path_buf),
            });
        }
        let mut ports = Vec::new();
        // SAFETY: plain function.
        let n = unsafe { self.lib.lhv_port_count() };
        for i in 0..n {
            let mut pi = sys::lhv_port::default();
            // SAFETY: `raw` is a live model and `pi` a valid out pointer.
            let rc = unsafe { self.lib.lhv_port_info(raw, i, &mut pi) };
            assert_eq!(rc, 0, "lhv_port_info({i}) failed below lhv_port_count");
            ports.push(Slot {
                // SAFETY: static NUL-terminated string.
                name: unsafe { CStr::from_ptr(pi.name) }.to_string_lossy().into_owned(),
                width: pi.width,
                direction: if pi.direction == sys::LHV_DIR_INPUT {
                    Direction::Input
                } else {
                    Direction::Output
                },
                word_bytes: pi.word_bytes,
                words: pi.words,
                data: pi.data,
            });
        }
        let by_name = ports
            .iter()
            .enumerate()
            .map(|(i, p)| (p.name.clone(), i))
            .collect();
        if let Some(p) = trace {
            eprintln!(
                "lauberhorn-verilator: tracing model `{}` to {}",
                self.top,
                p.display()
            );
        }
        let mut m = Model {
            lib: self.lib.clone(),
            raw,
            id: NEXT_MODEL_ID.fetch_add(1, Ordering::Relaxed),
            top: self.top.clone(),
            ports,
            by_name,
            clocks: Vec::new(),
            info: self.info.clone(),
            trace_path: trace.map(Path::to_path_buf),
            finished: false,
        };
        m.eval();
        Ok(m)
    }
}

/// Builds models; see [`Model::builder`].
#[derive(Clone, Debug)]
pub struct ModelBuilder {
    source: Source,
    opts: BuildOptions,
    trace_path: Option<PathBuf>,
}

impl ModelBuilder {
    /// Replaces all build options at once.
    pub fn options(mut self, opts: BuildOptions) -> Self {
        self.opts = opts;
        self
    }

    /// Sets the `--x-initial` choice (default [`XInitial::Fast`]).
    pub fn x_initial(mut self, x: XInitial) -> Self {
        self.opts.x_initial = x;
        self
    }

    /// Compiles in waveform tracing (default: from `LAUBERHORN_TRACE`).
    pub fn trace(mut self, fmt: Option<TraceFormat>) -> Self {
        self.opts.trace = fmt;
        self
    }

    /// Traces to `path` instead of a fresh file in the cache; implies VCD
    /// tracing unless a format was chosen.
    pub fn trace_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.trace_path = Some(path.into());
        if self.opts.trace.is_none() {
            self.opts.trace = Some(TraceFormat::Vcd);
        }
        self
    }

    /// The C++ optimisation flag, e.g. `-O1` for quick test builds (default `-O2`).
    pub fn cxx_opt(mut self, flag: &str) -> Self {
        self.opts.cxx_opt = flag.to_string();
        self
    }

    /// Adds a Verilator argument.
    pub fn verilator_arg(mut self, arg: &str) -> Self {
        self.opts.verilator_args.push(arg.to_string());
        self
    }

    /// Uses `dir` as the cache instead of [`default_cache_dir`].
    pub fn cache_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.opts.cache_dir = Some(dir.into());
        self
    }

    /// Builds (or finds in the cache) and loads the library, without creating
    /// a model instance.
    pub fn library(&self) -> Result<Library> {
        let info = build(&self.source, &self.opts)?;
        Library::load(
            info,
            self.opts.cache_dir.clone().unwrap_or_else(default_cache_dir),
        )
    }

    /// Compiles the C++ program `main_cpp`, which drives the verilated model
    /// directly (`#include "Vlhv.h"`: class `Vlhv` with the ports as members,
    /// constructed on a `VerilatedContext`), into the executable `exe`, with the
    /// compiler, flags and Verilator runtime objects of the model library,
    /// building the model first when it is not cached. Returns the model's
    /// build and the time spent on `exe`. For comparing a C++ testbench with
    /// one in Rust, or running a model without Rust.
    pub fn cpp_executable(
        &self,
        main_cpp: impl AsRef<Path>,
        exe: impl AsRef<Path>,
    ) -> Result<(BuildInfo, std::time::Duration)> {
        crate::builder::build_executable(&self.source, &self.opts, main_cpp.as_ref(), exe.as_ref())
    }

    /// Builds (or finds in the cache), loads and instantiates the model.
    pub fn build(&self) -> Result<Model> {
        let lib = self.library()?;
        match &self.trace_path {
            Some(p) => lib.instantiate_with_trace(Some(p)),
            None => lib.instantiate(),
        }
    }
}

struct Slot {
    name: String,
    width: u32,
    direction: Direction,
    word_bytes: u32,
    words: u32,
    data: *mut std::ffi::c_void,
}

/// A port of one [`Model`], looked up once by name with [`Model::port`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PortHandle {
    model: u64,
    index: usize,
    width: u32,
    direction: Direction,
}

impl PortHandle {
    /// Width in bits.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Direction.
    pub fn direction(&self) -> Direction {
        self.direction
    }
}

struct Clock {
    port: usize,
    half: u64,
    next: u64,
    high: bool,
}

/// A running instance of a verilated model.
///
/// Values written to inputs take effect at the next [`Model::eval`] (the clock
/// helpers evaluate for you). Each model has its own Verilated context, so any
/// number of models, of the same or different designs, can live in one process;
/// a model can move between threads but is driven from one at a time.
pub struct Model {
    lib: Arc<sys::LhvLib>,
    raw: *mut sys::lhv_model,
    id: u64,
    top: String,
    ports: Vec<Slot>,
    by_name: HashMap<String, usize>,
    clocks: Vec<Clock>,
    info: BuildInfo,
    trace_path: Option<PathBuf>,
    finished: bool,
}

// SAFETY: a model owns its VerilatedContext and all state behind `raw`; nothing
// is tied to the creating thread, and `&mut self` serialises every call that
// changes it. The port pointers point into that owned state.
unsafe impl Send for Model {}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("top", &self.top)
            .field("time", &self.time())
            .field("ports", &self.port_names())
            .finish()
    }
}

fn words_of(v: u64) -> [u32; 2] {
    [v as u32, (v >> 32) as u32]
}

impl Model {
    /// A builder for a model of `source`, to set options before building.
    pub fn builder(source: Source) -> ModelBuilder {
        ModelBuilder {
            source,
            opts: BuildOptions::default(),
            trace_path: None,
        }
    }

    /// Builds (or finds in the cache) and instantiates a model of `source`
    /// with default options.
    pub fn build(source: Source) -> Result<Model> {
        Model::builder(source).build()
    }

    /// How the model's library was built.
    pub fn build_info(&self) -> &BuildInfo {
        &self.info
    }

    /// Top module name.
    pub fn top(&self) -> &str {
        &self.top
    }

    /// The trace file, when tracing.
    pub fn trace_path(&self) -> Option<&Path> {
        self.trace_path.as_deref()
    }

    /// Port names in declaration order.
    pub fn port_names(&self) -> Vec<&str> {
        self.ports.iter().map(|p| p.name.as_str()).collect()
    }

    /// Looks up a port by its Verilog name.
    pub fn port(&self, name: &str) -> Result<PortHandle> {
        let index = *self.by_name.get(name).ok_or_else(|| Error::UnknownPort {
            name: name.to_string(),
            top: self.top.clone(),
            available: self.port_names().join(", "),
        })?;
        let s = &self.ports[index];
        Ok(PortHandle {
            model: self.id,
            index,
            width: s.width,
            direction: s.direction,
        })
    }

    fn slot(&self, p: PortHandle) -> Result<&Slot> {
        let s = self.ports.get(p.index).filter(|_| p.model == self.id);
        s.ok_or_else(|| Error::ForeignPort {
            name: self
                .ports
                .get(p.index)
                .map_or_else(|| format!("#{}", p.index), |s| s.name.clone()),
        })
    }

    fn width_error(s: &Slot, problem: String) -> Error {
        Error::Width {
            name: s.name.clone(),
            width: s.width,
            problem,
        }
    }

    /// Reads a port of at most 64 bits.
    pub fn get_u64(&self, p: PortHandle) -> Result<u64> {
        let s = self.slot(p)?;
        if s.width > 64 {
            return Err(Self::width_error(
                s,
                "use get_words or get_big for ports over 64 bits".into(),
            ));
        }
        // SAFETY: `data` points at the port's storage of `word_bytes` bytes inside
        // the live model; the model is not running while `&self` is held.
        Ok(unsafe {
            match s.word_bytes {
                1 => u64::from(*(s.data as *const u8)),
                2 => u64::from(*(s.data as *const u16)),
                4 => u64::from(*(s.data as *const u32)),
                _ => *(s.data as *const u64),
            }
        })
    }

    fn input_slot(&self, p: PortHandle) -> Result<&Slot> {
        let s = self.slot(p)?;
        if s.direction != Direction::Input {
            return Err(Error::NotAnInput { name: s.name.clone() });
        }
        Ok(s)
    }

    /// Writes an input of at most 64 bits; `v` must fit in the width.
    pub fn set_u64(&mut self, p: PortHandle, v: u64) -> Result<()> {
        let s = self.input_slot(p)?;
        if s.width > 64 {
            return self.set_words(p, &words_of(v));
        }
        if s.width < 64 && v >> s.width != 0 {
            return Err(Self::width_error(s, format!("value {v:#x} does not fit")));
        }
        // SAFETY: as in `get_u64`, and `&mut self` excludes every other access.
        unsafe {
            match s.word_bytes {
                1 => *(s.data as *mut u8) = v as u8,
                2 => *(s.data as *mut u16) = v as u16,
                4 => *(s.data as *mut u32) = v as u32,
                _ => *(s.data as *mut u64) = v,
            }
        }
        Ok(())
    }

    /// Reads any port as 32-bit words, least significant first
    /// (`ceil(width / 32)` words).
    pub fn get_words(&self, p: PortHandle) -> Result<Vec<u32>> {
        let s = self.slot(p)?;
        let n = s.width.div_ceil(32) as usize;
        if s.width <= 64 {
            let v = self.get_u64(p)?;
            return Ok(words_of(v)[..n].to_vec());
        }
        // SAFETY: a wide port is `words` 32-bit words (WData) inside the live model.
        Ok(unsafe { std::slice::from_raw_parts(s.data as *const u32, s.words as usize) }.to_vec())
    }

    /// Writes an input from 32-bit words, least significant first. Missing
    /// upper words are zero; bits above the width must be zero.
    pub fn set_words(&mut self, p: PortHandle, words: &[u32]) -> Result<()> {
        let s = self.input_slot(p)?;
        let n = s.width.div_ceil(32) as usize;
        let width = s.width as usize;
        // Word `i` holds bits `32 * i ..`; the bits at and above `width` must be clear.
        let extra = words.iter().enumerate().any(|(i, &w)| {
            let lo = i * 32;
            if lo >= width {
                w != 0
            } else {
                width - lo < 32 && w >> (width - lo) != 0
            }
        });
        if extra {
            return Err(Self::width_error(
                s,
                format!("{} words given with bits set above the width", words.len()),
            ));
        }
        if s.width <= 64 {
            let v = u64::from(words.first().copied().unwrap_or(0))
                | u64::from(words.get(1).copied().unwrap_or(0)) << 32;
            return self.set_u64(p, v);
        }
        // SAFETY: as in `get_words`; `&mut self` excludes every other access.
        let dst = unsafe { std::slice::from_raw_parts_mut(s.data as *mut u32, s.words as usize) };
        for (i, d) in dst.iter_mut().enumerate().take(n) {
            *d = words.get(i).copied().unwrap_or(0);
        }
        Ok(())
    }

    /// Reads any port as a big unsigned integer.
    pub fn get_big(&self, p: PortHandle) -> Result<BigUint> {
        Ok(BigUint::from_slice(&self.get_words(p)?))
    }

    /// Writes an input from a big unsigned integer that fits in the width.
    pub fn set_big(&mut self, p: PortHandle, v: &BigUint) -> Result<()> {
        let s = self.input_slot(p)?;
        if v.bits() > u64::from(s.width) {
            return Err(Self::width_error(
                s,
                format!("value of {} bits does not fit", v.bits()),
            ));
        }
        self.set_words(p, &v.to_u32_digits())
    }

    /// Evaluates the model until it settles, then dumps the trace if the time
    /// advanced since the last dump.
    pub fn eval(&mut self) {
        // SAFETY: `raw` is live until drop.
        unsafe {
            self.lib.lhv_eval(self.raw);
            self.lib.lhv_trace_dump(self.raw);
        }
    }

    /// Current simulation time (Verilator time-precision units).
    pub fn time(&self) -> u64 {
        // SAFETY: `raw` is live until drop.
        unsafe { self.lib.lhv_time_get(self.raw) }
    }

    /// Sets the simulation time; it should not go backwards.
    pub fn set_time(&mut self, t: u64) {
        // SAFETY: `raw` is live until drop.
        unsafe { self.lib.lhv_time_set(self.raw, t) }
    }

    /// Switches trace dumping on or off (an open trace starts on).
    pub fn set_tracing(&mut self, on: bool) {
        // SAFETY: `raw` is live until drop.
        unsafe { self.lib.lhv_trace_enable(self.raw, i32::from(on)) }
    }

    /// Flushes the trace file, e.g. before reading it during simulation.
    pub fn flush_trace(&mut self) {
        // SAFETY: `raw` is live until drop.
        unsafe { self.lib.lhv_trace_flush(self.raw) }
    }

    /// Registers input `name` as a clock with `period` time units (even, at
    /// least 2). It is driven low now and rises half a period later. The first
    /// clock added is the one [`Model::step`] counts cycles of.
    pub fn add_clock(&mut self, name: &str, period: u64) -> Result<()> {
        let p = self.port(name)?;
        if period < 2 || !period.is_multiple_of(2) {
            return Err(Error::ClockPeriod {
                name: name.to_string(),
                period,
            });
        }
        self.set_u64(p, 0)?;
        let now = self.time();
        self.clocks.push(Clock {
            port: p.index,
            half: period / 2,
            next: now + period / 2,
            high: false,
        });
        self.eval();
        Ok(())
    }

    /// Runs one period of the first clock: to its rising edge, where the
    /// design samples the inputs, then to its falling edge. Edges of other
    /// clocks in between happen at their times. Inputs set before `step` are
    /// seen at the rising edge; outputs read after it show the state after
    /// that edge.
    pub fn step(&mut self) -> Result<()> {
        if self.clocks.is_empty() {
            return Err(Error::NoClock {
                top: self.top.clone(),
            });
        }
        loop {
            let t = self.clocks.iter().map(|c| c.next).min().unwrap_or_default();
            self.set_time(t);
            let mut primary_fell = false;
            for (i, c) in self.clocks.iter_mut().enumerate() {
                if c.next == t {
                    c.high = !c.high;
                    c.next += c.half;
                    let s = &self.ports[c.port];
                    // SAFETY: clock ports are inputs of at most 64 bits (checked by
                    // `set_u64` in `add_clock`); storage as in `set_u64`.
                    unsafe {
                        match s.word_bytes {
                            1 => *(s.data as *mut u8) = u8::from(c.high),
                            2 => *(s.data as *mut u16) = u16::from(c.high),
                            4 => *(s.data as *mut u32) = u32::from(c.high),
                            _ => *(s.data as *mut u64) = u64::from(c.high),
                        }
                    }
                    primary_fell |= i == 0 && !c.high;
                }
            }
            self.eval();
            if primary_fell {
                return Ok(());
            }
        }
    }

    /// Runs `n` cycles of [`Model::step`].
    pub fn steps(&mut self, n: u64) -> Result<()> {
        for _ in 0..n {
            self.step()?;
        }
        Ok(())
    }

    /// Steps until `cond` holds, checking before every cycle; returns the
    /// number of cycles run, or [`Error::Timeout`] after `max_cycles`.
    pub fn run_until(&mut self, mut cond: impl FnMut(&Model) -> bool, max_cycles: u64) -> Result<u64> {
        for n in 0..=max_cycles {
            if cond(self) {
                return Ok(n);
            }
            if n < max_cycles {
                self.step()?;
            }
        }
        Err(Error::Timeout {
            max_cycles,
            time: self.time(),
        })
    }

    /// Holds input `name` at its active level (1 when `active_high`, else 0)
    /// for `cycles` clock cycles, then releases it and evaluates.
    pub fn reset(&mut self, name: &str, active_high: bool, cycles: u64) -> Result<()> {
        let p = self.port(name)?;
        self.set_u64(p, u64::from(active_high))?;
        self.steps(cycles)?;
        self.set_u64(p, u64::from(!active_high))?;
        self.eval();
        Ok(())
    }

    /// Runs the design's `final` blocks and flushes the trace; also done on drop.
    pub fn finish(&mut self) {
        if !self.finished {
            self.finished = true;
            // SAFETY: `raw` is live until drop.
            unsafe {
                self.lib.lhv_final(self.raw);
                self.lib.lhv_trace_flush(self.raw);
            }
        }
    }
}

impl Drop for Model {
    fn drop(&mut self) {
        self.finish();
        // SAFETY: `raw` came from `lhv_create` and is destroyed once; the library
        // outlives it through `lib`.
        unsafe { self.lib.lhv_destroy(self.raw) }
    }
}
