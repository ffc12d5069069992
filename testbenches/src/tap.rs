//! A Linux TAP device inside a network namespace that a test creates, so that
//! unmodified Linux tools (`ping`, `arping`) can talk to a simulated NIC.
//!
//! [`TapHost::create`] makes a namespace, a TAP interface in it with an
//! address, and keeps the TAP's file descriptor: frames the namespace sends
//! are read with [`TapHost::recv`], frames written with [`TapHost::send`]
//! arrive in the namespace's stack. Everything is removed on drop. Creating it
//! needs root and the kernel's TUN/TAP driver; [`TapHost::create`] says which
//! is missing, so that a test can report itself skipped with the reason.

use std::ffi::CString;
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd};
use std::process::{Command, Output};

const TUNSETIFF: libc::c_ulong = 0x4004_54ca;
const IFF_TAP: libc::c_short = 0x0002;
const IFF_NO_PI: libc::c_short = 0x1000;

#[repr(C)]
struct IfReq {
    name: [libc::c_char; libc::IFNAMSIZ],
    flags: libc::c_short,
    _pad: [u8; 22],
}

/// A namespace with a TAP interface whose other end this process holds.
#[derive(Debug)]
pub struct TapHost {
    ns: String,
    ifname: String,
    tap: File,
}

fn run(args: &[&str]) -> Result<Output, String> {
    let out = Command::new(args[0])
        .args(&args[1..])
        .output()
        .map_err(|e| format!("cannot run `{}`: {e}", args.join(" ")))?;
    if !out.status.success() {
        return Err(format!(
            "`{}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(out)
}

impl TapHost {
    /// Creates namespace `ns` with TAP interface `ifname` (at most 15
    /// characters) holding `addr` (CIDR, e.g. `10.0.0.1/24`), link up. Returns
    /// why not when this machine cannot (not root, no `/dev/net/tun`, no `ip`).
    pub fn create(ns: &str, ifname: &str, addr: &str) -> Result<TapHost, String> {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            return Err("creating a TAP device and a network namespace needs root".into());
        }
        let path = CString::new("/dev/net/tun").expect("no NUL");
        // SAFETY: a valid NUL-terminated path; the fd is owned by the File below.
        let fd = unsafe { libc::open(path.as_ptr(), libc::O_RDWR | libc::O_NONBLOCK | libc::O_CLOEXEC) };
        if fd < 0 {
            return Err(format!(
                "cannot open /dev/net/tun ({}): the kernel TUN/TAP driver is not available",
                std::io::Error::last_os_error()
            ));
        }
        // SAFETY: `fd` was just opened and is owned by nothing else.
        let tap = unsafe { File::from_raw_fd(fd) };
        if ifname.len() >= libc::IFNAMSIZ {
            return Err(format!("interface name `{ifname}` is too long"));
        }
        let mut req = IfReq {
            name: [0; libc::IFNAMSIZ],
            flags: IFF_TAP | IFF_NO_PI,
            _pad: [0; 22],
        };
        for (d, s) in req.name.iter_mut().zip(ifname.bytes()) {
            *d = s as libc::c_char;
        }
        // SAFETY: TUNSETIFF takes a pointer to a struct ifreq, which IfReq lays out.
        if unsafe { libc::ioctl(tap.as_raw_fd(), TUNSETIFF, &mut req) } < 0 {
            return Err(format!("TUNSETIFF {ifname}: {}", std::io::Error::last_os_error()));
        }
        let _ = run(&["ip", "netns", "del", ns]); // left over from a killed run
        run(&["ip", "netns", "add", ns])?;
        let host = TapHost {
            ns: ns.to_string(),
            ifname: ifname.to_string(),
            tap,
        };
        run(&["ip", "link", "set", "dev", ifname, "netns", ns])?;
        host.exec(&["ip", "addr", "add", addr, "dev", ifname])?;
        host.exec(&["ip", "link", "set", "dev", ifname, "up"])?;
        host.exec(&["ip", "link", "set", "dev", "lo", "up"])?;
        Ok(host)
    }

    /// Runs a command inside the namespace and waits for it.
    pub fn exec(&self, args: &[&str]) -> Result<Output, String> {
        let mut full = vec!["ip", "netns", "exec", &self.ns];
        full.extend_from_slice(args);
        run(&full)
    }

    /// A command that will run inside the namespace (to spawn it and
    /// simulate while it runs).
    pub fn command(&self, program: &str) -> Command {
        let mut c = Command::new("ip");
        c.args(["netns", "exec", &self.ns, program]);
        c
    }

    /// The next frame the namespace sent, if any (never blocks).
    pub fn recv(&mut self) -> Option<Vec<u8>> {
        let mut buf = vec![0u8; 65_536];
        match self.tap.read(&mut buf) {
            Ok(n) => {
                buf.truncate(n);
                Some(buf)
            }
            Err(_) => None,
        }
    }

    /// Delivers `frame` (without FCS) to the namespace.
    pub fn send(&mut self, frame: &[u8]) -> std::io::Result<()> {
        self.tap.write_all(frame)
    }

    /// The interface name.
    pub fn ifname(&self) -> &str {
        &self.ifname
    }

    /// The namespace name.
    pub fn namespace(&self) -> &str {
        &self.ns
    }
}

impl Drop for TapHost {
    fn drop(&mut self) {
        let _ = run(&["ip", "netns", "del", &self.ns]);
    }
}
