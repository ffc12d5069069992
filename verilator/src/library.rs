//! A built model library, loaded once and instantiated any number of times,
//! and the builder that makes one.

use crate::builder::{build, default_cache_dir, BuildInfo, BuildOptions, TraceFormat, XInitial};
use crate::error::{Error, Result};
use crate::model::Model;
use crate::port::Slot;
use crate::source::{Direction, Source};
use crate::sys;
use std::ffi::{CStr, CString};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

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
        Model::unbind_thread();
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
                data: pi.data.cast(),
            });
        }
        if let Some(p) = trace {
            eprintln!(
                "lauberhorn-verilator: tracing model `{}` to {}",
                self.top,
                p.display()
            );
        }
        // SAFETY: `raw` is a fresh model of `self.lib` and `ports` its port table.
        unsafe {
            Model::new(
                self.lib.clone(),
                raw,
                self.top.clone(),
                ports,
                self.info.clone(),
                trace.map(Path::to_path_buf),
            )
        }
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
    /// Default options for `source`.
    pub(crate) fn new(source: Source) -> ModelBuilder {
        ModelBuilder {
            source,
            opts: BuildOptions::default(),
            trace_path: None,
        }
    }

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
        // The entry stays locked until the library is loaded.
        let (info, _entry) = build(&self.source, &self.opts)?;
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
