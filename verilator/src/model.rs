//! A running model instance: evaluation, time, clocks, reset and traces. Its
//! ports are read and written through [`crate::PortHandle`]s (`port.rs`).

use crate::builder::BuildInfo;
use crate::error::{Error, Result};
use crate::library::ModelBuilder;
use crate::port::Slot;
use crate::source::Source;
use crate::sys;
use std::cell::Cell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

static NEXT_MODEL_ID: AtomicU32 = AtomicU32::new(1);

/// A clock driven by [`Model::step`].
struct Clock {
    /// Index in the port table.
    port: usize,
    half: u64,
    next: u64,
    high: bool,
}

/// The only clock, when its storage is one byte (every clock of at most 8
/// bits): [`Model::step`] is then one call into the model. Low between steps.
struct SoleClock {
    data: *mut u8,
    half: u64,
    /// Time of the next rising edge.
    next: u64,
}

/// The ABI functions called every cycle, copied out of the library so that a
/// call is one indirect jump.
struct HotFns {
    eval: unsafe extern "C" fn(*mut sys::lhv_model) -> i32,
    eval_at: unsafe extern "C" fn(*mut sys::lhv_model, u64) -> i32,
    cycle: unsafe extern "C" fn(*mut sys::lhv_model, *mut u8, u64, u64) -> i32,
}

thread_local! {
    /// The id of the model whose context is this thread's Verilator context
    /// (0: none yet), so that a model binds its context only when the thread
    /// last evaluated another model.
    static BOUND: Cell<u32> = const { Cell::new(0) };
}

/// A running instance of a verilated model.
///
/// Values written to inputs take effect at the next [`Model::eval`] (the clock
/// helpers evaluate for you). Each model has its own Verilated context, so any
/// number of models, of the same or different designs, can live in one process;
/// a model can move between threads but is driven from one at a time.
pub struct Model {
    /// Keeps the library loaded while `raw` lives.
    lib: Arc<sys::LhvLib>,
    pub(crate) raw: *mut sys::lhv_model,
    hot: HotFns,
    /// Unique in the process; every [`crate::PortHandle`] carries it.
    pub(crate) id: u32,
    pub(crate) top: String,
    pub(crate) ports: Vec<Slot>,
    pub(crate) by_name: HashMap<String, usize>,
    clocks: Vec<Clock>,
    /// Replaces `clocks` for stepping while it is the only clock.
    sole: Option<SoleClock>,
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

impl Model {
    /// Wraps a model fresh from `lhv_create` and evaluates it once (which
    /// runs its `initial` blocks).
    ///
    /// # Safety
    /// `raw` must come from `lib.lhv_create` and `ports` from its
    /// `lhv_port_info`; the model takes ownership of `raw`.
    pub(crate) unsafe fn new(
        lib: Arc<sys::LhvLib>,
        raw: *mut sys::lhv_model,
        top: String,
        ports: Vec<Slot>,
        info: BuildInfo,
        trace_path: Option<PathBuf>,
    ) -> Result<Model> {
        let by_name = ports
            .iter()
            .enumerate()
            .map(|(i, p)| (p.name.clone(), i))
            .collect();
        let hot = HotFns {
            eval: lib.lhv_eval,
            eval_at: lib.lhv_eval_at,
            cycle: lib.lhv_cycle,
        };
        let mut m = Model {
            lib,
            raw,
            hot,
            id: NEXT_MODEL_ID
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_add(1))
                .expect("more than 2^32 models in one process"),
            top,
            ports,
            by_name,
            clocks: Vec::new(),
            sole: None,
            info,
            trace_path,
            finished: false,
        };
        m.eval()?;
        Ok(m)
    }

    /// A builder for a model of `source`, to set options before building.
    pub fn builder(source: Source) -> ModelBuilder {
        ModelBuilder::new(source)
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

    /// Evaluates the model until it settles, then dumps the trace if the time
    /// advanced since the last dump. Fails with [`Error::Stopped`] once the
    /// design ran `$stop` or `$fatal`, failed an assertion or hit a runtime
    /// error (in this or an earlier evaluation).
    #[inline]
    pub fn eval(&mut self) -> Result<()> {
        self.bind_thread();
        // SAFETY: `raw` is live until drop.
        let rc = unsafe { (self.hot.eval)(self.raw) };
        self.check_running(rc)
    }

    /// Sets the simulation time to `t` and evaluates as [`Model::eval`], in
    /// one call into the model (instead of [`Model::set_time`] and
    /// [`Model::eval`]): for testbenches that drive their own clocks.
    #[inline]
    pub fn eval_at(&mut self, t: u64) -> Result<()> {
        self.bind_thread();
        // SAFETY: `raw` is live until drop.
        let rc = unsafe { (self.hot.eval_at)(self.raw, t) };
        self.check_running(rc)
    }

    /// Forgets which model's context is this thread's Verilator context:
    /// after `lhv_create` (a new context makes itself the thread's, and a
    /// failed creation leaves it freed) and after `lhv_destroy`.
    pub(crate) fn unbind_thread() {
        BOUND.with(|b| b.set(0));
    }

    /// Makes this model's context the thread's Verilator context (where
    /// `$finish` lands) when the thread last evaluated another model.
    #[inline(always)]
    fn bind_thread(&self) {
        BOUND.with(|b| {
            if b.get() != self.id {
                // SAFETY: `raw` is live until drop.
                unsafe { self.lib.lhv_bind_thread(self.raw) };
                b.set(self.id);
            }
        })
    }

    /// `Ok` for a return code of 0 from an evaluation, else why it stopped.
    #[inline(always)]
    fn check_running(&self, rc: i32) -> Result<()> {
        if rc == 0 {
            Ok(())
        } else {
            Err(self.stopped())
        }
    }

    #[cold]
    #[inline(never)]
    fn stopped(&self) -> Error {
        // SAFETY: `raw` is live; the message is NUL-terminated and stays
        // valid until the next call on the model, and is copied now.
        let msg = unsafe { self.lib.lhv_stop_message(self.raw) };
        let message = if msg.is_null() {
            "stopped".to_string()
        } else {
            // SAFETY: as above.
            unsafe { std::ffi::CStr::from_ptr(msg) }
                .to_string_lossy()
                .into_owned()
        };
        Error::Stopped {
            top: self.top.clone(),
            message,
            time: self.time(),
        }
    }

    /// Whether the design ran `$finish`. A model goes on evaluating after
    /// it, as a Verilated model does; the testbench decides when to stop (and
    /// a second `$finish` does not exit the process, as it would in a
    /// Verilator `main`).
    pub fn verilog_finished(&self) -> bool {
        // SAFETY: `raw` is live until drop.
        unsafe { self.lib.lhv_got_finish(self.raw) != 0 }
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
    /// Fails as [`Model::eval`] when writing the trace fails (which stops
    /// the model) or the model stopped before.
    pub fn flush_trace(&mut self) -> Result<()> {
        self.bind_thread();
        // SAFETY: `raw` is live until drop.
        let rc = unsafe { self.lib.lhv_trace_flush(self.raw) };
        self.check_running(rc)
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
        if let Some(s) = self.sole.take() {
            self.clocks[0].next = s.next;
        }
        let port = self.index_of(p);
        self.clocks.push(Clock {
            port,
            half: period / 2,
            next: now + period / 2,
            high: false,
        });
        if let ([c], 1) = (self.clocks.as_slice(), self.ports[port].word_bytes) {
            self.sole = Some(SoleClock {
                data: self.ports[port].data,
                half: c.half,
                next: c.next,
            });
        }
        self.eval()
    }

    /// Runs one period of the first clock: to its rising edge, where the
    /// design samples the inputs, then to its falling edge. Edges of other
    /// clocks in between happen at their times. Inputs set before `step` are
    /// seen at the rising edge; outputs read after it show the state after
    /// that edge.
    #[inline]
    pub fn step(&mut self) -> Result<()> {
        if let Some(c) = &mut self.sole {
            let (rise, fall) = (c.next, c.next + c.half);
            c.next = fall + c.half;
            let (raw, data, cycle) = (self.raw, c.data, self.hot.cycle);
            self.bind_thread();
            // SAFETY: `raw` is live; the clock port's storage is one byte inside it.
            let rc = unsafe { cycle(raw, data, rise, fall) };
            return self.check_running(rc);
        }
        self.step_clocks()
    }

    /// [`Model::step`] with any number of clocks, edge by edge.
    fn step_clocks(&mut self) -> Result<()> {
        if self.clocks.is_empty() {
            return Err(Error::NoClock {
                top: self.top.clone(),
            });
        }
        loop {
            let t = self.clocks.iter().map(|c| c.next).min().unwrap_or_default();
            let mut primary_fell = false;
            for (i, c) in self.clocks.iter_mut().enumerate() {
                if c.next == t {
                    c.high = !c.high;
                    c.next += c.half;
                    // SAFETY: clock ports are inputs of at most 64 bits (checked by
                    // `set_u64` in `add_clock`).
                    unsafe { self.ports[c.port].store(u64::from(c.high)) };
                    primary_fell |= i == 0 && !c.high;
                }
            }
            self.eval_at(t)?;
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
        self.eval()
    }

    /// Runs the design's `final` blocks and flushes the trace; also done on
    /// drop. Fails as [`Model::eval`] when the model stopped, or stops in a
    /// `final` block.
    pub fn finish(&mut self) -> Result<()> {
        if self.finished {
            return Ok(());
        }
        self.finished = true;
        self.bind_thread();
        // SAFETY: `raw` is live until drop.
        let rc = unsafe { self.lib.lhv_final(self.raw) };
        self.check_running(rc)?;
        self.flush_trace()
    }

    /// Whether the model stopped (see [`Error::Stopped`]).
    fn is_stopped(&self) -> bool {
        // SAFETY: `raw` is live until drop.
        !unsafe { self.lib.lhv_stop_message(self.raw) }.is_null()
    }
}

impl Drop for Model {
    fn drop(&mut self) {
        // A stop before was reported by the call that hit it; one in a
        // `final` block, or in flushing the trace, has no caller to go to.
        let stopped_before = self.is_stopped();
        if let Err(e) = self.finish() {
            if !stopped_before {
                eprintln!("lauberhorn-verilator: {e}");
            }
        }
        // Verilator destroys a model's scopes through the thread's context,
        // which must be the model's own; it dangles afterwards, so the next
        // model evaluated on this thread binds its own.
        self.bind_thread();
        // SAFETY: `raw` came from `lhv_create` and is destroyed once; the library
        // outlives it through `lib`.
        unsafe { self.lib.lhv_destroy(self.raw) };
        Model::unbind_thread();
    }
}
