//! AXI-Stream plumbing (adapter, packet FIFO, dual-clock FIFO): every
//! configuration elaborates without diagnostics (CDC included) and the
//! emitted RTL passes Verilator -Wall, Icarus and Yosys. Behaviour is
//! simulated in `testbenches/tests/stdlib_axis_*.rs`.

mod support;

use hdl::stdlib::axis_adapter::AxisAdapter;
use hdl::stdlib::axis_async_fifo::AxisAsyncFifo;
use hdl::stdlib::axis_frame_fifo::{AxisFrameFifo, FrameMeta};
use hdl::stdlib::axis_frame_writer::FrameOptions;
use hdl::Component;

fn elab<C: Component>(c: &C) -> hdl::Elaborated {
    let e = hdl::elaborate(c).unwrap_or_else(|d| panic!("{}:\n{d}", c.name()));
    assert!(e.warnings.list.is_empty(), "{}: {}", c.name(), e.warnings);
    e
}

fn lint<C: Component>(c: &C) -> String {
    let e = elab(c);
    support::check_rtl(&e, &format!("lint_{}", e.top_name()));
    e.verilog()
}

/// Every combination of the three options that [`FrameOptions::check`] accepts.
fn all_options() -> Vec<FrameOptions> {
    let mut v = vec![FrameOptions::STREAM];
    for drop_bad in [false, true] {
        for drop_when_full in [false, true] {
            v.push(FrameOptions {
                frame_mode: true,
                drop_bad,
                drop_when_full,
            });
        }
    }
    v
}

#[test]
fn adapters_are_lint_clean() {
    for (i, o) in [(1, 8), (8, 1), (1, 2), (2, 1), (8, 64), (64, 8), (4, 4)] {
        for user in [None, Some(1), Some(3)] {
            lint(&AxisAdapter {
                in_bytes: i,
                out_bytes: o,
                user_width: user,
            });
        }
    }
}

#[test]
fn adapter_names_carry_widths_in_bits() {
    let a = AxisAdapter {
        in_bytes: 8,
        out_bytes: 64,
        user_width: None,
    };
    assert_eq!(a.name(), "axis_adapter_64_512");
    let b = AxisAdapter {
        in_bytes: 64,
        out_bytes: 8,
        user_width: Some(1),
    };
    assert_eq!(b.name(), "axis_adapter_512_64_u1");
}

#[test]
fn frame_fifos_are_lint_clean() {
    for opts in all_options() {
        for (bytes, user, depth) in [(1, Some(1), 2), (8, Some(2), 16), (64, Some(1), 8)] {
            lint(&AxisFrameFifo {
                bytes,
                user_width: user,
                depth,
                options: opts,
                meta: None,
            });
        }
        if opts.frame_mode {
            lint(&AxisFrameFifo {
                bytes: 8,
                user_width: Some(1),
                depth: 32,
                options: opts,
                meta: Some(FrameMeta { width: 20, depth: 4 }),
            });
        }
    }
    lint(&AxisFrameFifo {
        bytes: 4,
        user_width: None,
        depth: 4,
        options: FrameOptions::FRAME,
        meta: None,
    });
}

#[test]
fn frame_fifo_memory_is_block_ram_shaped() {
    let v = lint(&AxisFrameFifo {
        bytes: 64,
        user_width: Some(1),
        depth: 256,
        options: FrameOptions {
            frame_mode: true,
            drop_bad: true,
            drop_when_full: true,
        },
        meta: None,
    });
    // 512 data bits + 7 count bits + tlast + tuser per beat.
    assert!(v.contains("reg  [520:0] ram [0:255];"), "{v}");
    assert!(v.contains("ram_rdata0 <= ram[rd_ptr_next[7:0]];"), "{v}");
    assert!(v.contains("module axis_frame_fifo_512_d256_u1_frame_dropbad_dropfull"));
}

#[test]
fn async_fifos_are_lint_clean_and_mark_synchronisers() {
    for opts in all_options() {
        for (bytes, user, depth) in [(1, Some(1), 2), (8, Some(1), 16), (64, Some(1), 4)] {
            let c = AxisAsyncFifo {
                bytes,
                user_width: user,
                depth,
                options: opts,
            };
            lint(&c);
            let e = elab(&c);
            let m = e.design.top_module();
            let synced: Vec<&str> = m
                .signals
                .iter()
                .filter(|s| s.reg.as_ref().is_some_and(|r| r.cdc_sync))
                .map(|s| s.name.as_str())
                .collect();
            let want: &[&str] = if opts.frame_mode {
                &[
                    "commit_gray_seen",
                    "rd_ptr_gray_sync1",
                    "commit_ack_sync1",
                    "commit_req_sync1",
                ]
            } else {
                &["rd_ptr_gray_sync1", "wr_ptr_gray_sync1"]
            };
            assert_eq!(synced, want, "{}", c.name());
        }
    }
}

#[test]
#[should_panic(expected = "dropping frames needs frame_mode")]
fn dropping_without_frame_mode_is_refused() {
    let _ = hdl::elaborate(&AxisFrameFifo {
        bytes: 8,
        user_width: Some(1),
        depth: 16,
        options: FrameOptions {
            frame_mode: false,
            drop_bad: false,
            drop_when_full: true,
        },
        meta: None,
    });
}

#[test]
#[should_panic(expected = "drop_bad needs a tuser")]
fn drop_bad_without_tuser_is_refused() {
    let _ = hdl::elaborate(&AxisAsyncFifo {
        bytes: 8,
        user_width: None,
        depth: 16,
        options: FrameOptions {
            frame_mode: true,
            drop_bad: true,
            drop_when_full: false,
        },
    });
}
