//! `LAUBERHORN_TRACE=1` switches VCD tracing on for models built with default
//! options. In its own test binary, as it sets a process-wide variable.

use verilator::{Model, Source, TraceFormat};

mod common;

#[test]
fn env_var_turns_on_vcd_tracing() -> Result<(), Box<dyn std::error::Error>> {
    // SAFETY: the only test in this binary; no other thread reads the environment.
    unsafe { std::env::set_var("LAUBERHORN_TRACE", "1") };
    assert_eq!(TraceFormat::from_env(), Some(TraceFormat::Vcd));
    let file = common::verilog_file("lhv-env", "toggle.v", "module toggle(input clk, output reg q);\n  initial q = 0;\n  always @(posedge clk) q <= !q;\nendmodule\n")?;
    let path = {
        let mut m = Model::builder(Source::from_files([&file], "toggle"))
            .cxx_opt("-O1")
            .build()?;
        assert_eq!(m.build_info().trace, Some(TraceFormat::Vcd));
        let path = m.trace_path().expect("tracing").to_path_buf();
        assert!(
            path.starts_with(verilator::default_cache_dir().join("traces")),
            "{}",
            path.display()
        );
        m.add_clock("clk", 2)?;
        m.steps(3)?;
        assert_eq!(m.get_u64(m.port("q")?)?, 1);
        path
    };
    let vcd = std::fs::read_to_string(&path)?;
    assert!(vcd.contains(" q ") && vcd.contains("#6"), "{vcd}");
    std::fs::remove_file(&path)?;
    std::fs::remove_dir_all(file.parent().expect("a directory"))?;
    Ok(())
}
