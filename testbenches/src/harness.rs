//! A test runner for tests that may have to be skipped at run time (a TAP
//! device needs root and the TUN/TAP driver): a skipped test is reported as
//! `ignored` with its reason, never as passed. Use it from a test target with
//! `harness = false`; it prints libtest's summary format so that scripts
//! counting `test result:` lines keep working.

use std::panic::{catch_unwind, AssertUnwindSafe};

/// How a run-time-skippable test ended.
#[derive(Debug)]
pub enum Outcome {
    /// It ran and passed.
    Passed,
    /// It could not run here; the reason is printed.
    Skipped(String),
}

/// A test: a name and a function that panics (or returns `Err`) on failure.
pub type Test = (&'static str, fn() -> Result<Outcome, String>);

/// Runs `tests` (filtered by the first command-line argument that is not a
/// flag, as `cargo test NAME` does) and exits non-zero if any failed.
pub fn run(tests: &[Test]) -> ! {
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let selected: Vec<&Test> = tests
        .iter()
        .filter(|(name, _)| filter.as_deref().is_none_or(|f| name.contains(f)))
        .collect();
    println!("\nrunning {} tests", selected.len());
    let (mut passed, mut failed, mut ignored) = (0, 0, 0);
    let mut failures = Vec::new();
    for (name, f) in selected {
        match catch_unwind(AssertUnwindSafe(f)) {
            Ok(Ok(Outcome::Passed)) => {
                passed += 1;
                println!("test {name} ... ok");
            }
            Ok(Ok(Outcome::Skipped(why))) => {
                ignored += 1;
                println!("test {name} ... ignored, skipped: {why}");
            }
            Ok(Err(msg)) => {
                failed += 1;
                println!("test {name} ... FAILED");
                failures.push(format!("---- {name} ----\n{msg}"));
            }
            Err(panic) => {
                failed += 1;
                println!("test {name} ... FAILED");
                let msg = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failures.push(format!("---- {name} ----\npanicked: {msg}"));
            }
        }
    }
    if !failures.is_empty() {
        println!("\nfailures:\n\n{}", failures.join("\n\n"));
    }
    println!(
        "\ntest result: {}. {passed} passed; {failed} failed; {ignored} ignored; 0 measured; 0 filtered out\n",
        if failed == 0 { "ok" } else { "FAILED" }
    );
    std::process::exit(i32::from(failed > 0))
}
