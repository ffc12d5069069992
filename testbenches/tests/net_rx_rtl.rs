//! Every receive-side module passes Verilator -Wall, Icarus and Yosys at
//! every datapath width.

mod net_rx_common;

use generators::net::rx::rx_parse::RxParse;
use net_rx_common::rtl::check_rtl;

#[test]
fn rx_parse_is_lint_clean_at_every_width() {
    for bytes in [8, 16, 32, 64] {
        let e = hdl::elaborate(&RxParse {
            bytes,
            listen_entries: 16,
        })
        .unwrap_or_else(|d| panic!("{d}"));
        check_rtl(&e, &format!("rx_parse_{}", 8 * bytes));
    }
}

#[test]
fn rx_steer_is_lint_clean_at_every_width() {
    for bytes in [8, 16, 32, 64] {
        let e = hdl::elaborate(&generators::net::rx::rx_steer::RxSteer {
            bytes,
            listen_entries: 16,
        })
        .unwrap_or_else(|d| panic!("{d}"));
        check_rtl(&e, &format!("rx_steer_{}", 8 * bytes));
    }
}

#[test]
fn net_rx_is_lint_clean_at_every_width() {
    for bytes in [8, 16, 32, 64] {
        let e =
            hdl::elaborate(&generators::net::rx::net_rx::NetRx::new(bytes)).unwrap_or_else(|d| panic!("{d}"));
        check_rtl(&e, &format!("net_rx_{}", 8 * bytes));
    }
}
