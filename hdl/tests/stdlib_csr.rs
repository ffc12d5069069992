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
    for bits in [32, 64] {
        let s = StatCounters {
            bank: format!("stats{bits}"),
            counter_bits: bits,
            events: events.clone(),
        };
        let e = elab(&s);
        support::check_rtl(&e, &format!("stat_counters_{bits}_lint"));
        let json: serde_json::Value = serde_json::from_str(&e.json()).unwrap();
        let bank = json["modules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == format!("csr_stats{bits}"))
            .expect("the bank module");
        assert_eq!(bank["annotations"]["csr_map"], s.map().to_json());
    }
}
