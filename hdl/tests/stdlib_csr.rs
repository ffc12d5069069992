//! CSR banks, their register maps and C headers, and the statistics counters:
//! elaboration, the `csr_map` annotation, checks of bad maps, and lint. The
//! cycle-level behaviour is simulated in `testbenches/tests/stdlib_csr.rs`.

mod support;

use hdl::stdlib::csr::CsrBank;
use hdl::stdlib::csr_header::{c_defines, c_header};
use hdl::stdlib::csr_map::{Access, CsrMap, Register};
use hdl::stdlib::stat_counters::{StatCounters, StatEvent};

fn elab<C: hdl::Component>(c: &C) -> hdl::Elaborated {
    hdl::elaborate(c).unwrap_or_else(|d| panic!("{d}"))
}

/// One register of every kind, fields, a read strobe, a gap in the offsets.
fn demo_map() -> CsrMap {
    CsrMap::new("demo", 8)
        .with_register(
            Register::rw("ctrl", 0x0)
                .with_reset(0x11)
                .with_doc("Control")
                .with_field("enable", 0, 1, "On")
                .with_field("mode", 4, 3, "Mode"),
        )
        .with_register(Register::rw("scratch", 0x4).with_reset(0xdead_beef))
        .with_register(Register::ro("status", 0x8).with_read_strobe())
        .with_register(Register::w1c("events", 0xc).with_field("lost", 3, 2, "Lost words"))
        .with_register(Register::w1s("cmd", 0x10).with_field("go", 0, 1, "Start"))
        .with_register(Register::wo("doorbell", 0x20).with_reset(7))
}

#[test]
fn bank_is_lint_clean_and_annotated() {
    let e = elab(&CsrBank { map: demo_map() });
    support::check_rtl(&e, "csr_demo_lint");
    let json: serde_json::Value = serde_json::from_str(&e.json()).unwrap();
    let module = &json["modules"][0];
    assert_eq!(module["name"], "csr_demo");
    let ann = &module["annotations"]["csr_map"];
    assert_eq!(ann, &demo_map().to_json());
    assert_eq!(ann["address_width"], 8);
    assert_eq!(ann["data_width"], 32);
    assert_eq!(ann["registers"][3]["access"], "w1c");
    assert_eq!(ann["registers"][0]["fields"][1]["lsb"], 4);
    assert_eq!(ann["registers"][1]["reset"], 0xdead_beefu32);
    assert!(ann["registers"][1].get("fields").is_none());
    assert_eq!(CsrMap::from_json(ann).unwrap().registers[2].access, Access::Ro);
}

#[test]
fn stat_counters_are_lint_clean() {
    let events = vec![
        StatEvent::pulse("rx_bad_fcs", "Bad FCS"),
        StatEvent::pulse("rx_runt", "Too short"),
        StatEvent::amount("rx_bytes", 16, "Bytes"),
    ];
    for (bits, registered_inputs) in [(32, false), (64, false), (64, true)] {
        let s = StatCounters {
            bank: format!("stats{bits}{}", if registered_inputs { "r" } else { "" }),
            counter_bits: bits,
            events: events.clone(),
            registered_inputs,
        };
        let e = elab(&s);
        support::check_rtl(&e, &format!("stat_counters_{}_lint", s.bank));
        let json: serde_json::Value = serde_json::from_str(&e.json()).unwrap();
        let bank = json["modules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == format!("csr_{}", s.bank))
            .expect("the bank module");
        assert_eq!(bank["annotations"]["csr_map"], s.map().to_json());
    }
}

fn problems(map: &CsrMap) -> String {
    map.validate().expect_err("the map is wrong").to_string()
}

#[test]
fn bad_maps_are_reported_with_every_problem() {
    let e = problems(
        &CsrMap::new("9bank", 8)
            .with_register(
                Register::rw("ctrl", 0x0)
                    .with_reset(0x100)
                    .with_field("on", 0, 1, ""),
            )
            .with_register(Register::rw("ctrl", 0x6))
            .with_register(Register::ro("other", 0x0))
            .with_register(
                Register::rw("f", 0x8)
                    .with_field("a", 0, 4, "")
                    .with_field("b", 2, 4, ""),
            )
            .with_register(
                Register::rw("g", 0xc)
                    .with_field("x", 30, 4, "")
                    .with_field("y", 0, 0, ""),
            )
            .with_register(Register::rw("input", 0x10))
            .with_register(Register::rw("far", 0x100))
            .with_register(Register::rw("clk", 0x14))
            .with_register(Register::rw("h", 0x18))
            .with_register(Register::ro("h_wr", 0x1c))
            .with_register(Register::ro("h_reset", 0x20)),
    );
    for want in [
        "bank name `9bank` is not a C identifier",
        "`ctrl`: reset value 0x100 sets bits outside its fields",
        "`ctrl`: offset 0x6 is not a multiple of 4",
        "two registers are named `ctrl`",
        "`other` and `ctrl` both sit at offset 0x0",
        "`f`: field `b` overlaps another field",
        "`g`: field `x` (bits 30..34) does not fit 32 bits",
        "`g`: field `y` (bits 0..0) does not fit 32 bits",
        "register name `input` is a Verilog keyword",
        "`far`: offset 0x100 is outside the 8-bit address space",
        "port `clk` of `clk` clashes with a bank port",
        "port `h_wr` of `h_wr` clashes with a port of `h`",
        "C macro LAUBERHORN_9BANK_H_RESET is made by both register `h` and register `h_reset`",
    ] {
        assert!(e.contains(want), "missing `{want}` in:\n{e}");
    }
    assert!(
        !e.contains("LAUBERHORN_9BANK_CTRL "),
        "a duplicate name is reported once:\n{e}"
    );
    assert!(problems(&CsrMap::new("empty", 8)).contains("at least one register"));
    let mut wide = CsrMap::new("wide", 8).with_register(Register::rw("a", 0));
    wide.data_width = 64;
    assert!(problems(&wide).contains("CSR banks have 32-bit registers"));
    assert!(
        problems(&CsrMap::new("tiny", 2).with_register(Register::rw("a", 0))).contains("address_width 2")
    );
}

#[test]
#[should_panic(expected = "register map `dup`")]
fn a_bank_with_a_bad_map_does_not_elaborate() {
    let map = CsrMap::new("dup", 8)
        .with_register(Register::rw("a", 0))
        .with_register(Register::rw("a", 4));
    let _ = hdl::elaborate(&CsrBank { map });
}

#[test]
fn json_round_trip_and_errors() {
    let map = demo_map();
    let back = CsrMap::from_json(&map.to_json()).unwrap();
    // Read strobes are hardware, not part of the register map.
    let mut without_strobes = map.clone();
    for r in &mut without_strobes.registers {
        r.read_strobe = false;
    }
    assert_eq!(back, without_strobes);
    let mut j = map.to_json();
    j["registers"][1]["access"] = "rx".into();
    let e = CsrMap::from_json(&j).unwrap_err().to_string();
    assert!(e.contains("registers[1].access `rx` is unknown"), "{e}");
    let mut j = map.to_json();
    j["registers"][0]["offset"] = 2.into();
    let e = CsrMap::from_json(&j).unwrap_err().to_string();
    assert!(e.contains("offset 0x2 is not a multiple of 4"), "{e}");
    let e = CsrMap::from_json(&serde_json::json!({"bank": "x"}))
        .unwrap_err()
        .to_string();
    assert!(e.contains("address_width is not a number"), "{e}");
}

#[test]
fn c_header_text() {
    let h = c_header(&demo_map(), 0x8000);
    assert!(
        h.starts_with("/* Register map of CSR bank `demo`. Generated by lauberhorn-rs; do not edit. */\n")
    );
    assert!(h.contains("#ifndef LAUBERHORN_DEMO_H\n#define LAUBERHORN_DEMO_H\n"));
    assert!(h.trim_end().ends_with("#endif /* LAUBERHORN_DEMO_H */"));
    for line in [
        "/* ctrl (rw): Control */",
        "#define LAUBERHORN_DEMO_CTRL 0x00008000u",
        "#define LAUBERHORN_DEMO_CTRL_RESET 0x00000011u",
        "/* mode: Mode */",
        "#define LAUBERHORN_DEMO_CTRL_MODE_LSB 4u",
        "#define LAUBERHORN_DEMO_CTRL_MODE_WIDTH 3u",
        "#define LAUBERHORN_DEMO_CTRL_MODE_MASK 0x00000070u",
        "#define LAUBERHORN_DEMO_SCRATCH_RESET 0xdeadbeefu",
        "/* status (ro) */",
        "#define LAUBERHORN_DEMO_EVENTS_LOST_MASK 0x00000018u",
        "#define LAUBERHORN_DEMO_DOORBELL 0x00008020u",
    ] {
        assert!(h.contains(&format!("{line}\n")), "missing `{line}` in:\n{h}");
    }
    // Addresses past 4 GiB need a 64-bit constant.
    assert!(
        c_defines(&demo_map(), 0x1_0000_0000).contains("#define LAUBERHORN_DEMO_CTRL 0x0000000100000000ull")
    );
    // A doc cannot end the comment early.
    let tricky = CsrMap::new("t", 4).with_register(Register::rw("a", 0).with_doc("x */ y /* z\nw"));
    assert!(c_defines(&tricky, 0).contains("/* a (rw): x * / y / * z w */"));
}

#[test]
fn stat_counter_map_layout() {
    let s = StatCounters::new(
        "stats",
        vec![StatEvent::pulse("a", "A"), StatEvent::amount("b", 12, "B")],
    );
    let map = s.map();
    let names: Vec<(&str, u64, Access)> = map
        .registers
        .iter()
        .map(|r| (r.name.as_str(), r.offset, r.access))
        .collect();
    assert_eq!(
        names,
        [
            ("ctrl", 0x0, Access::W1s),
            ("info", 0x4, Access::Ro),
            ("a_lo", 0x8, Access::Ro),
            ("a_hi", 0xc, Access::Ro),
            ("b_lo", 0x10, Access::Ro),
            ("b_hi", 0x14, Access::Ro),
        ]
    );
    assert_eq!(s.map().address_width, 5);
    assert_eq!(s.info(), 2 | 64 << 16);
    let narrow = StatCounters {
        counter_bits: 32,
        ..s.clone()
    };
    assert_eq!(narrow.map().register("b").unwrap().offset, 0xc);
    assert_eq!(narrow.map().address_width, 4);
}
