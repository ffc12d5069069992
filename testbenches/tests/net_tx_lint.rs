//! Every transmit-side module at every width passes Verilator `-Wall`,
//! Icarus and Yosys.

mod net_tx_common;

use generators::net::tx::arp_tx::ArpTx;
use generators::net::tx::icmp_echo::IcmpEcho;
use generators::net::tx::neighbour_table::NeighbourTable;
use generators::net::tx::tx_mux::TxMux;
use net_tx_common::rtl::{check_rtl, elaborate};

const WIDTHS: [u32; 4] = [8, 16, 32, 64];

#[test]
fn neighbour_table_is_lint_clean() {
    for latency in 1..=3 {
        let e = elaborate(&NeighbourTable { entries: 8, latency });
        check_rtl(&e, &format!("neighbour_table_l{latency}"));
    }
    check_rtl(
        &elaborate(&NeighbourTable {
            entries: 1,
            latency: 1,
        }),
        "neighbour_table_e1",
    );
    check_rtl(
        &elaborate(&NeighbourTable {
            entries: 5,
            latency: 2,
        }),
        "neighbour_table_e5",
    );
}

#[test]
fn arp_tx_is_lint_clean() {
    for bytes in WIDTHS {
        let e = elaborate(&ArpTx {
            bytes,
            entries: 4,
            reply_depth: 4,
        });
        check_rtl(&e, &format!("arp_tx_{bytes}"));
    }
}

#[test]
fn icmp_echo_is_lint_clean() {
    for bytes in WIDTHS {
        check_rtl(&elaborate(&IcmpEcho { bytes }), &format!("icmp_echo_{bytes}"));
    }
}

#[test]
fn tx_mux_is_lint_clean() {
    for bytes in WIDTHS {
        let e = elaborate(&TxMux {
            bytes,
            inputs: 4,
            user_width: 1,
        });
        check_rtl(&e, &format!("tx_mux_{bytes}"));
    }
    check_rtl(
        &elaborate(&TxMux {
            bytes: 8,
            inputs: 3,
            user_width: 1,
        }),
        "tx_mux_n3",
    );
    check_rtl(
        &elaborate(&TxMux {
            bytes: 8,
            inputs: 1,
            user_width: 1,
        }),
        "tx_mux_n1",
    );
}

#[test]
fn udp_tx_parts_are_lint_clean() {
    use generators::net::tx::header_insert::HeaderInsert;
    use generators::net::tx::udp_tx_ingest::UdpTxIngest;
    use generators::net::tx::udp_tx_route::UdpTxRoute;
    for lookup_latency in 1..=3 {
        let e = elaborate(&UdpTxRoute { lookup_latency });
        check_rtl(&e, &format!("udp_tx_route_l{lookup_latency}"));
    }
    for bytes in WIDTHS {
        let e = elaborate(&UdpTxIngest {
            bytes,
            max_payload: 9000,
        });
        check_rtl(&e, &format!("udp_tx_ingest_{bytes}"));
        let e = elaborate(&HeaderInsert {
            bytes,
            header_bytes: 42,
            user_width: 1,
        });
        check_rtl(&e, &format!("header_insert_{bytes}"));
    }
}

#[test]
fn udp_tx_and_net_tx_are_lint_clean() {
    use generators::net::tx::net_tx::NetTx;
    use generators::net::tx::udp_tx::UdpTx;
    for bytes in WIDTHS {
        let e = elaborate(&UdpTx {
            bytes,
            fifo_beats: 256,
            fifo_frames: 8,
            lookup_latency: 1,
        });
        check_rtl(&e, &format!("udp_tx_{bytes}"));
        check_rtl(&elaborate(&NetTx::new(bytes)), &format!("net_tx_{bytes}"));
    }
}
