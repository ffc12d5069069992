//! Model load time from the cache: in fresh processes (this benchmark run
//! again as `--load-probe DESIGN CACHE`), and repeated in one process.

use super::{designs, result_field};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};
use verilator::{Model, Source};

/// The child: elaborate, then time `library()` + `instantiate()` of a cached
/// model, the first in this process.
pub fn probe(design: &str, cache: &str) {
    let (_, d) = designs()
        .into_iter()
        .find(|(name, _)| *name == design)
        .unwrap_or_else(|| panic!("no design {design}"));
    let src = Source::from_hdl(&d.elaborate()).expect("source");
    let start = Instant::now();
    let lib = Model::builder(src)
        .trace(None)
        .cache_dir(cache)
        .library()
        .expect("library");
    let m = lib.instantiate().expect("instantiate");
    let t = start.elapsed();
    assert!(lib.build_info().cached, "the probe must find the model cached");
    drop(m);
    println!("LHV-LOAD micros={:.1}", t.as_secs_f64() * 1e6);
}

/// `k` fresh-process loads of `design` from `cache`.
pub fn fresh_processes(design: &str, cache: &Path, k: usize) -> Result<Vec<Duration>, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    (0..k)
        .map(|_| {
            let out = Command::new(&exe)
                .arg("--load-probe")
                .arg(design)
                .arg(cache)
                .output()
                .map_err(|e| e.to_string())?;
            let text = String::from_utf8_lossy(&out.stdout);
            let line = text
                .lines()
                .find(|l| l.starts_with("LHV-LOAD "))
                .ok_or_else(|| format!("load probe failed: {}", String::from_utf8_lossy(&out.stderr)))?;
            let micros: f64 = result_field(line, "micros")?;
            Ok(Duration::from_secs_f64(micros / 1e6))
        })
        .collect()
}

/// The median of `v`.
pub fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}
