//! Range and consistency checks of a [`NicConfig`], every problem reported.

use super::NicConfig;
use std::fmt;

/// One bad field: its dotted name, its value as written, and what is allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// Dotted name, e.g. `datapath.bytes` (or the file, for syntax errors).
    pub field: String,
    /// The offending value as TOML would print it (empty when there is none).
    pub value: String,
    /// What is allowed, e.g. `must be one of 8, 16, 32, 64`.
    pub message: String,
}

impl ConfigError {
    /// An error about `field` holding `value`.
    pub fn new(field: &str, value: impl fmt::Display, message: impl Into<String>) -> ConfigError {
        ConfigError {
            field: field.into(),
            value: value.to_string(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.value.is_empty() {
            write!(f, "{}: {}", self.field, self.message)
        } else {
            write!(f, "{} = {}: {}", self.field, self.value, self.message)
        }
    }
}

fn one_of(errs: &mut Vec<ConfigError>, field: &str, v: u32, allowed: &[u32]) -> bool {
    if allowed.contains(&v) {
        return true;
    }
    let list: Vec<String> = allowed.iter().map(u32::to_string).collect();
    errs.push(ConfigError::new(
        field,
        v,
        format!("must be one of {}", list.join(", ")),
    ));
    false
}

fn in_range(errs: &mut Vec<ConfigError>, field: &str, v: u32, lo: u32, hi: u32) -> bool {
    if (lo..=hi).contains(&v) {
        return true;
    }
    errs.push(ConfigError::new(field, v, format!("must be in {lo}..={hi}")));
    false
}

/// A clock in MHz: 10..=800 (what UltraScale+ fabric can run) and a whole number of Hz.
fn clock(errs: &mut Vec<ConfigError>, field: &str, mhz: f64) -> bool {
    let ok_range = (10.0..=800.0).contains(&mhz);
    if !ok_range {
        errs.push(ConfigError::new(field, mhz, "must be in 10..=800 (MHz)"));
        return false;
    }
    let hz = mhz * 1e6;
    if (hz - hz.round()).abs() > 1e-3 {
        errs.push(ConfigError::new(field, mhz, "must be a whole number of Hz"));
        return false;
    }
    true
}

impl NicConfig {
    /// Every problem of this configuration (empty when it is usable).
    pub fn validate(&self) -> Vec<ConfigError> {
        let mut e = Vec::new();
        let d = &self.datapath;
        let bytes_ok = one_of(&mut e, "datapath.bytes", d.bytes, &[8, 16, 32, 64]);
        let core_ok = clock(&mut e, "datapath.core_clock_mhz", d.core_clock_mhz);
        if bytes_ok && core_ok {
            let gbps = f64::from(d.bytes) * 8.0 * d.core_clock_mhz / 1000.0;
            let need = self.mac.kind.line_rate_gbps();
            if gbps < need {
                e.push(ConfigError::new(
                    "datapath.bytes",
                    d.bytes,
                    format!(
                        "{} B x {} MHz = {gbps} Gbit/s is below the {need} Gbit/s line rate of mac.kind = \"{}\"",
                        d.bytes,
                        d.core_clock_mhz,
                        self.mac.kind.name()
                    ),
                ));
            }
        }

        clock(&mut e, "mac.clock_mhz", self.mac.clock_mhz);
        in_range(&mut e, "mac.mtu", self.mac.mtu, 64, 16384);

        let h = &self.host;
        let line_ok = one_of(&mut e, "host.cache_line_bytes", h.cache_line_bytes, &[64, 128]);
        // Enzian's ThunderX-1 has 48 cores; core 0 takes bypass traffic.
        in_range(&mut e, "host.worker_cores", h.worker_cores, 1, 47);

        let t = &self.tables;
        in_range(&mut e, "tables.neighbours", t.neighbours, 1, 256);
        in_range(&mut e, "tables.listen_ports", t.listen_ports, 1, 256);
        in_range(&mut e, "tables.services", t.services, 1, 256);
        in_range(&mut e, "tables.sessions", t.sessions, 1, 4096);
        let procs_ok = in_range(&mut e, "tables.processes", t.processes, 1, 256);
        let threads_ok = in_range(&mut e, "tables.threads", t.threads, 1, 4096);
        if procs_ok && threads_ok && t.threads < t.processes {
            e.push(ConfigError::new(
                "tables.threads",
                t.threads,
                format!(
                    "must be at least tables.processes ({}): every process has a thread",
                    t.processes
                ),
            ));
        }

        let r = &self.rpc;
        if !(r.queued_per_process.is_power_of_two() && r.queued_per_process <= 1024) {
            e.push(ConfigError::new(
                "rpc.queued_per_process",
                r.queued_per_process,
                "must be a power of two in 1..=1024",
            ));
        }
        if line_ok {
            // The descriptor is the first half of a control line; its first 16 B
            // hold valid/type/length, xid and the function pointer.
            let max = h.cache_line_bytes / 2 - 16;
            if !r.inline_arg_bytes.is_multiple_of(4) || r.inline_arg_bytes > max {
                e.push(ConfigError::new(
                    "rpc.inline_arg_bytes",
                    r.inline_arg_bytes,
                    format!(
                        "must be a multiple of 4 in 0..={max} (the {} B descriptor half of a {} B control \
                         line minus its 16 B header)",
                        h.cache_line_bytes / 2,
                        h.cache_line_bytes
                    ),
                ));
            }
        }
        e
    }
}
