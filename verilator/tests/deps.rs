//! The cache follows `` `include``d files (`src/deps.rs`): a changed include
//! rebuilds the model, an unchanged one loads it from the cache.

use verilator::{Model, Source};

mod common;

type TestResult = Result<(), Box<dyn std::error::Error>>;

#[test]
fn a_changed_include_rebuilds_the_model() -> TestResult {
    // Stable paths, so that reruns share the cache entry: the test makes no
    // assumption about the state a previous run left.
    let top = common::verilog_file(
        "lhv-deps",
        "with_include.v",
        "`include \"value.vh\"\nmodule with_include(output [7:0] v);\n  assign v = `VALUE;\nendmodule\n",
    )?;
    let inc = top.parent().expect("a directory").join("include");
    let build = |value: u8| -> Result<(bool, u64), Box<dyn std::error::Error>> {
        common::verilog_file(
            "lhv-deps/include",
            "value.vh",
            &format!("`define VALUE 8'd{value}\n"),
        )?;
        let m = Model::builder(Source::from_files([&top], "with_include"))
            .cxx_opt("-O1")
            .trace(None)
            .verilator_arg(&format!("+incdir+{}", inc.display()))
            .build()?;
        let v = m.get_u64(m.port("v")?)?;
        Ok((m.build_info().cached, v))
    };
    assert_eq!(build(42)?.1, 42);
    assert_eq!(build(42)?, (true, 42), "unchanged include: from the cache");
    assert_eq!(build(43)?, (false, 43), "changed include: rebuilt");
    assert_eq!(build(43)?, (true, 43));
    assert_eq!(build(42)?, (false, 42), "changed back: rebuilt again");
    Ok(())
}
