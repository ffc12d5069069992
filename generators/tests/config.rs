//! The NIC configuration: presets, the committed example files, TOML
//! overrides and validation.

mod support;

use generators::config::{self, presets, MacKind, NicConfig};
use std::path::Path;

fn repo_file(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn errors(text: &str) -> Vec<String> {
    config::from_toml_str(text, "test")
        .unwrap_err()
        .errors
        .iter()
        .map(|e| e.to_string())
        .collect()
}

#[test]
fn presets_are_valid_and_match_the_prototype_numbers() {
    for name in presets::NAMES {
        let cfg = presets::by_name(name).unwrap();
        assert!(cfg.validate().is_empty(), "{name}: {:?}", cfg.validate());
    }
    let e = presets::enzian();
    assert_eq!(NicConfig::default(), e);
    assert_eq!((e.datapath.bytes, e.core_clock_hz()), (64, 250_000_000));
    assert_eq!(
        (e.mac.kind, e.mac_clock_hz(), e.mac.mtu),
        (MacKind::Cmac, 322_265_625, 9618)
    );
    assert_eq!((e.host.cache_line_bytes, e.host.worker_cores), (128, 4));
    let t = &e.tables;
    assert_eq!(
        (
            t.neighbours,
            t.listen_ports,
            t.services,
            t.sessions,
            t.processes,
            t.threads
        ),
        (8, 16, 8, 16, 16, 64)
    );
    assert_eq!((e.rpc.queued_per_process, e.rpc.inline_arg_bytes), (32, 48));
    let s = presets::small();
    assert_eq!(
        (s.datapath.bytes, s.mac.kind, s.mac_clock_hz(), s.mac.mtu),
        (8, MacKind::Xgmii, 156_250_000, 1518)
    );
    assert_eq!(s.host.worker_cores, 2);
}

#[test]
fn the_committed_example_files_parse_to_their_presets() {
    for name in presets::NAMES {
        let file = format!("configs/{name}.toml");
        let text = repo_file(&file);
        let cfg = config::from_toml_str(&text, &file).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(cfg, presets::by_name(name).unwrap(), "{file}");
        // And they are exactly what `lauberhorn config` prints (docs in sync).
        let printed = support::lauberhorn(&["config", "--config", name]);
        assert_eq!(printed.code, 0);
        assert_eq!(
            printed.stdout, text,
            "{file} is stale: run `lauberhorn config --config {name} > {file}`"
        );
    }
}

#[test]
fn every_field_is_documented_in_the_example() {
    let text = repo_file("configs/enzian.toml");
    for (section, doc, fields) in config::sections() {
        assert!(!doc.trim().is_empty(), "{section}");
        assert!(text.contains(&format!("[{section}]")));
        for (key, lines) in fields {
            assert!(
                !lines.is_empty() && !lines[0].trim().is_empty(),
                "{section}.{key}"
            );
            assert!(text.contains(&format!("\n{key} = ")), "{section}.{key}");
        }
    }
}

#[test]
fn a_file_overrides_a_subset_of_its_base() {
    let cfg = config::from_toml_str("base = \"small\"\n[tables]\nsessions = 64\n", "t").unwrap();
    let mut want = presets::small();
    want.tables.sessions = 64;
    assert_eq!(cfg, want);
    // No base: enzian. Integers are accepted for clock frequencies.
    let cfg = config::from_toml_str("[datapath]\ncore_clock_mhz = 300\n", "t").unwrap();
    assert_eq!(cfg.core_clock_hz(), 300_000_000);
    assert_eq!(cfg.mac, presets::enzian().mac);
    // An empty file is the default.
    assert_eq!(config::from_toml_str("", "t").unwrap(), presets::enzian());
}

#[test]
fn validation_reports_every_problem_with_its_field() {
    let e = errors(
        "[datapath]\nbytes = 16\ncore_clock_mhz = 900.0\n\
         [mac]\nclock_mhz = 156.2500001\n\
         [host]\ncache_line_bytes = 64\nworker_cores = 48\n\
         [tables]\nprocesses = 8\nthreads = 4\n\
         [rpc]\ninline_arg_bytes = 20\n",
    );
    let want = [
        "datapath.core_clock_mhz = 900: must be in 10..=800 (MHz)",
        "mac.clock_mhz = 156.2500001: must be a whole number of Hz",
        "host.worker_cores = 48: must be in 1..=47",
        "tables.threads = 4: must be at least tables.processes (8): every process has a thread",
        "rpc.inline_arg_bytes = 20: must be a multiple of 4 in 0..=16 (the 32 B descriptor half of a 64 B control line",
    ];
    for w in want {
        assert!(e.iter().any(|x| x.starts_with(w)), "missing `{w}` in {e:#?}");
    }
    assert_eq!(e.len(), want.len(), "{e:#?}");
}

#[test]
fn the_datapath_must_keep_up_with_the_line_rate() {
    // 16 B x 250 MHz = 32 Gbit/s cannot carry the CMAC's 100 Gbit/s.
    let e = errors("[datapath]\nbytes = 16\n");
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].starts_with("datapath.bytes = 16: 16 B x 250 MHz = 32 Gbit/s is below the 100 Gbit/s"),
        "{e:?}"
    );
    // The same width is plenty for XGMII.
    assert!(config::from_toml_str("base = \"small\"\n[datapath]\nbytes = 16\n", "t").is_ok());
}

#[test]
fn types_unknown_keys_and_bases_are_checked() {
    let e =
        errors("base = \"tiny\"\n[mac]\nmtu = 1.5\nkind = 3\n[host]\ncache_line_bytes = -128\ncolour = 1\n");
    for w in [
        "base = \"tiny\": unknown preset; presets: enzian, small",
        "mac.mtu = 1.5: must be an integer",
        "mac.kind = 3: must be one of \"cmac\", \"xgmii\"",
        "host.cache_line_bytes = -128: must be a non-negative integer below 2^32",
        "host.colour: unknown key ([host] has: cache_line_bytes, worker_cores)",
    ] {
        assert!(e.iter().any(|x| x == w), "missing `{w}` in {e:#?}");
    }
    let e = errors("datapath = 3\n");
    assert_eq!(e, ["datapath = 3: must be a section [datapath]"]);
    let e = errors("[datapath\n");
    assert!(e[0].starts_with("syntax: "), "{e:?}");
}

#[test]
fn a_missing_file_is_reported() {
    let e = config::from_file(Path::new("/nonexistent/lauberhorn.toml")).unwrap_err();
    assert!(e.to_string().contains("cannot read"), "{e}");
}
