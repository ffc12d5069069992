//! Missing tools are reported with how to install them. In its own test
//! binary, as it changes process-wide environment variables.

use verilator::{Error, Model, Source};

mod common;

#[test]
fn missing_verilator_and_compiler_say_how_to_install() {
    let file = common::verilog_file(
        "lhv-missing",
        "buf.v",
        "module buf1(input a, output b);\n  assign b = a;\nendmodule\n",
    )
    .unwrap();
    let src = Source::from_files([&file], "buf1");

    // SAFETY: the only test in this binary; no other thread reads the environment.
    unsafe { std::env::set_var("LAUBERHORN_VERILATOR", "/nonexistent/verilator") };
    let err = Model::builder(src.clone()).trace(None).build().unwrap_err();
    assert!(matches!(err, Error::VerilatorMissing { .. }), "{err}");
    assert!(err.to_string().contains("apt-get install verilator"), "{err}");

    // SAFETY: as above.
    unsafe {
        std::env::remove_var("LAUBERHORN_VERILATOR");
        std::env::set_var("CXX", "/nonexistent/c++");
    }
    let err = Model::builder(src).trace(None).build().unwrap_err();
    assert!(matches!(err, Error::CompilerMissing { .. }), "{err}");
    assert!(err.to_string().contains("apt-get install g++"), "{err}");
    std::fs::remove_dir_all(file.parent().expect("a directory")).unwrap();
}
